"""``python -m releasegate``: the same command line as the ``releasegate`` console script."""

import os
import sys

import releasegate

# `python -m` put the working directory first on sys.path (unless -P). Take it off again, as
# the console script never has it: a user's repository with a top-level `policy/` or `audit/`
# folder must not replace releasegate's own packages, which this command imports later. Kept
# only when it is releasegate's own source tree (a checkout run without installing).
_ours = os.path.dirname(os.path.dirname(os.path.abspath(releasegate.__file__)))
if (not sys.flags.safe_path and sys.path and os.path.abspath(sys.path[0] or ".") == os.getcwd()
        and os.getcwd() != _ours):
    del sys.path[0]

from releasegate.cli.main import console_main  # noqa: E402  (after the path fix)

console_main()
