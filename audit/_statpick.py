"""Which per-seed values a stated statistic is about, and its verdict (red-team review 11).

A statement with its own ``#/pointer`` links is judged on those values. Without one, the
candidates are the per-seed series cited in its scope, narrowed by the statement's own words:

- a series whose name (the last key of its pointer: ``deltas``, ``candidate``) the sentence
  says (``mean delta``, ``the candidate``); ``difference``/``improvement``/``gain`` name the
  delta-like series (``delta``/``diff`` in the name); a baseline named after ``over``/``than``/
  ``beats``… is the comparator, not the subject;
- else, for a sentence about a difference (a comparison with the baseline, ``positive``/
  ``negative`` counts, a claim of significance): the differences in scope, i.e. delta-like
  series and each series minus its sibling baseline;
- else every series in scope.

Stated numbers: the one candidate that fits is used; several fitting equally are ``unbacked``
(ambiguous); when none fits the statement is a ``mismatch`` naming the closest recomputation.
A claim (significance, beating the baseline, a positive delta) must hold for EVERY candidate:
refuted by any one it is ``decision-error``, never verified by one of several.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ._result import Verdict
from ._statfit import Model, Outcome, Recomputed, Series, judge, relative

if TYPE_CHECKING:
    from ._statements import Piece

_DELTA_NAME = re.compile(r"delta|diff", re.I)
_BASE_NAME = re.compile(r"baseline", re.I)
_DELTA_WORDS = frozenset({"delta", "difference", "improvement", "gain"})
_COMPARATOR = re.compile(
    r"\b(?:over|than|vs\.?|versus|against|beats?|beating|beaten|outperform\w*|surpass\w*|"
    r"exceed\w*|relative\s+to|compared\s+(?:to|with))\s+(?:the\s+)?(?:[\w-]+\s+)?baselines?\b",
    re.I)
_DIFFERENCE_TALK = re.compile(r"\b(?:positive|negative|above\s+zero|below\s+zero)\b", re.I)
_WORD = re.compile(r"[a-z][a-z0-9]*")

Judged = tuple["Piece", Verdict, str, Recomputed | None]


def _singular(w: str) -> str:
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def _words(text: str) -> set[str]:
    return {_singular(w) for w in _WORD.findall(text.lower())}


def name_of(s: Series) -> str:
    """The series' name: the last key of its pointer that is not an index."""
    for part in reversed(s.pointer.split("/")):
        if part and not part.isdigit():
            return part.replace("~1", "/").replace("~0", "~").lower()
    return ""


def _named(series: Sequence[Series], sentence: str) -> list[Series]:
    words = _words(sentence)
    comparator = _COMPARATOR.search(sentence) is not None
    out = []
    for s in series:
        name = name_of(s)
        if comparator and _BASE_NAME.search(name):
            continue  # "better than the baseline": the baseline is what it is compared with
        toks = [_singular(t) for t in re.split(r"[_\-\s.]+", name) if t]
        if (toks and all(t in words for t in toks)) or (
                _DELTA_NAME.search(name) and words & _DELTA_WORDS):
            out.append(s)
    return out


def _differences(series: Sequence[Series], paired: bool) -> list[Model]:
    """Delta-like series, and each series minus the baseline next to it (Welch unless
    ``paired``), when the sentence is about a difference."""
    models = [Model(s) for s in series if _DELTA_NAME.search(name_of(s))]
    for b in series:
        if not _BASE_NAME.search(name_of(b)):
            continue
        parent = (b.artifact, b.pointer.rsplit("/", 1)[0])
        for a in series:
            if a is not b and (a.artifact, a.pointer.rsplit("/", 1)[0]) == parent \
                    and not _DELTA_NAME.search(name_of(a)) and not _BASE_NAME.search(name_of(a)):
                models.append(Model(a, b, paired=paired))
    return models


def candidates(series: Sequence[Series], sentence: str, pieces: Sequence[Piece]
               ) -> list[list[Model]]:
    """The models a statement without its own links may be about (module docstring), in order
    of preference: the first list that can judge the statement is used."""
    paired = "paired" in sentence.lower()
    named = _named(series, sentence)
    compared = _COMPARATOR.search(sentence) is not None
    about_difference = (compared or _DIFFERENCE_TALK.search(sentence) is not None
                        or any(p.kind in ("claim", "count") for p in pieces))
    rest = [Model(s) for s in series if not (compared and _BASE_NAME.search(name_of(s)))]
    if named and not (compared and any(p.kind == "claim" for p in pieces)):
        return [[Model(s) for s in named]]
    if about_difference and (diffs := _differences(series, paired)):
        return [diffs, rest]
    return [rest]


def _conf(pieces: Sequence[Piece]) -> float:
    for p in pieces:
        c = p.groups.get("conf") or p.groups.get("conf0")
        if p.kind in ("ci", "bound", "pm") and c is not None:
            return float(c) / 100.0
    return 0.95


