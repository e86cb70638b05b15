"""Every shell command shown in README.md and docs/*.md runs as shown from a fresh clone
(issue 14).

The fenced ``bash``/``sh``/``shell`` blocks (one command a line) and ``console`` blocks (``$ ``
prompts, output below) are extracted with markdown-it-py and run, in document order, with bash
in a copy of the working tree as ``git clone`` would give it (tracked and untracked-but-not-
ignored files; nothing generated). The expected exit status is the ``$ echo $?`` line a console
block shows after the command, or a ``# exits N`` comment on the command, else 0.

Commands that cannot run in a test are listed in ``NOT_RUN`` with the reason. Long ones
(``STARTS``, each with its reason) are started, all at once: each must get past argument
parsing and still be running after a few seconds (or have exited as the document says), so a
usage error (a wrong runner name, a missing subcommand) fails here. Links in the documents and
paths named in the policies must lead to files.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from _helpers import REPO
from markdown_it import MarkdownIt

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL_INFOS = {"bash", "sh", "shell", "console"}

# (pattern, reason): commands never run here.
NOT_RUN: list[tuple[str, str]] = [
    (r"\bpip install\b", "installs packages from the network into a new environment"),
    (r"-m pytest\b", "the test suite itself"),
]
# (pattern, reason): commands only started, then stopped after STARTUP_S seconds.
STARTS: list[tuple[str, str]] = [
    (r"^releasegate demo\b", "trains SAEs for minutes"),
    (r"^releasegate run (?!--help)", "trains SAEs for minutes"),
    (r"bench/bench_\w+\.py", "benchmarks run for minutes"),
]
STARTUP_S = 6.0
_EXITS = re.compile(r"#.*\bexits? (\d+)\b")


@dataclass(frozen=True)
class Shown:
    """One command as a document shows it."""

    doc: str
    line: int
    command: str
    expected: int
    output: tuple[str, ...] = ()  # what a console block shows below the command

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}: {self.command}"


def _blocks(path: Path) -> list[tuple[str, int, list[str]]]:
    tokens = MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8"))
    return [(t.info.strip().split()[0], t.map[0] + 2, t.content.splitlines())
            for t in tokens if t.type == "fence" and t.map
            and t.info.strip().split()[:1] and t.info.strip().split()[0] in SHELL_INFOS]


def _expected(command: str) -> int:
    m = _EXITS.search(command)
    return int(m[1]) if m else 0


def shown_commands(path: Path, root: Path = REPO) -> list[Shown]:
    doc = path.relative_to(root).as_posix()
    out: list[Shown] = []
    for info, first, lines in _blocks(path):
        if info == "console":
            for i, ln in enumerate(lines):
                if not ln.startswith("$ "):
                    continue
                cmd = ln[2:].strip()
                below = []
                for nxt in lines[i + 1:]:
                    if nxt.startswith("$ "):
                        break
                    below.append(nxt)
                if cmd == "echo $?":
                    status = below[0].strip() if below else ""
                    assert out and status.isdigit(), f"{doc}:{first + i}: `echo $?` shows no code"
                    out[-1] = replace(out[-1], expected=int(status))
                    continue
                out.append(Shown(doc, first + i, cmd, _expected(cmd), tuple(below)))
        else:
            pending, start = "", 0
            for i, ln in enumerate(lines):
                start = start if pending else i
                if ln.rstrip().endswith("\\"):
                    pending += ln.rstrip()[:-1].strip() + " "
                    continue
                cmd = (pending + ln.strip()).strip()
                pending = ""
                if cmd and not cmd.startswith("#"):
                    out.append(Shown(doc, first + start, cmd, _expected(cmd)))
    return out


def _squash(line: str) -> str:
    return " ".join(line.split())


def _not_shown(shown: tuple[str, ...], printed: str) -> list[str]:
    """The shown output lines the command did not print, in order (``...`` skips lines)."""
    actual = [_squash(x) for x in printed.splitlines()]
    at, missing = 0, []
    for line in (_squash(x) for x in shown):
        if not line or line in ("...", "…"):
            continue
        try:
            at = actual.index(line, at) + 1
        except ValueError:
            missing.append(line)
    return missing


def _match(rules: list[tuple[str, str]], command: str) -> str | None:
    bare = re.sub(r"^\.venv/bin/", "", command)
    return next((why for pat, why in rules if re.search(pat, bare)), None)


ALL = [c for d in DOCS for c in shown_commands(d)]


def test_commands_are_found() -> None:
    # The extractor must see the documents' known blocks; an empty list would pass vacuously.
    docs = {c.doc for c in ALL}
    assert {"README.md", "docs/audit.md", "docs/report.md", "docs/ci.md"} <= docs, docs
    assert any(c.command.startswith("releasegate validate") and c.expected == 1 for c in ALL)
    assert len(ALL) >= 15


def test_extraction_reads_prompts_status_and_comments(tmp_path: Path) -> None:
    md = tmp_path / "x.md"
    md.write_text("```console\n$ a --x\nout\n$ echo $?\n1\n$ b\n```\n\n"
                  "```bash\nc \\\n  --y   # exits 2: why\n# only a comment\n\nd\n```\n\n"
                  "```yaml\nnot: a command\n```\n", encoding="utf-8")
    got = [(c.command, c.expected, c.line, c.output) for c in shown_commands(md, tmp_path)]
    assert got == [("a --x", 1, 2, ("out",)), ("b", 0, 6, ()),
                   ("c --y   # exits 2: why", 2, 10, ()), ("d", 0, 14, ())]


def test_shown_output_is_matched_in_order_with_ellipses() -> None:
    printed = "policy x\n  PASS  a: 1\n  FAIL  b: 2\nverdict FAIL\n"
    assert _not_shown(("policy x", "...", "FAIL  b: 2", "verdict FAIL"), printed) == []
    assert _not_shown(("verdict FAIL", "policy x"), printed) == ["policy x"]  # order matters
    assert _not_shown(("  PASS  a: 3",), printed) == ["PASS a: 3"]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree as a fresh clone has it, with the test's virtual environment linked."""
    root = tmp_path_factory.mktemp("clone")
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = REPO / rel
        if src.is_file():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, root / rel)
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return root


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    return env


