"""Where a status claim's subject is told by layout rather than by a verb (red team 12).

Lists of gate names ("Gates passing: a, b, c"), a comma-delimited relative clause that is an
aside, a unit that is only a status under a unit that is only a gate's name (a parent list
item, a ``<summary>``), and gate/status tables whose row labels name gates. ``_status`` uses
these; they hold no state.
"""

from __future__ import annotations

import re

from ._claims import Scope, TextUnit
from ._decision import normalize_name

_ASIDE_RE = re.compile(r",\s{1,3}(?:which|who|whose)\b[^,;()]{1,120},", re.IGNORECASE)
# what joins the names of a list: "a, b", "a and the b", "a / b" (code marks and bold allowed)
_LIST_SEP_RE = re.compile(r"[\s`*_]{0,3}(?:,|and|or|&|/|\+)?(?:\s{0,2}and)?[\s`*_]{0,3}"
                          r"(?:the\s{1,2})?[`*_]{0,2}", re.IGNORECASE)
# a label announcing a list of gates: "Gates passing:", "Passed:", "Failing gates:" (rt12)
_LIST_LABEL_RE = re.compile(
    r"(?:^|[.;|]\s{0,3})[*_]{0,2}(?:gates?|(?:gates?\s{1,3})?(?:pass(?:ed|es|ing)?|fail(?:ed|s"
    r"|ing)?|green|red|blocked|waived|ok)(?:\s{1,3}gates?)?)[*_]{0,2}\s{0,2}:[*_]{0,2}\s{1,3}"
    r"(?:[\w.`*-]{1,40}[\s`*_]{0,3}(?:,|and|or|&|/)[\s`*_]{0,3}){0,8}[`*_]{0,2}$",
    re.IGNORECASE)


# a unit that is only a status: "passes", "**PASS**", "status: ✅", "result = fail."
_LONE_STATUS_RE = re.compile(r"[\s*_`]{0,4}(?:(?:status|result|outcome)[\s*_`]{0,3}[:=]"
                             r"[\s*_`]{0,3})?(\S{1,20}?)[\s*_`.!]{0,4}", re.IGNORECASE)


def _follows(label: Scope, scope: Scope) -> bool:
    """Is a unit in ``scope`` the child item of the label's item, or the label's next block in
    the same section (not a sibling list item, which lists another thing)?"""
    if scope.parent is label and scope.kind == "item":
        return True
    return label.kind not in ("item", "row") and scope is label


_GATE_HEADERS = frozenset({"gate", "gates", "release gate", "gate name"})
_STATUS_HEADERS = frozenset({"status", "result", "outcome", "verdict", "gate status"})


def _gate_table(unit: TextUnit) -> bool:
    """Is ``unit`` a row of a gate/status table: first column "gate", another "status"?

    Both are needed: "| Follow-up | Status |" lists follow-ups ("External scaling study |
    complete" is no claim about the external gate).
    """
    heads = [normalize_name(h.strip(" *_`")) for _, _, h in unit.cells]
    return bool(heads) and heads[0] in _GATE_HEADERS and any(h in _STATUS_HEADERS
                                                             for h in heads[1:])
