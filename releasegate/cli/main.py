"""Entry point: ``main(argv) -> int`` so tests can call the CLI in-process."""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from ._exit import ExitCode, error_handler
from ._parser import Parser

# name → (module, help). Command modules import heavy libraries inside run(), never at the top,
# so building the parser stays cheap for the fast paths (validate, check, audit).
_CMD = "releasegate.cli.commands."
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (_CMD + "validate", "validate evidence JSON files against the schema"),
    "check": (_CMD + "check", "evaluate a gate policy over evidence; write a decision"),
    "verify": (_CMD + "verify", "re-run a decision from the files it names: reproduced or not"),
    "schema": (_CMD + "schema", "export or check the JSON Schemas of evidence kinds"),
    "audit": (_CMD + "audit", "cross-check markdown report claims against artifacts"),
    "import-gates": (
        _CMD + "import_gates",
        "turn another tool's gate output (pass_all JSON) into a releasegate decision",
    ),
    "run": (_CMD + "run", "run an experiment runner that fills evidence"),
    "demo": (_CMD + "demo", "train tiny SAEs on CPU, fill evidence, check and audit"),
    "ingest": (_CMD + "ingest", "turn SAEBench / CE-Bench result files into evidence"),
    "select": (_CMD + "select", "pick a candidate by the LCBs of its external deltas"),
    "report": (_CMD + "report", "write a static HTML report (gate table, plots)"),
    "render": (_CMD + "render", "render a markdown report template from evidence; --check drift"),
    "sweep": (_CMD + "sweep", "run a grid of runner conditions; sweep evidence"),
    "ci": (
        _CMD + "ci",
        "CI gate: validate, check and audit with GitHub annotations and a job summary",
    ),
}


def _load(name: str) -> ModuleType | None:
    module, _ = COMMANDS[name]
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name == module:
            return None  # command not built in this installation
        raise


def examples_epilog(mod: ModuleType) -> str:
    """The ``examples:`` block that ends a subcommand's ``--help``: the module's ``EXAMPLES``.

    ``EXAMPLES`` is one command per line (a trailing ``# comment`` explains it). A module
    without it still loads; tests/cli/test_help.py fails it instead.
    """
    text: str = getattr(mod, "EXAMPLES", "")
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return "examples:\n" + "\n".join(f"  {ln}" for ln in lines) if lines else ""


def _available(name: str) -> bool:
    """Is the command's module part of this installation? (Found without importing it.)"""
    try:
        return importlib.util.find_spec(COMMANDS[name][0]) is not None
    except ModuleNotFoundError:
        return False


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names: its first word that is not a global option (the global
    options take no value). None for ``--help``, ``--version`` or a mistyped name."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None, *, all_commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line. ``all_commands=False`` loads the module of ``only`` (or none) and
    gives the other subcommands their name and help line only: ``releasegate validate`` does not
    import audit's markdown parser, and ``releasegate --help`` imports no command at all (issue
    13: start-up under 0.15 s). The top-level help and "did you mean" are the same either way.
    """
    parser = Parser(
        prog="releasegate",
        description="Release gates and evidence audits for ML research claims.",
        epilog="Exit codes: 0 pass, 1 gate/validation/audit failure, 2 usage, 3 bug, "
        "130 interrupted.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show program's version number and exit")
    parser.add_argument(
        "--traceback", action="store_true", help="show full tracebacks for internal errors"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, help_text) in COMMANDS.items():
        if not all_commands and name != only:
            if _available(name):
                sub.add_parser(name, help=help_text, description=help_text)
            continue
        mod = _load(name)
        if mod is None:
            continue
        p = sub.add_parser(name, help=help_text, description=help_text,
                           epilog=examples_epilog(mod),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        mod.add_arguments(p)
        p.set_defaults(_module=mod, _parser=p)
    return parser


class _VersionAction(argparse.Action):
    """argparse's ``version`` action, reading the installed version only when asked:
    importlib.metadata costs ~15 ms that every other command would pay at start-up."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("releasegate")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Even building the parser runs inside the handler: a broken install is an error message
    # and exit 3, never a traceback.
    with error_handler(show_traceback="--traceback" in argv) as box:
        parser = build_parser(command_in(argv), all_commands=False)
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:  # argparse: --help/--version exit 0, usage errors exit 2
            box[0] = int(e.code) if isinstance(e.code, int) else int(ExitCode.USAGE)
            return box[0]
        box[0] = int(args._module.run(args))
    return box[0]


# Commands whose process reads its inputs, prints and exits within seconds (audit collects its
# cyclic garbage itself every few hundred reports: audit/_chunks.py).
_SHORT_LIVED = frozenset({"validate", "check", "verify", "schema", "audit"})


def console_main() -> None:
    argv = sys.argv[1:]
    # pydantic's documented switch: without it, building the first model validator scans the
    # entry points of every installed distribution for pydantic plugins (~6 ms of a 0.14 s
    # `validate`, issue 13); releasegate's own models want none. setdefault: a user's value
    # (an empty one re-enables the scan) wins, and child processes inherit either. Here, not
    # in the library: a program importing releasegate keeps its plugins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    short_lived = command_in(argv) in _SHORT_LIVED
    if short_lived:
        # No cyclic garbage collection in these short processes: each evidence file leaves a
        # few hundred live objects that the collector would scan again and again, and once
        # more at exit (~10% of `validate` with 1,000 files, issue 13); validation makes
        # next to no cyclic garbage. Here, not in main(): callers in-process keep their gc.
        gc.disable()
    code = main(argv)
    if short_lived:
        # gc.disable() does not stop the one collection the interpreter runs at exit over
        # every live object (~20 ms after `validate` of 1,000 files, issue 13). Frozen objects
        # are skipped by it; atexit handlers still run and the OS frees the memory.
        gc.freeze()
    raise SystemExit(code)


if __name__ == "__main__":
    console_main()
