"""Status claims: words and marks that assert an outcome, attached to a gate or the release.

A status word counts only when it is attached to a subject in the same heading, paragraph,
list item or table row: a gate named in the decision, a "<name> gate" phrase, or the release
as a whole ("overall", "verdict", "pass_all", "all gates", "release gates", "stress gates").
"pytest remains green" has no subject and is not a claim. Words inside inline code are
ignored (``--fail-on-gate-fail`` is a flag, not a claim) unless the code is itself a status
(`pass`) or an assignment (`pass_all = False`).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ._claims import TextUnit
from ._decision import normalize_name
from ._sentences import (
    clause_starts,
    conditional_from,
    enclosing_start,
    hard_breaks,
    listed_values,
    quoted_spans,
    sentence_kind,
    sentence_spans,
    word_reason,
)

Polarity = Literal["pass", "fail", "waived"]

# Marks GitHub renders as a check or a cross count like the words (issue 11, "Vocabulary").
POSITIVE_MARKS = frozenset({
    "\u2705", "\u2714", "\u2611", "\u2713", "\U0001f7e2", ":white_check_mark:",
    ":heavy_check_mark:", "[x]",
})
NEGATIVE_MARKS = frozenset({"\u274c", "\u2717", "\u2718", "\u274e", "\U0001f534", ":x:"})
POSITIVE = frozenset({
    "pass", "passed", "passes", "passing", "green", "complete", "completed", "supported",
    "succeeded",
}) | POSITIVE_MARKS
NEGATIVE = frozenset({
    "fail", "failed", "fails", "failing", "red", "blocked",
}) | NEGATIVE_MARKS
WAIVED = frozenset({"waived"})
NEGATORS = frozenset({
    "not", "no", "never", "isn't", "doesn't", "don't", "didn't", "cannot", "won't", "nor",
    "aren't", "wasn't", "hasn't", "without",
})

def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` replaced by spaces (offsets preserved)."""
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        if b <= pos:
            continue
        a = max(a, pos)
        out.append(text[pos:a])
        out.append(" " * (b - a))
        pos = b
    out.append(text[pos:])
    return "".join(out)


_MARK_ALTS = (
    r"[\u2705\u2714\u2611\u2713\u274c\u2717\u2718\u274e\U0001f7e2\U0001f534]"
    r"|:(?:white_check_mark|heavy_check_mark|x):|(?<![\w\]])\[[xX]\](?!\()"
)
_STATUS_RE = re.compile(
    r"(?<![\w'-])(?:pass(?:ed|es|ing)?|green|complete[d]?|supported|succeeded|fail(?:ed|s|ing)?"
    r"|red|blocked|waived)(?![\w'-])|" + _MARK_ALTS,
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[\w']+(?:-[\w']+)*|" + _MARK_ALTS)
# "overall" and "verdict" only as labels ("overall: fail", "verdict = pass"), not as prose.
# ("all/release/stress/strict gates" are found by _gate_phrases.)
_RELEASE_PHRASE_RE = re.compile(
    r"\b(?:overall|verdict)(?=\s{0,3}[:=]|\s{1,3}(?:verdict|status|result|gate))"
    r"|\brelease[\s_-]{1,3}(?:status|verdict|decision)\b|^\s{0,3}gates?\s{0,3}:",
    re.IGNORECASE,
)
_LIST_OF_GATES_RE = re.compile(r"(?:\s{0,2}(?:,|and|or|&|/)\s{1,2}[\w-]{1,30}){1,4}\s{1,2}gates?\b",
                               re.IGNORECASE)
_MARKS = frozenset("\u2705\u2714\u2611\u2713\u274c\u2717\u2718\u274e\U0001f7e2\U0001f534")
_TEXT_MARKS = tuple(m for m in POSITIVE_MARKS | NEGATIVE_MARKS if len(m) > 1)
# "The OOD gate passes. External gates do not.": the second sentence negates the first's word.
_ELLIPSIS_RE = re.compile(
    r"(?:do|does|did|is|are|was|were|has|have)(?:\s+not|n't)(?:\s+yet)?[\s.!*]*$", re.IGNORECASE
)
_RELEASE_ASSIGN = frozenset({"pass all", "overall pass", "all pass", "all passed", "overall"})
_RELEASE_QUALIFIERS = frozenset({"all", "every", "release", "strict"})
_QUALIFIER_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,40}(?:[-_][A-Za-z0-9]{1,40}){0,4}")


