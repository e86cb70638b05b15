"""The vocabulary of status claims: words, marks, assignments and gate phrases (issue 11).

Split from ``_status`` (which attaches words to subjects): what counts as a status word or mark,
how ``key = true`` assignments and "<name> gate" phrases are found (bounded scans, linear on a
10 MB line), and which words before "gate" name no gate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from ._decision import normalize_name

Polarity = Literal["pass", "fail", "waived"]

# Marks GitHub renders as a check or a cross count like the words (issue 11, "Vocabulary").
POSITIVE_MARKS = frozenset({
    "\u2705", "\u2714", "\u2611", "\u2713", "\U0001f7e2", ":white_check_mark:",
    ":heavy_check_mark:", "[x]",
})
NEGATIVE_MARKS = frozenset({"\u274c", "\u2717", "\u2718", "\u274e", "\U0001f534", ":x:"})
POSITIVE = frozenset({
    "pass", "passed", "passes", "passing", "green", "complete", "completed", "supported",
    "succeeded", "ok", "okay",
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
    r"(?<![\w'-])(?:pass(?:ed|es|ing)?|green|complete[d]?|supported|succeeded|ok(?:ay)?"
    r"|fail(?:ed|s|ing)?"
    r"|red|blocked|waived)(?![\w'-])|" + _MARK_ALTS,
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[\w']+(?:-[\w']+)*|" + _MARK_ALTS)
# "overall" and "verdict" only as labels ("overall: fail", "verdict = pass"), not as prose.
# ("all/release/stress/strict gates" are found by _gate_phrases.)
_RELEASE_PHRASE_RE = re.compile(
    r"\b(?:overall|verdict)(?=\s{0,3}[:=]|\s{1,3}(?:verdict|status|result|gate))"
    r"|\brelease[\s_-]{1,3}(?:status|verdict|decision)\b|^\s{0,3}gates?\s{0,3}:"
    # "Release: ✅", "the release is green", "the release passed all checks" (red team 11):
    # the release itself, as a label or the subject of a verb of outcome
    r"|\brelease(?=\s{0,3}[:=](?!/))"
    # "the gates all pass", "our gates both passed": every gate (rt12)
    r"|\b(?:the|our)\s{1,3}gates(?=\s{1,3}(?:all|both)\b)"
    r"|\b(?:the|this|our)\s{1,3}release(?=\s{1,3}(?:is|was|has|have|had|remains|stays|looks"
    r"|seems|appears|now|pass(?:es|ed)?|fail(?:s|ed)?|succeeded|went)\b)",
    re.IGNORECASE,
)
# Quantified gates (red team 11): "all four gates", "both gates", "every gate", "no gate",
# "none of the gates", "all of the required gates". Group 1: the quantifier; group 2: a word
# between it and "gate(s)" that is no number ("remaining", "other"): which gates, unsaid.
_QUANTIFIED_RE = re.compile(
    r"\b(all|both|every|each|no|none\s{1,3}of|neither\s{1,3}of|either\s{1,3}of)"
    r"(?:\s{1,3}of)?(?:\s{1,3}(?:the|our|its|their|these|those))?"
    r"(?:\s{1,3}(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|required|release))?"
    r"(?:\s{1,3}([a-z][\w-]{0,30}))?\s{1,3}gates?\b",
    re.IGNORECASE,
)
# a negative quantifier asserts the opposite of its verb: "no gate fails" = every gate passes
NEGATIVE_QUANTIFIERS = ("no", "none", "neither")
# "the gate for transcoder", "the gate of the OOD check": a gate named after it
_GATE_FOR_RE = re.compile(r"\bgate\s{1,3}(?:for|of|on)\s{1,3}(?:the\s{1,3})?$", re.IGNORECASE)
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


def _gate_regex(gate_names: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({normalize_name(n) for n in gate_names if normalize_name(n)}, key=len,
                   reverse=True)
    if not parts:
        return None
    alts = ["[\\s_-]{1,3}".join(re.escape(w) for w in p.split(" ")) for p in parts]
    # "external.cebench": a dotted sub-gate of a known gate, named even when the decision
    # lacks it (then unverifiable, never dropped: red team 11); "external.json" is a file
    return re.compile(r"(?<![\w-])((?:" + "|".join(alts) + r")(?:\.(?!(?:json|ya?ml|md|txt|csv"
                      r"|py|html)\b)[A-Za-z][\w-]{0,40})*)(?![\w])", re.IGNORECASE)


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
