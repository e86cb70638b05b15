"""Stated statistics (a statcheck for evidence): find summaries a report states about per-seed
values and recompute them from the artifact that holds those values (issue 12).

Recognised phrasings (case-insensitive; docs/audit.md lists them with examples):

- ``mean delta +0.062 (95% CI [+0.041, +0.083], n = 5)``: mean, two-sided t-interval at the
  stated confidence, and ``n`` (``n = 3 vs 3`` for two groups); also ``95% CI [a, b]`` alone
- ``mean +0.062`` / ``average … 0.062``: the mean (up to three words between)
- ``LCB +0.054``, ``95% UCB 0.08``, ``lower bound 0.054``: the lower / upper end of the
  two-sided interval (confidence 95% unless stated)
- ``n = 5``, ``over 5 seeds``, ``across 5 seeds``: the number of values
- ``3/5 seeds positive``, ``3 of 5 seeds negative``: a count of values above / below zero
- ``improves by 12%``, ``drops by 3%``: relative change of the first series over the second,
  (mean_a − mean_b) / |mean_b|
- claims: ``significantly better/higher/worse/lower``, ``statistically significant
  improvement``, ``beats/outperforms the baseline``, ``positive delta``: the bound in the claimed
  direction must exclude zero (LCB > 0, or UCB < 0 for worse/lower) or it is ``decision-error``

The values come from the sentence's own ``#/pointer`` links (a list of per-seed samples, or a
number); two series are a difference (Welch unless the sentence says ``paired``). With none,
the artifacts cited in the statement's scope (as numbers are scoped) are searched for per-seed
lists; several that fit equally make the statement ``unbacked`` (ambiguous). Bounds use
``evidence_schema.stats``, the project's one method.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ._binding import key_map
from ._claims import Citation, Scope, TextUnit
from ._index import MISSING, Artifact, resolve_pointer
from ._result import Finding
from ._statfit import Series, samples_of
from ._statpick import evaluate

_NUM = r"[+\-\u2212]?\d+(?:\.\d+)?(?:[eE][+\-\u2212]?\d+)?"
_CONF = r"\d{1,2}(?:\.\d+)?"
# "=", ":", "of" or "is" between a label and its number. Written so that no two quantifiers can
# share the same spaces: an ambiguous "\s*(?:=)?\s*" backtracks quadratically on a long run
# of spaces (the audit is run on hostile megabyte lines, bench/bench_audit.py).
_SEP = r"\s*(?:(?:=|:|of\b|is\b)\s*)?"
# "the mean of 5 seeds": a count of things, not a value
_COUNTED = r"\s+(?:seeds?|runs?|layers?|steps?|samples?|pairs?|models?|checkpoints?)\b"
_WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_COUNT = r"\d+|" + "|".join(_WORD_NUMBERS)
_DIR = r"positive|negative|above\s+zero|below\s+zero"
PATTERNS: dict[str, re.Pattern[str]] = {
    "ci": re.compile(
        rf"(?:\b(?:mean|average)\b(?P<w>(?:\s+[A-Za-z][\w\-]*){{0,3}}?){_SEP}"
        rf"(?P<mean>{_NUM})\s*\(\s*)?(?<![\d.])(?P<conf>{_CONF})\s*%\s*"
        rf"(?:CI|confidence interval)\s*(?::\s*)?(?:[\[(]\s*(?P<lo>{_NUM})\s*[,;]\s*"
        rf"(?P<hi>{_NUM})\s*[\])]|(?P<lo2>{_NUM})\s*(?:to|\u2013|\u2014)\s*(?P<hi2>{_NUM})"
        rf"(?!\d|\.\d|\s*%))", re.I),
    # "0.062 ± 0.021", "mean +0.062 +/- 0.021 (SE)": the mean and the interval's half-width
    "pm": re.compile(
        rf"(?:\b(?:mean|average)\b(?:\s+[A-Za-z][\w\-]*){{0,3}}?{_SEP})?"
        rf"(?<![\d.])(?P<mean>{_NUM})\s*(?:\u00b1|\+/-|\+-)\s*(?P<pm>{_NUM})(?!\d|\.\d|\s*%)"
        rf"(?:\s*\(\s*(?:(?P<se>SE|s\.e\.|SEM|standard\s+error)|(?P<sd>SD|s\.d\.|std|"
        rf"standard\s+deviation)|(?P<conf>{_CONF})\s*%(?:\s*(?:CI|confidence\s+interval))?)"
        rf"\s*\))?", re.I),
    "mean": re.compile(
        rf"\b(?:mean|average)\b(?:\s+[A-Za-z][\w\-]*){{0,3}}?{_SEP}"
        rf"(?P<mean>{_NUM})(?!\d|\.\d|\s*%|\s*\(\s*{_CONF}\s*%|{_COUNTED})", re.I),
    "bound": re.compile(
        rf"(?:(?<![\d.])(?P<conf0>{_CONF})\s*%\s*)?\b(?P<kind>LCB|UCB|lower(?:\s+confidence)?\s+bound|"
        rf"upper(?:\s+confidence)?\s+bound)\b(?:\s*\(\s*(?P<conf>{_CONF})\s*%\s*\))?{_SEP}"
        rf"(?P<val>{_NUM})(?!\d|\.\d|\s*%|{_COUNTED})", re.I),
    "n": re.compile(
        r"\bn\s*=\s*(?P<n>\d+)(?:\s*(?:vs\.?|and|\+)\s*(?P<n2>\d+))?(?!\d|\.\d)|"
        r"\b(?:over|across|from|on)\s+(?P<ns>\d+)\s+seeds?\b", re.I),
    "count": re.compile(
        rf"\b(?P<k>{_COUNT})\s*(?:/|of|out\s+of)\s*(?P<n>{_COUNT})\s+(?:seeds?|runs?)\s+"
        rf"(?:are\s+|were\s+)?(?P<dir>{_DIR})|"
        rf"\b(?:all|every|each)\s+(?:(?:of\s+the\s+)?(?P<an>{_COUNT})\s+)?(?:seeds?|runs?)\s+"
        rf"(?:are\s+|were\s+|is\s+|was\s+)?(?P<adir>{_DIR})|"
        rf"\b(?P<cdir>{_DIR})\s+(?:on|in|across|for)\s+(?:all|every|each)\s+"
        rf"(?:(?:of\s+the\s+)?(?P<cn>{_COUNT})\s+)?(?:seeds?|runs?)\b", re.I),
    "relative": re.compile(
        rf"\b(?P<verb>improves?|improved|increases?|increased|gains?|decreases?|decreased|"
        rf"drops?|dropped|reduces?|reduced)\b(?:\s+by)?\s+(?P<pct>{_NUM})\s*%", re.I),
    "claim": re.compile(
        r"\b(?:significantly|statistically\s+significantly)\s+(?P<sdir>better|higher|larger|"
        r"greater|improved|worse|lower|smaller|reduced|above|below|more|less|positive|negative)\b|"
        r"(?<![\w-])(?:statistically\s+)?significant\s+(?P<idir>improvement|gain|increase|"
        r"decrease|drop|reduction|difference|effect)s?\b|"
        r"\bstatistically\s+significant\b|"
        r"\b(?P<beat>beats|beat|beating|beaten|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|"
        # "scores higher than the baseline": a comparative claims what "beats" claims (rt12)
        r"exceed(?:s|ed|ing)?|(?:higher|better|greater|larger)\s+than)\s+(?:the\s+)?"
        r"(?:[\w-]+\s+)?baselines?\b|"
        r"\b(?P<pos>positive)\s+(?:mean\s+)?(?:delta|difference|gain|improvement)s?\b|"
        r"\b(?:mean\s+)?(?:delta|difference|gain|improvement)s?\s+(?:is|was|are|were)\s+"
        r"(?:strictly\s+)?(?P<sign>positive|negative|above\s+zero|below\s+zero)\b", re.I),
}
# Substring tests (fast, in C) before the seven patterns: most prose states no statistic, and a
# megabyte of it then costs milliseconds. Every pattern needs one of these.
_TRIGGERS = ("mean", "average", "ci", "confidence", "lcb", "ucb", "bound", "=", "seed", "run",
             "improv", "increas", "gain", "decreas", "drop", "reduc", "signific", "baseline",
             "beat", "outperform", "surpass", "exceed", "positive", "negative", "\u00b1", "+/-",
             "+-")
_TRIGGER_RE = re.compile("|".join(re.escape(t) for t in _TRIGGERS))  # one C-speed scan
# "not significantly better", "whether it is significant", "no significant gain": no claim
_NEGATION = re.compile(r"\b(?:not|no|never|\w+n't)\s+(?:\w+\s+){0,2}$|"
                       r"\b(?:whether|if)\s+(?:\w+\s+){0,4}$", re.I)
_DIRECTION = re.compile(
    r"\b(?P<up>improve\w*|gains?|better|higher|increase\w*|positive|outperform\w*|beats?)\b|"
    r"\b(?P<down>worse|lower|decrease\w*|drops?|reduc\w*|negative)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\[*_`])")


@dataclass(frozen=True)
class Piece:
    """One recognised statement: its kind, where it is in the unit text, and its groups."""

    kind: str
    start: int
    end: int
    groups: dict[str, str]

    @property
    def text(self) -> str:
        return self.groups["_text"]


def find_pieces(sentence: str, base: int) -> list[Piece]:
    """Statements in one sentence (offsets relative to the unit); overlapping ones dropped."""
    found: list[Piece] = []
    low = sentence.lower()
    if _TRIGGER_RE.search(low) is None:
        return found
    for kind, rx in PATTERNS.items():
        for m in rx.finditer(sentence):
            # only the few words before the claim: bounded work on a hostile megabyte line
            if kind == "claim" and _NEGATION.search(sentence[max(0, m.start() - 64): m.start()]):
                continue  # "not significantly better" is not a claim of significance
            g = _normalise({k: v for k, v in m.groupdict().items() if v is not None})
            g["_text"] = m.group()
            if kind == "claim" and len(g) == 1:
                # "the improvement is statistically significant": the sentence's direction
                if (d := _DIRECTION.search(sentence)) is not None:
                    g["dir_hint"] = "down" if d.group("down") else "up"
            found.append(Piece(kind, base + m.start(), base + m.end(), g))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[Piece] = []
    for p in found:
        if kept and p.start < kept[-1].end:
            continue  # e.g. "mean …" inside a CI statement
        kept.append(p)
    return kept


def _normalise(g: dict[str, str]) -> dict[str, str]:
    """One spelling per group: "95% CI: a to b" as [a, b]; "all 5 seeds positive" and
    "three of five" as counts (``all``: every value, however many)."""
    for a, b in (("lo2", "lo"), ("hi2", "hi"), ("adir", "dir"), ("cdir", "dir"), ("an", "n"),
                 ("cn", "n")):
        if a in g:
            g[b] = g.pop(a)
    if "dir" in g and "k" not in g:
        g["all"] = "1"
    for k in ("k", "n"):
        if k in g and g[k].lower() in _WORD_NUMBERS:
            g[k] = str(_WORD_NUMBERS[g[k].lower()])
    return g


def _sentences(unit: TextUnit) -> list[tuple[int, int]]:
    if unit.scope.kind == "row":
        return [(0, len(unit.text))]  # a table row is one statement's context
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(unit.text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(unit.text)))
    return spans


def _offset_of(unit: TextUnit, c: Citation) -> int | None:
    """Where a citation sits in the unit's flat text: after the last text before its target."""
    last = unit.segments[-1].line if unit.segments else unit.line
    if c.scope is not unit.scope or not unit.line <= c.line <= last:
        return None
    off: int | None = None
    for seg in unit.segments:
        if (seg.line, seg.column) <= (c.line, c.column):
            off = seg.end
    return off