def _gate_phrases(text: str) -> list[tuple[str, int, int, int, bool]]:
    """Every "<qualifier> gate(s)": (qualifier, its start, its end, phrase end, plural).

    Walks outwards from each "gate" rather than using a regex with a leading variable-width
    group, which would retry at every word start of a 10 MB "a-a-a-…" line.
    """
    out: list[tuple[str, int, int, int, bool]] = []
    lower = text.lower()
    n = len(text)
    i = lower.find("gate")
    while i >= 0:
        e = i + 4
        plural = e < n and lower[e] == "s"
        if plural:
            e += 1
        if e >= n or not (text[e].isalnum() or text[e] in "_-"):
            k = i
            while k > 0 and i - k < 3 and text[k - 1] in " \t_-":
                k -= 1
            q = k
            while q > 0 and k - q <= 200 and (text[q - 1].isalnum() or text[q - 1] in "_-"):
                q -= 1
            qual = text[q:k]
            # "programme's gate": the "s" after an apostrophe is not a gate name
            if (k < i and len(qual) > 1 and _QUALIFIER_RE.fullmatch(qual)
                    and not (q > 0 and text[q - 1] in "'\u2019")):
                out.append((qual, q, k, e, plural))
        i = lower.find("gate", i + 4)
    return out


_NOT_GATE_QUALIFIERS = frozenset({
    "the", "a", "an", "this", "that", "each", "every", "one", "any", "which", "strict",
    "release", "overall", "no", "our", "its", "their", "new", "per", "sub", "required",
    "advisory", "optional", "passing", "failing", "failed", "passed", "waived", "green", "red",
    "blocked", "final", "first", "last", "next", "previous", "other", "same", "given", "named",
    "single", "dotted", "whole", "true", "false", "such", "some", "your", "my", "his", "her",
})
# "the release gate script", "gate output": "gate" modifies another noun, naming no gate.
_COMPOUND_HEADS = frozenset({
    "script", "scripts", "output", "outputs", "policy", "policies", "semantics", "logic", "code",
    "file", "files", "config", "definition", "definitions", "name", "names", "table", "tables",
    "function", "functions", "module", "modules", "implementation", "runner", "tool", "tools",
    "phrase", "phrases", "word", "words", "keyword", "keywords",
})
_RELATIVE_RE = re.compile(r"\s{0,3}(?:that|which|whose|who)\b", re.IGNORECASE)
# "a gate", "any required gate", "each gate that does not pass": gates in general, not one.
GENERIC_DETERMINERS = frozenset({"a", "an", "any", "each", "every", "such", "whichever"})


@dataclass(frozen=True)
class Subject:
    kind: Literal["gate", "group", "release"]
    name: str  # normalized gate or group name, or "release"
    start: int
    end: int


@dataclass(frozen=True)
class StatusClaim:
    subject: Subject
    polarity: Polarity
    text: str
    offset: int  # where the claim starts in the unit text
    unit: TextUnit


@dataclass(frozen=True)
class NotAClaim:
    """A status word that asserts no outcome, and the rule that says so (for --explain)."""

    text: str
    offset: int
    rule: str


@dataclass(frozen=True)
class _Token:
    """One status word or assignment in a sentence."""

    start: int
    end: int
    polarity: Polarity
    subject: Subject | None  # assignments carry their subject


