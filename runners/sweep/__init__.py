"""Sweeps: a grid of runner configs, run by a local or Ray executor, collected as evidence.

    releasegate sweep examples/sweeps/scaling_tiny.yaml --out out/scaling

Each condition is one ``runners.run`` call in ``<out>/conditions/<runner>-<config hash>/``; a
finished condition is never run again, so an interrupted sweep resumes where it stopped. The
``sweep`` evidence (one row per condition × seed) and ``sweep_aggregate`` evidence (per-axis
means and bounds, the Pareto frontier) go to ``<out>/evidence/``. Importing this package is
cheap: torch and Ray are imported only when a condition runs.
"""

from ._condition import ConditionResult, rows_from_evidence, run_condition
from ._executors import Executor, LocalExecutor, make_executor
from ._expand import Condition, expand
from ._progress import Progress
from ._spec import SweepError, SweepSpec, load_sweep, parse_sweep
from ._sweep import STATUS_FILE, SweepOutcome, run_sweep, write_sweep_evidence

__all__ = [
    "STATUS_FILE", "Condition", "ConditionResult", "Executor", "LocalExecutor", "Progress",
    "SweepError", "SweepOutcome", "SweepSpec", "expand", "load_sweep", "make_executor",
    "parse_sweep", "rows_from_evidence", "run_condition", "run_sweep", "write_sweep_evidence",
]
