"""Status claims, issue 11: only real outcome claims, checked against the right decision.

Every example of the issue is a corpus entry here with its exact verdict, audited through the
whole pipeline against a decision in which random_model and ood pass, transcoder and external
fail (so the release verdict is fail).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import AuditOptions, audit_paths
from tests.audit.conftest import Repo, verdicts

GATES = {"random_model": "pass", "transcoder": "fail", "ood": "pass", "external": "fail"}


@pytest.fixture
def rel(repo: Repo) -> Repo:
    repo.decision(GATES)
    return repo


def status(repo: Repo, md: str, **opts: object) -> list[tuple[str, str]]:
    repo.text("r.md", md)
    r = audit_paths([repo.root / "r.md"], AuditOptions(repo=repo.root, **opts))  # type: ignore[arg-type]
    return verdicts(r, "status")


# (report text, [(claim, verdict)]): the examples and their neighbours
CORPUS = [
    # one sentence per claim; "do not" after a full stop negates the previous sentence's word
    ("The OOD gate passes. External gates do not.\n",
     [("OOD gate passes", "verified"), ("External gates do not.", "verified")]),
    ("The OOD gate fails. External gates do not.\n",
     [("OOD gate fails", "contradicts-gate"), ("External gates do not.", "contradicts-gate")]),
    # a status word never reaches a subject across a full stop
    ("The transcoder gate was rerun. Everything passed.\n", []),
    # conditional, purpose
    ("The release is blocked unless all gates pass.\n", []),
    ("If the transcoder gate passes, we release.\n", []),
    ("The verdict is `pass` only when every required gate passes.\n", []),
    ("We audit reports so that no report shows the transcoder gate green.\n", []),
    # normative, future, modal
    ("The transcoder gate must pass for a release.\n", []),
    ("The transcoder gate should be green before we publish.\n", []),
    ("The transcoder gate will pass after the fix.\n", []),
    ("The transcoder gate is expected to pass.\n", []),
    # to-do and questions
    ("Next step: verify the final transcoder gate passes.\n", []),
    ("TODO: make the transcoder gate pass.\n", []),
    ("- [ ] transcoder gate passes\n", []),
    ("Does the transcoder gate pass?\n", []),
    # metric and field names
    ("The pass rate of the transcoder gate is 40%.\n", []),
    ("transcoder gate: fail count 3\n", []),
    # values listed side by side, mappings, quotes, generic gates, names in code
    ("Gate statuses: `pass`, `fail`, `missing`, `waived`.\n", []),
    ("Marks (pass/fail, green/red, ✅/❌) about the transcoder gate are checked.\n", []),
    ("Assignments `pass_all = True`, `overall_pass=False`, `transcoder: true` are read.\n", []),
    ("`random_model`, `transcoder` map true → `pass`, false → `fail`.\n", []),
    ('Never publish "the transcoder gate passes" without a decision.\n', []),
    ("A required gate that does not pass blocks the release.\n", []),
    ("Such a claim is `contradicts-gate` when a gate does not pass.\n", []),
    # "gate" modifying another noun; a relative clause describing the subject
    ("The release gate script fails closed.\n", []),
    ("With no data, the confirming gate is `missing`, never a pass.\n", []),
    ("The demo lists every gate that does not pass, with its reason.\n", []),
    # real outcome claims
    ("The transcoder gate passes.\n", [("transcoder gate passes", "contradicts-gate")]),
    ("The transcoder gate failed; the OOD gate passed.\n",
     [("transcoder gate failed", "verified"), ("OOD gate passed", "verified")]),
    ("Release gate: PASS\n", [("Release gate: PASS", "contradicts-gate")]),
    ("All gates pass.\n", [("All gates pass", "contradicts-gate")]),
]


@pytest.mark.parametrize(("md", "expected"), CORPUS)
def test_status_corpus(rel: Repo, md: str, expected: list[tuple[str, str]]) -> None:
    assert status(rel, md) == expected


POSITIVE_MARKS = ["✓", "✔", "✅", "☑", "🟢", ":white_check_mark:", ":heavy_check_mark:", "[x]"]
NEGATIVE_MARKS = ["✗", "✘", "❌", "🔴", ":x:"]


@pytest.mark.parametrize("mark", POSITIVE_MARKS)
def test_positive_marks(rel: Repo, mark: str) -> None:
    assert status(rel, f"- ood: {mark}\n- transcoder: {mark}\n") == [
        (f"ood: {mark}", "verified"), (f"transcoder: {mark}", "contradicts-gate")]


@pytest.mark.parametrize("mark", NEGATIVE_MARKS)
def test_negative_marks(rel: Repo, mark: str) -> None:
    assert status(rel, f"- ood: {mark}\n- transcoder: {mark}\n") == [
        (f"ood: {mark}", "contradicts-gate"), (f"transcoder: {mark}", "verified")]


def test_checked_task_item_is_a_positive_mark(rel: Repo) -> None:
    assert status(rel, "- [x] transcoder gate\n- [x] OOD gate\n") == [
        ("[x] transcoder", "contradicts-gate"), ("[x] OOD", "verified")]


@pytest.mark.parametrize("text", ["overall pass = True", "overall_pass=True", "pass_all: true",
                                  "`pass_all: true`", "Overall Pass == TRUE"])
def test_release_assignments_alike(rel: Repo, text: str) -> None:
    # the decision's verdict is fail: each reads as "the release passes"
    assert status(rel, f"- {text}\n") == [(text.strip("`"), "contradicts-gate")]
    flipped = text.replace("True", "False").replace("true", "false").replace("TRUE", "FALSE")
    assert status(rel, f"- {flipped}\n") == [(flipped.strip("`"), "verified")]


# --- gate groups ---------------------------------------------------------------------------

def test_gate_group_is_checked_against_its_members_not_the_release(rel: Repo) -> None:
    md = "- stress gates pass\n"
    # random_model and ood pass, so the group passes although the release fails
    assert status(rel, md, gate_groups={"stress": ("random_model", "ood")}) == [
        ("stress gates pass", "verified")]
    assert status(rel, md, gate_groups={"stress": ("random_model", "transcoder", "ood")}) == [
        ("stress gates pass", "contradicts-gate")]
    assert status(rel, "- stress gates fail\n",
                  gate_groups={"stress": ("random_model", "transcoder", "ood")}) == [
        ("stress gates fail", "verified")]


def test_undefined_gate_group_is_unverifiable_not_the_release(rel: Repo) -> None:
    r = status(rel, "- stress gates pass\n")
    assert r == [("stress gates pass", "unverifiable")]


def test_group_member_missing_from_the_decision_fails_closed(rel: Repo) -> None:
    assert status(rel, "- quality gates pass\n",
                  gate_groups={"quality": ("ood", "sparsity")}) == [
        ("quality gates pass", "contradicts-gate")]


def test_gate_groups_come_from_the_decisions_policy_file(rel: Repo) -> None:
    # Repo.decision names policy.yaml; audit reads its audit: section as plain YAML
    rel.text("policy.yaml", "audit:\n  gate_groups:\n    stress: [random_model, ood]\n")
    assert status(rel, "- stress gates pass\n") == [("stress gates pass", "verified")]


def test_cli_policy_gate_groups(rel: Repo) -> None:
    from releasegate.cli.main import main

    rel.text("p.yaml", "audit:\n  gate_groups:\n    stress: [random_model, transcoder, ood]\n")
    rel.text("r.md", "- stress gates pass\n")
    rc = main(["audit", str(rel.root / "r.md"), "--repo", str(rel.root), "--policy",
               str(rel.root / "p.yaml"), "--format", "json"])
    assert rc == 1


def test_shipped_policy_defines_the_stress_group() -> None:
    from audit import load_audit_policy
    from policy import load_policy

    path = Path(__file__).resolve().parents[2] / "policy/husai-release/v1.yaml"
    assert load_audit_policy(path).gate_groups["stress"] == ("random_model", "transcoder", "ood")
    # the policy package's own loader accepts the audit: section with gate_groups
    assert load_policy(path).policy.audit.gate_groups["stress"] == [
        "random_model", "transcoder", "ood"]


@pytest.mark.parametrize("bad", ["audit:\n  gate_groups: [a, b]\n",
                                 "audit:\n  gate_groups:\n    stress: []\n",
                                 "audit:\n  gate_groups:\n    stress: [1, 2]\n"])
def test_malformed_gate_groups_are_a_usage_error(rel: Repo, bad: str) -> None:
    from audit import PolicyWordsError, load_audit_policy

    rel.text("p.yaml", bad)
    with pytest.raises(PolicyWordsError, match="gate_groups"):
        load_audit_policy(rel.root / "p.yaml")


# --- historical gate outputs -----------------------------------------------------------------

def test_claim_citing_an_older_decision_is_checked_against_it(rel: Repo) -> None:
    rel.decision({"random_model": "pass", "transcoder": "pass", "ood": "pass",
                  "external": "pass"}, rel="docs/cycle1/decision.json")
    md = ("## Cycle 1\n\n"
          "- transcoder gate: pass (`docs/cycle1/decision.json`)\n"
          "- overall: pass\n\n"
          "In `docs/cycle1/decision.json` all gates passed.\n\n"
          "## Now\n\n- transcoder gate: pass\n")
    r = audit_paths([rel.text("r.md", md)], AuditOptions(repo=rel.root))
    got = [(f.claim, f.verdict, f.message) for f in r.findings if f.kind == "status"]
    assert [(c, v) for c, v, _ in got] == [
        ("transcoder gate: pass", "verified"),
        # the citation is in another list item: the current release, which fails
        ("overall: pass", "contradicts-gate"),
        ("all gates passed", "verified"),
        ("transcoder gate: pass", "contradicts-gate")]
    # a finding checked against a cited output says which file it used
    assert got[0][2].startswith("agrees with docs/cycle1/decision.json (a cited gate output, "
                                "not the current decision)")
    assert "docs/cycle1/decision.json" not in got[1][2]


def test_claim_citing_another_tools_gate_json_is_checked_against_it(rel: Repo) -> None:
    rel.json("docs/phase4e/release_policy.json", {"gates": {
        "random_model": True, "transcoder": True, "ood": True, "external": False,
        "pass_all": True}})
    md = ("## Phase 4e\n\n"
          "| gate | source | status |\n|---|---|---|\n"
          "| transcoder | `docs/phase4e/release_policy.json` | ✅ |\n"
          "| external | `docs/phase4e/release_policy.json` | ❌ |\n\n"
          "In `docs/phase4e/release_policy.json` all gates passed.\n")
    r = status(rel, md)
    # its pass_all is never trusted: external is false, so the recomputed verdict is fail
    assert r == [("transcoder | docs/phase4e/release_policy.json | ✅", "verified"),
                 ("external | docs/phase4e/release_policy.json | ❌", "verified"),
                 ("all gates passed", "contradicts-gate")]


# red team 11: a fake gate file cited anywhere in an enclosing section replaced the decision
RT11_SANITY = {"gates": {"random_model": True, "transcoder": True, "ood": True,
                         "external": True, "pass_all": True}}
RT11_REPORT = ("# Release report\n\nSanity checks are in `notes/sanity.json`.\n\n## Summary\n\n"
               "Release gate: PASS\n\nThe transcoder gate passes.\n\nAll gates pass.\n")


def test_gate_file_cited_in_an_enclosing_section_never_replaces_the_decision(
        rel: Repo) -> None:
    rel.json("notes/sanity.json", RT11_SANITY)
    assert status(rel, RT11_REPORT) == [("Release gate: PASS", "contradicts-gate"),
                                        ("transcoder gate passes", "contradicts-gate"),
                                        ("All gates pass", "contradicts-gate")]


@pytest.mark.parametrize("md", [
    # cited in the same sentence, but the release claim is about the current release
    "Per `notes/sanity.json` all gates pass.\n",
    "Release gate: PASS (`notes/sanity.json`)\n",
    "- Release gate: PASS, see `notes/sanity.json`\n",
    # cited in the previous sentence of the same paragraph
    "Sanity checks are in `notes/sanity.json`. The transcoder gate passes.\n",
])
def test_current_release_claims_are_checked_against_the_current_decision(
        rel: Repo, md: str) -> None:
    rel.json("notes/sanity.json", RT11_SANITY)
    assert [v for _, v in status(rel, md)] == ["contradicts-gate"]


def test_unusable_cited_gate_output_is_unverifiable_not_the_latest(rel: Repo) -> None:
    old = rel.decision({"transcoder": "pass"}, rel="docs/old/decision.json")
    doc = json.loads(old.read_text())
    del doc["verdict"]  # no longer a valid decision
    rel.json("docs/old/decision.json", doc)
    md = "## Old\n\n- transcoder gate: fail (`docs/old/decision.json`)\n"
    # never silently checked against the latest decision (where it would be "verified")
    assert status(rel, md) == [("transcoder gate: fail", "unverifiable")]


# --- no decision ---------------------------------------------------------------------------

def test_no_decision_cli_exit_codes(repo: Repo) -> None:
    from releasegate.cli.main import main

    repo.text("r.md", "Release gate: PASS\n")
    args = ["audit", str(repo.root / "r.md"), "--repo", str(repo.root)]
    assert main(args) == 1  # the pre-commit hook now blocks it
    assert main([*args, "--no-decision"]) == 0


# --- raw HTML ------------------------------------------------------------------------------

def test_raw_html_blocks_are_audited_like_markdown(rel: Repo) -> None:
    rel.json("docs/e.json", {"ev": 0.7452})
    md = """\
