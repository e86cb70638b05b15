"""``--color auto|always|never`` and ``NO_COLOR`` (https://no-color.org), one rule for every
command that colours (issue 14): a non-empty NO_COLOR disables colour, an empty one does not,
an explicit --color wins, ``auto`` colours a terminal only.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _helpers import NOW, REPO

from releasegate.cli._color import use_color
from releasegate.cli.main import COMMANDS, build_parser

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("choice", "env", "tty", "expected"), [
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": "0"}, True, False),  # any non-empty value, even "0" or "false"
    ("auto", {"NO_COLOR": ""}, True, True),  # empty: as if unset
    ("auto", {"TERM": "dumb"}, True, False),
    ("always", {"NO_COLOR": "1"}, False, True),  # the command line overrides NO_COLOR
    ("never", {}, True, False),
])
def test_use_color_rule(choice: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    stream = _Tty() if tty else io.StringIO()
    assert use_color(choice, stream, env) is expected


def test_unknown_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="--color"):
        use_color("sometimes", io.StringIO(), {})


def _commands_that_colour() -> list[str]:
    """Subcommands whose module passes a colour flag to a renderer."""
    out = []
    for name, (module, _) in COMMANDS.items():
        src = (REPO / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        if re.search(r"\bcolou?r\s*=|render\w*\([^)]*colou?r", src):
            out.append(name)
    return out


def test_every_colouring_command_has_the_same_color_option() -> None:
    colouring = _commands_that_colour()
    assert {"check", "audit"} <= set(colouring)
    subs = next(a.choices for a in build_parser()._actions
                if isinstance(a, argparse._SubParsersAction))
    for name in colouring:
        opt = [a for a in subs[name]._actions if "--color" in a.option_strings]
        assert opt and list(opt[0].choices or []) == ["auto", "always", "never"], name
        assert opt[0].default == "auto", name


def test_ansi_escapes_live_only_in_renderers_that_take_a_colour_flag() -> None:
    # A new place that writes ANSI escapes must go through --color too.
    found = set()
    for pkg in ("releasegate", "policy", "audit", "runners", "evidence_schema"):
        for f in (REPO / pkg).rglob("*.py"):
            if re.search(r"\\x1b\[|\\033\[|\\u001b\[", f.read_text(encoding="utf-8")):
                found.add(f.relative_to(REPO).as_posix())
    assert found <= {"policy/_render.py", "audit/_reporters.py"}, found


def _run_on_tty(argv: list[str], env_extra: dict[str, str], cwd: Path) -> str:
    """Run the CLI with stdout on a pseudo-terminal; return what it wrote there."""
    import pty

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env.update({"TERM": "xterm", **env_extra})
    try:
        proc = subprocess.run([sys.executable, "-m", "releasegate", *argv], cwd=cwd, env=env,
                              stdout=follower, stderr=subprocess.PIPE, timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
    assert proc.returncode in (0, 1), proc.stderr
    return b"".join(chunks).decode()


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report with an unbacked number (a warning, coloured in text output)."""
    root = tmp_path_factory.mktemp("colour")
    (root / "r.md").write_text("# R\n\nThe loss fell to 3.1416.\n", encoding="utf-8")
    return root


def _argv(name: str, root: Path) -> list[str]:
    if name == "check":
        return ["check", "--evidence", str(REPO / "examples/evidence"), "--now", NOW.isoformat()]
    return ["audit", "r.md", "--repo", str(root)]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("name", ["check", "audit"])
@pytest.mark.parametrize(("flag", "env", "coloured"), [
    ([], {}, True),
    ([], {"NO_COLOR": "1"}, False),
    ([], {"NO_COLOR": ""}, True),
    (["--color", "never"], {}, False),
    (["--color", "always"], {"NO_COLOR": "1"}, True),
])
def test_commands_on_a_terminal(name: str, flag: list[str], env: dict[str, str],
                                coloured: bool, audited: Path) -> None:
    out = _run_on_tty([*_argv(name, audited), *flag], env, cwd=audited)
    assert out.strip(), "no output"
    assert bool(ANSI.search(out)) is coloured, out


@pytest.mark.parametrize("name", ["check", "audit"])
def test_a_pipe_gets_no_colour_unless_asked(name: str, audited: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    base = [sys.executable, "-m", "releasegate", *_argv(name, audited)]
    plain = subprocess.run(base, cwd=audited, env=env, capture_output=True, text=True,
                           timeout=120)
    forced = subprocess.run([*base, "--color", "always"], cwd=audited, env=env,
                            capture_output=True, text=True, timeout=120)
    assert plain.returncode in (0, 1) and forced.returncode == plain.returncode, plain.stderr
    assert not ANSI.search(plain.stdout)
    assert ANSI.search(forced.stdout)
    assert ANSI.sub("", forced.stdout) == plain.stdout  # colour changes nothing else
