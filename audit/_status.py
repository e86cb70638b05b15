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

Polarity = Literal["pass", "fail", "waived"]

POSITIVE = frozenset({
    "pass", "passed", "passes", "passing", "green", "complete", "completed", "supported",
    "succeeded", "\u2705", "\u2714", "\u2611",
})
NEGATIVE = frozenset({
    "fail", "failed", "fails", "failing", "red", "blocked", "\u274c", "\u2717", "\u2718",
    "\u274e",
})
WAIVED = frozenset({"waived"})
NEGATORS = frozenset({
    "not", "no", "never", "isn't", "doesn't", "don't", "didn't", "cannot", "won't", "nor",
    "aren't", "wasn't", "hasn't", "without",
})
RELEASE_WORDS = frozenset({"overall", "verdict", "release"})

def _assignments(text: str) -> list[re.Match[str]]:
    """`key = true/false` matches, searched only just before each "true"/"false"."""
    lower = text.lower()
    out: list[re.Match[str]] = []
    for word in ("true", "false"):
        i = lower.find(word)
        while i >= 0:
            lo = max(0, i - 70)
            m = _ASSIGN_RE.search(text, lo, i + len(word))
            if m is not None and m.end() == i + len(word):
                out.append(m)
            i = lower.find(word, i + len(word))
    return sorted({m.span(): m for m in out}.values(), key=lambda m: m.start())


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


_STATUS_RE = re.compile(
    r"(?<![\w'-])(?:pass(?:ed|es|ing)?|green|complete[d]?|supported|succeeded|fail(?:ed|s|ing)?"
    r"|red|blocked|waived)(?![\w'-])|[\u2705\u2714\u2611\u274c\u2717\u2718\u274e]",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[\w']+(?:-[\w']+)*|[\u2705\u2714\u2611\u274c\u2717\u2718\u274e]")
_ASSIGN_RE = re.compile(
    r"\b([A-Za-z][\w-]{0,60})\s{0,3}(?:==|=|:)\s{0,3}(true|false)\b", re.IGNORECASE
)
# "overall" and "verdict" only as labels ("overall: fail", "verdict = pass"), not as prose.
# ("all/release/stress/strict gates" are found by _gate_phrases.)
_RELEASE_PHRASE_RE = re.compile(
    r"\b(?:overall|verdict)(?=\s{0,3}[:=]|\s{1,3}(?:verdict|status|result|gate))"
    r"|\brelease[\s_-]{1,3}(?:status|verdict|decision)\b|^\s{0,3}gates?\s{0,3}:",
    re.IGNORECASE,
)
_LIST_OF_GATES_RE = re.compile(r"(?:\s{0,2}(?:,|and|or|&|/)\s{1,2}[\w-]{1,30}){1,4}\s{1,2}gates?\b",
                               re.IGNORECASE)
_MARKS = frozenset("\u2705\u2714\u2611\u274c\u2717\u2718\u274e")
_RELEASE_ASSIGN = frozenset({"pass all", "overall pass", "all pass", "all passed", "overall"})
_RELEASE_QUALIFIERS = frozenset({"all", "every", "release", "stress", "strict"})
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
            if k < i and qual and _QUALIFIER_RE.fullmatch(qual):
                out.append((qual, q, k, e, plural))
        i = lower.find("gate", i + 4)
    return out


_NOT_GATE_QUALIFIERS = frozenset({
    "the", "a", "an", "this", "that", "each", "every", "one", "any", "which", "strict",
    "release", "stress", "overall", "no", "our", "its", "their", "new",
})


@dataclass(frozen=True)
class Subject:
    kind: Literal["gate", "release"]
    name: str  # normalized gate name, or "release"
    start: int
    end: int


@dataclass(frozen=True)
class StatusClaim:
    subject: Subject
    polarity: Polarity
    text: str
    offset: int  # where the claim starts in the unit text
    unit: TextUnit