def _gate_regex(gate_names: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({normalize_name(n) for n in gate_names if normalize_name(n)}, key=len,
                   reverse=True)
    if not parts:
        return None
    alts = ["[\\s_-]{1,3}".join(re.escape(w) for w in p.split(" ")) for p in parts]
    return re.compile(r"(?<![\w-])(" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)


def _assignments(text: str) -> list[tuple[int, int, int, str, Polarity]]:
    """Every ``key = true/false`` (also ``==``, ``:``): (key start, key end, end, key, pol).

    Scans backwards from each "true"/"false" (bounded), so the cost is linear in the text.
    The key is up to three words ("overall pass = True"); the caller picks the known suffix.
    """
    lower = text.lower()
    out: list[tuple[int, int, int, str, Polarity]] = []
    for word, pol in (("true", "pass"), ("false", "fail")):
        i = lower.find(word)
        while i >= 0:
            e = i + len(word)
            ok_edges = (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) and (
                e == len(text) or not (text[e].isalnum() or text[e] == "_"))
            j = i
            while ok_edges and j > 0 and i - j < 3 and text[j - 1] == " ":
                j -= 1
            op = text[max(0, j - 2):j]
            if ok_edges and (op == "==" or op[-1:] in ("=", ":")):
                j -= 2 if op == "==" else 1
                while j > 0 and text[j - 1] == " " and i - j < 8:
                    j -= 1
                k = j
                words = 0
                while k > 0 and j - k < 80:
                    c = text[k - 1]
                    if c.isalnum() or c in "_-":
                        k -= 1
                    elif c == " " and words < 2 and k > 1 and text[k - 2].isalnum():
                        words += 1
                        k -= 1
                    else:
                        break
                while k < j and not text[k].isalpha():
                    k += 1
                if k < j:
                    out.append((k, j, e, text[k:j], pol))  # type: ignore[arg-type]
            i = lower.find(word, e)
    out.sort()
    return out


class StatusDetector:
    """Finds status claims in text units; ``groups`` are the policy's ``audit.gate_groups``."""

    def __init__(self, gate_names: Iterable[str],
                 groups: Iterable[str] = ()) -> None:
        self.gate_names = {normalize_name(n) for n in gate_names}
        self.groups = {normalize_name(g) for g in groups}
        self._gate_re = _gate_regex(self.gate_names)

    @staticmethod
    def _written_as_subject(unit: TextUnit, name: str, start: int, end: int) -> bool:
        """A gate name in prose is a subject only when written as one.

        "external" and "transcoder" are also ordinary words ("external scaling study:
        complete" is not about the external gate). They count when: snake_case as in the
        decision, inline code, followed by "gate" or by ":"/"=", or a whole table cell.
        """
        text = unit.text
        if "_" in name:
            return True
        for seg in unit.segments:
            if seg.code and seg.start <= start < seg.end:
                # `ood` is a subject; `docs/evidence/external.json` is a path, not the gate
                return normalize_name(text[seg.start:seg.end].strip()) == normalize_name(name)
        rest = text[end:end + 12].lstrip(" `*")
        if rest.lower().startswith("gate") or rest[:1] in (":", "="):
            return True
        # "transcoder and OOD gates: fail", "✅ transcoder"
        if _LIST_OF_GATES_RE.match(text, end, min(len(text), end + 60)):
            return True
        before = text[max(0, start - 24):start].rstrip(" `*")
        if before[-1:] in _MARKS or before.lower().endswith(_TEXT_MARKS):
            return True
        if unit.scope.kind == "row":
            before = text[max(0, start - 3):start]
            after = text[end:end + 3]
            if (start == 0 or before.endswith("| ")) and (end == len(text)
                                                          or after.startswith(" |")):
                return True
        return False

    def subjects(self, unit: TextUnit) -> list[Subject]:
        text = unit.text
        found: list[Subject] = []
        taken: list[tuple[int, int]] = []
        if self._gate_re is not None:
            for m in self._gate_re.finditer(text):
                if not self._written_as_subject(unit, m.group(1), m.start(), m.end()):
                    continue
                if _generic(text, m.start()):
                    continue
                found.append(Subject("gate", normalize_name(m.group(1)), m.start(), m.end()))
                taken.append(m.span())
        for qual, q, k, e, plural in _gate_phrases(text):
            if unit.is_code(q):
                continue  # `contradicts-gate`, `transcoder gate` in code: named, not claimed
            t = bisect_right(taken, (q, sys.maxsize)) - 1
            if t >= 0 and taken[t][0] <= q < taken[t][1]:
                continue  # "transcoder gate": already found as the decision's gate
            low = qual.lower()
            name = normalize_name(qual)
            if low in _RELEASE_QUALIFIERS:
                found.append(Subject("release", "release", q, e))
            elif _generic(text, q):
                continue
            elif name in self.groups or (plural and low == "stress"):
                # "stress gates": the policy's group, never the whole release
                found.append(Subject("group", name, q, e))
            elif not plural and low not in _NOT_GATE_QUALIFIERS and not (
                    low.endswith(("ing", "ed")) and "_" not in low and "-" not in low):
                # "the confirming gate", "a selected gate": a participle describes a role;
                # gates are named with nouns (a decision's own names were matched above)
                found.append(Subject("gate", name, q, k))
        for m in _RELEASE_PHRASE_RE.finditer(text):
            found.append(Subject("release", "release", m.start(), m.end()))
        found = [s for s in found if not _compound(text, s.end)]
        found.sort(key=lambda s: s.start)
        return found

    def _assignment_subject(self, key: str, start: int, end: int) -> Subject | None:
        words = normalize_name(key).split(" ")
        for n in range(len(words), 0, -1):
            suffix = " ".join(words[-n:])
            offset = end - len(suffix)
            if suffix in _RELEASE_ASSIGN:
                return Subject("release", "release", max(start, offset), end)
            if suffix in self.gate_names:
                return Subject("gate", suffix, max(start, offset), end)
        return None

    def detect(self, unit: TextUnit) -> list[StatusClaim]:
        return self.detect_all(unit)[0]

    def detect_all(self, unit: TextUnit) -> tuple[list[StatusClaim], list[NotAClaim]]:
        """Status claims of ``unit``, and the status words that are not claims (with why)."""
        text = unit.text
        lower = text.lower()
        if "true" not in lower and "false" not in lower and _STATUS_RE.search(text) is None:
            return [], []  # most units: no status word at all (keeps the bench's pace)
        masks: list[tuple[int, int]] = []
        tokens: list[_Token] = []
        # 1) assignments: `pass_all = False`, `transcoder: true` — subject and status in one.
        for k0, k1, e, key, pol in _assignments(text):
            subj = self._assignment_subject(key, k0, k1)
            if subj is None:
                continue
            tokens.append(_Token(subj.start, e, pol, subj))
            masks.append((subj.start, e))
        # 2) status words outside inline code (unless the code span is just the word)
        for seg in unit.segments:
            if seg.code:
                content = text[seg.start:seg.end].strip().lower()
                if content not in POSITIVE | NEGATIVE | WAIVED:
                    masks.append((seg.start, seg.end))
        masks += quoted_spans(text)  # "the release gate passes" is mentioned, not asserted
        scan = _blank(text, masks)
        subjects = [s for s in self.subjects(unit) if scan[s.start:s.end].strip()
                    or unit.is_code(s.start)]
        for w in _STATUS_RE.finditer(scan):
            word_pol = _polarity(w.group().lower())
            if word_pol is not None:
                tokens.append(_Token(w.start(), w.end(), word_pol, None))
        tokens.sort(key=lambda t: t.start)
        claims: list[StatusClaim] = []
        skipped: list[NotAClaim] = []
        ti = si = 0
        last_pol: Polarity | None = None
        for a, b in sentence_spans(text):
            sent_tokens: list[_Token] = []
            while ti < len(tokens) and tokens[ti].start < b:
                if tokens[ti].start >= a:
                    sent_tokens.append(tokens[ti])
                ti += 1
            sent_subjects: list[Subject] = []
            while si < len(subjects) and subjects[si].start < b:
                if subjects[si].start >= a:
                    sent_subjects.append(subjects[si])
                si += 1
            if sent_tokens:
                before = len(claims)
                self._sentence(unit, scan, a, b, sent_tokens, sent_subjects, claims, skipped)
                last_pol = claims[-1].polarity if len(claims) > before else None
            elif sent_subjects and last_pol in ("pass", "fail") and _ELLIPSIS_RE.search(
                    scan, max(a, b - 30), b):
                neg: Polarity = "fail" if last_pol == "pass" else "pass"
                for subj in sent_subjects:
                    claims.append(StatusClaim(subj, neg, text[subj.start:b][:200], subj.start,
                                              unit))
                last_pol = None
            else:
                last_pol = None
        return _dedupe(claims), skipped

    def _sentence(
        self, unit: TextUnit, scan: str, a: int, b: int, tokens: list[_Token],
        subjects: list[Subject], claims: list[StatusClaim], skipped: list[NotAClaim],
    ) -> None:
        """Claims of one sentence [a, b): each status word attaches to its subject(s)."""
        text = unit.text

        def skip(t: _Token, rule: str) -> None:
            skipped.append(NotAClaim(text[t.start:t.end], t.start, rule))

        whole = sentence_kind(text, a, b)
        if whole is not None:
            for t in tokens:
                skip(t, f"the sentence is {whole}, not an outcome claim")
            return
        clauses = clause_starts(scan, a, b)
        breaks = hard_breaks(scan, a, b)
        cond = conditional_from(scan, a, b, clauses)
        listed = listed_values(text, [(t.start, t.end, t.polarity) for t in tokens])
        pending: list[Subject] = []
        last_attached: list[Subject] = []
        last_break = a
        last_end = a
        consumed: set[int] = set()  # subjects already claimed by a status word before them
        si = 0
        for ti, t in enumerate(tokens):
            brk = enclosing_start(breaks, t.start)
            if brk != last_break:
                pending, last_attached, last_break = [], [], brk
            while si < len(subjects) and subjects[si].start < t.start:
                s = subjects[si]
                if s.start >= brk and si not in consumed and (
                        not pending or pending[-1].end <= s.start):
                    pending.append(s)
                si += 1
            if t.subject is None and si > 0 and (
                    subjects[si - 1].start <= t.start < subjects[si - 1].end):
                continue  # the word is part of a subject phrase ("pass_all")
            pol = t.polarity
            reason: str | None = None
            if ti in listed:
                reason = "one of several values listed side by side, not an outcome"
            elif cond is not None and t.start >= cond:
                reason = "in a conditional or purpose clause, not an outcome"
            elif t.subject is not None and _generic(text, t.subject.start):
                reason = "an example (\"a …\"), not an outcome"
            elif t.subject is None:
                reason = word_reason(scan, max(last_end, brk), t.start, t.end)
            floor = max(last_end, pending[-1].end if pending else a, t.start - 60, brk)
            last_end = t.end
            if reason is not None:
                skip(t, reason)
                if t.subject is None:
                    pending = []
                continue
            prev = [x.lower() for x in _WORD_RE.findall(scan, floor, t.start)[-3:]]
            if any(p in NEGATORS or p.endswith("n't") for p in prev):
                pol = "pass" if pol == "fail" else "fail" if pol == "pass" else pol
            if t.subject is not None:
                targets = [t.subject]
            elif pending:
                targets = pending
            else:
                # "✅ transcoder", "passes the OOD gate": the subject follows the word
                nxt: list[int] = []
                for i in range(si, len(subjects)):
                    s = subjects[i]
                    if s.start >= t.end:
                        if i not in consumed and enclosing_start(breaks, s.start) == brk:
                            nxt = [i]
                        break
                consumed.update(nxt)
                targets = [subjects[i] for i in nxt] or last_attached
            if not targets:
                skip(t, "no gate, group or release named in the same clause")
                continue
            if t.subject is None and targets is pending and _RELATIVE_RE.match(
                    scan, pending[-1].end, t.start):
                # "every gate that does not pass", "a gate whose status is pass": describes
                # which gates, asserts nothing about them
                skip(t, "in a relative clause describing its subject, not an outcome")
                pending = []
                continue
            for subj in targets:
                if cond is not None and subj.start >= cond:
                    skip(t, "its subject is in a conditional or purpose clause")
                    continue
                start = min(subj.start, t.start)
                end = max(subj.end, t.end)
                claims.append(StatusClaim(subj, pol, text[start:end][:200], start, unit))
            last_attached = list(targets)
            pending = []


def _compound(text: str, end: int) -> bool:
    """Is the subject ending at ``end`` a modifier of a following noun ("gate script")?"""
    m = re.match(r"[ \t]{1,2}([a-z]+)\b", text[end:end + 20])
    return m is not None and m.group(1) in _COMPOUND_HEADS


def _generic(text: str, start: int) -> bool:
    """Is the subject at ``start`` introduced by "a", "any", "each"… (a gate in general)?"""
    before = text[max(0, start - 24):start].rstrip(" `*\"")
    words = before.split()
    return bool(words) and words[-1].lower() in GENERIC_DETERMINERS


def _polarity(word: str) -> Polarity | None:
    if word in POSITIVE:
        return "pass"
    if word in NEGATIVE:
        return "fail"
    if word in WAIVED:
        return "waived"
    return None


def _dedupe(claims: list[StatusClaim]) -> list[StatusClaim]:
    seen: set[tuple[str, str, str]] = set()
    out: list[StatusClaim] = []
    for c in sorted(claims, key=lambda c: c.offset):
        key = (c.subject.kind, c.subject.name, c.polarity)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out
