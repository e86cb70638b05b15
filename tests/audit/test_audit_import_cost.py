"""``import audit`` and the audit command must not import heavy libraries (issue 3, "Fast")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "sae_lens", "transformer_lens", "great_expectations", "pandas")


def _loaded_after(body: str, cwd: Path) -> list[str]:
    code = (f"import sys\n{body}\n"
            f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                         timeout=120, env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    last = out.stdout.rstrip("\n").rsplit("\n", 1)[-1]
    assert last.startswith("HEAVY="), out.stdout[-500:]
    return [m for m in last.removeprefix("HEAVY=").split(",") if m]


def test_import_audit_is_light(tmp_path: Path) -> None:
    assert _loaded_after("import audit", tmp_path) == []
    assert _loaded_after("import audit; import releasegate.cli.main", tmp_path) == []


def test_audit_and_import_gates_commands_are_light(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text("## R\n\n`x.json` 0.5, transcoder gate: pass\n")
    (tmp_path / "x.json").write_text('{"a": 0.5}')
    (tmp_path / "g.json").write_text('{"gates": {"random_model": true, "pass_all": true}}')
    body = (
        "from releasegate.cli.main import main\n"
        "main(['import-gates', 'g.json', '--out', 'decision.json'])\n"
        "for fmt in ('text', 'json', 'markdown', 'github', 'sarif'):\n"
        "    main(['audit', 'r.md', '--format', fmt])\n"
    )
    assert _loaded_after(body, tmp_path) == []
