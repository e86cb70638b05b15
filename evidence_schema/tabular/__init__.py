"""Expectation suites for tabular evidence (sweep tables, per-seed metric tables).

The tables are built in plain Python (``_tables``); Great Expectations is imported only inside
``run_deep_checks`` because it takes seconds to import and pulls in pandas. ``validate --deep``
and ``check --deep`` call it; the default fast paths never import this package's GX half.
"""

from ._results import DeepCheck, DeepReport
from ._suites import run_deep_checks
from ._tables import EXPECTED_METRICS, Table, tables_for

__all__ = ["EXPECTED_METRICS", "DeepCheck", "DeepReport", "Table", "run_deep_checks", "tables_for"]
