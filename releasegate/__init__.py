"""releasegate: the application layer over the four pipeline stages.

runners → evidence (``evidence_schema``) → ``policy`` → decision → ``audit``. This package is
the only one that knows all four: the command line (``releasegate.cli``), the demo
(``releasegate.demo``), the CI gate (``releasegate.ci``) and the HTML report
(``releasegate.report``). Importing it is cheap; each subcommand imports what it needs.
"""
