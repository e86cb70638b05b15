"""render re-evaluates the decision it prints (red team 2 §1): a forged decision is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _render_helpers import load

from releasegate.cli.main import main

VERDICT_TEMPLATE = "Verdict: {{ verdict() }}.\n"


def _forge_pass(decision: Path) -> None:
    """A failing decision edited to pass consistently: verdict and every gate status."""
    d = load(decision)
    assert d["verdict"] == "fail"  # the example evidence fails: the forgery changes something
    d["verdict"] = "pass"

    def flip(gates: list[dict[str, Any]]) -> None:
        for g in gates:
            kids = g.get("children") or []
            flip(kids)
            if g["status"] != "fail":
                continue
            g["status"] = "pass"
            if kids:
                g["reason"] = f"all of {len(kids)} sub-gates pass"
            else:  # an observed value on the passing side of its threshold, as a forger writes
                step = 1.0 if g["comparison"] in (">=", ">") else -1.0
                g["observed"] = g["threshold"] + step
                g["reason"] = "edited to pass"

    flip(d["gates"])
    decision.write_text(json.dumps(d, indent=2), encoding="utf-8")


@pytest.fixture
def repo(example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(example_repo)
    (example_repo / "v.md.j2").write_text(VERDICT_TEMPLATE, encoding="utf-8")
    return example_repo


def test_genuine_decision_renders_without_warning(repo: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "v.md.j2", "--decision", "decision.json", "--out", "v.md"]) == 0
    assert (repo / "v.md").read_text(encoding="utf-8") == \
        "Verdict: [fail](decision.json#/verdict).\n"
    assert "warning" not in capsys.readouterr().err


def test_forged_decision_is_refused_with_every_difference(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _forge_pass(repo / "decision.json")
    assert main(["render", "v.md.j2", "--decision", "decision.json", "--out", "v.md"]) == 1
    err = capsys.readouterr().err
    assert not (repo / "v.md").exists()  # nothing written from a refused decision
    assert "verdict recorded 'pass', now 'fail'" in err
    assert err.count("refused: not reproduced") >= 2  # the verdict and the gates, each listed


def test_check_against_a_committed_forged_report_fails(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _forge_pass(repo / "decision.json")
    # the report a forger would commit next to the forged decision: byte-identical to a render
    (repo / "v.md").write_text("Verdict: [pass](decision.json#/verdict).\n", encoding="utf-8")
    assert main(["render", "v.md.j2", "--check", "v.md"]) == 1  # decision.json found in --repo
    err = capsys.readouterr().err
    assert "verdict recorded 'pass', now 'fail'" in err
    assert "is up to date" not in err


def test_unverifiable_decision_warns_and_strict_refuses(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    named = [e["path"] for e in load(repo / "decision.json")["evidence"]]
    (repo / named[0]).unlink()  # the decision cannot be re-evaluated without it
    assert main(["render", "v.md.j2", "--out", "v.md"]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "could not be re-evaluated" in err and named[0] in err
    (repo / "v.md").unlink()
    assert main(["render", "v.md.j2", "--out", "v.md", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "could not be re-evaluated" in err and "--strict" in err
    assert not (repo / "v.md").exists()