def _start_all(cmds: list[Shown], cwd: Path) -> None:
    """Start the long commands together; each must still be running (or have exited as the
    document says) after STARTUP_S seconds. Then stop them, children included."""
    procs = [(c, subprocess.Popen(["bash", "-c", c.command], cwd=cwd, env=_env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  start_new_session=True)) for c in cmds]
    deadline = time.monotonic() + STARTUP_S
    failures = []
    for cmd, proc in procs:
        try:
            _out, err = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: the command and children
            proc.communicate()
            continue  # past argument parsing and working
        if proc.returncode != cmd.expected:
            failures.append(f"{cmd}\nexit {proc.returncode}\n{err[-2000:]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("doc", [d.relative_to(REPO).as_posix() for d in DOCS])
def test_document_commands_run_as_shown(doc: str, clone: Path) -> None:
    cwd = clone / "_run" / doc.replace("/", "_")
    # Each document starts from its own fresh copy: no document relies on another's outputs.
    shutil.copytree(clone, cwd, symlinks=True, ignore=shutil.ignore_patterns("_run"))
    long = []
    for cmd in [c for c in ALL if c.doc == doc]:
        if _match(NOT_RUN, cmd.command):
            continue
        if _match(STARTS, cmd.command):
            long.append(cmd)
            continue
        proc = subprocess.run(["bash", "-c", cmd.command], cwd=cwd, env=_env(),
                              capture_output=True, text=True, timeout=120)
        assert "Traceback" not in proc.stderr, f"{cmd}\n{proc.stderr}"
        assert proc.returncode == cmd.expected, (
            f"{cmd}\nexit {proc.returncode}, the document says {cmd.expected}\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        missing = _not_shown(cmd.output, proc.stdout + proc.stderr)
        assert not missing, f"{cmd}\nthe document shows lines the command did not print: " \
            f"{missing}\nit printed:\n{proc.stdout[-3000:]}{proc.stderr[-1000:]}"
    _start_all(long, cwd)


def test_every_exclusion_still_matches_a_command() -> None:
    # A stale exclusion would hide a command that should run.
    for pat, _why in NOT_RUN + STARTS:
        assert any(re.search(pat, re.sub(r"^\.venv/bin/", "", c.command)) for c in ALL), pat


def _braces(ref: str) -> list[str]:
    """Bash brace expansion of one ``{a,b}`` group: ``x{,_tiny}.yaml`` → two paths."""
    m = re.search(r"\{([^{}]*)\}", ref)
    if m is None:
        return [ref]
    return [ref[:m.start()] + alt + ref[m.end():] for alt in m[1].split(",")]


def _link_targets(path: Path) -> list[str]:
    """Relative link targets of a markdown document (no URL, no in-page anchor)."""
    tokens = MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8"))
    out = []
    for t in tokens:
        for child in t.children or []:
            href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
            if href and not re.match(r"^[a-z][a-z0-9+.-]*:|^#", href):
                out.append(href.split("#", 1)[0])
    return [h for h in out if h]


def test_links_in_the_docs_lead_to_files() -> None:
    assert "docs/audit.md" in _link_targets(REPO / "README.md")  # the extractor sees links
    missing = [f"{d.relative_to(REPO)}: {h}" for d in DOCS for h in _link_targets(d)
               if not (d.parent / h).exists() and not (REPO / h).exists()]
    assert not missing, missing


def test_paths_the_policies_point_to_exist() -> None:
    # The shipped policy's comment once pointed to a docs/policy.md that did not exist.
    refs = {}
    for pol in (REPO / "policy").rglob("*.yaml"):
        for ref in re.findall(r"(?<![\w/.-])((?:docs|examples|policy)/[\w./{},-]*[\w}])",
                              pol.read_text(encoding="utf-8")):
            refs |= {r: pol for r in _braces(ref)}
    assert "docs/policy.md" in refs
    missing = [f"{pol.relative_to(REPO)}: {r}" for r, pol in refs.items()
               if not (REPO / r).exists()]
    assert not missing, missing
