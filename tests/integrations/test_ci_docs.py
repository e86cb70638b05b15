"""docs/ci.md describes the job summary `releasegate ci` really writes (red-team finding: the
docs named `### Gates`, `### Evidence` headings that the summary never had). Every heading the
docs list is produced by a real run, and every heading a real run produces is in the docs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from integrations._integ_helpers import REPO
from integrations.test_ci_failures import _typo_policy, _waiving_policy
from markdown_it import MarkdownIt

from releasegate.cli.main import main

DOC = REPO / "docs" / "ci.md"


def _documented() -> list[re.Pattern[str]]:
    """The headings docs/ci.md lists (code spans starting with ## or ###); ``<x>`` is any text."""
    spans = re.findall(r"`(#{2,3} [^`]+)`", DOC.read_text(encoding="utf-8"))
    assert len(spans) >= 10, spans
    return [re.compile("".join(".+" if part.startswith("<") else re.escape(part)
                               for part in re.split(r"(<[^>]+>)", s)) + "$") for s in spans]


def _headings(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [t.markup + " " + tokens[i + 1].content for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.tag in ("h2", "h3")]


def test_documented_headings_are_the_real_ones(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    proj = tmp_path / "p"
    shutil.copytree(REPO / "examples" / "evidence", proj / "evidence")
    shutil.copytree(REPO / "examples" / "failing", proj / "failing")
    shutil.copy2(REPO / "examples" / "report.md.j2", proj / "report.md.j2")
    monkeypatch.chdir(proj)
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    assert main(["check", "--evidence", "evidence", "--out", "decision.json"]) == 0
    assert main(["render", "report.md.j2", "--out", "report.md"]) == 0
    many = proj / "many.md"  # 13 missing artifacts: more errors than GitHub shows
    many.write_text("# R\n\n" + "".join(f"- see `missing/r{i}.json`\n" for i in range(13)))
    _typo_policy(proj)
    _waiving_policy(proj)
    (proj / "blocker").write_text("x\n")
    runs = {
        "ok": ["--evidence", "evidence", "--render", "report.md.j2:report.md"],
        "failed": ["--evidence", "evidence", "--render", "report.md.j2:edited.md",
                   "--reports", "many.md", "--junit", "blocker/j.xml"],
        "broken": ["--evidence", "failing", "--policy", "p2.yaml", "--reports", "many.md"],
        "waived": ["--evidence", "failing", "--policy", "waived.yaml", "--allow-waivers"],
    }
    (proj / "edited.md").write_text("# Example release report (edited)\n")
    seen: list[str] = []
    for name, args in runs.items():
        summary = proj / f"{name}.summary.md"
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
        rc = main(["ci", *args, "--decision", str(proj / f"{name}.json")])
        assert rc == (0 if name in ("ok", "waived") else 1), name
        seen += _headings(summary.read_text(encoding="utf-8"))
    documented = _documented()
    for heading in seen:
        assert any(p.match(heading) for p in documented), f"{heading!r} is not in docs/ci.md"
    for p in documented:
        assert any(p.match(h) for h in seen), f"docs/ci.md lists {p.pattern!r}; no run wrote it"
