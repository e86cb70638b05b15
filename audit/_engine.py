"""The audit pipeline: read reports → extract claims → check each against artifacts and the
decision → record findings. One bad report never stops the others (issue 3).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._baseline import apply_ignores, directive_errors, ignores_from_comments
from ._binding import null_claims
from ._chunks import audit_chunked
from ._claims import Citation, NumberClaim, Scope, TextUnit, TooManyClaims, extract
from ._decision import (
    Decision,
    DecisionError,
    changed_since,
    find_decision,
    imported_note,
    load_decision,
)
from ._index import MISSING, Artifact, ArtifactIndex, resolve_pointer
from ._mdroute import NestedTooDeep
from ._normalize import normalize_report_text
from ._notclaims import DEFAULT_NOT_CLAIM_WORDS
from ._numbers import difference, matches
from ._numcheck import fmt_diff, judge, judge_null
from ._paths import Resolution, repo_relative, resolve, sibling_bases
from ._quotes import check_quotes
from ._realpath import remembered
from ._result import AuditResult, ClaimKind, FileError, Finding, Skipped, Verdict
from ._statements import check_statements
from ._status import StatusClaim, StatusDetector
from ._status_check import check_status
from ._status_scope import GateOutputs, claim_citations, historical_claim

# Bounds on what a hand-written report can be. The markdown parser is linear but costs up to
# ~13 µs per character on hostile input ("![a![a…"), so a 10 MB line would take minutes:
# such files get a clear per-file error instead (bench/bench_audit.py measures both).
MAX_REPORT_BYTES = 8 * 1024 * 1024
MAX_LINE_CHARS = 1024 * 1024
MAX_CLAIMS_PER_REPORT = 100_000
_SKIP_DIRS = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", ".tox"})


@dataclass(frozen=True)
class _Where:
    file: str
    line: int
    column: int
    claim: str
    kind: ClaimKind


class AuditInputError(Exception):
    """Options or inputs that make the audit impossible (→ exit 2)."""


@dataclass
class AuditOptions:
    repo: Path = field(default_factory=Path.cwd)
    decision: Path | None = None  # explicit --decision
    strict: bool = False
    not_claim_words: frozenset[str] = DEFAULT_NOT_CLAIM_WORDS
    # the policy's audit.gate_groups (name → member gates); None: read from the decision's
    # policy file when it is in the repository
    gate_groups: dict[str, tuple[str, ...]] | None = None
    no_decision: bool = False  # --no-decision: unverifiable status claims are warnings
    # gate names of the policy (--policy): with no decision, "| transcoder | ✅ |" is still
    # read as a claim about a gate (and is unverifiable), not as prose
    gate_names: tuple[str, ...] = ()
    # What the application found when it re-evaluated the decision (audit cannot import the
    # policy engine; `releasegate audit` runs `policy.verify_decision`). Non-empty
    # ``decision_refused``: the decision is not used at all (no claim is verified against it)
    # and each line is an error. ``decision_errors`` fail the audit but keep the decision;
    # ``decision_notes`` are printed with the result.
    decision_refused: tuple[str, ...] = ()
    decision_errors: tuple[str, ...] = ()
    decision_notes: tuple[str, ...] = ()
    # --allow-imported: a decision imported by import-gates is not an error under --strict
    allow_imported: bool = False


def iter_reports(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named (whatever their suffix), and ``*.md`` under directories named; each once."""
    seen: set[str] = set()

    def once(p: Path) -> bool:
        key = os.path.realpath(p)
        if key in seen:
            return False
        seen.add(key)
        return True

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith((".md", ".markdown")) and once(Path(root) / name):
                        yield Path(root) / name
        elif once(p):
            yield p


