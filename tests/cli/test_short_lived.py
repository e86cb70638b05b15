"""The console entry of a short-lived command (issue 13): no pydantic plugin scan, and no
collection at exit over every object the run kept (gc.freeze before the interpreter exits)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from _helpers import REPO

PROBE = """
import atexit, gc, os, sys
# atexit handlers run after SystemExit and before the interpreter's last collection
atexit.register(lambda: print("FROZEN=%d PLUGINS=%s" % (
    gc.get_freeze_count() > 0, os.environ.get("PYDANTIC_DISABLE_PLUGINS"))))
sys.argv = ["releasegate", *{argv!r}]
from releasegate.cli.main import console_main
console_main()
"""


def _probe(argv: list[str], env_extra: dict[str, str] | None = None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env.update(env_extra or {})
    out = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    return out.returncode, out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("argv", "code"), [
    (["validate", "-q", "examples/evidence/random_model_control.json"], 0),
    (["validate", "-q", "examples/evidence/no_such_file.json"], 2),
    (["audit", "no_such_report.md"], 2),
])
def test_validate_freezes_before_exit_and_skips_the_plugin_scan(argv: list[str],
                                                                code: int) -> None:
    assert _probe(argv) == (code, "FROZEN=1 PLUGINS=__all__")


def test_a_command_that_is_not_short_lived_keeps_the_exit_collection() -> None:
    assert _probe(["--help"]) == (0, "FROZEN=0 PLUGINS=__all__")


def test_the_users_plugin_setting_wins() -> None:
    env = {"PYDANTIC_DISABLE_PLUGINS": ""}  # empty: pydantic scans for plugins again
    assert _probe(["validate", "-q", "examples/evidence/consistency.json"], env) == (
        0, "FROZEN=1 PLUGINS=")
