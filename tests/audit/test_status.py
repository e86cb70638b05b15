"""Status-claim detection on single text units."""

from __future__ import annotations

import pytest

from audit._claims import extract
from audit._notclaims import DEFAULT_NOT_CLAIM_WORDS
from audit._status import StatusDetector

GATES = ["random_model", "transcoder", "ood", "external", "external_saebench"]


def claims(md: str, gates: list[str] = GATES) -> list[tuple[str, str, str]]:
    det = StatusDetector(gates)
    out: list[tuple[str, str, str]] = []
    for unit in extract(md, DEFAULT_NOT_CLAIM_WORDS).units:
        out += [(c.subject.name, c.polarity, c.text) for c in det.detect(unit)]
    return out


@pytest.mark.parametrize(
    ("md", "expected"),
    [
        ("- random-model gate: pass", [("random model", "pass", "random-model gate: pass")]),
        ("random-model gate: pass, transcoder gate: fail", [
            ("random model", "pass", "random-model gate: pass"),
            ("transcoder", "fail", "transcoder gate: fail")]),
        ("✅ transcoder", [("transcoder", "pass", "✅ transcoder")]),
        ("It passes the OOD gate.", [("ood", "pass", "passes the OOD")]),
        ("`external_saebench`: ❌", [("external saebench", "fail", "external_saebench: ❌")]),
        ("overall: `pass_all=True`", [("release", "pass", "pass_all=True")]),
        ("gate: passing", [("release", "pass", "gate: passing")]),
        ("The OOD gate is not yet green.", [("ood", "fail", "OOD gate is not yet green")]),
        ("transcoder and OOD gates: fail", [
            ("transcoder", "fail", "transcoder and OOD gates: fail"),
            ("ood", "fail", "OOD gates: fail")]),
        ("- `transcoder: true`", [("transcoder", "pass", "transcoder: true")]),
        ("sparsity gate: waived", [("sparsity", "waived", "sparsity gate: waived")]),
        # not claims: no subject, a flag in code, prose use of a gate word, a compound word
        ("pytest remains green", []),
        ("supports `--fail-on-gate-fail`", []),
        ("external metric study: complete", []),
        ("the fail-fast path is complete", []),
        ("internal consistency gates: pass", []),
    ],
)
def test_detection(md: str, expected: list[tuple[str, str, str]]) -> None:
    assert claims(md) == expected


def test_without_a_decision_gate_phrases_still_count() -> None:
    assert claims("- transcoder gate: pass", gates=[]) == [
        ("transcoder", "pass", "transcoder gate: pass")]
