"""Static HTML report of a decision: gate table and SVG plots (``releasegate report``).

Cheap to import: standard library and releasegate only; the plots are drawn with matplotlib
(the ``report`` extra), imported when a report is built.
"""

from ._build import INDEX, PLOTS, DecisionRefused, Plot, Report, build_report
from ._gateplot import gate_plot
from ._plots import (
    GatePlot,
    ScatterSeries,
    gate_figure,
    gate_svg,
    scatter_figure,
    scatter_svg,
    words,
)

__all__ = ["INDEX", "PLOTS", "DecisionRefused", "GatePlot", "Plot", "Report", "ScatterSeries",
           "build_report", "gate_figure", "gate_plot", "gate_svg", "scatter_figure", "scatter_svg",
           "words"]
