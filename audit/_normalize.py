"""Report text normalised before claim detection (red team 12): hidden characters and lookalike
letters must not hide a claim.

"The external gate pа\u200bsses." (a Cyrillic "а" and a zero-width space) reads as a claim to
a person and must read as one to the audit. Three steps, in this order:

1. drop format characters (Unicode category Cf: zero-width space/joiners, soft hyphen, bidi
   controls…), which render as nothing;
2. NFKC, character by character, where a character's compatibility form is ASCII letters
   (full-width "ＰＡＳＳ", the ligature "ﬁ"); other characters ("…", "½", digits, and
   superscripts such as the exponent in "10⁻³") are kept as written;
3. in a word that also holds a Latin letter, Cyrillic and Greek letters that look like Latin
   ones are that Latin letter ("еxternal" is "external"; a word that mixes scripts is read as
   its Latin form). Wholly Cyrillic or Greek words are left alone;
4. a space other than U+0020 (Unicode category Zs: no-break, narrow no-break, thin, em,
   ideographic…) between two letters is a space ("Release\u00a0gate: PASS" is a claim, red
   team 13). Only between letters: leading no-break spaces do not indent markdown, and
   numbers keep their own separators ("1\u202f234\u202f567", "74.61\u00a0%").

5. a character that renders blank though Unicode calls it a letter or symbol (U+2800 Braille
   blank, the Hangul fillers) is a space after a visible character, and nothing elsewhere.

The extractor applies the same to the text of each inline token too, where entities such as
``&nbsp;`` and ``&#173;`` have become characters.

Line breaks are never removed, so findings keep their line numbers; a column after a dropped
character moves left by one. The table of lookalikes is the common subset of Unicode's
confusables.txt (https://www.unicode.org/Public/security/latest/confusables.txt) for the
Latin alphabet.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

# Cyrillic and Greek letters whose glyph is a Latin letter's (confusables.txt, MA class)
_LOOKALIKES = {
    # Cyrillic lower / upper
    "а": "a", "в": "b", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "к": "k",
    "м": "m", "н": "h", "т": "t",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    "Ӏ": "I",
    # Greek lower / upper
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "ι": "i", "κ": "k", "υ": "u", "γ": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)
_WORD_RE = re.compile(r"\w+")
_LATIN_RE = re.compile(r"[A-Za-z]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=1)
def _format_chars() -> re.Pattern[str]:
    """Every Cf code point as one character class (built once; about 170 of them)."""
    ranges: list[list[int]] = []
    for c in range(sys.maxunicode + 1):
        if unicodedata.category(chr(c)) == "Cf":
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    # ranges, not single characters: the class is then matched in a few comparisons
    return re.compile("[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                                    for a, b in ranges) + "]")


@lru_cache(maxsize=4096)
def _ascii_form(ch: str) -> str:
    if unicodedata.decomposition(ch).startswith(("<super>", "<sub>")):
        return ch  # "10⁻³": an exponent, which the number parser reads as written
    form = unicodedata.normalize("NFKC", ch)
    return form if form.isascii() and form.isalpha() else ch


def _fold(m: re.Match[str]) -> str:
    return _ascii_form(m.group())


def _latin_word(m: re.Match[str]) -> str:
    word = m.group()
    if word.isascii() or _LATIN_RE.search(word) is None:
        return word
    return word.translate(_LOOKALIKE_TABLE)


# a run of Zs spaces other than U+0020 between two letters ([^\W\d_]: a letter)
_SPACES_BETWEEN_LETTERS = re.compile(
    r"(?<=[^\W\d_])[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+(?=[^\W\d_])")


# characters that render blank though Unicode calls them letters or symbols (Braille blank,
# Hangul fillers): a space after a visible character, nothing elsewhere (red team 13:
# "Release\u2800gate: PASS", "gate:\u3164PASS")
_BLANKS = "\u2800\u3164\uffa0\u115f\u1160"
_BLANK_AFTER_TEXT = re.compile(f"(?<=\\S)[{_BLANKS}]+")
_BLANK_ELSEWHERE = re.compile(f"[{_BLANKS}]+")


def normalize_report_text(text: str) -> str:
    """``text`` with format characters dropped, compatibility letters folded to ASCII,
    lookalike letters in mixed-script words read as Latin and other spaces between letters
    made spaces (see the module docstring)."""
    if text.isascii():
        return text  # most reports: nothing to do
    text = _format_chars().sub("", text)
    if any(ch in text for ch in _BLANKS):
        text = _BLANK_ELSEWHERE.sub("", _BLANK_AFTER_TEXT.sub(lambda m: " " * len(m.group()),
                                                              text))
    if not text.isascii():
        text = _SPACES_BETWEEN_LETTERS.sub(lambda m: " " * len(m.group()), text)
    if not text.isascii():
        text = _NON_ASCII_RE.sub(_fold, text)
    if not text.isascii() and any(ch in text for ch in _LOOKALIKES):
        text = _WORD_RE.sub(_latin_word, text)
    return text
