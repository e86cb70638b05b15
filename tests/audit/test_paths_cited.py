"""Which inline code is a cited path, and how it resolves (issue 11, "Paths")."""

from __future__ import annotations

import os

import pytest

from tests.audit.conftest import Repo, only, verdicts


@pytest.mark.parametrize("target", ["../../../etc/passwd", "/etc/passwd", "~/.ssh/id_rsa",
                                    "docs/../../secrets"])
def test_paths_without_an_extension_that_leave_the_repository_are_unsafe(
        repo: Repo, target: str) -> None:
    repo.text("r.md", f"## R\n\nRead `{target}` for the key.\n")
    r = repo.audit("r.md")
    assert verdicts(r) == [(target, "unsafe-path")]
    assert r.exit_code() == 1


@pytest.mark.parametrize("code", ["a/b", "--fail-on-gate-fail", ".md", "/", "x/y/z",
                                  "/metrics/ev", "/row/column", "reports/", "evidence/"])
def test_code_that_is_not_a_path_is_not_cited(repo: Repo, code: str) -> None:
    repo.text("r.md", f"## R\n\nUse `{code}` here.\n")
    assert verdicts(repo.audit("r.md"), "artifact") == []


def test_a_glob_is_verified_when_it_matches_and_missing_when_not(repo: Repo) -> None:
    repo.json("runs/run_1/gate.json", {"v": 1})
    repo.json("runs/run_2/gate.json", {"v": 2})
    repo.text("r.md", """
        ## R
        - all runs: `runs/run_*/gate.json`
        - no such runs: `runs/job_*/gate.json`
        - out: `../*/gate.json`
        """)
    r = repo.audit("r.md")
    assert verdicts(r, "artifact") == [("runs/run_*/gate.json", "verified"),
                                       ("runs/job_*/gate.json", "missing-artifact"),
                                       ("../*/gate.json", "unsafe-path")]
    f = only(r, "runs/run_*/gate.json")
    assert "matches 2 file(s): runs/run_1/gate.json, runs/run_2/gate.json" in f.message
    assert "no file matches" in only(r, "runs/job_*/gate.json").message


def test_a_glob_match_through_a_symlink_out_is_no_match(repo: Repo) -> None:
    outside = repo.root.parent / "outside"
    outside.mkdir()
    (outside / "gate.json").write_text("{}")
    (repo.root / "runs").mkdir()
    os.symlink(outside, repo.root / "runs" / "run_9")
    repo.text("r.md", "## R\n\n`runs/run_*/gate.json`\n")
    assert verdicts(repo.audit("r.md")) == [("runs/run_*/gate.json", "missing-artifact")]


@pytest.mark.parametrize("template", ["runs/<run_id>/x.json", "runs/{run}/gate.json",
                                      "$OUT/decision.json"])
def test_a_template_is_listed_as_skipped(repo: Repo, template: str) -> None:
    repo.text("r.md", f"## R\n\nEach run writes `{template}`.\n")
    r = repo.audit("r.md")
    assert r.findings == []
    assert [(s.text, s.rule.split(":")[0]) for s in r.skipped] == [(template, "path template")]
    assert r.exit_code() == 0


def test_a_bare_name_under_a_cited_directory_resolves_there(repo: Repo) -> None:
    repo.json("docs/evidence/summary.json", {"ev": 0.7452})
    repo.text("r.md", """
        ## Evidence
        - `docs/evidence/`:
          - `summary.json`: EV 0.7452
        """)
    r = repo.audit("r.md")
    assert verdicts(r) == [("docs/evidence/", "verified"), ("summary.json", "verified"),
                           ("0.7452", "verified")]
    assert only(r, "summary.json").artifact == "docs/evidence/summary.json"


def test_a_bare_name_beside_a_module_resolves_in_its_directory(repo: Repo) -> None:
    repo.text("pkg/_kinds.py", "X = 1\n")
    repo.text("pkg/_registry.py", "Y = 2\n")
    repo.text("r.md", """
        | to add | put it in |
        |---|---|
        | a kind | a model in `pkg/_kinds.py`, registered in `_registry.py` |

        **`pkg/`** holds the models (`_kinds.py`) and the registry (`_registry.py`).
        """)
    r = repo.audit("r.md")
    # `pkg/` (one level) is a hint, not a citation: reports name output directories too
    assert [v for _c, v in verdicts(r, "artifact")] == ["verified"] * 4
    assert {f.artifact for f in r.findings} == {"pkg/_kinds.py", "pkg/_registry.py"}


def test_a_bare_name_with_no_directory_in_scope_is_looked_for_at_the_root(repo: Repo) -> None:
    repo.text("pkg/_registry.py", "Y = 2\n")
    repo.text("r.md", "## R\n\nSee `_registry.py`.\n\n## S\n\nIn `pkg/`.\n")
    r = repo.audit("r.md")
    assert verdicts(r) == [("_registry.py", "missing-artifact")]
    assert only(r, "_registry.py").artifact == "_registry.py"


@pytest.mark.parametrize("template", ["releasegate/cli/commands/NAME.py",
                                      "evidence_schema/schemas/KIND.schema.json", "FILE.md"])
def test_an_all_capitals_placeholder_is_a_template(repo: Repo, template: str) -> None:
    repo.text("r.md", f"## R\n\nAdd `{template}`; see `README.md`.\n")
    r = repo.audit("r.md")
    assert verdicts(r) == [("README.md", "missing-artifact")]  # a real name is still cited
    assert [s.text for s in r.skipped] == [template]


def test_a_file_type_pattern_is_not_a_citation(repo: Repo) -> None:
    repo.text("r.md", "## R\n\nIt validates every `*.json` under `runs/*/`.\n")
    r = repo.audit("r.md")
    assert verdicts(r) == [("runs/*/", "missing-artifact")]


def test_a_missing_bare_name_is_reported_at_its_plain_location(repo: Repo) -> None:
    (repo.root / "reports").mkdir(parents=True)
    repo.text("r.md", "## R\n\nUnder `reports/` it writes `decision.json`.\n")
    f = only(repo.audit("r.md"), "decision.json")
    assert (f.verdict, f.artifact) == ("missing-artifact", "decision.json")


def test_a_glob_is_expanded_once_per_run(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    # the real iglob, wrapped to count how often the audit expands a pattern
    import glob as globmod
    from typing import Any

    calls: list[str] = []
    real = globmod.iglob

    def counting(pattern: str, **kw: Any) -> Any:
        calls.append(pattern)
        return real(pattern, **kw)

    monkeypatch.setattr(globmod, "iglob", counting)
    repo.json("runs/run_1/gate.json", {"v": 1})
    lines = "".join(f"- `runs/**/gate.json` ({i})\n" for i in range(200))
    repo.text("r.md", "## R\n\n" + lines)
    r = repo.audit("r.md")
    assert [v for _c, v in verdicts(r, "artifact")] == ["verified"] * 200
    assert len(calls) == 1
