"""The functions a report template may call. Each returns markdown whose numbers and statuses
are bound to the JSON value they came from, so that ``releasegate audit`` checks them exactly:

- ``value(ref, spec=None, sig=None)`` → ``[0.7451](evidence/x.json#/metrics/explained_variance)``
- ``gate(name).status|observed|threshold|reason`` → bound to the decision's pointer
- ``verdict()`` → ``[fail](decision.json#/verdict)``
- ``seeds(ref)`` → a per-seed markdown table, every cell bound
- ``interval(ref, minus=None, pairing="welch", confidence=0.95)`` → mean and t-interval in the
  project's one statistics method (``evidence_schema.stats``), in the phrasing the audit's stated
  statistics check recomputes (docs/audit.md)

Nothing else is reachable from a template: the sandbox refuses ``_``-attributes, and these
functions read only repository files through ``Sources``.
"""

from __future__ import annotations

import difflib
import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from evidence_schema.stats import (
    StatError,
    bounds,
    difference,
    paired_differences,
    sample_estimate,
)

from ._format import format_number, link
from ._gate import GateView
from ._sources import _MISSING, RenderError, Sources, resolve_pointer, split_ref


@dataclass(frozen=True)
class Samples:
    """Per-seed values at one pointer: value pointers and seed keys in file order."""

    path: str
    pointer: str
    values: list[float]
    seeds: list[tuple[int, ...]]  # () when the list holds bare numbers


def samples(sources: Sources, ref: str) -> Samples:
    path, pointer, raw = sources.lookup(ref)
    if not isinstance(raw, list) or not raw:
        raise RenderError(f"{path}#{pointer} is not a list of per-seed values")
    values: list[float] = []
    seeds: list[tuple[int, ...]] = []
    for i, item in enumerate(raw):
        if isinstance(item, dict) and "value" in item:
            v, key = item["value"], item.get("seeds", item.get("seed"))
            key = [key] if isinstance(key, int) and not isinstance(key, bool) else key
            if not isinstance(key, list):
                raise RenderError(f"{path}#{pointer}/{i} has no seeds")
            seeds.append(tuple(key))
        else:
            v = item
            seeds.append(())
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise RenderError(f"{path}#{pointer}/{i} is not a number")
        values.append(float(v))
    return Samples(path, pointer, values, seeds)


