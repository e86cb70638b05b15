"""Start-up of the command line (issue 13): ``--help`` of every fast subcommand imports none of
the libraries, and the values the parsers spell out to avoid those imports are the libraries'.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _helpers import REPO

from releasegate.cli.commands import audit as audit_cmd
from releasegate.cli.commands import check as check_cmd
from releasegate.cli.commands import schema as schema_cmd

FAST = ("validate", "check", "audit", "schema", "verify", "render")
# What building the parser must not import: the packages behind the commands and their libraries.
NOT_AT_START = ("pydantic", "evidence_schema", "policy", "audit", "yaml", "jsonschema",
                "jsonschema_rs", "markdown_it", "jinja2", "importlib.metadata")

PROBE = """
import sys
from releasegate.cli.main import main
code = main({argv!r})
print("LOADED=" + ",".join(m for m in {mods!r} if m in sys.modules))
"""


def _loaded_after(argv: list[str]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv, mods=NOT_AT_START)],
                         cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    line = out.stdout.strip().splitlines()[-1]
    assert line.startswith("LOADED="), out.stdout
    return [m for m in line.removeprefix("LOADED=").split(",") if m]


@pytest.mark.parametrize("argv", [["--help"], ["chek"],
                                  *([name, "--help"] for name in FAST)])
def test_start_imports_no_library(argv: list[str]) -> None:
    assert _loaded_after(argv) == []


def test_spelled_out_choices_and_defaults_are_the_libraries() -> None:
    from audit._reporters import REPORTERS
    from evidence_schema._export import SCHEMA_DIR
    from policy import DEFAULT_POLICY, RENDERERS

    assert check_cmd.FORMATS == tuple(sorted(RENDERERS))
    assert Path(check_cmd.DEFAULT_POLICY).resolve() == Path(DEFAULT_POLICY).resolve()
    assert audit_cmd.FORMATS == tuple(sorted(REPORTERS))
    assert Path(schema_cmd.SCHEMA_DIR).resolve() == Path(SCHEMA_DIR).resolve()
