"""Sentences, clauses and the wording that makes a status word *not* an outcome claim.

A status claim is one sentence: "The OOD gate passes. External gates do not." holds two
claims, never one spanning the full stop. Within a sentence, a status word asserts an outcome
only when it is not

- in a question ("Does the OOD gate pass?") or a to-do ("TODO: make the OOD gate pass",
  "next step: verify the final gate passes", an unchecked task "[ ] ...");
- in a conditional or purpose clause ("blocked unless all gates pass", "the verdict is pass
  only when every gate passes", "so that no report shows green");
- after a modal or an infinitive ("must pass for a release", "should pass", "will pass",
  "expected to pass");
- a metric or field name ("pass rate", "fail count", "pass criteria");
- the target of a mapping ("true → pass");
- one of several values listed side by side ("pass/fail", "`pass`, `fail`, `waived`",
  "`pass_all = True`, `overall_pass=False`");
- quoted ("the release gate passes" in double quotes is mentioned, not asserted).

Everything here is a linear scan over one text unit (bounded look-behind), so a 10 MB line
stays cheap. The rules are English-only and documented in docs/audit.md.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# "e.g. x", "i.e. y", "vs. z": a full stop after these does not end a sentence.
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "eg", "ie", "etc", "vs", "cf", "fig", "figs", "no", "al", "approx", "resp",
    "sec", "eq", "mr", "ms", "dr", "st", "incl", "ca",
})
_CONDITIONAL = re.compile(
    r"(?<![\w-])(?:if|unless|when|whenever|until|whether|once|provided|so\s+that|"
    r"in\s+order\s+to|as\s+long\s+as|in\s+case|otherwise)(?![\w-])",
    re.IGNORECASE,
)
_TEMPORAL = frozenset({"when", "whenever", "once", "until"})
_ONCE_AGAIN = re.compile(r"\s+(?:again|more)\b", re.IGNORECASE)
MODALS = frozenset({
    "must", "should", "shall", "can", "could", "may", "might", "would", "will", "cannot",
    "can't", "won't", "shouldn't", "mustn't", "wouldn't", "couldn't", "to", "need", "needs",
    "expected", "going", "ought", "required", "aims", "hope", "hopes", "want", "wants",
})
# "seems to pass", "appears to pass": a hedge still claims the outcome (red team 11), unlike
# "expected to pass" or "needs to pass"
HEDGES = frozenset({"seem", "seems", "seemed", "appear", "appears", "appeared"})
METRIC_NOUNS = frozenset({
    "rate", "rates", "ratio", "ratios", "count", "counts", "fraction", "percentage",
    "threshold", "thresholds", "criterion", "criteria", "condition", "conditions", "rule",
    "rules", "mark", "marks", "column", "columns", "flag", "flags", "label", "labels",
    "probability", "score", "scores", "state", "states", "status", "statuses", "word",
    "words", "value", "values", "case", "cases", "mode", "list", "bar", "line", "path",
})
_TODO_RE = re.compile(
    r"\s{0,3}(?:\[\s\]|todo\b|to-do\b|to\s+do\s*:|fixme\b|next\s+steps?\b|next\s*:|"
    r"action\s+items?\b|follow[\s-]?ups?\s*:|plan\s*:|pending\s*:)",
    re.IGNORECASE,
)
_MAPPING_TAIL = ("→", "->", "=>", "⇒", "becomes", "become", "maps to", "map to", "mapped to")
# what may stand between two values listed side by side
_LIST_SEP_RE = re.compile(r"(?:[\s,/|*`\"'()]|\bor\b|\band\b|\bnor\b|\bvs\.?|\bversus\b)*",
                          re.IGNORECASE)


_END_RE = re.compile(r"[.!?\u2026](?=\s|\Z)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; end excludes trailing spaces.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by whitespace (or the end), unless
    the word before a full stop is an abbreviation ("e.g.") or a single letter ("J. Smith").
    A full stop inside a token ("x.json", "0.5", "v1.2") never ends a sentence.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    for m in _END_RE.finditer(text):
        i = m.start()
        if i < start or (text[i] == "." and _abbreviation_before(text, i)):
            continue
        spans.append((start, i + 1))
        j = i + 1
        while j < n and text[j].isspace():
            j += 1
        start = j
    if start < n and text[start:].strip():
        end = n
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    return spans or [(0, n)]


def _abbreviation_before(text: str, dot: int) -> bool:
    k = dot
    while k > 0 and dot - k < 12 and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    word = text[k:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


_CLAUSE_RE = re.compile(r"[;()\u2014\u2013]|,(?= )")
_BREAK_RE = re.compile(r"[;()\u2014\u2013]")


def clause_starts(text: str, a: int, b: int) -> list[int]:
    """Offsets in [a, b) where a clause starts: after ``;``, ``(``, ``)``, a dash, or ``, ``."""
    return [a, *(m.end() for m in _CLAUSE_RE.finditer(text, a, b))]


def hard_breaks(text: str, a: int, b: int,
                quiet: list[tuple[int, int]] | None = None) -> list[int]:
    """Like ``clause_starts`` but without commas: where a subject stops carrying over.

    The brackets of a ``quiet`` parenthetical ("The transcoder gate (3 seeds) passes") are no
    break: the subject carries over it.
    """
    edges = {x for q in quiet or () for x in (q[0], q[1] - 1)}
    return [a, *(m.end() for m in _BREAK_RE.finditer(text, a, b) if m.start() not in edges)]


_PAREN_RE = re.compile(r"\(([^()]{0,80})\)")


def quiet_parentheticals(text: str, a: int, b: int,
                         status_re: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of "(...)" in [a, b) holding no status word (``status_re``), brackets included:
    an aside ("(3 seeds)", "(see table 2)") inside a clause, not a clause of its own."""
    return [m.span() for m in _PAREN_RE.finditer(text, a, b)
            if status_re.search(m.group(1)) is None]


