"""Status claims, red team 12: lists, labels, hidden characters and comparatives.

Each example of the red-team pass is a corpus entry with its exact verdicts, audited through the
whole pipeline against a decision in which random_model and ood pass, transcoder and external
fail (tests/audit/test_status_claims.py's GATES).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import AuditOptions, audit_paths
from tests.audit.conftest import Repo, verdicts
from tests.audit.test_status_claims import GATES, failing_example, status  # noqa: F401

C = "contradicts-gate"
V = "verified"


@pytest.fixture
def rel(repo: Repo) -> Repo:
    repo.decision(GATES)
    return repo


RT12_CLAIMS: list[tuple[str, list[tuple[str, str]]]] = [
    # 1. every gate of a list or coordination is checked, not only the first
    ("Gates passing: random_model, transcoder, ood, external.\n",
     [("passing: random_model", V), ("passing: random_model, transcoder", C),
      ("passing: random_model, transcoder, ood", V),
      ("passing: random_model, transcoder, ood, external", C)]),
    ("Both the external and the transcoder gate pass.\n",
     [("external and the transcoder gate pass", C), ("transcoder gate pass", C)]),
    # 2. claims that were not found at all
    ("Passing gates: external\n", [("Passing gates: external", C)]),
    ("Passed: external, ood\n", [("Passed: external", C), ("Passed: external, ood", V)]),
    ("The gates all pass.\n", [("The gates all pass", C)]),
    ("external gate \u2014 passed\n", [("external gate \u2014 passed", C)]),
    ("The external gate is OK.\n", [("external gate is OK", C)]),
    ("`external_gate_passed: true`\n", [("external_gate_passed: true", C)]),
    ("external_gate_passed: true\n", [("external_gate_passed: true", C)]),
    ("ood_gate_failed: false\n", [("ood_gate_failed: false", V)]),
    ("The external gate, which we feared would fail, passes.\n",
     [("external gate, which we feared would fail, passes", C)]),
    # 3. the gate named in a parent list item, its status in the child item
    ("- external gate\n  - passes\n", [("external gate: passes", C)]),
    ("- external\n  - status: \u2705\n", [("external: status: \u2705", C)]),
    ("- ood gate\n  - passes\n", [("ood gate: passes", V)]),
    ("- external gate\n- passes\n", []),  # a sibling item lists another thing
    # 4. split across an HTML block: the <summary> names the gate, the body says the status
    ("<details><summary>External gate</summary>\n\npasses\n\n</details>\n",
     [("External gate: passes", C)]),
    # 5. row labels that start with a gate's name; an unknown label is unverifiable
    ("| gate | status |\n|---|---|\n| External benchmarks | pass |\n",
     [("External benchmarks | pass", C)]),
    ("| gate | status |\n|---|---|\n| external (SAEBench + CE-Bench) | pass |\n",
     [("external (SAEBench + CE-Bench) | pass", C)]),
    ("| gate | status |\n|---|---|\n| SAEBench + CE-Bench | pass |\n",
     [("SAEBench + CE-Bench | pass", "unverifiable")]),
    ("| study | note |\n|---|---|\n| external scaling study | complete |\n", []),
    # 6. homoglyphs and zero-width characters (normalised before detection)
    ("The external gate p\u0430sses.\n", [("external gate passes", C)]),
    ("The external gate pa\u200bsses.\n", [("external gate passes", C)]),
    ("| gate | status |\n|---|---|\n| \u0435xternal | \u2705 |\n", [("external | \u2705", C)]),
    ("| gate | status |\n|---|---|\n| exte\u200brnal | \u2705 |\n", [("external | \u2705", C)]),
    ("| gate | status |\n|---|---|\n| external | P\u0410SS |\n", [("external | PASS", C)]),
    ("The external gate passes \uff08\uff30\uff21\uff33\uff33\uff09.\n",
     [("external gate passes", C)]),
    # neighbours that stay what they were
    ("Tools: external, internal.\n", []),
    # a non-restrictive relative clause asserts its own outcome about the subject
    ("The external gate, which passed last week, is being rerun.\n",
     [("external gate, which passed", C)]),
    ("\u041f\u0440\u043e\u0433\u043e\u043d \u043e\u043a\u043e\u043d\u0447\u0435\u043d.\n", []),
]


@pytest.mark.parametrize(("md", "expected"), RT12_CLAIMS)
def test_rt12_status_claims(rel: Repo, md: str, expected: list[tuple[str, str]]) -> None:
    assert status(rel, md) == expected


_CLAIMS = ["The external gate passes.", "External gate: pass", "The transcoder gate is green.",
           "| gate | status |\n|---|---|\n| external | pass |"]
_CYRILLIC = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441",
             "x": "\u0445", "P": "\u0420", "A": "\u0410", "E": "\u0415", "T": "\u0422"}
_HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]


# the fixture's repo is reused on purpose: each example rewrites r.md and reads only it
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(_CLAIMS), st.data())
def test_hidden_characters_and_lookalikes_never_remove_a_finding(
        rel: Repo, claim: str, data: st.DataObject) -> None:
    before = status(rel, claim + "\n")
    assert before and all(v == C for _, v in before)
    letters = [i for i, ch in enumerate(claim) if ch.isalpha()]
    i = data.draw(st.sampled_from(letters))
    if data.draw(st.booleans()) and claim[i] in _CYRILLIC:
        changed = claim[:i] + _CYRILLIC[claim[i]] + claim[i + 1:]
    else:
        changed = claim[:i] + data.draw(st.sampled_from(_HIDDEN)) + claim[i:]
    after = status(rel, changed + "\n")
    assert [v for _, v in after] == [v for _, v in before], (changed, after)


def test_comparative_beats_baseline_claim_is_checked(failing_example: Repo) -> None:  # noqa: F811
    """"scores higher than the baseline" claims what "beats the baseline" claims: the CE-Bench
    deltas' recomputed 95% lower bound is -1.58 (examples/failing), so it is refuted."""
    for phrase in ("scores higher than the baseline", "beats the baseline",
                   "does better than the baseline"):
        failing_example.text(
            "r.md", f"Per [CE-Bench](examples/failing/external_cebench.json), our SAE "
            f"{phrase}.\n")
        r = audit_paths([failing_example.root / "r.md"],
                        AuditOptions(repo=failing_example.root))
        stated = [f for f in r.findings if "baseline" in f.claim]
        assert [f.verdict for f in stated] == ["decision-error"], (phrase, verdicts(r))
        assert "-1.58" in stated[0].message