# Results

<details>
<summary>Release gate: PASS</summary>

<p>The <code>ood</code> gate passes. EV <a href="docs/e.json">0.7452</a>, not 0.7462.</p>
<table>
<tr><th>gate</th><th>status</th></tr>
<tr><td>transcoder</td><td>✅</td></tr>
</table>
<pre>transcoder gate: pass</pre>
</details>
"""
    rel.text("r.md", md)
    r = audit_paths([rel.root / "r.md"], AuditOptions(repo=rel.root))
    assert verdicts(r, "status") == [("Release gate: PASS", "contradicts-gate"),
                                     ("ood gate passes", "verified"),
                                     ("transcoder | ✅", "contradicts-gate")]
    assert [(f.claim, f.verdict, f.line) for f in r.findings if f.kind == "number"] == [
        ("0.7452", "verified", 6), ("0.7462", "mismatch", 6)]
    assert [f.line for f in r.findings if f.kind == "status"] == [4, 6, 9]


def test_gate_output_json_shapes() -> None:
    from audit._decision import is_gate_output

    assert is_gate_output({"gates": {"a": True, "pass_all": False}}, None)
    assert is_gate_output({}, "decision")
    assert not is_gate_output({"gates": [1, 2]}, None)
    assert not is_gate_output(json.loads('{"metrics": {"gates": 3}}'), None)


# --- properties ----------------------------------------------------------------------------

# what each subject and word means, written out here (not derived from the code under test)
_SUBJECT_OF = {"The transcoder gate": "transcoder", "The OOD gate": "ood",
               "random_model": "random_model", "All gates": "release", "Overall:": "release"}
_POLARITY_OF = {"passes": "pass", "fails": "fail", "is green": "pass", "is red": "fail",
                "✅": "pass", "❌": "fail", "passed": "pass", "failed": "fail"}
_SUBJECTS = list(_SUBJECT_OF)
_WORDS = list(_POLARITY_OF)


@st.composite
def _sentences(draw: st.DrawFn) -> list[tuple[str, str]]:
    n = draw(st.integers(1, 4))
    return [(draw(st.sampled_from(_SUBJECTS)), draw(st.sampled_from(_WORDS))) for _ in range(n)]


def _claims(md: str) -> list[tuple[str, str]]:
    from audit._claims import extract
    from audit._notclaims import DEFAULT_NOT_CLAIM_WORDS
    from audit._status import StatusDetector

    det = StatusDetector(GATES)
    return [(c.text, c.polarity) for u in extract(md, DEFAULT_NOT_CLAIM_WORDS).units
            for c in det.detect(u)]


@settings(max_examples=80, deadline=None)
@given(_sentences())
def test_a_claim_never_spans_a_sentence_boundary(sentences: list[tuple[str, str]]) -> None:
    claims = _claims(" ".join(f"{s} {w}." for s, w in sentences) + "\n")
    # one claim per sentence, a repeat too (each its own finding: red team 11), each with
    # the polarity its own sentence gives, and none holds a full stop between words
    assert [pol for _, pol in claims] == [_POLARITY_OF[w] for _, w in sentences]
    assert all(". " not in text for text, _ in claims)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(_SUBJECTS), st.sampled_from(_WORDS),
       st.sampled_from(["If {s}, we ship.", "Does {s}?", "TODO: check that {s}.",
                        "We ship only when {s}.", "Next step: {s}.", "- [ ] {s}"]))
def test_conditions_questions_and_todos_never_claim(subject: str, word: str, frame: str) -> None:
    sentence = f"{subject} {word}"
    assert len(_claims(sentence + ".\n")) == 1  # the bare sentence is a claim
    assert _claims(frame.format(s=sentence[0].lower() + sentence[1:]) + "\n") == []


def test_explain_names_the_rule_for_status_words_that_are_not_claims(
        rel: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    from releasegate.cli.main import main

    rel.text("r.md", "The release is blocked unless all gates pass.\n\nRelease gate: PASS\n")
    assert main(["audit", "--repo", str(rel.root), "--explain",
                 str(rel.root / "r.md") + ":1"]) == 0
    out = capsys.readouterr().out
    assert "'blocked' is not a claim: in a conditional or purpose clause" in out
    assert "'pass' is not a claim: in a conditional or purpose clause" in out
    rel.root.joinpath("decision.json").unlink()
    main(["audit", "--repo", str(rel.root), "--explain", str(rel.root / "r.md") + ":3"])
    assert "unverifiable is an error; --no-decision makes it a warning" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "sentences"), [
    ("The OOD gate passes. External gates do not.",
     ["The OOD gate passes.", "External gates do not."]),
    ("See e.g. the OOD gate. It passes!", ["See e.g. the OOD gate.", "It passes!"]),
    ("Read x.json and 0.5 here. Done", ["Read x.json and 0.5 here.", "Done"]),
    ("Why? Because…  Next.", ["Why?", "Because…", "Next."]),
])
def test_sentence_spans(text: str, sentences: list[str]) -> None:
    from audit._sentences import sentence_spans

    assert [text[a:b] for a, b in sentence_spans(text)] == sentences


def test_without_a_decision_the_policys_gate_names_still_make_claims(repo: Repo) -> None:
    md = "| gate | result |\n|---|---|\n| transcoder | ✅ |\n"
    # no decision and no policy: the "gate" column says the label names a gate, so the row
    # is a claim nobody can check (red team 12: an unknown label is unverifiable, not ignored)
    assert status(repo, md) == [("transcoder | ✅", "unverifiable")]
    # in prose, "transcoder" without a decision or policy cannot be told from the word
    assert status(repo, "The transcoder is ✅ now.\n") == []
    # the policy names its gates (sub-gates included): the cell is a claim nobody can check
    from audit import load_audit_policy

    path = Path(__file__).resolve().parents[2] / "policy/husai-release/v1.yaml"
    names = load_audit_policy(path).gate_names
    assert {"transcoder", "sparsity_matched", "cebench"} <= set(names)
    assert status(repo, md, gate_names=names) == [("transcoder | ✅", "unverifiable")]


# --- red team 11: outcome claims that were not recognised (each exited 0 on a failing
# decision) --------------------------------------------------------------------------------

RT11_CLAIMS = [
    # quantifiers over gates: numbers, "both", "no", "none"
    ("All four gates pass.\n", [("All four gates pass", "contradicts-gate")]),
    ("No gate fails.\n", [("No gate fails", "contradicts-gate")]),
    ("No gates fail.\n", [("No gates fail", "contradicts-gate")]),
    ("None of the gates fail.\n", [("None of the gates fail", "contradicts-gate")]),
    ("None of the gates pass.\n", [("None of the gates pass", "verified")]),
    ("Not all gates pass.\n", [("all gates pass", "verified")]),
    ("Not all four gates pass.\n", [("all four gates pass", "verified")]),
    ("No gate is waived.\n", []),
    ("Both gates pass.\n", [("Both gates pass", "contradicts-gate")]),
    # "remaining" says which gates without naming them: unverifiable, never dropped
    ("Both remaining gates pass.\n", [("Both remaining gates pass", "unverifiable")]),
    # the release by other names
    ("Release: ✅\n", [("Release: ✅", "contradicts-gate")]),
    ("The release is green.\n", [("The release is green", "contradicts-gate")]),
    ("The release passed all checks.\n", [("The release passed", "contradicts-gate")]),
    ("The release is red.\n", [("The release is red", "verified")]),
    # "the gate for X", a parenthetical mid-clause, hedged verbs
    ("The gate for transcoder passes.\n", [("transcoder passes", "contradicts-gate")]),
    ("The transcoder gate (3 seeds) passes.\n",
     [("transcoder gate (3 seeds) passes", "contradicts-gate")]),
    ("The transcoder gate (unlike the OOD gate) passes.\n",
     [("transcoder gate (unlike the OOD gate) passes", "contradicts-gate")]),
    ("The transcoder gate seems to pass.\n",
     [("transcoder gate seems to pass", "contradicts-gate")]),
    ("The transcoder gate appears to pass.\n",
     [("transcoder gate appears to pass", "contradicts-gate")]),
    ("The transcoder gate appears to have passed.\n",
     [("transcoder gate appears to have passed", "contradicts-gate")]),
    ("The transcoder gate likely passes.\n",
     [("transcoder gate likely passes", "contradicts-gate")]),
    # a transposed table: gates as column headers
    ("| | transcoder | external |\n|---|---|---|\n| status | ✅ | ✅ |\n",
     [("transcoder: ✅", "contradicts-gate"), ("external: ✅", "contradicts-gate")]),
    ("| | OOD gate | release |\n|---|---|---|\n| status | ✅ | ❌ |\n",
     [("OOD gate: ✅", "verified"), ("release: ❌", "verified")]),
    # image alt text
    ("![transcoder gate: ✅](a.png)\n", [("transcoder gate: ✅", "contradicts-gate")]),
    # a dotted sub-gate the decision lacks, or a gate of a coordination it does not hold:
    # unverifiable, never dropped
    ("external.cebench passes.\n", [("external.cebench passes", "unverifiable")]),
    ("`external.cebench: pass`\n", [("external.cebench: pass", "unverifiable")]),
    ("The OOD and foo gates pass.\n",
     [("OOD and foo gates pass", "verified"), ("foo gates pass", "unverifiable")]),
    # one claim per sentence, a repeat too
    ("The release gate passes. All gates pass.\n",
     [("release gate passes", "contradicts-gate"), ("All gates pass", "contradicts-gate")]),
    # the documented non-claims stay non-claims
    ('Write "`external.cebench: pass`" to claim it.\n', []),
    ("All four gates must pass.\n", []),
    ("No gate should fail.\n", []),
    ("TODO: make all four gates pass.\n", []),
    ("Does the release pass?\n", []),
    ("The release is blocked unless all gates pass.\n", []),
    ("If the release is green, we publish.\n", []),
    ("The transcoder gate is expected to pass.\n", []),
    ("| gate | status |\n|---|---|\n| ood | ✅ |\n", [("ood | ✅", "verified")]),
]


@pytest.mark.parametrize(("md", "expected"), RT11_CLAIMS)
def test_rt11_outcome_claims_are_recognised(rel: Repo, md: str,
                                           expected: list[tuple[str, str]]) -> None:
    assert status(rel, md) == expected


@pytest.fixture(scope="module")
def failing_example(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """The shipped failing example's real decision: external fails (cebench fails, saebench
    passes), every other gate passes."""
    import shutil

    from releasegate.cli.main import main

    repo = Repo(tmp_path_factory.mktemp("failing") / "repo")
    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "examples" / "failing", repo.root / "examples" / "failing")
    assert main(["check", "--evidence", str(repo.root / "examples" / "failing"),
                 "--out", str(repo.root / "decision.json")]) == 1
    return repo


@pytest.mark.parametrize(("md", "expected"), [
    ("external.cebench passes.\n", [("external.cebench passes", "contradicts-gate")]),
    ("`external.cebench` passes\n", [("external.cebench passes", "contradicts-gate")]),
    ("`external.cebench: pass`\n", [("external.cebench: pass", "contradicts-gate")]),
    ("`external.saebench: pass`\n", [("external.saebench: pass", "verified")]),
    # every gate of a coordination is checked, CE-Bench as the decision spells it (cebench)
    ("SAEBench and CE-Bench gates pass.\n",
     [("SAEBench and CE-Bench gates pass", "verified"),
      ("CE-Bench gates pass", "contradicts-gate")]),
    ("Release gate: PASS\n", [("Release gate: PASS", "contradicts-gate")]),
])
def test_rt11_sub_gates_against_the_failing_example(
        failing_example: Repo, md: str, expected: list[tuple[str, str]]) -> None:
    assert status(failing_example, md) == expected


# where a fake all-pass gate file may be cited, other than in the claim's own sentence
_ELSEWHERE = [
    "# Report\n\nSanity checks are in `notes/sanity.json`.\n\n## Summary\n\n{claim}\n",
    "## Summary\n\nSanity checks are in `notes/sanity.json`.\n\n{claim}\n",
    "## Summary\n\nSee `notes/sanity.json`. {claim}\n",
    "## Summary\n\n- Source: `notes/sanity.json`\n- {claim}\n",
    "## Summary\n\n| source | `notes/sanity.json` |\n|---|---|\n| {claim} | |\n",
    "## Summary\n\n{claim}\n\n[sanity](notes/sanity.json)\n",
]
_CURRENT_CLAIMS = {"Release gate: PASS": "contradicts-gate", "All gates pass.": "contradicts-gate",
                   "The transcoder gate passes.": "contradicts-gate",
                   "The OOD gate passes.": "verified", "No gate fails.": "contradicts-gate",
                   "Overall: ✅": "contradicts-gate", "The release is green.": "contradicts-gate"}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_ELSEWHERE), st.sampled_from(sorted(_CURRENT_CLAIMS)))
def test_a_gate_file_cited_outside_the_claims_sentence_never_decides_it(
        tmp_path_factory: pytest.TempPathFactory, frame: str, claim: str) -> None:
    repo = Repo(tmp_path_factory.mktemp("rt11") / "repo")
    repo.decision(GATES)
    repo.json("notes/sanity.json", RT11_SANITY)
    got = [v for _, v in status(repo, frame.format(claim=claim))]
    assert got == [_CURRENT_CLAIMS[claim]]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["The release gate passes.", "All gates pass.",
                                 "The transcoder gate passes.", "Release gate: PASS."]),
                min_size=2, max_size=4))
def test_one_ignore_comment_silences_exactly_one_sentence(
        tmp_path_factory: pytest.TempPathFactory, sentences: list[str]) -> None:
    repo = Repo(tmp_path_factory.mktemp("rt11") / "repo")
    repo.decision(GATES)
    md = ("# R\n\n<!-- releasegate: ignore[contradicts-gate] quoting 2024 -->\n"
          + " ".join(sentences) + "\n")
    r = audit_paths([repo.text("r.md", md)], AuditOptions(repo=repo.root))
    found = [f for f in r.findings if f.kind == "status"]
    assert len(found) == len(sentences)  # one claim, one finding, per sentence
    assert [f.suppressed is not None for f in found] == [True] + [False] * (len(sentences) - 1)
    assert not r.success