def _gate_regex(gate_names: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({normalize_name(n) for n in gate_names if normalize_name(n)}, key=len,
                   reverse=True)
    if not parts:
        return None
    alts = ["[\\s_-]{1,3}".join(re.escape(w) for w in p.split(" ")) for p in parts]
    return re.compile(r"(?<![\w-])(" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)


class StatusDetector:
    def __init__(self, gate_names: Iterable[str]) -> None:
        self.gate_names = {normalize_name(n) for n in gate_names}
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
        if text[max(0, start - 3):start].strip(" `*")[-1:] in _MARKS:
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
                found.append(Subject("gate", normalize_name(m.group(1)), m.start(), m.end()))
                taken.append(m.span())
        for qual, q, k, e, plural in _gate_phrases(text):
            t = bisect_right(taken, (q, sys.maxsize)) - 1
            if t >= 0 and taken[t][0] <= q < taken[t][1]:
                continue  # "transcoder gate": already found as the decision's gate
            low = qual.lower()
            if low in _RELEASE_QUALIFIERS:
                found.append(Subject("release", "release", q, e))
            elif not plural and low not in _NOT_GATE_QUALIFIERS:
                found.append(Subject("gate", normalize_name(qual), q, k))
        for m in _RELEASE_PHRASE_RE.finditer(text):
            found.append(Subject("release", "release", m.start(), m.end()))
        found.sort(key=lambda s: s.start)
        return found

    def detect(self, unit: TextUnit) -> list[StatusClaim]:
        text = unit.text
        claims: list[StatusClaim] = []
        masks: list[tuple[int, int]] = []
        # 1) assignments: `pass_all = False`, `transcoder: true` — subject and status in one.
        for m in _assignments(text):
            key = normalize_name(m.group(1))
            if key in _RELEASE_ASSIGN:
                subj = Subject("release", "release", m.start(1), m.end(1))
            elif key in self.gate_names:
                subj = Subject("gate", key, m.start(1), m.end(1))
            else:
                continue
            pol: Polarity = "pass" if m.group(2).lower() == "true" else "fail"
            claims.append(StatusClaim(subj, pol, m.group(), m.start(), unit))
            masks.append(m.span())
        # 2) status words outside inline code (unless the code span is just the word)
        for seg in unit.segments:
            if seg.code:
                content = text[seg.start:seg.end].strip().lower()
                if content not in POSITIVE | NEGATIVE | WAIVED:
                    masks.append((seg.start, seg.end))
        scan = _blank(text, masks)
        subjects = [s for s in self.subjects(unit) if scan[s.start:s.end].strip()
                    or unit.is_code(s.start)]
        pending: list[Subject] = []
        last_attached: list[Subject] = []
        last_end = 0
        consumed: set[int] = set()  # subjects already claimed by a status word before them
        si = 0
        # Only status words are visited (not every word): a 10 MB paragraph stays cheap, and
        # every step below is O(1) amortised, so no input makes this quadratic.
        for w in _STATUS_RE.finditer(scan):
            while si < len(subjects) and subjects[si].start < w.start():
                if si not in consumed and (not pending or pending[-1].end <= subjects[si].start):
                    pending.append(subjects[si])
                si += 1
            if si > 0 and subjects[si - 1].start <= w.start() < subjects[si - 1].end:
                continue  # the word is part of a subject phrase ("pass_all")
            pol2 = _polarity(w.group().lower())
            if pol2 is None:
                continue
            # negators count only within this claim: after the last subject or status word
            floor = max(last_end, pending[-1].end if pending else 0, w.start() - 60)
            prev = [x.lower() for x in _WORD_RE.findall(scan, floor, w.start())[-3:]]
            last_end = w.end()
            if any(p in NEGATORS or p.endswith("n't") for p in prev):
                pol2 = "pass" if pol2 == "fail" else "fail" if pol2 == "pass" else pol2
            if pending:
                targets = pending
            else:
                # "✅ transcoder", "passes the OOD gate": the subject follows the word
                nxt: list[int] = []
                for i in range(si, len(subjects)):
                    if subjects[i].start >= w.end():
                        if i not in consumed:
                            nxt = [i]
                        break
                consumed.update(nxt)
                targets = [subjects[i] for i in nxt] or last_attached
            if not targets:
                continue
            for subj in targets:
                start = min(subj.start, w.start())
                end = max(subj.end, w.end())
                claims.append(StatusClaim(subj, pol2, text[start:end][:200], start, unit))
            last_attached = list(targets)
            pending = []
        return _dedupe(claims)


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
