"""The fast paths must not pay for heavy imports (pre-commit and CI run them on every commit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# jinja2: `render` only (issue 13)
HEAVY = ("torch", "sae_lens", "transformer_lens", "great_expectations", "pandas", "jinja2")

PROBE = """
import sys
{body}
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


def _heavy_after(body: str) -> str:
    out = subprocess.run([sys.executable, "-c", PROBE.format(body=body, heavy=HEAVY)], cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=True)
    return out.stdout.strip().splitlines()[-1].removeprefix("HEAVY=")


def test_library_imports_are_light() -> None:
    assert _heavy_after("import policy, evidence_schema, audit") == ""


def test_fast_commands_are_light(tmp_path: object) -> None:
    body = (
        "from releasegate.cli.main import main\n"
        "main(['validate', 'examples/evidence'])\n"
        "main(['check', '--evidence', 'examples/evidence'])\n"
        "main(['schema', 'check'])\n"
    )
    assert _heavy_after(body) == ""


def test_valid_evidence_never_loads_the_python_jsonschema_pass() -> None:
    """Valid files are decided by the compiled validator (jsonschema-rs); the pure-Python
    jsonschema pass (~10 ms a file) is imported only to word a failure (issue 13)."""
    body = (
        "from releasegate.cli.main import main\n"
        "assert main(['validate', '-q', 'examples/evidence']) == 0\n"
        "main(['check', '--evidence', 'examples/evidence'])\n"
        "assert 'jsonschema_rs' in sys.modules and 'jsonschema' not in sys.modules\n"
    )
    assert _heavy_after(body) == ""
