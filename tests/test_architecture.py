"""The layers of docs/architecture.md, as import-linter contracts (issue 9).

`lint-imports` reads the contracts from pyproject.toml; a wrong arrow (say `audit` importing
`policy`) breaks a contract and fails this test, so it fails CI.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():
        pytest.fail("lint-imports is missing: install with `pip install -e '.[test]'`")
    args = [str(LINT_IMPORTS), "--no-cache"] + (["--config", str(config)] if config else [])
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300,
                          check=False, env={"PATH": str(LINT_IMPORTS.parent),
                                            "PYTHONPATH": str(cwd)})


def test_contracts_declare_the_layers() -> None:
    cfg = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert set(cfg["root_packages"]) == {"releasegate", "runners", "audit", "policy",
                                         "evidence_schema"}
    by_id = {c["id"]: c for c in cfg["contracts"]}
    assert by_id["layers"]["layers"] == ["releasegate", "runners | audit | policy",
                                         "evidence_schema"]
    assert {"policy", "runners"} <= set(by_id["audit-reads-no-policy-or-runners"]
                                        ["forbidden_modules"])
    assert {"audit", "runners"} <= set(by_id["policy-reads-evidence-only"]["forbidden_modules"])


def test_lint_imports_passes() -> None:
    proc = _lint(REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_a_wrong_arrow_breaks_a_contract(tmp_path: Path) -> None:
    # The contracts can fail: a copy of the packages where audit imports policy is refused.
    import shutil

    for pkg in ("releasegate", "runners", "audit", "policy", "evidence_schema"):
        shutil.copytree(REPO / pkg, tmp_path / pkg,
                        ignore=shutil.ignore_patterns("__pycache__", "assets", "schemas"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "audit" / "_wrong_arrow.py").write_text("import policy\n")
    proc = _lint(tmp_path, tmp_path / "pyproject.toml")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "audit._wrong_arrow -> policy" in proc.stdout