def _series_at(art: Artifact | None, c: Citation) -> Series | None:
    if art is None or art.error is not None or not art.parsed or c.pointer is None:
        return None
    val = resolve_pointer(art.data, c.pointer)
    if val is MISSING:
        return None
    return samples_of(val, art.rel, c.pointer)


def _keyed_n(scope: Scope, artifact_of: Callable[[Citation], Artifact | None]) -> bool:
    """Whether an artifact cited in ``scope`` (or the nearest enclosing scope that cites any)
    has a key named exactly ``n``."""
    s: Scope | None = scope
    while s is not None and not s.citations:
        s = s.parent
    arts = [artifact_of(c) for c in (s.citations if s is not None else [])]
    return any(a is not None and a.error is None and "n" in key_map(a) for a in arts)


def _scope_series(scope: Scope, artifact_of: Callable[[Citation], Artifact | None]
                  ) -> list[Series]:
    s: Scope | None = scope
    while s is not None and not s.citations:
        s = s.parent
    out: dict[str, Series] = {}
    for c in s.citations if s is not None else []:
        art = artifact_of(c)
        if art is None or art.error is not None or not art.parsed:
            continue
        root = c.pointer or ""
        node = resolve_pointer(art.data, root)
        if node is MISSING:
            continue
        for ser in _walk(node, art.rel, root):
            out.setdefault(f"{ser.artifact}#{ser.pointer}", ser)
    return list(out.values())


