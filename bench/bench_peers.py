"""Fast paths against their peers (issue 13), whole processes, side by side in one run.

    .venv/bin/python bench/bench_peers.py [--files 1000] [--repeats 5] [--kind random_model_control]

1. ``releasegate validate`` of N evidence files of one kind (~3 KB each, copies of the shipped
   example with a distinct producer version) against ``check-jsonschema --schemafile
   evidence_schema/schemas/<kind>.schema.json`` on the same files: the tool users would
   otherwise put in pre-commit. Then one file each.
2. Start-up: ``releasegate --help`` and ``releasegate SUBCOMMAND --help`` for the fast
   subcommands (validate, check, audit, schema, verify, render).

Runs alternate (peer, ours, peer, ours, ...) so that machine load affects both alike; the median
of each is printed with the ratio peer/ours. Wall time of the whole process, start-up included.
Not a test: timings depend on the machine. ``bench_spine.py`` times ``check`` at scale and
``bench_audit.py`` ``audit``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FAST_SUBCOMMANDS = ("validate", "check", "audit", "schema", "verify", "render")


def make_files(root: Path, kind: str, n: int) -> list[Path]:
    """N valid evidence files of ``kind``: the shipped example, each with its own producer
    version (a field no derived value or digest depends on)."""
    src = {p.name: p for p in (REPO / "examples" / "evidence").glob("*.json")}
    doc = json.loads(src[f"{kind}.json"].read_text())
    paths = []
    for i in range(n):
        doc["producer"]["version"] = f"1.{i}"
        p = root / f"{kind}_{i:05d}.json"
        p.write_text(json.dumps(doc, indent=2))
        paths.append(p)
    return paths


CPU: dict[str, list[float]] = {}  # command → CPU seconds (user + system) of each run


def wall(cmd: list[str], expect: int = 0) -> float:
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    dt = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
    CPU.setdefault(" ".join(cmd), []).append(cpu)
    if proc.returncode != expect:
        raise SystemExit(f"{' '.join(cmd[:3])}... exited {proc.returncode}, expected {expect}:\n"
                         f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return dt


def side_by_side(label: str, peer: list[str], ours: list[str], repeats: int) -> float:
    tp, to = [], []
    for _ in range(repeats):
        tp.append(wall(peer))
        to.append(wall(ours))
    mp, mo = statistics.median(tp), statistics.median(to)
    cp, co = (statistics.median(CPU[" ".join(c)]) for c in (peer, ours))
    print(f"{label:<24} check-jsonschema {mp:6.3f} s   releasegate {mo:6.3f} s   "
          f"ratio {mp / mo:5.2f}x   (CPU {cp:.3f} s vs {co:.3f} s: {cp / co:.2f}x)")
    return mo


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--kind", default="random_model_control")
    args = ap.parse_args()
    rg = [str(BIN / "releasegate")]
    peer_bin = str(BIN / "check-jsonschema")
    schema = str(REPO / "evidence_schema" / "schemas" / f"{args.kind}.schema.json")
    # An installed package has bytecode; a machine with PYTHONDONTWRITEBYTECODE=1 (this one)
    # would recompile every module edited since the last compile on each run: compile first.
    packages = ("evidence_schema", "policy", "audit", "releasegate")
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(REPO / d) for d in packages)],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}; "
          f"median of {args.repeats}, whole process")
    with tempfile.TemporaryDirectory(prefix="rg-peers-") as tmp:
        files = make_files(Path(tmp), args.kind, args.files)
        size = statistics.mean(p.stat().st_size for p in files)
        names = [str(p) for p in files]
        print(f"{args.files} `{args.kind}` files, {size / 1024:.1f} KB each")
        side_by_side(f"validate {args.files} files",
                     [peer_bin, "--schemafile", schema, *names],
                     [*rg, "validate", "-q", *names], args.repeats)
        side_by_side("  the same, --jobs 1", [peer_bin, "--schemafile", schema, *names],
                     [*rg, "validate", "-q", "--jobs", "1", *names], args.repeats)
        one = side_by_side("validate 1 file", [peer_bin, "--schemafile", schema, names[0]],
                           [*rg, "validate", "-q", names[0]], args.repeats)
        print(f"{'':<24} one file: {'OK' if one < 0.15 else 'OVER'} (target < 0.15 s wall)")
    print("start-up (median wall, target < 0.15 s each):")
    for sub in ("", *FAST_SUBCOMMANDS):
        cmd = [*rg, *([sub] if sub else []), "--help"]
        t = statistics.median(wall(cmd) for _ in range(args.repeats))
        cpu = statistics.median(CPU[" ".join(cmd)])
        print(f"  releasegate {(sub + ' ') if sub else ''}--help{'':<{12 - len(sub)}} {t:6.3f} s"
              f" (CPU {cpu:.3f} s)  {'OK' if t < 0.15 else 'OVER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
