"""Status claims: words and marks that assert an outcome, attached to a gate, a policy gate
group or the release, within one sentence (issue 11).

A status word counts only when it is attached to a subject in the same sentence of a heading,
paragraph, list item or table row: a gate named in the decision, a "<name> gate" phrase, a gate
group ("stress gates"), or the release as a whole ("overall", "verdict", "pass_all", "all
gates"). "pytest remains green" has no subject and is not a claim. Words inside inline code are
ignored (``--fail-on-gate-fail`` is a flag, not a claim) unless the code is itself a status
(`pass`) or an assignment (`pass_all = False`). Wording that asserts no outcome (conditions,
plans, questions, listed values, quotes…) is told apart in ``_sentences``; the vocabulary lives
in ``_status_words``.
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
    quiet_parentheticals,
    quoted_spans,
    sentence_kind,
    sentence_spans,
    word_reason,
)
from ._status_layout import (
    _ASIDE_RE,
    _LIST_LABEL_RE,
    _LIST_SEP_RE,
    _LONE_STATUS_RE,
    _follows,
    _gate_table,
)
from ._status_words import (
    _ELLIPSIS_RE,
    _GATE_FOR_RE,
    _LIST_OF_GATES_RE,
    _MARKS,
    _NOT_GATE_QUALIFIERS,
    _QUANTIFIED_RE,
    _RELATIVE_RE,
    _RELEASE_ASSIGN,
    _RELEASE_PHRASE_RE,
    _RELEASE_QUALIFIERS,
    _STATUS_RE,
    _TEXT_MARKS,
    _WORD_RE,
    NEGATIVE,
    NEGATIVE_QUANTIFIERS,
    NEGATORS,
    POSITIVE,
    WAIVED,
    Polarity,
    _assignments,
    _blank,
    _compound,
    _gate_phrases,
    _gate_regex,
    _generic,
    _polarity,
)
from ._status_words import _QUALIFIER_RE as _QUALIFIER_RE  # bench_audit reads it here

# a table row label naming a sub-gate as "parent / child", "parent › child" or "parent.child"
_SUBGATE_LABEL_RE = re.compile(r"([A-Za-z][\w -]*?)\s*(?:/|›|»|\.)\s*([A-Za-z][\w -]*)")


@dataclass(frozen=True)
class Subject:
    kind: Literal["gate", "group", "release"]
    name: str  # normalized gate or group name, or "release"
    start: int
    end: int
    negated: bool = False  # "no gate", "none of the gates": the verb's outcome is reversed


@dataclass(frozen=True)
class StatusClaim:
    subject: Subject
    polarity: Polarity
    text: str
    offset: int  # where the claim starts in the unit text
    unit: TextUnit
    sentence: tuple[int, int] = (0, 0)  # its sentence [start, end) in the unit text


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


class StatusDetector:
    """Finds status claims in text units; ``groups`` are the policy's ``audit.gate_groups``."""

    def __init__(self, gate_names: Iterable[str],
                 groups: Iterable[str] = ()) -> None:
        self.gate_names = {normalize_name(n) for n in gate_names}
        self.groups = {normalize_name(g) for g in groups}
        self._gate_re = _gate_regex(self.gate_names)
        # the previous unit when it was only a gate's name ("- external gate", "<summary>
        # External gate</summary>"): a lone status right after it is about that gate (rt12)
        self._label: tuple[TextUnit, Subject] | None = None

    @staticmethod
    def _written_as_subject(unit: TextUnit, name: str, start: int, end: int) -> bool:
        """A gate name in prose is a subject only when written as one.

        "external" and "transcoder" are also ordinary words ("external scaling study:
        complete" is not about the external gate). They count when: snake_case as in the
        decision, inline code, followed by "gate" or by ":"/"=", or a whole table cell.
        """
        text = unit.text
        if "_" in name or "." in name:
            return True  # snake_case or a dotted sub-gate ("external.cebench")
        if _GATE_FOR_RE.search(text, max(0, start - 24), start):
            return True  # "the gate for transcoder"
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
        if unit.cells and start == unit.cells[0][0] and _gate_table(unit):
            return True  # "| External benchmarks | pass |": a label starting with the name
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
            named = [m for m in self._gate_re.finditer(text) if not _generic(text, m.start())]
            ok = [self._written_as_subject(unit, m.group(1), m.start(), m.end())
                  or _LIST_LABEL_RE.search(text, max(0, m.start() - 60), m.start()) is not None
                  for m in named]
            # "random_model, transcoder, ood, external", "the external and the transcoder
            # gate": every name of a list holding one written subject is a subject (rt12)
            for _ in range(2):
                for i in range(len(named)):
                    for j in (i - 1, i + 1):
                        if 0 <= j < len(named) and ok[j] and not ok[i] and _LIST_SEP_RE.fullmatch(
                                text, min(named[i].end(), named[j].end()),
                                max(named[i].start(), named[j].start())):
                            ok[i] = True
            for m, good in zip(named, ok, strict=True):
                if good:
                    found.append(Subject("gate", normalize_name(m.group(1)), m.start(),
                                         m.end()))
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
            elif plural and _COORDINATED_RE.search(text, max(0, q - 8), q) and (
                    low not in _NOT_GATE_QUALIFIERS and not low.endswith(("ing", "ed"))):
                # "SAEBench and CE-Bench gates": every gate of a coordination is named, and
                # one the decision does not hold is unverifiable, never dropped (red team 11)
                found.append(Subject("gate", name, q, k))
            elif not plural and low not in _NOT_GATE_QUALIFIERS and not (
                    low.endswith(("ing", "ed")) and "_" not in low and "-" not in low):
                # "the confirming gate", "a selected gate": a participle describes a role;
                # gates are named with nouns (a decision's own names were matched above)
                found.append(Subject("gate", name, q, k))
        for m in _RELEASE_PHRASE_RE.finditer(text):
            found.append(Subject("release", "release", m.start(), m.end()))
        quantified: list[Subject] = []
        for m in _QUANTIFIED_RE.finditer(text):
            # "all four gates", "both gates", "no gate", "none of the gates": every gate, so
            # the release; "both remaining gates" names gates it does not list: a group the
            # policy must define, else unverifiable (red team 11)
            if unit.is_code(m.start()):
                continue
            neg = m.group(1).lower().split()[0] in NEGATIVE_QUANTIFIERS
            if _NOT_BEFORE_RE.search(text, max(0, m.start() - 8), m.start()):
                neg = not neg  # "not all gates pass": the release does not pass
            which = m.group(2)
            if which is not None and normalize_name(which) not in ("gate", "gates"):
                name = normalize_name(which)
                if name in self.gate_names:
                    continue  # "both transcoder gates": the decision's gate, found above
                quantified.append(Subject("group", name, m.start(), m.end(), neg))
            else:
                quantified.append(Subject("release", "release", m.start(), m.end(), neg))
        if quantified:  # the quantified phrase, not a subject inside it ("all gates")
            found = [s for s in found
                     if not any(q.start <= s.start < q.end for q in quantified)] + quantified
        found = [s for s in found if not _compound(text, s.end)]
        if unit.cells:
            c0, c1, _ = unit.cells[0]
            sub = _SUBGATE_LABEL_RE.fullmatch(text[c0:c1].strip(" *_`"))
            dotted = sub and f"{normalize_name(sub[1])}.{normalize_name(sub[2])}"
            if dotted and dotted in self.gate_names:
                # "| external / saebench | pass |" (render's and check's tables) names the
                # sub-gate, not its parent: one subject for the whole label
                found = [s for s in found if not c0 <= s.start < c1]
                found.append(Subject("gate", dotted, c0, c1))
        if unit.cells and _gate_table(unit):
            c0, c1, _ = unit.cells[0]
            label = text[c0:c1].strip(" *_`")
            if label and not any(c0 <= s.start < c1 for s in found) and any(
                    _polarity(text[x0:x1].strip(" *_`").lower()) is not None
                    for x0, x1, _ in unit.cells[1:]):
                # a gate/status table's row label names a gate; one the decision lacks is
                # unverifiable, never ignored (rt12)
                found.append(Subject("gate", normalize_name(label), c0, c1))
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
        """Status claims of ``unit``, and the status words that are not claims (with why).

        Units come in document order: a unit that is only a status ("passes", "status: ✅")
        right after a unit that is only a gate's name, as its child list item or the next
        block of the same section (a ``<summary>``'s ``<details>`` body), claims that status
        for that gate (red team 12).
        """
        prev, self._label = self._label, None
        claims, skipped = self._detect_unit(unit)
        if claims:
            return claims, skipped
        text = unit.text
        bare = text.strip(" *_`:")
        if _STATUS_RE.search(bare) is None:
            label = self._header_subject(bare, 0, len(text))
            if label is not None:
                self._label = (unit, label)
            return claims, skipped
        m = _LONE_STATUS_RE.fullmatch(text)
        pol = _polarity(m.group(1).lower()) if m is not None else None
        if prev is None or pol is None or not _follows(prev[0].scope, unit.scope):
            return claims, skipped
        subj = Subject(prev[1].kind, prev[1].name, 0, len(text))
        said = f"{prev[0].text.strip()}: {text.strip()}"
        return [StatusClaim(subj, pol, said[:200], 0, unit, (0, len(text)))], []

    def _detect_unit(self, unit: TextUnit) -> tuple[list[StatusClaim], list[NotAClaim]]:
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
                # `external_gate_passed: true` (like `overall_pass=True`): the key's last word
                # is the status, the words before it the subject (rt12)
                words = normalize_name(key).split(" ")
                key_pol = _polarity(words[-1]) if len(words) > 1 else None
                rest = words[:-1]
                if rest and rest[-1] in ("gate", "gates"):
                    rest = rest[:-1]
                if key_pol is None or key_pol == "waived" or not rest:
                    continue
                found = self._assignment_subject(" ".join(rest), k0, k1)
                if found is None and len(words) - len(rest) == 2:
                    found = Subject("gate", " ".join(rest), k0, k1)  # an unknown gate's key
                if found is None:
                    continue
                subj = Subject(found.kind, found.name, k0, k1)
                if key_pol == "fail":
                    pol = "fail" if pol == "pass" else "pass"
            tokens.append(_Token(subj.start, e, pol, subj))
            masks.append((subj.start, e))
        # 2) status words outside inline code (unless the code span is just the word)
        quoted = quoted_spans(text)
        for seg in unit.segments:
            if seg.code:
                content = text[seg.start:seg.end].strip().lower()
                if content not in POSITIVE | NEGATIVE | WAIVED:
                    masks.append((seg.start, seg.end))
                    # `external.cebench: pass`: a status assigned in code is a claim
                    m = _CODE_STATUS_RE.fullmatch(text, seg.start, seg.end)
                    if m is not None and any(q0 < seg.start < q1 for q0, q1 in quoted):
                        m = None  # '"`external.cebench: pass`"' is mentioned, not asserted
                    code_pol = _polarity(m.group(2).lower()) if m is not None else None
                    if m is not None and code_pol is not None:
                        subj = self._assignment_subject(m.group(1), m.start(1), m.end(1))
                        key = normalize_name(m.group(1))
                        if subj is None and key.split(".")[0] in self.gate_names:
                            # `external.cebench: pass` where the decision lacks the sub-gate
                            subj = Subject("gate", key, m.start(1), m.end(1))
                        if subj is not None:
                            tokens.append(_Token(subj.start, m.end(2), code_pol, subj))
        masks += quoted  # "the release gate passes" is mentioned, not asserted
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
                                              unit, (a, b)))
                last_pol = None
            else:
                last_pol = None
        if unit.cells:
            self._transposed(unit, claims, skipped)
        return _dedupe(claims), skipped

    def _header_subject(self, header: str, start: int, end: int) -> Subject | None:
        """The gate or release a table's column header names ("transcoder", "OOD gate")."""
        h = normalize_name(header.strip(" *_`"))
        if h.endswith(" gate"):
            h = h[:-5].strip()
        if h in _RELEASE_HEADERS:
            return Subject("release", "release", start, end)
        squashed = {n.replace(" ", ""): n for n in self.gate_names}
        name = h if h in self.gate_names else squashed.get(h.replace(" ", ""))
        return Subject("gate", name, start, end) if name else None

    def _transposed(self, unit: TextUnit, claims: list[StatusClaim],
                    skipped: list[NotAClaim]) -> None:
        """A table with gates as column headers: "| | transcoder |" / "| status | ✅ |".

        A cell that is only a status word or mark, under a header naming a gate or the
        release, claims that status (red team 11); a cell some claim already covers is left.
        """
        text = unit.text
        regular = list(claims)
        for c0, c1, header in unit.cells:
            pol = _polarity(text[c0:c1].strip(" *_`").lower())
            if pol is None or any(c.offset <= c0 < c.offset + len(c.text) or
                                  c0 <= c.offset < c1 for c in regular):
                continue
            subj = self._header_subject(header, c0, c1)
            if subj is None:
                continue
            claims.append(StatusClaim(subj, pol, f"{header.strip()}: {text[c0:c1].strip()}",
                                      c0, unit, (c0, c1)))
            skipped[:] = [n for n in skipped if not c0 <= n.offset < c1]

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
        quiet = quiet_parentheticals(scan, a, b, _STATUS_RE)
        breaks = [x for x in hard_breaks(scan, a, b, quiet)
                  # "external gate — passed": a dash before a lone closing status word is a
                  # label's separator, not a new clause (rt12)
                  if not (x > a and scan[x - 1] in "\u2014\u2013"
                          and _STATUS_RE.fullmatch(scan[x:b].strip(" *_.!")))]
        # ", which we feared would fail,": a comma-delimited relative clause is an aside. Its
        # words are read as usual ("the gate, which passed last week," claims it passed), but
        # the subject carries over it to the main verb (rt12)
        asides = [m.span() for m in _ASIDE_RE.finditer(scan, a, b)]
        cond = conditional_from(scan, a, b, clauses)
        outside = [i for i, t in enumerate(tokens)
                   if not any(x0 < t.start < x1 for x0, x1 in asides)]
        listed = {outside[k] for k in listed_values(
            text, [(tokens[i].start, tokens[i].end, tokens[i].polarity) for i in outside])}
        pending: list[Subject] = []
        last_attached: list[Subject] = []
        last_break = a
        last_end = a
        consumed: set[int] = set()  # subjects already claimed by a status word before them
        si = 0
        before_aside: list[Subject] | None = None  # the subjects pending when an aside began
        for ti, t in enumerate(tokens):
            brk = enclosing_start(breaks, t.start)
            if brk != last_break:
                pending, last_attached, last_break = [], [], brk
            while si < len(subjects) and subjects[si].start < t.start:
                s = subjects[si]
                aside = any(q0 < s.start < q1 for q0, q1 in quiet)
                if s.start >= brk and si not in consumed and not aside and (
                        not pending or pending[-1].end <= s.start):
                    pending.append(s)
                si += 1
            in_aside = t.subject is None and any(x0 < t.start < x1 for x0, x1 in asides)
            if in_aside and before_aside is None:
                before_aside = list(pending)
            elif not in_aside and before_aside is not None:
                pending, before_aside = before_aside, None
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
                            # "Passed: external, ood": the whole list that follows (rt12)
                            while nxt[-1] + 1 < len(subjects) and _LIST_SEP_RE.fullmatch(
                                    scan, subjects[nxt[-1]].end, subjects[nxt[-1] + 1].start):
                                nxt.append(nxt[-1] + 1)
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
                sp: Polarity = pol
                if subj.negated and pol == "waived":
                    skip(t, "a negated quantifier over waivers (\"no gate is waived\"): "
                            "not an outcome of the release")
                    continue
                if subj.negated:
                    sp = "pass" if pol == "fail" else "fail"
                claims.append(StatusClaim(subj, sp, text[start:end][:200], start, unit,
                                          (a, b)))
            last_attached = list(targets)
            pending = []


_RELEASE_HEADERS = frozenset({"release", "overall", "verdict", "pass all", "all gates",
                              "release verdict", "release status", "all"})
_CODE_STATUS_RE = re.compile(r"\s{0,3}([A-Za-z][\w.\- ]{0,60}?)\s{0,3}(?:==|[:=])\s{0,3}"
                             r"([a-z]{2,12}|[\u2705\u274c\u2714\u2716\u2713\u2717])\s{0,3}",
                             re.IGNORECASE)
_NOT_BEFORE_RE = re.compile(r"\bnot\s{1,3}$", re.IGNORECASE)
_COORDINATED_RE = re.compile(r"(?:,|\band|\bor|&|/)\s{0,2}$", re.IGNORECASE)


def _dedupe(claims: list[StatusClaim]) -> list[StatusClaim]:
    """One claim per subject and polarity per sentence: two sentences are two claims, each its
    own finding, so one ignore comment never hides both (red team 11)."""
    seen: set[tuple[tuple[int, int], str, str, str]] = set()
    out: list[StatusClaim] = []
    for c in sorted(claims, key=lambda c: c.offset):
        key = (c.sentence, c.subject.kind, c.subject.name, c.polarity)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out
