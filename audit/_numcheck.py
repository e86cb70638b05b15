"""The verdict on one number against the artifacts cited in its scope (issue 3, issue 11).

Order of evidence, strongest first (docs/audit.md, "Numbers"):

1. an explicit ``[0.7451](x.json#/metrics/ev)`` link (checked in ``_engine``);
2. the number's **name** (``ood_drop: 0.1``, a column header, a row label) when it matches a
   key of a cited artifact: only that key's values count (``_binding``);
3. otherwise any value in scope that equals it at the printed precision, except that a small
   integer (≤ ``SMALL_INTEGER``) is never verified this way: counts and ordinals coincide with
   something in almost any artifact;
4. no equal value: a near miss (sign, one digit, transposition, within 1%) is a mismatch; so is
   a measured-looking number (same magnitude, no more decimals than the values) when the scope
   offers one artifact or one such value to have copied; otherwise it is ``unbacked``.

Pure functions: the engine records what they return.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._binding import Bound, KeyedValue, bind
from ._index import Artifact
from ._leafindex import candidates
from ._numbers import (
    SMALL_INTEGER,
    ParsedNumber,
    as_float,
    difference,
    distance,
    match_quality,
    names_percentage,
    near_miss,
    same_shape,
)
from ._pbound import p_values
from ._result import Verdict

Cand = tuple[float, Artifact, str, float | int]


@dataclass
class Judgement:
    verdict: Verdict
    message: str
    artifact: str | None = None
    pointer: str | None = None
    value: float | int | str | None = None
    difference: float | None = None
    reason: str = ""  # for a mismatch: "key", "shape" or "near miss"


def ptr_text(ptr: str | None) -> str:
    if not ptr:
        return ""
    return ptr if ptr.startswith("#") else f"#{ptr}"


def fmt_diff(x: float | None) -> str:
    return "?" if x is None else f"{x:+.6g}"


def judge(
    p: ParsedNumber, names: tuple[str, ...], labels: tuple[str, ...], arts: list[Artifact],
    why: list[str], inherited: bool = False, p_bound: str = "",
) -> Judgement:
    """Verdict for number ``p`` written under ``names`` (and row/item ``labels``), against the
    usable artifacts cited in its scope. Appends the reasoning to ``why``.

    ``inherited``: the artifacts are cited in an enclosing section, not in the number's own
    item, row or section. Such a citation says less about what the number is (a document's
    introduction citing a policy file does not make every number below a copy from it), so
    the inferences "its name selects this key" and "its shape makes it a copy of this value"
    give ``unbacked`` there instead of ``mismatch``; a near miss (sign flip, one digit,
    transposition, within 1%) is still a mismatch.

    ``p_bound``: the number is the X of ``p < X`` (or ``<=``, ``>``, ``>=``): ``_judge_p_bound``.
    """
    if p_bound:
        return _judge_p_bound(p, p_bound, arts, why)
    bound = bind(names, labels, arts) if names else None
    if bound is not None:
        j = _judge_bound(p, bound, why)
    else:
        if names:
            why.append(f"its name {names[0]!r} matches no key of the cited artifacts")
        j = _judge_free(p, arts, why)
    if inherited and j.verdict == "mismatch" and j.reason in ("key", "shape"):
        why.append("the artifacts are cited in an enclosing section, not in the number's own "
                   "item, row or section: not enough to call it a copy → unbacked")
        return Judgement("unbacked", j.message.replace(" but ", "; an enclosing section cites ",
                                                       1), j.artifact, j.pointer, j.value,
                         j.difference)
    return j


_HOLDS = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}


def _judge_p_bound(p: ParsedNumber, op: str, arts: list[Artifact], why: list[str]) -> Judgement:
    """``p < X``: verified when every p-value of the cited artifacts (keys ``p``, ``p_value``,
    ``pval``) is below X, a mismatch when one is not; never a match of X itself with some
    value (".001" is not backed by a value of 0.0012). No p-value in scope → unbacked."""
    x = float(p.value) / (100.0 if p.percent else 1.0)
    found = [(a, kv) for a, kv in p_values(arts) if kv.value is not None]
    if not found:
        why.append(f"a bound on a p-value (p {op} {p.text}) but no cited artifact has a key "
                   "named p, p_value or pval → unbacked")
        return Judgement("unbacked", f"p {op} {p.text}: no p-value (key p, p_value or pval) in "
                         "the cited artifacts")
    holds = _HOLDS[op]
    for art, kv in found:
        assert kv.value is not None
        if not holds(as_float(kv.value), x):
            why.append(f"{art.rel}{ptr_text(kv.pointer)} = {kv.value!r}: not {op} {p.text} → "
                       "mismatch")
            return Judgement("mismatch", f"p {op} {p.text} but {art.rel}{ptr_text(kv.pointer)} "
                             f"= {kv.value!r}", art.rel, kv.pointer, kv.value,
                             as_float(kv.value) - x, "key")
    art, kv = found[0]
    why.append(f"every p-value in scope ({len(found)}) is {op} {p.text}")
    return Judgement("verified", f"{art.rel}{ptr_text(kv.pointer)} = {kv.value!r} is {op} "
                     f"{p.text}", art.rel, kv.pointer, kv.value, None)


def _judge_bound(p: ParsedNumber, bound: Bound, why: list[str]) -> Judgement:
    where = sorted({a.rel for a, _ in bound.values})
    why.append(f"written under the name {bound.name!r}, which selects {len(bound.values)} "
               f"value(s) in {', '.join(where)}: only those count")
    best: tuple[int, Artifact, KeyedValue] | None = None
    nulls: list[tuple[Artifact, KeyedValue]] = []
    near: tuple[float, Artifact, KeyedValue] | None = None
    groups: dict[tuple[str, tuple[str, ...]], bool] = {}
    for art, kv in bound.values:
        g = (art.rel, tuple(c for c in kv.path if not c.isdigit()))
        groups.setdefault(g, False)
        if kv.value is None:
            nulls.append((art, kv))
            continue
        pct_key = p.percent and any(names_percentage(c) for c in g[1][-1:])
        q = match_quality(p, kv.value, kv.exp, pct_key)
        if q is not None:
            groups[g] = True
        if q is not None and (best is None or q < best[0]):
            best = (q, art, kv)
            if q == 0 and bound.ambiguous is None:
                break
        d = distance(p, kv.value)
        if near is None or d < near[0]:
            near = (d, art, kv)
    if best is not None and bound.ambiguous is not None and (
            not bound.ambiguous.startswith("it names several") or not all(groups.values())):
        # the name does not say which of its keys the number is: one of them equal is not
        # enough (red team 11: "explained_variance: 0.6812" is the baseline's, not the
        # candidate's), and the free match below must not verify it either
        _, art, kv = best
        assert kv.value is not None
        keys = sorted({f"{a.rel}{ptr_text(k.pointer)}" for a, k in bound.values})
        why.append(f"its name is ambiguous: {bound.ambiguous} ({', '.join(keys[:4])}"
                   f"{', …' if len(keys) > 4 else ''}); {art.rel}{ptr_text(kv.pointer)} = "
                   f"{kv.value!r} equals it but others do not → unbacked")
        return Judgement("unbacked", f"its name {bound.name!r} is ambiguous ({bound.ambiguous}"
                         f"): it equals {art.rel}{ptr_text(kv.pointer)} = {kv.value!r} but "
                         "not every value the name selects; write the full key path",
                         art.rel, kv.pointer, kv.value, difference(p, kv.value))
    if best is not None:
        _, art, kv = best
        assert kv.value is not None
        why.append(f"{art.rel}{ptr_text(kv.pointer)} = {kv.value!r} equals it at the printed "
                   "precision")
        return Judgement("verified", f"matches {art.rel}{ptr_text(kv.pointer)} = {kv.value!r} "
                         f"(by its name {bound.name!r})", art.rel, kv.pointer, kv.value,
                         difference(p, kv.value))
    if near is not None:
        _, art, kv = near
        assert kv.value is not None
        diff = difference(p, kv.value)
        typo = near_miss(p, kv.value)
        reason = typo or "a different value"
        why.append(f"{art.rel}{ptr_text(kv.pointer)} = {kv.value!r}: {reason} → mismatch")
        return Judgement(
            "mismatch", f"{p.text} but {art.rel}{ptr_text(kv.pointer)} = {kv.value!r} "
            f"({bound.name!r}; {reason}; difference {fmt_diff(diff)})",
            art.rel, kv.pointer, kv.value, diff, "near miss" if typo else "key")
    art, kv = nulls[0]
    why.append(f"{art.rel}{ptr_text(kv.pointer)} is null → mismatch")
    return Judgement("mismatch", f"{p.text} but {art.rel}{ptr_text(kv.pointer)} is null "
                     f"({bound.name!r} has no value)", art.rel, kv.pointer, "null", None, "key")


def _judge_free(p: ParsedNumber, arts: list[Artifact], why: list[str]) -> Judgement:
    best: Cand | None = None
    near: list[Cand] = []
    claim_abs = abs(float(p.value)) * (0.01 if p.percent else 1.0)
    hit: tuple[int, Artifact, str, float | int] | None = None
    small = p.is_small_integer
    if not small and (hit := _indexed_hit(p, arts)) is not None:
        _, art, ptr, val = hit
        why.append(f"{art.rel}{ptr_text(ptr)} = {val!r} equals it at the printed precision")
        return Judgement("verified", f"matches {art.rel}{ptr_text(ptr)} = {val!r}", art.rel,
                         ptr, val, difference(p, val))
    for art in arts:
        for ptr, val, exp in art.leaves:
            q = None if small else match_quality(
                p, val, exp, p.percent and names_percentage(ptr.rsplit("/", 1)[-1]))
            if q is not None:
                # an exact value beats one that only rounds to the claim
                if hit is None or q < hit[0]:
                    hit = (q, art, ptr, val)
                if q == 0:
                    break
                continue
            d = distance(p, val)
            if best is None or d < best[0]:
                best = (d, art, ptr, val)
            if _same_magnitude(claim_abs, val):
                near.append((d, art, ptr, val))
        else:
            continue
        break
    if hit is not None:
        _, art, ptr, val = hit
        why.append(f"{art.rel}{ptr_text(ptr)} = {val!r} equals it at the printed precision")
        return Judgement("verified", f"matches {art.rel}{ptr_text(ptr)} = {val!r}", art.rel,
                         ptr, val, difference(p, val))
    if small:
        why.append(f"a small integer (at most {SMALL_INTEGER}, printed without decimals) is "
                   "verified only by its name or an explicit link, never by a coincidence")
        return Judgement("unbacked", f"a small integer: write it under the name of its key "
                         f"(e.g. 'n_jobs: {p.text}') or link it to a JSON pointer")
    nleaves = sum(len(a.leaves) for a in arts)
    why.append(f"{nleaves} numeric value(s) in {', '.join(a.rel for a in arts)}; none equal")
    for _d, art, ptr, val in sorted(near, key=lambda t: t[0]):
        reason = near_miss(p, val)
        if reason is not None:
            diff = difference(p, val)
            why.append(f"closest is {art.rel}{ptr_text(ptr)} = {val!r}: {reason} → mismatch")
            return Judgement("mismatch", f"{p.text} but {art.rel}{ptr_text(ptr)} = {val!r} "
                             f"({reason}; difference {fmt_diff(diff)})", art.rel, ptr, val, diff,
                             "near miss")
    # second pass, only for numbers nothing backs (most claims verify above)
    shaped = [(distance(p, val), art, ptr, val) for art in arts for ptr, val, exp in art.leaves
              if same_shape(p, val, exp)]
    if shaped and (len(arts) == 1 or len(shaped) == 1):
        _d, art, ptr, val = min(shaped, key=lambda t: t[0])
        diff = difference(p, val)
        src = "its one cited artifact" if len(arts) == 1 else "the one value of its shape"
        why.append(f"it has the shape of a measured value ({len(shaped)} value(s) of the same "
                   f"magnitude and precision) but equals none; {src} → mismatch against the "
                   f"closest, {art.rel}{ptr_text(ptr)} = {val!r}")
        return Judgement("mismatch", f"{p.text} equals no value in {src}; closest of the same "
                         f"shape {art.rel}{ptr_text(ptr)} = {val!r} (difference "
                         f"{fmt_diff(diff)})", art.rel, ptr, val, diff, "shape")
    if shaped:
        why.append(f"{len(shaped)} values of the same shape in {len(arts)} artifacts: which one "
                   "it copies is unclear → unbacked (an error under --strict or "
                   "audit.unbacked: error)")
    elif best is not None:
        why.append(f"closest is {best[1].rel}{ptr_text(best[2])} = {best[3]!r}, and no value is "
                   "a near miss (sign flip, one digit, transposition or within 1%) → unbacked")
    return Judgement(
        "unbacked", "no value in the cited artifacts equals it" + (
            f" (closest {best[1].rel}{ptr_text(best[2])} = {best[3]!r})" if best else ""),
        best[1].rel if best else None, best[2] if best else None, best[3] if best else None)


def _indexed_hit(p: ParsedNumber, arts: list[Artifact]
                 ) -> tuple[int, Artifact, str, float | int] | None:
    """The leaf the full scan below would pick as a hit (the best match quality, the first in
    artifact and leaf order among equals), trying only the leaves that can match
    (``audit/_leafindex.py``). None: no leaf matches, or the claim cannot be windowed (the
    full scan then decides)."""
    best: tuple[int, int, int, Artifact, str, float | int] | None = None
    for ai, art in enumerate(arts):
        cands = candidates(p, art)
        if cands is None:
            return None
        for li in cands:
            ptr, val, exp = art.leaves[li]
            q = match_quality(p, val, exp, p.percent and names_percentage(ptr.rsplit("/", 1)[-1]))
            if q is not None and (best is None or (q, ai, li) < best[:3]):
                best = (q, ai, li, art, ptr, val)
    return None if best is None else (best[0], best[3], best[4], best[5])


def _same_magnitude(claim_abs: float, val: float | int) -> bool:
    """Cheap pre-filter for near misses: within a factor of 10 (percentages either way)."""
    v = abs(as_float(val))
    if claim_abs == 0 or v == 0:
        return False
    r = v / claim_abs
    return 0.1 <= r <= 10 or 0.1 <= r / 100 <= 10


def judge_null(name: str, arts: list[Artifact], why: list[str]) -> Judgement | None:
    """``name: None`` (or null, NaN, N/A): a claim that the keyed value is absent. None when
    the name matches no key of the cited artifacts (then it is just text)."""
    bound = bind((name,), (), arts)
    if bound is None:
        return None
    why.append(f"written under the name {bound.name!r}, which selects {len(bound.values)} "
               "value(s): only those count")
    for art, kv in bound.values:
        if kv.value is None:
            why.append(f"{art.rel}{ptr_text(kv.pointer)} is null too")
            return Judgement("verified", f"{art.rel}{ptr_text(kv.pointer)} is null",
                             art.rel, kv.pointer, "null")
    art, kv = bound.values[0]
    why.append(f"{art.rel}{ptr_text(kv.pointer)} = {kv.value!r} → mismatch")
    return Judgement("mismatch", f"claims no value but {art.rel}{ptr_text(kv.pointer)} = "
                     f"{kv.value!r}", art.rel, kv.pointer, kv.value)
