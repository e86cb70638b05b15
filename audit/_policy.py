"""The policy keys audit reads: ``audit: {not_claim_words: [...], gate_groups: {...}}``.

The full policy loader lives in ``policy/``; reading just the ``audit:`` section here as plain
YAML keeps audit independent of it (and cheap to import).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ._notclaims import DEFAULT_NOT_CLAIM_WORDS


class PolicyWordsError(Exception):
    """The policy file cannot be read, or its ``audit`` section is malformed (→ exit 2)."""


@dataclass(frozen=True)
class AuditPolicy:
    """What the policy's ``audit:`` section says (defaults when absent)."""

    not_claim_words: frozenset[str] = DEFAULT_NOT_CLAIM_WORDS
    # group name (as written) → member gate names, e.g. stress: [random_model, transcoder, ood]
    gate_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # audit.unbacked: "error" makes every unbacked number or claim fail the audit (as --strict)
    unbacked: Literal["warning", "error"] = "warning"
    # every gate name of the policy's `gates:` (sub-gates of `all:`/`any:` included), read as
    # plain YAML: with no decision, status claims about them are still recognised
    gate_names: tuple[str, ...] = ()


def load_not_claim_words(path: Path) -> frozenset[str]:
    """Default not-claim words plus those under ``audit.not_claim_words`` in ``path``."""
    return load_audit_policy(path).not_claim_words


def load_audit_policy(path: Path) -> AuditPolicy:
    """Read ``audit.not_claim_words`` and ``audit.gate_groups`` from the policy at ``path``.

    Raises ``PolicyWordsError`` (→ exit 2) with ``file: message`` when the file cannot be
    read, is not YAML, or its ``audit`` section is malformed.
    """
    doc, section = _audit_section(path)
    names = _gate_names(doc.get("gates") if isinstance(doc, dict) else None)
    if section is None:
        return AuditPolicy(gate_names=names)
    words = section.get("not_claim_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise PolicyWordsError(
            f"{path}: audit.not_claim_words must be a list of words, got {words!r:.80}"
        )
    groups_in = section.get("gate_groups", {})
    if not isinstance(groups_in, dict):
        raise PolicyWordsError(f"{path}: audit.gate_groups must be a mapping of group name to "
                               "gate names, e.g. {stress: [random_model, transcoder, ood]}")
    groups: dict[str, tuple[str, ...]] = {}
    for name, members in groups_in.items():
        if not isinstance(name, str) or not name.strip():
            raise PolicyWordsError(f"{path}: audit.gate_groups: a group name must be text, "
                                   f"got {name!r:.40}")
        if (not isinstance(members, list) or not members
                or not all(isinstance(m, str) and m.strip() for m in members)):
            raise PolicyWordsError(f"{path}: audit.gate_groups.{name} must be a non-empty "
                                   f"list of gate names, got {members!r:.80}")
        groups[name.strip()] = tuple(m.strip() for m in members)
    unbacked = section.get("unbacked", "warning")
    if unbacked not in ("warning", "error"):
        raise PolicyWordsError(f"{path}: audit.unbacked must be 'warning' or 'error', got "
                               f"{unbacked!r:.40}")
    return AuditPolicy(DEFAULT_NOT_CLAIM_WORDS | {w.strip().lower() for w in words}, groups,
                       unbacked, names)


def _gate_names(gates: Any) -> tuple[str, ...]:
    """Names under ``gates:`` and their ``all:``/``any:`` children (malformed entries skipped:
    validating the policy is the policy loader's job)."""
    out: list[str] = []
    stack = list(reversed(gates)) if isinstance(gates, list) else []
    while stack:
        g = stack.pop()
        if not isinstance(g, dict):
            continue
        if isinstance(g.get("name"), str) and g["name"].strip():
            out.append(g["name"].strip())
        for key in ("all", "any"):
            if isinstance(g.get(key), list):
                stack.extend(reversed(g[key]))
    return tuple(out)


def _audit_section(path: Path) -> tuple[Any, dict[str, Any] | None]:
    """(the whole document, its ``audit`` section or None)."""
    # The project's one safe YAML reader, as strict as the policy loader: a policy holds no
    # anchors or aliases (a 342-byte alias bomb would otherwise expand to billions of values).
    from evidence_schema import YAMLLoadError, load_yaml_file

    try:
        doc = load_yaml_file(path, aliases="refuse").data
    except YAMLLoadError as e:
        raise PolicyWordsError(str(e)) from None
    if doc is None:
        return None, None
    if not isinstance(doc, dict):
        raise PolicyWordsError(f"{path}: a policy is a mapping, not {type(doc).__name__}")
    section = doc.get("audit")
    if section is None:
        return doc, None
    if not isinstance(section, dict):
        raise PolicyWordsError(f"{path}: 'audit' must be a mapping, e.g. "
                               "audit: {not_claim_words: [epoch]}")
    return doc, section
