"""The json reporter writes findings with the C encoder, one per line (issue 13); the document
is the same as ``json.dumps`` of the findings as ``dataclasses.asdict`` gives them."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from audit import AuditOptions, Auditor
from audit._reporters import REPORTERS


def test_json_document_is_every_finding_as_a_dict(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.json").write_text('{"v": 0.5, "w": "naïve \\"q\\""}')
    (tmp_path / "r.md").write_text(
        "# R\n\nThe value is 0.5 and 0.7 (`data/x.json`); see `data/missing.json`.\n")
    result = Auditor(AuditOptions(repo=tmp_path)).audit([tmp_path / "r.md"])
    assert len(result.findings) >= 3
    out = REPORTERS["json"]().render(result)
    doc = json.loads(out)
    expected = []
    for f in sorted(result.findings, key=lambda f: (f.file, f.line, f.column)):
        d = asdict(f)
        d["explanation"] = list(f.explanation)
        d["severity"] = result.severity(f)
        expected.append(d)
    assert doc["findings"] == json.loads(json.dumps(expected))
    assert doc["summary"] == result.counts() and list(doc)[-1] == "findings"
    assert out.count("\n") >= len(expected)  # one finding a line: greppable, diffable


def test_json_document_without_findings(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text("# Nothing to check\n\nPlain words.\n")
    result = Auditor(AuditOptions(repo=tmp_path)).audit([tmp_path / "r.md"])
    assert json.loads(REPORTERS["json"]().render(result))["findings"] == []