def enclosing_start(starts: list[int], pos: int) -> int:
    k = bisect_right(starts, pos) - 1
    return starts[max(k, 0)]


def sentence_kind(text: str, a: int, b: int) -> str | None:
    """Why the whole sentence [a, b) makes no outcome claim, or None."""
    body = text[a:b].rstrip(" *_`\"')\u201d")
    if body.endswith("?"):
        return "a question"
    if _TODO_RE.match(text, a, min(b, a + 40)):
        return "a to-do"
    return None


def conditional_from(text: str, a: int, b: int, clauses: list[int]) -> int | None:
    """Where the conditional or purpose part of sentence [a, b) starts, or None.

    From the start of the clause holding "if/unless/when/so that…" to the end of the
    sentence; a sentence that opens with one ("If all gates pass, …") is conditional whole.
    """
    for m in _CONDITIONAL.finditer(text, a, b):
        if m[0].lower() == "once" and _ONCE_AGAIN.match(text, m.end()):
            continue  # "Once again, the gate passes": not a condition
        start = enclosing_start(clauses, m.start())
        opens = not text[start:m.start()].strip(" *_`\"'(\u201c-—–")
        # A clause that opens with the word is conditional from its start ("If all gates pass,
        # …"), and so is one holding "if/unless…" ("blocked unless all gates pass" states a
        # rule). A temporal word in the middle of a clause makes only what follows it
        # conditional: "The transcoder gate passes when run on GPU" keeps its claim.
        temporal = m[0].lower() in _TEMPORAL
        return m.start() if temporal and not opens else start
    return None


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text in double quotes (straight or curly), quotes included; unpaired ignored."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\u201c":
            open_at = i
        elif ch == "\u201d" and open_at is not None:
            out.append((open_at, i + 1))
            open_at = None
        elif ch == '"':
            if open_at is None:
                open_at = i
            else:
                out.append((open_at, i + 1))
                open_at = None
    return out


def word_reason(scan: str, floor: int, start: int, end: int) -> str | None:
    """Why the status word at [start, end) is not an outcome claim, from its neighbours."""
    before = scan[max(floor, start - 40):start].lower().rstrip()
    prev = re.findall(r"[\w']+", before)[-3:]
    if "to" in prev and prev.index("to") > 0 and prev[prev.index("to") - 1] in HEDGES:
        return None  # "seems to pass", "appears to have passed": a hedged outcome claim
    if (prev and prev[-1] in MODALS) or (len(prev) >= 2 and prev[-2] in MODALS
                                       and prev[-1] in ("be", "have", "not", "yet", "all")):
        return "normative, future or modal wording, not an outcome"
    if before.endswith(_MAPPING_TAIL):
        return "the target of a mapping, not an outcome"
    after = scan[end:end + 30].lstrip(" *_`")
    nxt = re.match(r"[\w]+", after)
    if nxt is not None and nxt.group().lower() in METRIC_NOUNS and after[:1].isalpha():
        return f"part of a name ({scan[start:end]} {nxt.group()}), not an outcome"
    return None


def listed_values(text: str, tokens: list[tuple[int, int, str]]) -> set[int]:
    """Indices of tokens that are values listed side by side with another polarity.

    ``tokens`` are (start, end, polarity) in text order. Neighbours joined only by list
    separators (",", "/", "|", "or", "and", quotes, code marks) form a run; a run holding two
    polarities lists the values something can take ("pass/fail") rather than asserting one.
    """
    out: set[int] = set()
    run = [0] if tokens else []
    for i in range(1, len(tokens) + 1):
        joined = i < len(tokens) and _only_separators(text, tokens[i - 1][1], tokens[i][0])
        if joined:
            run.append(i)
            continue
        if len({tokens[j][2] for j in run}) > 1:
            out.update(run)
        run = [i]
    return out


def _only_separators(text: str, a: int, b: int) -> bool:
    if b - a > 40:
        return False
    m = _LIST_SEP_RE.match(text, a, b)
    return m is not None and m.end() == b
