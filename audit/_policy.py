"""The one policy key audit reads: ``audit: {not_claim_words: [...]}``.

The full policy loader lives in ``policy/``; reading just this key here keeps audit
independent of it (and cheap to import).
"""

from __future__ import annotations

from pathlib import Path

from ._notclaims import DEFAULT_NOT_CLAIM_WORDS


class PolicyWordsError(Exception):
    """The policy file cannot be read, or its ``audit`` section is malformed (→ exit 2)."""


def load_not_claim_words(path: Path) -> frozenset[str]:
    """Default not-claim words plus those under ``audit.not_claim_words`` in ``path``."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyWordsError(f"cannot read policy {path}: {e}") from e
    try:
        doc = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError) as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise PolicyWordsError(f"{path}{where}: invalid YAML") from e
    if doc is None:
        return DEFAULT_NOT_CLAIM_WORDS
    if not isinstance(doc, dict):
        raise PolicyWordsError(f"{path}: a policy is a mapping, not {type(doc).__name__}")
    section = doc.get("audit")
    if section is None:
        return DEFAULT_NOT_CLAIM_WORDS
    if not isinstance(section, dict):
        raise PolicyWordsError(f"{path}: 'audit' must be a mapping, e.g. "
                               "audit: {not_claim_words: [epoch]}")
    words = section.get("not_claim_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise PolicyWordsError(
            f"{path}: audit.not_claim_words must be a list of words, got {words!r:.80}"
        )
    return DEFAULT_NOT_CLAIM_WORDS | {w.strip().lower() for w in words}
