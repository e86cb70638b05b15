"""``python -m releasegate``: the same command line as the ``releasegate`` console script."""

import os
import sys

# `python -m` put the working directory first on sys.path (unless -P). Take it off again, as
# the console script never has it: a user's repository with a top-level `policy/` or `audit/`
# folder must not replace releasegate's own packages, which this command imports later.
if not sys.flags.safe_path and sys.path and os.path.abspath(sys.path[0] or ".") == os.getcwd():
    del sys.path[0]

from releasegate.cli.main import console_main

console_main()
