"""Every subcommand's --help: examples at the end, help for every option, --out said plainly,
and "did you mean" for mistyped names (issue 14). Iterates over COMMANDS, so a new subcommand
is held to the same rules without a new test.
"""

from __future__ import annotations

import argparse
import io
import shlex
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest
from _helpers import REPO

from releasegate.cli.main import COMMANDS, build_parser, main

PARSER = build_parser()
SUBPARSERS: dict[str, argparse.ArgumentParser] = next(
    a.choices for a in PARSER._actions if isinstance(a, argparse._SubParsersAction)
)


def _help(name: str) -> str:
    buf = io.StringIO()
    with redirect_stdout(buf), pytest.raises(SystemExit) as e:
        PARSER.parse_args([name, "--help"])
    assert e.value.code == 0
    return buf.getvalue()


def _examples(name: str) -> list[str]:
    text = _help(name).rstrip("\n")
    _head, sep, block = text.rpartition("\nexamples:\n")
    assert sep, f"`releasegate {name} --help` does not end with an examples: block"
    return [ln.strip() for ln in block.splitlines()]


def test_every_command_is_built() -> None:
    assert set(SUBPARSERS) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_ends_with_two_or_three_examples_that_parse(name: str) -> None:
    examples = _examples(name)
    assert 2 <= len(examples) <= 3, examples
    for ex in examples:
        argv = shlex.split(ex, comments=True)
        if ">" in argv:  # a shell redirection is not the command's argument
            argv = argv[:argv.index(">")]
        assert argv[:2] == ["releasegate", name], ex
        err = io.StringIO()
        with redirect_stderr(err):
            try:
                ns = PARSER.parse_args(argv[1:])
            except SystemExit as e:  # pragma: no cover - the assertion below names the example
                pytest.fail(f"example {ex!r} is not valid usage: {err.getvalue()} ({e.code})")
        assert ns.command == name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_and_argument_has_help(name: str) -> None:
    for action in SUBPARSERS[name]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        what = "/".join(action.option_strings) or action.dest
        assert action.help and action.help != argparse.SUPPRESS, f"{name} {what} has no help"
        assert len(action.help) >= 10, f"{name} {what}: help too short: {action.help!r}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_out_says_whether_it_is_a_file_or_a_directory(name: str) -> None:
    # One meaning of --out everywhere: a FILE for a single output, a DIR for many, shown in
    # the usage line (metavar) and said in the help.
    for action in SUBPARSERS[name]._actions:
        if "--out" not in action.option_strings:
            continue
        assert action.metavar in ("FILE", "DIR"), f"{name} --out metavar {action.metavar!r}"
        word = {"FILE": "file", "DIR": "directory"}[action.metavar]
        assert action.help and word in action.help, f"{name} --out help: {action.help!r}"


def _usage_error(*argv: str) -> str:
    """Run the CLI in a subprocess (as a user would): exit 2, no traceback; return stderr."""
    proc = subprocess.run([sys.executable, "-m", "releasegate", *argv], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    return proc.stderr


def test_mistyped_subcommand_suggests_the_closest() -> None:
    assert "did you mean 'check'?" in _usage_error("chek")


def test_mistyped_choice_value_suggests_the_closest() -> None:
    err = _usage_error("check", "--format", "jsn")
    assert "invalid choice: 'jsn'" in err and "did you mean 'json'?" in err


def test_mistyped_runner_name_suggests_the_runner() -> None:
    # The README once showed `run random_model_control`: the kind of the evidence, not the
    # runner's name.
    err = _usage_error("run", "random_model_control", "--config", "examples/configs/demo.yaml")
    assert "did you mean 'random_model'?" in err


def test_mistyped_option_name_suggests_the_option_of_that_subcommand() -> None:
    err = _usage_error("audit", "--stirct", "docs")
    assert err.startswith("usage: releasegate audit"), err
    assert "unrecognized arguments: --stirct" in err and "did you mean '--strict'?" in err


def test_mistyped_global_option_after_the_subcommand() -> None:
    err = _usage_error("validate", "examples/evidence", "--tracebak")
    assert "did you mean '--traceback' (a global option: put it before the subcommand)?" in err


@pytest.mark.parametrize("argv", [["frobnicate"], ["check", "--format", "xml"],
                                  ["validate", "--zzz", "x"]])
def test_nothing_close_means_no_guess(argv: list[str]) -> None:
    err = io.StringIO()
    with redirect_stderr(err):
        assert main(argv) == 2
    assert "did you mean" not in err.getvalue()
    assert "error:" in err.getvalue()
