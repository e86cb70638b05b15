"""Recompute stated statistics (issue 12): each recognised statement (``_statements``) is
compared, at its printed precision, with the value recomputed from per-seed evidence by
``evidence_schema.stats`` (Student-t intervals, Welch for two groups, per-seed differences when
paired: the project's one method).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evidence_schema.stats import (
    Estimate,
    StatError,
    bounds,
    difference,
    mean,
    paired_differences,
    sample_estimate,
    sample_sd,
)

from ._numbers import as_float, matches, parse_number
from ._result import Verdict

if TYPE_CHECKING:
    from ._statements import Piece

_DOWN_VERBS = ("decrease", "drop", "reduce")
_NEG_DIRS = ("worse", "lower", "smaller", "reduced", "reduction", "decrease", "drop", "below",
             "less", "negative")
# "statistically significant", "a significant difference": either side of zero
_TWO_SIDED = ("difference", "effect")


@dataclass(frozen=True)
class Series:
    """Values at one pointer of one artifact: per-seed samples (``seeds`` keys) or one number."""

    artifact: str
    pointer: str
    values: tuple[float, ...]
    seeds: tuple[tuple[int, ...], ...]
    scalar: bool = False

    @property
    def ref(self) -> str:
        return f"{self.artifact}#{self.pointer}"


@dataclass(frozen=True)
class Recomputed:
    artifact: str
    pointer: str
    recomputed: float | None
    difference: float | None


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    v = as_float(x)
    # an integer beyond the float range is no measurement
    return None if isinstance(x, int) and math.isinf(v) else v


def samples_of(node: Any, rel: str, pointer: str) -> Series | None:
    """A number, a list of numbers, or a list of ``{"value": x, "seeds": [...]}`` samples."""
    if (v := _num(node)) is not None:
        return Series(rel, pointer, (v,), ((),), scalar=True)
    if not isinstance(node, list) or not node:
        return None
    vals: list[float] = []
    keys: list[tuple[int, ...]] = []
    for item in node:
        if isinstance(item, dict):
            v = _num(item.get("value"))
            key = item.get("seeds", item.get("seed", ()))
            key = (key,) if isinstance(key, int) else tuple(key) if isinstance(key, list) else ()
        else:
            v, key = _num(item), ()
        if v is None:
            return None
        vals.append(v)
        keys.append(key)
    if all(float(v).is_integer() for v in vals) and "seed" in pointer.rsplit("/", 1)[-1]:
        return None  # a list of seed numbers, not measurements
    return Series(rel, pointer, tuple(vals), tuple(keys))


@dataclass(frozen=True)
class Model:
    """What the statement summarises: one series, or ``a`` minus ``b`` (Welch or paired)."""

    a: Series
    b: Series | None = None
    paired: bool = False

    @property
    def label(self) -> str:
        if self.b is None:
            return self.a.ref
        return f"{self.a.ref} minus {self.b.ref} ({'paired' if self.paired else 'Welch'})"

    def estimate(self) -> Estimate:
        """The statement's quantity as the gates estimate it (evidence_schema.stats): seeds as
        units, pairwise values by the delete-one-seed jackknife, Welch or paired for two."""
        a = sample_estimate(self.a.seeds, self.a.values)
        if self.b is None:
            return a
        if self.paired:
            keys, diffs = paired_differences(self.a.seeds, self.a.values, self.b.seeds,
                                             self.b.values)
            return sample_estimate(keys, diffs)
        return difference(a, sample_estimate(self.b.seeds, self.b.values))

    def one_sample(self) -> list[float] | None:
        """The values a count ("3/5 seeds positive") is over: one arm, or paired differences;
        None for two independent arms."""
        if self.b is None:
            return list(self.a.values)
        if not self.paired:
            return None
        return paired_differences(self.a.seeds, self.a.values, self.b.seeds, self.b.values)[1]

    def mean(self) -> float:
        return self.estimate().value

    def bounds(self, confidence: float) -> tuple[float, float]:
        return bounds(self.estimate(), confidence)

    def n(self) -> tuple[int, ...]:
        """Units per arm: seeds for keyed values (not seed pairs), entries for bare numbers."""
        if self.b is None or self.paired:
            return (self.estimate().n_seeds,)
        return (sample_estimate(self.a.seeds, self.a.values).n_seeds,
                sample_estimate(self.b.seeds, self.b.values).n_seeds)


# (verdict, message, recomputed) for one piece under one model; None: this model cannot judge it
Outcome = tuple[Verdict, str, Recomputed | None]


def _rec(model: Model, value: float | None, stated: str | None) -> Recomputed:
    diff = None
    if value is not None and stated is not None and (p := parse_number(stated)) is not None:
        diff = float(p.value) - value
    return Recomputed(model.a.artifact, model.a.pointer, value, diff)


def _eq(text: str, value: float) -> bool:
    p = parse_number(text)
    return p is not None and matches(p, value)


def _conf(text: str | None, default: float = 0.95) -> float:
    return default if text is None else float(text) / 100.0


def judge(piece: Piece, model: Model, sentence_conf: float) -> Outcome | None:
    g = piece.groups
    k = piece.kind
    try:
        if k == "ci":
            conf = _conf(g["conf"])
            lo, hi = model.bounds(conf)
            bad = [(g["lo"], lo, "lower end"), (g["hi"], hi, "upper end")]
            if "mean" in g:
                bad.insert(0, (g["mean"], model.mean(), "mean"))
            wrong = [(t, v, w) for t, v, w in bad if not _eq(t, v)]
            got = f"{conf:.0%} CI [{lo:.6g}, {hi:.6g}], mean {model.mean():.6g}"
            if not wrong:
                return "verified", f"recomputed from {model.label}: {got}", _rec(model, lo, None)
            t, v, w = wrong[0]
            return ("mismatch", f"stated {w} {t} but recomputed from {model.label}: {got}",
                    _rec(model, v, t))
        if k == "mean":
            m = model.mean()
            ok = _eq(g["mean"], m)
            return (("verified" if ok else "mismatch"),
                    f"{'' if ok else 'stated ' + g['mean'] + ' but '}recomputed mean of "
                    f"{model.label} = {m:.6g}", _rec(model, m, g["mean"]))
        if k == "bound":
            conf = _conf(g.get("conf0") or g.get("conf"))
            lo, hi = model.bounds(conf)
            lower = g["kind"].lower().startswith(("lcb", "lower"))
            v = lo if lower else hi
            ok = _eq(g["val"], v)
            what = f"{conf:.0%} {'lower' if lower else 'upper'} bound of {model.label} = {v:.6g}"
            return (("verified" if ok else "mismatch"),
                    f"{'' if ok else 'stated ' + g['val'] + ' but '}recomputed {what}",
                    _rec(model, v, g["val"]))
        if k == "n":
            stated = tuple(int(g[x]) for x in ("n", "n2", "ns") if x in g)
            actual = model.n()
            ok = stated == actual or (len(stated) == 1 and set(actual) == {stated[0]})
            shown = " vs ".join(map(str, actual))
            return (("verified" if ok else "mismatch"),
                    f"{model.label} holds n = {shown}" + ("" if ok else
                    f", not {' vs '.join(map(str, stated))}"),
                    _rec(model, float(actual[0]), str(stated[0])))
        if k == "pm":
            return _judge_pm(g, model)
        if k == "count":
            one = model.one_sample()
            if one is None:
                return None
            positive = g["dir"].lower().startswith(("positive", "above"))
            kk = sum(1 for v in one if (v > 0 if positive else v < 0))
            if "all" in g:  # "all (5) seeds positive": every value, and n if stated
                want_k, want_n = len(one), int(g.get("n", len(one)))
            else:
                want_k, want_n = int(g["k"]), int(g["n"])
            ok = (want_k, want_n) == (kk, len(one))
            return (("verified" if ok else "mismatch"),
                    f"{kk}/{len(one)} values of {model.label} are "
                    f"{'positive' if positive else 'negative'}", _rec(model, float(kk),
                                                                      str(want_k)))
        if k == "claim":
            text = g["_text"].lower() + " " + g.get("dir_hint", "")
            down = any(w in text for w in _NEG_DIRS) or g.get("dir_hint") == "down"
            either = not down and (set(g) == {"_text"} or any(w in text for w in _TWO_SIDED))
            lo, hi = model.bounds(sentence_conf)
            if either:  # two-sided: the interval excludes zero on one side or the other
                ok = lo > 0 or hi < 0
                msg = (f"the recomputed {sentence_conf:.0%} interval of {model.label} is "
                       f"[{lo:.6g}, {hi:.6g}] ({'excludes' if ok else 'contains'} 0)")
                v = lo if lo > 0 else hi
            else:
                ok = hi < 0 if down else lo > 0
                end, v = ("upper", hi) if down else ("lower", lo)
                need = "< 0" if down else "> 0"
                msg = (f"the recomputed {sentence_conf:.0%} {end} bound of {model.label} is "
                       f"{v:.6g} ({'' if ok else 'not '}{need})")
            if ok:
                return "verified", msg, _rec(model, v, None)
            return ("decision-error", f"claims {g['_text']!r} but {msg}: the evidence does not "
                    "support it", _rec(model, v, None))
    except StatError as e:
        # A claim of significance that cannot be recomputed is not evidence-backed: an error
        # (never only a warning); a stated number falls back to the plain number check.
        verdict: Verdict = "unverifiable" if k == "claim" else "unbacked"
        return verdict, f"cannot recompute from {model.label}: {e}", None
    return None


def _judge_pm(g: dict[str, str], model: Model) -> Outcome:
    """``mean ± h``: h is the half-width of the two-sided interval at the stated confidence
    (95% unless stated), or the standard error ``(SE)`` / sample standard deviation ``(SD)``."""
    est = model.estimate()
    if "se" in g:
        what, h = "standard error", est.se
    elif "sd" in g:
        one = model.one_sample()
        if one is None:
            return "unbacked", f"no single sample in {model.label} to take an SD of", None
        what, h = "standard deviation", sample_sd(one)
    else:
        conf = _conf(g.get("conf"))
        lo, hi = model.bounds(conf)
        what, h = f"{conf:.0%} CI half-width", (hi - lo) / 2.0
    got = f"mean {est.value:.6g} ± {h:.6g} ({what})"
    if not _eq(g["mean"], est.value):
        return ("mismatch", f"stated mean {g['mean']} but recomputed from {model.label}: {got}",
                _rec(model, est.value, g["mean"]))
    if not _eq(g["pm"], h):
        return ("mismatch", f"stated ± {g['pm']} but recomputed from {model.label}: {got}",
                _rec(model, h, g["pm"]))
    return "verified", f"recomputed from {model.label}: {got}", _rec(model, h, None)


def relative(piece: Piece, own: Sequence[Series]) -> Outcome | None:
    if len(own) < 2:
        return None
    a, b = own[0], own[1]
    mb = mean(b.values)
    if mb == 0:
        return None
    rel = (mean(a.values) - mb) / abs(mb) * 100.0
    down = piece.groups["verb"].lower().startswith(_DOWN_VERBS)
    expected = -rel if down else rel
    text = piece.groups["pct"]
    ok = _eq(text + "%", expected) or _eq(text, expected)
    model = Model(a, b)
    return (("verified" if ok else "mismatch"),
            f"recomputed relative change of {a.ref} over {b.ref}: {rel:+.6g}%",
            _rec(model, expected, text))