def _walk(node: Any, rel: str, ptr: str, depth: int = 0) -> list[Series]:
    if depth > 8 or ptr.startswith(("/provenance", "/inputs")):
        return []
    ser = samples_of(node, rel, ptr) if isinstance(node, list) else None
    if ser is not None and len(ser.values) >= 2:
        return [ser]
    found: list[Series] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, dict | list):
                key = str(k).replace("~", "~0").replace("/", "~1")
                found += _walk(v, rel, f"{ptr}/{key}", depth + 1)
    return found


def check_statements(
    file: str, units: list[TextUnit],
    artifact_of: Callable[[Citation], Artifact | None],
    record: Callable[[Finding], None],
) -> set[tuple[int, int]]:
    """Check every stated statistic in ``units``; return the (line, column) of every number
    they cover, which the engine then does not check again as a plain number."""
    covered: set[tuple[int, int]] = set()
    for unit in units:
        cites = [(off, c) for c in _unit_citations(unit) if (off := _offset_of(unit, c))
                 is not None]
        for a, b in _sentences(unit):
            pieces = find_pieces(unit.text[a:b], a)
            if any(q.kind == "n" for q in pieces) and _keyed_n(unit.scope, artifact_of):
                # "n = 5" beside a key named n is that key's value: the number check binds it
                # (audit/_binding.py), not a count of some per-seed list (red team 11)
                pieces = [q for q in pieces if q.kind != "n"]
            if not pieces:
                continue
            pointed = [c for off, c in cites if a <= off <= b + 1 and c.pointer is not None]
            own = [s for c in pointed if (s := _series_at(artifact_of(c), c)) is not None]
            if pointed and not own:
                continue  # it links to something else (a gate's reason): not per-seed values
            sentence = unit.text[a:b]
            findings = evaluate(pieces, own, partial(_scope_series, unit.scope, artifact_of),
                                sentence)
            for piece, verdict, message, value in findings:
                line, col = unit.position(piece.start)
                record(Finding(
                    file=file, line=line, column=col, claim=piece.text, kind="number",
                    verdict=verdict, message=message, artifact=value.artifact if value else None,
                    pointer=value.pointer if value else None,
                    artifact_value=value.recomputed if value else None,
                    difference=value.difference if value else None,
                    explanation=(f"stated statistic ({piece.kind}) in {unit.scope.describe()}",
                                 message),
                ))
                if verdict != "unbacked":  # an unbacked number is still checked plainly
                    for off in range(piece.start, piece.end):
                        covered.add(unit.position(off))
    return covered


def _unit_citations(unit: TextUnit) -> list[Citation]:
    return [c for c in unit.scope.citations if c.scope is unit.scope]
