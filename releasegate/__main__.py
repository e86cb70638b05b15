"""``python -m releasegate``: the same command line as the ``releasegate`` console script."""

from releasegate.cli.main import console_main

console_main()