class Functions:
    """The template globals, bound to one repository and (optionally) one decision."""

    def __init__(self, sources: Sources, decision: str | None, base: str = "") -> None:
        self.sources = sources
        self.decision = decision  # repository-relative path, or None
        self.base = base  # repository-relative directory of the report ("" = the root)

    def href(self, path: str) -> str:
        """A link target relative to the report's directory, as markdown viewers resolve it
        (the audit tries the report's directory first, then the repository root)."""
        return posixpath.relpath(path, self.base) if self.base else path

    def globals(self) -> dict[str, Any]:
        return {"value": self.value, "gate": self.gate, "gates": self.gates,
                "verdict": self.verdict, "policy": self.policy, "evidence": self.evidence,
                "seeds": self.seeds, "interval": self.interval, "has": self.has}

    def has(self, ref: str) -> bool:
        """Whether ``path#/pointer`` exists and is not null (for optional metrics)."""
        path, pointer = split_ref(ref)
        val = resolve_pointer(self.sources.document(path), pointer)
        return val is not None and val is not _MISSING

    # --- value ---------------------------------------------------------------------------------

    def value(self, ref: str, spec: str | None = None, sig: int | None = None) -> str:
        path, pointer, val = self.sources.lookup(ref)
        if isinstance(val, bool) or not isinstance(val, int | float):
            raise RenderError(f"{path}#{pointer} is {type(val).__name__}, not a number")
        return link(format_number(val, spec, sig), self.href(path), pointer)

    # --- decision ------------------------------------------------------------------------------

    def _decision(self) -> tuple[str, dict[str, Any]]:
        if self.decision is None:
            raise RenderError("gate() and verdict() need a decision: pass --decision FILE (or "
                              "keep decision.json at the repository root)")
        doc = self.sources.document(self.decision)
        if not isinstance(doc, dict) or doc.get("kind") != "decision":
            raise RenderError(f"{self.decision} is not a releasegate decision")
        return self.decision, doc

    def verdict(self) -> str:
        path, doc = self._decision()
        return link(str(doc["verdict"]), self.href(path), "/verdict")

    def policy(self) -> str:
        """The decision's policy as a name in code and its version (no bare numbers)."""
        _, doc = self._decision()
        return f"`{doc['policy']['name']}` v{doc['policy']['version']}"

    def evidence(self, kind: str, match: str | None = None, required: bool = True) -> str:
        """Repository-relative path of the evidence file of ``kind`` that the decision used.

        The decision records each file's path (as `check` saw it) and sha256; the file is found
        in the repository by that path or its tail, and must still have that sha256, so a
        report is rendered from exactly the evidence the decision judged. ``match`` picks one of
        several files of a kind by a substring of its path. A kind no gate read (seed
        consistency) is looked for next to the evidence the decision used: the newest by
        ``created_at`` when there are several. ``required=False`` returns ``""`` when there is
        no file of that kind at all (for optional report sections).
        """
        _, doc = self._decision()
        uses = [u for u in doc["evidence"] if u["kind"] == kind
                and (match is None or str(match) in u["path"])]
        if len(uses) > 1:
            raise RenderError(f"the decision used {len(uses)} {kind} files: "
                              f"{', '.join(u['path'] for u in uses)}; pick one with "
                              f"evidence({kind!r}, 'part of its path')")
        if uses:
            return self.sources.find_by_hash(uses[0]["path"], uses[0]["sha256"], self.decision)
        found = self._next_to_decision_evidence(doc, kind, match)
        if not found:
            if not required:
                return ""
            kinds = sorted({u["kind"] for u in doc["evidence"]})
            raise RenderError(f"the decision used no {kind} evidence"
                              + (f" matching {match!r}" if match else "")
                              + f" (it used: {', '.join(kinds) or 'none'}), and none lies "
                              "next to the evidence it used")
        found.sort(key=lambda t: t[0])
        if len(found) > 1 and found[-1][0] == found[-2][0]:
            raise RenderError(f"{found[-1][1]} and {found[-2][1]} are both the newest {kind} "
                              f"evidence; pick one with evidence({kind!r}, 'part of its path')")
        self.sources.document(found[-1][1])  # it must validate before it is cited
        return found[-1][1]

    def _next_to_decision_evidence(self, doc: dict[str, Any], kind: str, match: str | None
                                   ) -> list[tuple[str, str]]:
        """(created_at, path) of the ``kind`` files in the directories of the decision's
        evidence. Files that are not readable evidence of that kind are passed over."""
        dirs = sorted({str(PurePosixPath(self.sources.find_by_hash(
            u["path"], u["sha256"], self.decision)).parent) for u in doc["evidence"]})
        found = []
        for d in dirs:
            for p in self.sources.json_files(d):
                peek = self.sources.peek(p)
                if (isinstance(peek, dict) and peek.get("kind") == kind
                        and (match is None or str(match) in p)):
                    found.append((str(peek.get("created_at", "")), p))
        return found

    def gates(self) -> list[GateView]:
        """The decision's top-level gates in order (``.children`` gives sub-gates)."""
        path, doc = self._decision()
        return [GateView(self.href(path), f"/gates/{i}", g) for i, g in enumerate(doc["gates"])]

    def gate(self, name: str) -> GateView:
        path, doc = self._decision()
        names: list[str] = []
        for i, g in enumerate(doc["gates"]):
            names.append(g["name"])
            if g["name"] == name:
                return GateView(self.href(path), f"/gates/{i}", g)
            for j, ch in enumerate(g.get("children", [])):
                names.append(ch["name"])
                if ch["name"] == name:
                    return GateView(self.href(path), f"/gates/{i}/children/{j}", ch)
        close = difflib.get_close_matches(str(name), names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (it has: {', '.join(names)})"
        raise RenderError(f"no gate named {name!r} in {path}{hint}")

    # --- per-seed values and intervals ------------------------------------------------------

    def seeds(self, ref: str, spec: str | None = None, sig: int | None = None,
              label: str = "value") -> str:
        """A markdown table of the per-seed values at ``ref``: one row per sample, the seed(s)
        and the value each bound to their pointer. Put it in its own paragraph."""
        s = samples(self.sources, ref)
        href = self.href(s.path)
        keyed = any(s.seeds)
        head = "seeds" if any(len(k) > 1 for k in s.seeds) else "seed"
        label = str(label).replace("|", "/")
        rows = [f"| {head if keyed else 'item'} | {label} |", "|---|---|"]
        for i, (v, key) in enumerate(zip(s.values, s.seeds, strict=True)):
            vcell = link(format_number(v, spec, sig), href, f"{s.pointer}/{i}"
                          + ("/value" if keyed else ""))
            if keyed:
                field = "seeds" if "seeds" in self.sources.lookup(
                    f"{s.path}#{s.pointer}/{i}")[2] else "seed"
                if field == "seeds":
                    kcell = ", ".join(link(str(k), href, f"{s.pointer}/{i}/seeds/{j}")
                                      for j, k in enumerate(key))
                else:
                    kcell = link(str(key[0]), href, f"{s.pointer}/{i}/seed")
            else:
                kcell = f"item {i}"  # an index, not a measurement (audit: not-claim word)
            rows.append(f"| {kcell} | {vcell} |")
        return "\n".join(rows)

    def interval(self, ref: str, minus: str | None = None, pairing: str = "welch",
                 confidence: float = 0.95, sig: int | None = None) -> str:
        """Mean and two-sided t-interval of the per-seed values at ``ref`` (or of ``ref`` minus
        ``minus``: Welch for independent groups, per-seed differences when ``paired``)."""
        if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not (
                0.5 <= confidence < 1):
            raise RenderError(f"confidence must be in [0.5, 1), got {confidence!r}")
        a = samples(self.sources, ref)
        level, method = f"{confidence * 100:g}% CI", ""
        try:
            # The gates' own estimate (evidence_schema.stats): seeds are the units and pairwise
            # values get the delete-one-seed jackknife, so a rendered interval is the gate's.
            ea = sample_estimate(a.seeds, a.values)
            if minus is None:
                est = ea
                what = f"mean {_sgn(est.value, sig)}"
                n = f"n = {est.n_seeds}"
                tail = f"over the [per-seed values]({self.href(a.path)}#{a.pointer})"
            else:
                b = samples(self.sources, minus)
                if pairing == "paired":
                    if not all(a.seeds) or not all(b.seeds):
                        raise RenderError(f"paired interval needs seeds in {a.path}#{a.pointer}"
                                          f" and {b.path}#{b.pointer}")
                    keys, diffs = paired_differences(a.seeds, a.values, b.seeds, b.values)
                    est = sample_estimate(keys, diffs)
                    n = f"n = {est.n_seeds}"
                    what = f"mean paired difference {_sgn(est.value, sig)}"
                    method = ", paired"
                elif pairing == "welch":
                    eb = sample_estimate(b.seeds, b.values)
                    est = difference(ea, eb)
                    n = f"n = {ea.n_seeds} vs {eb.n_seeds}"
                    what = f"mean difference {_sgn(est.value, sig)}"
                    method = ", Welch"
                else:
                    raise RenderError(f"pairing must be 'welch' or 'paired', got {pairing!r}")
                tail = (f"of [the per-seed values]({self.href(a.path)}#{a.pointer}) minus "
                        f"[the per-seed values]({self.href(b.path)}#{b.pointer})")
            lo, hi = bounds(est, confidence)
        except StatError as e:
            raise RenderError(f"interval({ref!r}): {e}") from e
        return f"{what} ({level} [{_sgn(lo, sig)}, {_sgn(hi, sig)}]{method}, {n}) {tail}"


def _sgn(x: float, sig: int | None) -> str:
    return format_number(x, None, sig, sign=True)