def read_report(path: Path) -> str:
    """Report text, or ValueError with a message fit for the user."""
    try:
        size = os.stat(path).st_size
    except OSError as e:
        raise ValueError(f"cannot read: {e.strerror or e}") from e
    if size > MAX_REPORT_BYTES:
        raise ValueError(f"file is {size:,} bytes, over the {MAX_REPORT_BYTES:,}-byte limit")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ValueError(f"cannot read: {e.strerror or e}") from e
    if b"\x00" in data[:65536]:
        raise ValueError("binary file (contains NUL bytes), not a markdown report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ValueError(f"invalid UTF-8 at byte {e.start} (line {line}): {e.reason}") from e
    if len(text) > MAX_LINE_CHARS:
        for lineno, line_text in enumerate(text.split("\n"), 1):
            if len(line_text) > MAX_LINE_CHARS:
                raise ValueError(
                    f"line {lineno} is {len(line_text):,} characters long (limit "
                    f"{MAX_LINE_CHARS:,}): not a hand-written report"
                )
    # zero-width characters and lookalike letters never hide a claim (red team 12)
    return normalize_report_text(text)


class Auditor:
    """Holds what is shared across reports: the decision and the artifact index."""

    def __init__(self, options: AuditOptions) -> None:
        self.options = options
        self.repo = options.repo.resolve()
        self.repo_real = os.path.realpath(self.repo)
        if not self.repo.is_dir():
            raise AuditInputError(f"repository {options.repo} is not a directory")
        self.index = ArtifactIndex()
        self.decision: Decision | None = None
        self.decision_note = ""
        dpath = options.decision
        if dpath is not None and not dpath.is_file():
            raise AuditInputError(f"decision file {dpath} does not exist")
        if dpath is None:
            dpath = find_decision(self.repo)
        if dpath is not None and options.decision_refused:
            self.decision_note = (f"decision {dpath} refused: status claims cannot be verified "
                                  "against it")
        elif dpath is not None:
            try:
                self.decision = load_decision(dpath, self.repo)
            except DecisionError as e:
                raise AuditInputError(str(e)) from e
        else:
            self.decision_note = (
                "no decision found (looked for decision.json and .releasegate/decision.json; "
                "pass --decision FILE): status claims cannot be verified"
            )
        self.gate_outputs = GateOutputs(self.repo, self.decision, options.gate_groups)
        self.detector = StatusDetector(
            self.decision.gates if self.decision else options.gate_names, self.gate_outputs.groups)
        self.result = AuditResult(
            strict=options.strict, no_decision=options.no_decision,
            decision=self.display(Path(self.decision.path)) if self.decision else None,
        )
        if self.decision_note:
            self.result.notes.append(self.decision_note)
        self.result.notes.extend(self.gate_outputs.notes)
        if self.decision is not None:  # cannot be re-evaluated from the files present
            self.result.notes.extend(self.decision.notes)
        self.result.decision_errors.extend(options.decision_refused)
        self.result.decision_errors.extend(options.decision_errors)
        self.result.notes.extend(options.decision_notes)
        imported = (imported_note(self.decision, self.display(Path(self.decision.path)))
                    if self.decision is not None else None)
        if imported is not None:
            if options.strict and not options.allow_imported:
                self.result.decision_errors.append(
                    imported + " (an error under --strict; --allow-imported accepts it)")
            else:
                self.result.notes.append(imported)
        # every reporter prints notes; the errors lead them, marked as such
        self.result.notes[:0] = [f"ERROR: {e}" for e in self.result.decision_errors]

    # --- public ------------------------------------------------------------------------------

    def audit(
        self, paths: Iterable[str | os.PathLike[str]], jobs: int = 1,
        prerender: Callable[[AuditResult, Finding], str] | None = None,
    ) -> AuditResult:
        """Audit every report under ``paths``; ``jobs`` > 1 splits large runs across that many
        processes (``audit/_chunks.py``), with the same result in the same order. ``prerender``
        (e.g. ``audit._reporters.finding_json``): let those processes encode their findings
        for the reporter that will print them."""
        with remembered():  # one run: each path is resolved once (audit/_realpath.py)
            audit_chunked(list(iter_reports(paths)), self.result, self.audit_file,
                          self._swap_result, jobs, prerender)
        return self.result

    def _swap_result(self, result: AuditResult) -> AuditResult:
        before, self.result = self.result, result
        return before

    def display(self, path: Path) -> str:
        rel = repo_relative(path, self.repo_real)
        return rel if rel is not None else str(path)

    def audit_file(self, path: Path) -> None:
        name = self.display(path)
        try:
            text = read_report(path)
        except ValueError as e:
            self.result.record_file_error(FileError(name, str(e)))
            return
        try:
            ex = extract(text, self.options.not_claim_words, max_numbers=MAX_CLAIMS_PER_REPORT)
        except RecursionError:
            self.result.record_file_error(FileError(name, "markdown nested too deeply to parse"))
            return
        except NestedTooDeep as e:
            self.result.record_file_error(FileError(name, str(e)))
            return
        except TooManyClaims as e:
            # Bounded work per file: a "report" with millions of numbers is a data file.
            self.result.record_file_error(FileError(
                name, f"more than {e.limit:,} numbers in one report (limit "
                f"{MAX_CLAIMS_PER_REPORT:,}): a data file, not a report?"))
            return
        self.result.record_file(name)
        report_dir = path.resolve().parent
        for s in ex.skipped:
            self.result.record_skipped(Skipped(name, s.line, s.column, s.text, s.rule))
        resolved: dict[int, tuple[Resolution, Artifact | None]] = {}
        for c in ex.citations:
            resolved[id(c)] = self._check_citation(name, c, report_dir)
        # stated statistics ("mean +0.062 (95% CI [...], n = 5)") are recomputed from the
        # per-seed values in scope; their numbers are not checked again one by one
        covered = check_statements(name, ex.units, lambda c: resolved.get(id(c), (None, None))[1],
                                   self.result.record_finding)
        # [`quoted text`](decision.json#/…/reason) must appear verbatim in that text
        covered |= check_quotes(name, text, ex.citations, ex.numbers,
                                lambda c: resolved.get(id(c), (None, None))[1],
                                self.result.record_finding)
        for n in ex.numbers:
            if (n.line, n.column) not in covered:
                self._check_number(name, n, resolved)
        for unit in ex.units:
            self._check_nulls(name, unit, resolved)
            claims, not_claims = self.detector.detect_all(unit)
            for sc in claims:
                self._check_status(name, sc, resolved)
            for nc in not_claims:
                line, col = unit.position(nc.offset)
                self.result.record_skipped(Skipped(name, line, col, nc.text, nc.rule))
        if ex.comments:
            # `<!-- releasegate: ignore[kind] reason -->`: silences the next such finding
            ignores, problems = ignores_from_comments(ex.comments, text.split("\n"))
            for err in directive_errors(name, problems):
                self.result.record_file_error(err)
            apply_ignores(self.result, name, ignores)

    def _rec(
        self, where: _Where, verdict: Verdict, message: str, explanation: tuple[str, ...],
        artifact: str | None = None, pointer: str | None = None,
        artifact_value: float | int | str | None = None, difference: float | None = None,
    ) -> None:
        self.result.record_finding(Finding(
            file=where.file, line=where.line, column=where.column, claim=where.claim,
            kind=where.kind, verdict=verdict, message=message, artifact=artifact,
            pointer=pointer, artifact_value=artifact_value, difference=difference,
            explanation=explanation,
        ))

    # --- citations -----------------------------------------------------------------------------

    def _check_citation(
        self, file: str, c: Citation, report_dir: Path
    ) -> tuple[Resolution, Artifact | None]:
        # a bare name listed under a cited directory or beside a cited module is looked for
        # there first (inline code only: a link's target is relative to the report)
        link = c.origin == "link"
        if link or "/" in c.target.rstrip("/"):
            res = resolve(c.target, self.repo, report_dir, prefer_report_dir=link,
                          glob_cache=self.index.globs)
            if res.status == "missing" and not link:
                # `cli/_exit.py` in a paragraph about `releasegate/`: there, when not at the root
                near = sibling_bases(c, self.repo, report_dir)
                alt = resolve(c.target, self.repo, report_dir, False, first_bases=near,
                              glob_cache=self.index.globs)
                res = alt if near and alt.status in ("ok", "glob") else res
        else:
            res = resolve(c.target, self.repo, report_dir, prefer_report_dir=False,
                          first_bases=sibling_bases(c, self.repo, report_dir),
                          glob_cache=self.index.globs)
        why = [f"cited as {'a link target' if c.origin == 'link' else 'inline code'} in "
               f"{c.scope.describe()}"]
        base = _Where(file, c.line, c.column, c.text, "artifact")
        if res.status == "glob":
            shown = ", ".join(res.matches[:5]) + (
                f" (+{len(res.matches) - 5} more)" if len(res.matches) > 5 else "")
            msg = f"pattern {c.target} matches {len(res.matches)} file(s): {shown}"
            self._rec(base, verdict="verified", artifact=c.target, message=msg,
                      explanation=(*why, msg, "a pattern backs no number: cite the file"))
            return res, None
        if res.status == "unsafe":
            self._rec(
                base, verdict="unsafe-path", artifact=res.rel,
                message=f"unsafe path {c.target!r}: {res.reason}; it was not opened",
                explanation=(*why, res.reason),
            )
            return res, None
        if res.status == "missing" or res.path is None:
            self._rec(
                base, verdict="missing-artifact", artifact=res.rel,
                message=f"cited artifact {res.rel} does not exist ({res.reason})",
                explanation=(*why, f"looked for {res.rel} relative to the repository and to the "
                             "report's directory"),
            )
            return res, None
        art = self.index.get(res.path, res.rel)
        problem = art.error or (
            f"invalid {art.evidence_kind} evidence: {'; '.join(art.evidence_problems[:3])}"
            if art.evidence_problems else None
        )
        pointer_note = ""
        if problem is None and c.pointer is not None and not art.parsed:
            problem = f"a JSON pointer ({c.pointer}) cannot point into {res.rel}"
        elif problem is None and c.pointer is not None and resolve_pointer(
            art.data, c.pointer
        ) is MISSING:
            problem = f"JSON pointer {c.pointer} does not exist in {res.rel}"
        elif c.pointer is not None:
            pointer_note = f" at {c.pointer or '/'}"
        if problem is not None:
            self._rec(
                base, verdict="missing-artifact", artifact=res.rel,
                pointer=c.pointer, message=f"cited artifact {res.rel} is not usable: {problem}",
                explanation=(*why, problem),
            )
            return res, art
        stale = self._stale(art)
        notes = []
        if art.nan_pointers:
            shown = ", ".join(art.nan_pointers[:5])
            more = f" (+{len(art.nan_pointers) - 5} more)" if len(art.nan_pointers) > 5 else ""
            notes.append(f"contains {len(art.nan_pointers)} NaN/Infinity value(s) at "
                         f"{shown}{more}")
        if stale:
            self._rec(
                base, verdict="stale", artifact=res.rel, pointer=c.pointer,
                message=f"{res.rel} {stale}", explanation=(*why, stale, *notes),
            )
        else:
            kind = f"valid {art.evidence_kind} evidence" if art.evidence_kind else (
                "a directory" if art.is_dir else "readable")
            msg = f"{res.rel}{pointer_note} exists and is {kind}"
            if notes:
                msg += "; " + "; ".join(notes)
            self._rec(
                base, verdict="verified", artifact=res.rel, pointer=c.pointer,
                message=msg, explanation=(*why, msg),
            )
        return res, art

    def _stale(self, art: Artifact) -> str | None:
        if self.decision is None or art.is_dir:
            return None
        return changed_since(self.decision, str(art.path), art.sha256)

    # --- numbers -------------------------------------------------------------------------------

    def _scope_citations(self, scope: Scope) -> tuple[Scope | None, list[Citation]]:
        s: Scope | None = scope
        while s is not None:
            if s.citations:
                return s, s.citations
            s = s.parent
        return None, []

    def _check_number(
        self, file: str, n: NumberClaim, resolved: dict[int, tuple[Resolution, Artifact | None]]
    ) -> None:
        p = n.number
        precision = (
            f"{-p.exponent} decimal place(s)" if p.exponent < 0 else "integer precision"
        )
        why: list[str] = [f"number {p.text} read as {p.value}{' percent' if p.percent else ''} "
                          f"at {precision}; round-half-even and truncation both accepted"
                          + ("; it prints a value ×100 (the value itself only outside "
                             "[-1, 1] or under a key naming a percentage)" if p.percent else "")]
        base = _Where(file, n.line, n.column, p.text, "number")
        if n.binding is not None:
            self._check_bound(n, resolved, base, why)
            return
        scope, cites = self._scope_citations(n.scope)
        if scope is None:
            why.append(f"no artifact is cited in its {n.scope.describe()} or any enclosing "
                       "section")
            self._rec(
                base, verdict="unbacked",
                message="no artifact is cited in this item, row or section to back the number",
                explanation=tuple(why),
            )
            return
        why.append(f"checked against the artifacts cited in {scope.describe()}")
        arts: list[Artifact] = []
        seen: set[str] = set()
        for c in cites:
            _res, art = resolved.get(id(c), (None, None))
            if art is not None and art.rel not in seen and art.error is None:
                seen.add(art.rel)
                arts.append(art)
        stale = [f"{a.rel} {s}" for a in arts if (s := self._stale(a))]
        if not arts:
            if stale:
                self._record_stale(base, why, stale, None, None, None)
                return
            why.append("none of the cited artifacts could be read")
            self._rec(
                base, verdict="unbacked",
                message="the artifacts cited in scope are missing or unreadable",
                explanation=tuple(why),
            )
            return
        own = n.scope
        while own.kind not in ("section", "document") and own.parent is not None:
            own = own.parent  # the number's innermost section
        inherited = scope.kind in ("section", "document") and scope is not own
        j = judge(p, n.keys, n.labels, arts, why, inherited=inherited, p_bound=n.p_bound)
        if stale:
            if j.verdict == "verified" and isinstance(j.value, int | float):
                # the stale finding names the artifact that backed the number
                hit = next(a for a in arts if a.rel == j.artifact)
                self._record_stale(base, why, stale, hit, j.pointer, j.value)
            else:
                self._record_stale(base, why, stale, None, None, None)
            return
        self._rec(
            base, verdict=j.verdict, artifact=j.artifact, pointer=j.pointer,
            artifact_value=j.value, difference=j.difference, message=j.message,
            explanation=tuple(why),
        )

    def _check_nulls(
        self, file: str, unit: TextUnit, resolved: dict[int, tuple[Resolution, Artifact | None]]
    ) -> None:
        """``saebench_gate_value: None`` where a cited artifact has a number (or null) there."""
        if ":" not in unit.text and "=" not in unit.text:
            return
        for key, start, end in null_claims(unit.text):
            scope, cites = self._scope_citations(unit.scope)
            arts = [a for c in cites
                    if (a := resolved.get(id(c), (None, None))[1]) is not None and not a.error]
            if scope is None or not arts:
                return
            claim = unit.text[start:end]
            why = [f"{claim!r}: a claim that {key!r} has no value, checked against "
                   f"{scope.describe()}"]
            j = judge_null(key, arts, why)
            if j is None:
                continue
            line, col = unit.position(end - len(claim.rsplit(None, 1)[-1]))
            self._rec(_Where(file, line, col, claim, "number"), verdict=j.verdict,
                      artifact=j.artifact, pointer=j.pointer, artifact_value=j.value,
                      message=j.message, explanation=tuple(why))

    def _record_stale(
        self, base: _Where, why: list[str], stale: list[str], art: Artifact | None,
        ptr: str | None, val: float | int | None,
    ) -> None:
        why.extend(stale)
        self._rec(
            base, verdict="stale",
            artifact=art.rel if art else stale[0].split(" ", 1)[0], pointer=ptr,
            artifact_value=val, message="cites an artifact that " + stale[0].split(" ", 1)[1],
            explanation=tuple(why),
        )

    def _check_bound(
        self, n: NumberClaim, resolved: dict[int, tuple[Resolution, Artifact | None]],
        base: _Where, why: list[str],
    ) -> None:
        c = n.binding
        assert c is not None and c.pointer is not None
        p = n.number
        why.append(f"explicitly bound by its link to {c.target}#{c.pointer}: only that value "
                   "counts")
        res, art = resolved.get(id(c), (None, None))
        if art is None or art.error is not None or not art.parsed:
            verdict: Verdict = "unsafe-path" if res is not None and res.status == "unsafe" else (
                "missing-artifact")
            self._rec(
                base, verdict=verdict, artifact=res.rel if res else c.target,
                pointer=c.pointer, message=f"the bound artifact {c.target} is not usable",
                explanation=tuple(why),
            )
            return
        val = resolve_pointer(art.data, c.pointer)
        if val is MISSING:
            why.append(f"{c.pointer} does not exist in {art.rel}")
            self._rec(
                base, verdict="missing-artifact", artifact=art.rel,
                pointer=c.pointer, message=f"{art.rel} has no value at {c.pointer}",
                explanation=tuple(why),
            )
            return
        stale = self._stale(art)
        if stale:
            self._record_stale(base, why, [f"{art.rel} {stale}"], art, c.pointer,
                               val if isinstance(val, int | float) else None)
            return
        if isinstance(val, str) and _quotes(val, p.text):
            # a number quoted from bound text (a gate's reason) must appear in it as printed
            why.append(f"{art.rel}{c.pointer} is text that contains {p.text} as printed")
            self._rec(base, verdict="verified", artifact=art.rel, pointer=c.pointer,
                      artifact_value=val[:80], message=f"quoted from {art.rel}{c.pointer}",
                      explanation=tuple(why))
            return
        if isinstance(val, str):
            why.append(f"{art.rel}{c.pointer} is text; {p.text} is not in it as printed")
            self._rec(base, verdict="mismatch", artifact=art.rel, pointer=c.pointer,
                      artifact_value=val[:200], explanation=tuple(why),
                      message=f"{p.text} (with its sign) is not in {art.rel}{c.pointer}, which "
                      f"says {val[:120]!r}")
            return
        if isinstance(val, bool) or not isinstance(val, int | float):
            why.append(f"the value at {c.pointer} is {type(val).__name__}, not a number")
            self._rec(
                base, verdict="mismatch", artifact=art.rel, pointer=c.pointer,
                artifact_value=repr(val)[:80],
                message=f"{art.rel}{c.pointer} is not a number ({repr(val)[:40]})",
                explanation=tuple(why),
            )
            return
        if matches(p, val):
            why.append(f"{art.rel}{c.pointer} = {val!r} equals it at the printed precision")
            self._rec(
                base, verdict="verified", artifact=art.rel, pointer=c.pointer,
                artifact_value=val, difference=difference(p, val),
                message=f"matches {art.rel}{c.pointer} = {val!r}", explanation=tuple(why),
            )
            return
        diff = difference(p, val)
        why.append(f"{art.rel}{c.pointer} = {val!r} differs by {fmt_diff(diff)}")
        self._rec(
            base, verdict="mismatch", artifact=art.rel, pointer=c.pointer,
            artifact_value=val, difference=diff,
            message=f"{p.text} but {art.rel}{c.pointer} = {val!r} (difference {fmt_diff(diff)})",
            explanation=tuple(why),
        )

    # --- status claims ---------------------------------------------------------------------

    def _check_status(
        self, file: str, sc: StatusClaim,
        resolved: dict[int, tuple[Resolution, Artifact | None]],
    ) -> None:
        line, col = sc.unit.position(sc.offset)
        # a gate output (an older decision, another tool's gate JSON) cited in the claim's own
        # sentence, list item or table row is what a past or attributed claim is about; one
        # cited elsewhere in the section never replaces the latest decision (red team 11)
        cites = claim_citations(sc) if historical_claim(sc) else []
        arts = [a for c in cites if (a := resolved.get(id(c), (None, None))[1]) is not None]
        d, dname, source = self.gate_outputs.for_claim(arts)
        if d is None and not source:
            d, dname = self.decision, self.result.decision or (
                self.decision.path if self.decision else None)
        out = check_status(sc, d, dname, self.gate_outputs.groups, self.decision_note, source)
        self._rec(
            _Where(file, line, col, sc.text, "status"), verdict=out.verdict,
            message=out.message, explanation=out.explanation, artifact=out.artifact,
            pointer=out.pointer, artifact_value=out.value,
        )


def _quotes(text: str, number: str) -> bool:
    """``number`` appears in ``text`` as a whole token (not inside a longer number), with its
    sign: ``1.58`` is not in ``= -1.58`` (red team 11), ``-1.58`` and ``−1.58`` are."""
    import re

    text = text.replace("\u2212", "-")
    number = number.replace("\u2212", "-")
    for m in re.finditer(rf"(?<![\w.]){re.escape(number)}(?![\w]|\.\d)", text):
        k = m.start()
        # an unsigned number preceded by a minus sign that is not a range's dash ("0.5-0.7")
        if number[:1] not in "+-" and k and text[k - 1] == "-" and (
                k < 2 or not (text[k - 2].isalnum() or text[k - 2] == ".")):
            continue
        return True
    return False


def audit_paths(paths: Iterable[str | os.PathLike[str]], options: AuditOptions) -> AuditResult:
    """Audit the reports at ``paths`` (files, or directories searched for ``*.md``)."""
    return Auditor(options).audit(paths)
