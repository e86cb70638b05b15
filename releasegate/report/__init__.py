"""Static HTML report of a decision: gate table and SVG plots (``releasegate report``).

Cheap to import: standard library and releasegate only; plots are hand-written SVG.
"""

from ._build import INDEX, PLOTS, Plot, Report, build_report
from ._svg import HLine, Series, chart

__all__ = ["INDEX", "PLOTS", "HLine", "Plot", "Report", "Series", "build_report", "chart"]
