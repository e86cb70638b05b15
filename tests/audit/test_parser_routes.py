"""Red-team review 13: what the faster parser got wrong, as audits with their verdicts.

Each report is audited against a decision whose verdict is fail (transcoder fails); before the
routing in audit/_mdroute.py each of these passed, crashed or lost claims (see test_mdtokens.py
for the token-level tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audit.conftest import Repo


@pytest.fixture
def failing(repo: Repo) -> Repo:
    repo.json("a.json", {"ev": 0.7461})
    repo.json("b.json", {"ev": 0.6812})
    repo.json("m.json", {"metrics": {"explained_variance": 0.7461}})
    repo.decision({"transcoder": "fail", "random_model": "pass"})
    return repo


def _verdicts(repo: Repo, name: str) -> tuple[int, dict[str, int], list[str], str]:
    proc = subprocess.run([sys.executable, "-m", "releasegate.cli.main", "audit", name,
                           "--format", "json"], cwd=repo.root, capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr, proc.stderr[-800:]
    doc = json.loads(proc.stdout)
    return (proc.returncode, {k: v for k, v in doc["summary"].items() if v},
            [e["message"] for e in doc["file_errors"]], proc.stderr)


def test_a_stray_backtick_after_a_bracket_neither_crashes_nor_hides_the_claim(
        failing: Repo) -> None:
    # markdown-it.rs 0.6 panicked (index out of bounds): a traceback, nothing audited
    failing.text("r.md", "Release gate: PASS\n\nAccuracy interval [0.70, 0.80) with a stray ` "
                 "here.\n")
    code, summary, errors, _ = _verdicts(failing, "r.md")
    assert code == 1 and summary.get("contradicts-gate") == 1 and not errors


def test_an_ignore_directive_inside_an_unclosed_comment_silences_nothing(failing: Repo) -> None:
    failing.text("r.md", "transcoder gate: ✅ <!-- <!-- releasegate: ignore[contradicts-gate] "
                 "quoted -->\n")
    failing.text("d.md", "transcoder gate: ✅ <!-- disabled 2025-01: <!-- releasegate: "
                 "ignore[contradicts-gate] quoted -->\n")
    for name in ("r.md", "d.md"):
        code, summary, _, _ = _verdicts(failing, name)
        assert code == 1 and summary.get("contradicts-gate") == 1, name


def test_a_table_whose_delimiter_row_is_a_lazy_line_is_still_checked(failing: Repo) -> None:
    # the rows are swapped: each number is the other arm's
    failing.text("r.md", """
        # Results

        > arm | file | ev
        --- | --- | ---
        candidate | [a](a.json) | 0.6812
        baseline | [b](b.json) | 0.7461
        """)
    code, summary, _, _ = _verdicts(failing, "r.md")
    assert code == 1 and summary.get("mismatch") == 2


def test_a_setext_underline_as_a_lazy_line_does_not_close_the_section(failing: Repo) -> None:
    (failing.root / "r.md").write_text("## Results\n\nSee [m](m.json).\n\n> Note\n-\n>-\n\n"
                                       "explained_variance 0.7561\n")
    code, summary, _, _ = _verdicts(failing, "r.md")
    assert code == 1 and summary.get("mismatch") == 1


@pytest.mark.parametrize(("text", "deep"), [
    ("- " * 68 + "Release gate: PASS\n", True),
    (">" * 101 + " Release gate: PASS\n", True),
    ("- " * 30 + "Release gate: PASS\n", False),  # markdown-it-py's limit (10 lists) lost it
    (">" * 25 + " Release gate: PASS\n", False),  # ... and its 20 quotes
])
def test_deep_nesting_is_read_or_refused_never_dropped(failing: Repo, text: str,
                                                       deep: bool) -> None:
    (failing.root / "r.md").write_text(text)
    code, summary, errors, _ = _verdicts(failing, "r.md")
    if deep:
        assert code == 2 and errors and "more than 100 levels deep" in errors[0]
    else:
        assert code == 1 and summary.get("contradicts-gate") == 1 and not errors


def test_the_failing_decision_is_what_decides(failing: Repo) -> None:
    # the fixture's decision really fails: the same claims against a passing one verify
    failing.decision({"transcoder": "pass", "random_model": "pass"})
    failing.text("r.md", "Release gate: PASS\n\nAccuracy interval [0.70, 0.80) with a stray ` "
                 "here.\n")
    code, summary, _, _ = _verdicts(failing, "r.md")
    assert code == 0 and summary.get("verified") == 1
    assert Path(failing.root / "decision.json").is_file()


_ZS = ["\u00a0", "\u1680", "\u2002", "\u2007", "\u2009", "\u202f", "\u205f", "\u3000"]


@pytest.mark.parametrize("text", [
    *[f"Release{z}gate: PASS\n" for z in _ZS],
    *[f"The transcoder{z}gate passes.\n" for z in _ZS],
    "The transcoder&nbsp;gate passes.\n",
    "Release gate: PA&#173;SS\n",  # a soft hyphen written as an entity
    "![transcoder gate: &#x2705;](a.png)\n",  # an entity in alt text
])
def test_spaces_and_entities_do_not_hide_a_claim(failing: Repo, text: str) -> None:
    (failing.root / "r.md").write_text(text, encoding="utf-8")
    code, summary, _, _ = _verdicts(failing, "r.md")
    assert code == 1 and summary.get("contradicts-gate") == 1


def test_numbers_keep_their_own_separators(failing: Repo) -> None:
    failing.json("n.json", {"count": 1234567, "acc": 0.7461})
    (failing.root / "r.md").write_text("See [n](n.json): count 1\u202f234\u202f567, "
                                       "accuracy 74.61\u00a0%.\n", encoding="utf-8")
    code, summary, _, _ = _verdicts(failing, "r.md")
    assert code == 0 and summary == {"verified": 3}


def test_integers_beyond_the_float_range_are_values_not_crashes(failing: Repo) -> None:
    (failing.root / "big.json").write_text('{"v": 1' + "0" * 400 + ', "w": 0.7461, "p": 1'
                                           + "0" * 400 + "}")
    (failing.root / "huge.json").write_text('{"v": ' + "9" * 5000 + "}")
    failing.text("r.md", """
        See [big](big.json).

        - the value 0.7462
        - p < 0.05
        - ev mean 0.55 (n = 3)

        And [huge](huge.json).
        """)
    code, summary, errors, _ = _verdicts(failing, "r.md")
    assert code == 1 and not errors  # exit 3 (OverflowError) before
    assert summary.get("mismatch", 0) >= 2 and summary.get("missing-artifact") == 1


# red team 13, round 2: each passed the new audit (exit 0) and failed the old one (mismatch)
ROUND_2 = {
    "source-tag": "# Results\n\nMeasured in [run a](a2.json). Audio of the talk:\n"
                  "<source src=\"talk.mp3\">\n| arm | metrics.explained_variance |\n|---|---|\n"
                  "| candidate | 0.6812 |\n",
    "ordered-item-under-row": "# Results\n\n| arm | explained_variance |\n|---|---|\n"
                              "| x | [a](a2.json) 0.7461 |\n2. the second arm, from [b](b2.json):\n"
                              "| y | 0.6812 |\n",
    "delimiter-under-heading": "# Report\n\n## Baseline\n\nFrom [the baseline run](b0.json): "
                               "0.6812.\n\n## Candidate\n|-|\nThe candidate's explained variance "
                               "is 0.6812.\n\nSource: [the candidate run](c.json).\n",
    "nested-lazy": "# Results\n\n> > arm | file | metrics.explained_variance\n> --- | --- | ---\n"
                   "> candidate | [a](a2.json) | 0.6812\n",
    "quoted-dash-line": "# Results\n\n> From [the candidate run](c.json):\n>\n> | Candidate |\n"
                        "> ---\n> The candidate's explained variance is 0.6812.\n",
}


@pytest.mark.parametrize("name", list(ROUND_2))
def test_round_2_constructs_are_read_as_before(failing: Repo, name: str) -> None:
    failing.json("a2.json", {"metrics": {"explained_variance": 0.7461, "ood_drop": 0.021},
                             "baseline": {"explained_variance": 0.6812}})
    failing.json("b2.json", {"metrics": {"explained_variance": 0.5123}})
    failing.json("b0.json", {"explained_variance": 0.6812})
    failing.json("c.json", {"explained_variance": 0.7461})
    (failing.root / "r.md").write_text(ROUND_2[name], encoding="utf-8")
    code, summary, _, _ = _verdicts(failing, "r.md")
    assert code == 1 and summary.get("mismatch", 0) >= 1, summary


@pytest.mark.parametrize("blank", ["\u2800", "\u3164", "\uffa0"])
def test_characters_that_render_blank_do_not_hide_a_claim(failing: Repo, blank: str) -> None:
    (failing.root / "r.md").write_text(f"Release{blank}gate: PASS\n\ngate:{blank}PASS and the "
                                       f"transcoder gate:{blank}passes\n", encoding="utf-8")
    code, summary, _, _ = _verdicts(failing, "r.md")
    assert code == 1 and summary.get("contradicts-gate", 0) >= 2, summary


def test_a_rust_panic_is_silent(failing: Repo) -> None:
    # "[" and a lone backtick on different lines: the router does not see it, the parser
    # panics, markdown-it-py reads it; the panic's message must not reach the user
    (failing.root / "r.md").write_text("x\n\n[\n`\n- `\n\nRelease gate: PASS\n")
    code, summary, _, stderr = _verdicts(failing, "r.md")
    assert code == 1 and summary.get("contradicts-gate") == 1 and stderr == ""