def _claim(p: Piece, models: Sequence[Model], conf: float) -> Judged | None:
    """A claim must hold for every series it could refer to."""
    outs = [(m, o) for m in models if (o := judge(p, m, conf)) is not None]
    if not outs:
        return None
    if len(outs) == 1:
        return (p, *outs[0][1])
    bad = [(m, o) for m, o in outs if o[0] == "decision-error"]
    good = [m for m, o in outs if o[0] == "verified"]
    if bad:
        others = f"; it holds for {', '.join(m.label for m in good)}" if good else ""
        return (p, "decision-error",
                f"{bad[0][1][1]} (refuted for {len(bad)} of the {len(outs)} series it could "
                f"refer to{others}; a claim must hold for each, or link the one it means with a "
                "#/pointer)", bad[0][1][2])
    if len(good) == len(outs):
        return (p, "verified", f"holds for every series it could refer to: "
                f"{'; '.join(o[1] for _, o in outs)}", outs[0][1][2])
    cannot = [m.label for m, o in outs if o[0] != "verified"]
    return (p, "unverifiable", f"claims {p.text!r}: cannot be recomputed for "
            f"{', '.join(cannot)}, so which series it means cannot be determined; link the "
            "statement to its per-seed values with a #/pointer", None)


def _score(judged: Sequence[tuple[Piece, Outcome | None]]) -> tuple[int, float]:
    """(fitting statements, distance): values first; n only when the sentence states no more."""
    values = [(p, o) for p, o in judged if p.kind != "n"] or list(judged)
    fit = sum(1 for _, o in values if o is not None and o[0] == "verified")
    dist = 0.0
    for _, o in values:
        if o is None or o[0] == "verified":
            continue
        d = o[2].difference if o[2] is not None else None
        dist += abs(d) if d is not None and math.isfinite(d) else math.inf
    return fit, dist


def _numbers(pieces: Sequence[Piece], models: Sequence[Model], conf: float) -> list[Judged]:
    judged = [[(p, judge(p, m, conf)) for p in pieces] for m in models]
    judged = [j for j in judged if any(o is not None for _, o in j)]
    if not judged:
        return []
    prefix = ""
    if len(judged) > 1:
        scores = [_score(j) for j in judged]
        best = max(s[0] for s in scores)
        if best > 0 and [s[0] for s in scores].count(best) > 1:
            names = ", ".join(m.label for m in models[:4])
            more = f" (+{len(models) - 4} more)" if len(models) > 4 else ""
            return [(p, "unbacked", f"ambiguous: {len(judged)} per-seed series in scope fit "
                     f"({names}{more}); link the statement to one with a #/pointer", None)
                    for p in pieces]
        if best > 0:
            pick = next(i for i, s in enumerate(scores) if s[0] == best)
        else:
            pick = min(range(len(scores)), key=lambda i: scores[i][1])
            prefix = (f"no per-seed series in scope fits (of {len(judged)}); the closest: ")
        judged = [judged[pick]]
    out: list[Judged] = []
    for p, o in judged[0]:
        if o is not None:
            msg = prefix + o[1] if o[0] == "mismatch" else o[1]
            out.append((p, o[0], msg, o[2]))
    return out


def evaluate(pieces: Sequence[Piece], own: Sequence[Series],
             scope_series: Callable[[], list[Series]], sentence: str) -> list[Judged]:
    """Judge the pieces of one sentence; pieces that no values can judge are left out."""
    out: list[Judged] = []
    stat = [p for p in pieces if p.kind != "relative"]
    for p in pieces:
        if p.kind == "relative" and (r := relative(p, own)) is not None:
            out.append((p, *r))
    if not stat:
        return out
    lists = [s for s in own if not s.scalar]
    paired = "paired" in sentence.lower()
    if len(lists) >= 2:
        models = [Model(lists[0], lists[1], paired=paired)]
    elif len(lists) == 1:
        models = [Model(lists[0])]
    elif own:
        return out  # only scalar links: a quoted number, not per-seed values
    else:
        series = scope_series()
        if not series:
            return out
        return out + _by_preference(stat, candidates(series, sentence, stat))
    return out + _by_preference(stat, [models])


def _by_preference(stat: Sequence[Piece], choices: Sequence[Sequence[Model]]) -> list[Judged]:
    conf = _conf(stat)
    numbers = [p for p in stat if p.kind != "claim"]
    claims = [p for p in stat if p.kind == "claim"]
    out: list[Judged] = []
    for models in choices:
        if numbers and (judged := _numbers(numbers, models, conf)):
            out += judged
            numbers = []
        for p in list(claims):
            if (j := _claim(p, models, conf)) is not None:
                out.append(j)
                claims.remove(p)
    return out
