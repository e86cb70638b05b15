"""Benchmark for ``releasegate audit`` (issue 3, "Fast" and "Robust").

1. Scale: 200 markdown reports citing 2,000 artifacts (1,000 releasegate ``sae_run`` evidence
   files that are schema-validated, 1,000 plain JSON files from "another script"), every
   artifact cited by two reports, so the index must load each one exactly once.
2. Adversarial regex inputs: every regex the audit uses, on inputs built to trigger
   backtracking, at 10x growing sizes; each must stay under a time bound and grow ~linearly.
3. Adversarial reports through the whole pipeline (10 MB lines of hostile patterns).

Run: ``.venv/bin/python bench/bench_audit.py`` (``--quick`` for a smaller run). Exit 1 when a
time bound is exceeded. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit import (  # noqa: E402
    AuditOptions,
    Auditor,
    _binding,
    _claims,
    _notclaims,
    _numbers,
    _paths,
    _sentences,
    _status,
    _textleaves,
)
from evidence_schema import config_sha256  # noqa: E402


def sae_run(i: int, rng: random.Random) -> dict[str, object]:
    config = {"i": i}
    return {
        "schema_version": "1.0", "kind": "sae_run", "created_at": "2026-11-20T10:00:00Z",
        "producer": {"name": "bench", "version": "0"},
        "provenance": {"git_commit": None, "git_dirty": None, "config": config,
                       "config_sha256": config_sha256(config), "seeds": [i],
                       "device": "cpu", "versions": {"python": "3.11", "releasegate": "0"}},
        "inputs": [],
        "metrics": {
            "architecture": "topk", "model_name": "tiny", "hook_point": "h", "d_model": 64,
            "d_sae": 1024, "k": 32, "training_tokens": 100000, "seed": i,
            "explained_variance": round(rng.uniform(0.5, 0.99), 6),
            "mse": round(rng.uniform(0.001, 0.05), 6), "l0": round(rng.uniform(10, 90), 4),
            "dead_fraction": round(rng.uniform(0, 0.1), 5),
            "checkpoint_path": f"ckpt/{i}.pt", "checkpoint_sha256": "a" * 64,
        },
    }


def plain(i: int, rng: random.Random) -> dict[str, object]:
    return {"run": i, "results": {f"cond_{k}": {"saebench_delta": round(rng.gauss(0, 0.1), 5),
                                               "cebench": round(rng.uniform(0, 50), 4)}
                                  for k in range(10)}}


def build_corpus(root: Path, n_reports: int, n_artifacts: int) -> tuple[int, list[str]]:
    rng = random.Random(0)
    docs: dict[str, dict[str, object]] = {}
    for i in range(n_artifacts):
        rel = f"docs/evidence/a{i:05d}.json"
        doc = sae_run(i, rng) if i % 2 == 0 else plain(i, rng)
        docs[rel] = doc
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(doc))
    rels = sorted(docs)
    per_report = 2 * n_artifacts // n_reports
    claims = 0
    for r in range(n_reports):
        cited = [rels[(r * per_report // 2 + k) % n_artifacts] for k in range(per_report)]
        lines = [f"# Report R{r:03d}", "", "Date: 2026-11-20", ""]
        for k, rel in enumerate(cited):
            doc = docs[rel]
            lines += [f"## {k + 1}) Condition", "", f"- artifact: `{rel}`"]
            if doc.get("kind") == "sae_run":
                m = doc["metrics"]
                assert isinstance(m, dict)
                lines += [f"- EV `{m['explained_variance']:.4f}`, MSE {m['mse']:.4f}",
                          f"- L0 [{m['l0']:.2f}]({Path(rel).name}#/metrics/l0) with seed {k}"]
                claims += 4
            else:
                res = doc["results"]
                assert isinstance(res, dict)
                lines += ["", "| cond | SAEBench | CE-Bench |", "|---|---|---|"]
                for c, v in list(res.items())[:3]:
                    lines.append(f"| {c} | {v['saebench_delta']:+.4f} | {v['cebench']:.3f} |")
                claims += 7
            lines += ["- transcoder gate: fail", ""]
        (root / "docs" / "evidence" / f"report{r:03d}.md").write_text("\n".join(lines))
    # a decision that used every sae_run file, so staleness is checked for each citation
    from evidence_schema import sha256_file

    decision = {
        "schema_version": "1.0", "kind": "decision", "created_at": "2026-11-24T12:00:00Z",
        "producer": {"name": "bench", "version": "0"},
        "provenance": {"git_commit": None, "git_dirty": None, "config": {},
                       "versions": {"releasegate": "0"}},
        "policy": {"name": "bench", "version": "1", "path": "p.yaml", "sha256": "b" * 64},
        "evidence": [{"path": rel, "sha256": sha256_file(root / rel), "kind": "sae_run"}
                     for rel in rels if docs[rel].get("kind") == "sae_run"],
        "gates": [{"name": "transcoder", "status": "fail", "reason": "delta < 0",
                   "observed": -0.1, "comparison": ">=", "threshold": 0.0}],
        "verdict": "fail", "summary": "fail",
    }
    (root / "decision.json").write_text(json.dumps(decision))
    return claims, rels


def bench_scale(quick: bool) -> bool:
    """The corpus at 1/4, 1/2 and full size: the cost must grow linearly (issue 13)."""
    full = (40, 400) if quick else (200, 2000)
    ok = True
    per_claim: dict[str, list[float]] = {"0": [], "1": [], "in-process CPU": []}
    for frac in (4, 2, 1):
        size_ok, times, claims = _bench_scale_at(full[0] // frac, full[1] // frac)
        ok = ok and size_ok
        for k, t in times.items():
            per_claim[k].append(t / claims)
    # --jobs 0 splits only the larger sizes, so its figure is not a linearity figure
    for k in ("in-process CPU", "1"):
        what = k if k != "1" else "CLI --jobs 1"
        print(f"  {what} per planted claim, 1/4 -> full: "
              f"x{per_claim[k][-1] / per_claim[k][0]:.2f} (1.00 = linear)")
    return ok


def _bench_scale_at(n_reports: int, n_artifacts: int) -> tuple[bool, dict[str, float], int]:
    tmp = Path(tempfile.mkdtemp(prefix="rg-bench-"))
    try:
        t0 = time.perf_counter()
        claims, _ = build_corpus(tmp, n_reports, n_artifacts)
        build_s = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        auditor = Auditor(AuditOptions(repo=tmp))
        result = auditor.audit([tmp / "docs"])
        audit_s, audit_cpu = time.perf_counter() - t0, time.process_time() - c0
        counts = {k: v for k, v in result.counts().items() if v}
        print(f"scale: {n_reports} reports citing {n_artifacts} artifacts "
              f"({claims} numeric claims planted), corpus built in {build_s:.1f}s")
        print(f"  in-process audit: {audit_s:.2f}s (CPU {audit_cpu:.2f}s), "
              f"{len(result.findings)} findings {counts}, "
              f"{auditor.index.loads} artifact loads for {len(auditor.index)} distinct files")
        times = {"in-process CPU": audit_cpu}
        for jobs in ("0", "1"):  # one job per CPU (the default), then one process
            runs = []
            for _ in range(3):
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                proc = subprocess.run(
                    [str(Path(sys.executable).parent / "releasegate"), "audit", "docs",
                     "--format", "json", "--jobs", jobs], cwd=tmp, capture_output=True,
                    text=True)
                wall = time.perf_counter() - t0
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                runs.append((wall, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime))
            runs.sort()
            wall, cpu = runs[1]  # the median of 3
            times[jobs] = wall
            target = "  (target < 2 s: " + ("OK)" if wall < 2 else "OVER)") if (
                jobs == "0" and n_reports == 200) else ""
            print(f"  CLI `releasegate audit docs --format json --jobs {jobs}`: {wall:.2f}s "
                  f"(CPU {cpu:.2f}s), exit {proc.returncode}, median of 3{target}")
        ok = auditor.index.loads == n_artifacts and result.counts()["mismatch"] == 0
        ok = ok and result.counts()["missing-artifact"] == 0
        if not ok:
            print("  FAIL: each artifact must be loaded once and every planted claim verify")
        return ok, times, claims
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _scan_all(pat: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pat.finditer(text))


def _match_windows(pat: re.Pattern[str], text: str, window: int) -> None:
    for i in range(0, len(text), 31):
        pat.match(text, i, i + window)


def _time(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "digits": lambda n: "1" * n,
    "thousands": lambda n: "1" + ",111" * (n // 4) + "1",
    "signs": lambda n: "+-" * (n // 2),
    "decimals": lambda n: "1." * (n // 2),
    "exponents": lambda n: "1e" * (n // 2),
    "hyphen-words": lambda n: "a-" * (n // 2),
    "underscores": lambda n: "a_" * (n // 2),
    "gates": lambda n: "x gate " * (n // 7),
    "gate-list": lambda n: "a and " * (n // 6) + "gates",
    "assign": lambda n: "a = " * (n // 4) + "true",
    "dates": lambda n: "2026-11-2" * (n // 9),
    "slashes": lambda n: "a/" * (n // 2),
    "status": lambda n: "pass-" * (n // 5),
    "spaces-colons": lambda n: " :" * (n // 2),
}


def _regexes() -> dict[str, re.Pattern[str]]:
    det = _status.StatusDetector(["random_model", "transcoder", "ood", "external"])
    pats = {
        "NUMBER_RE": _numbers.NUMBER_RE,
        "NULL_RE": _binding.NULL_RE,
        "CODE_SPAN_RE": _textleaves._CODE_SPAN_RE,
        "DATE_TIME_RE": _textleaves._DATE_TIME_RE,
        "DATE_RE": _notclaims._DATE_RE,
        "ELLIPSIS_RE": _status._ELLIPSIS_RE,
        "RELEASE_PHRASE_RE": _status._RELEASE_PHRASE_RE,
        "STATUS_RE": _status._STATUS_RE,
        "WORD_RE": _status._WORD_RE,
        "RELATIVE_RE": _status._RELATIVE_RE,
        "sentence END_RE": _sentences._END_RE,
        "CLAUSE_RE": _sentences._CLAUSE_RE,
        "CONDITIONAL": _sentences._CONDITIONAL,
        "TODO_RE": _sentences._TODO_RE,
        "LIST_SEP_RE": _sentences._LIST_SEP_RE,
    }
    assert det._gate_re is not None
    pats["gate names"] = det._gate_re
    return pats


def bench_regexes(bound_s: float) -> bool:
    ok = True
    worst = 0.0
    for pname, pat in _regexes().items():
        for aname, make in ADVERSARIAL.items():
            times = []
            for n in (10_000, 100_000, 1_000_000):
                text = make(n)
                times.append(_time(partial(_scan_all, pat, text)))
            growth = times[2] / max(times[1], 1e-4)
            worst = max(worst, times[2])
            # linear: 10x input → ~10x time; quadratic would be ~100x
            # (growth is only meaningful once the time is measurable)
            if times[2] > bound_s or (times[2] > 0.2 and growth > 30):
                ok = False
                print(f"  FAIL {pname} on {aname}: {times} (x{growth:.0f} for 10x input)")
    # Anchored patterns, exercised the way the audit uses them: the enumeration and URL-scheme
    # patterns once at the start of a whole (1 MB) text; the others at every position of a
    # hostile string, within the window the code gives them (path-like inline code is at most
    # 1,000 characters, a gate qualifier 200, the "X and Y gates" look-ahead 60).
    anchored: dict[str, tuple[re.Pattern[str], int | None]] = {
        "HEADING_ENUM": (_notclaims._HEADING_ENUM_RE, None),
        "PARA_ENUM": (_notclaims._PARA_ENUM_RE, None),
        "URL_SCHEME": (_claims._EXTERNAL, None),
        "PATHLIKE": (_paths._PATHLIKE, 1000),
        "PATH_TEMPLATE": (_paths._TEMPLATE, 1000),
        "KEY_LINE": (_textleaves._KEY_LINE_RE, 200),
        "TABLE_DELIM": (_textleaves._DELIM_RE, None),
        "QUALIFIER": (_status._QUALIFIER_RE, 200),
        "LIST_OF_GATES": (_status._LIST_OF_GATES_RE, 60),
    }
    for pname, (pat, window) in anchored.items():
        for aname, make in ADVERSARIAL.items():
            text = make(1_000_000)
            if window is None:
                t = _time(partial(pat.match, text))
            else:
                t = _time(partial(_match_windows, pat, text, window))
            worst = max(worst, t)
            if t > bound_s:
                ok = False
                print(f"  FAIL {pname} on {aname}: {t:.2f}s")
    print(f"regexes: {len(_regexes()) + len(anchored)} patterns x {len(ADVERSARIAL)} hostile "
          f"inputs up to 1 MB: worst {worst:.3f}s (bound {bound_s}s) -> {'OK' if ok else 'FAIL'}")
    return ok


def bench_pipeline(bound_s: float, size: int) -> bool:
    ok = True
    tmp = Path(tempfile.mkdtemp(prefix="rg-adv-"))
    try:
        (tmp / "a.json").write_text('{"v": 0.5}')
        names = []
        for aname, make in ADVERSARIAL.items():
            (tmp / f"{aname}.md").write_text("## R\n\n`a.json` " + make(size) + "\n")
            names.append(aname)
        (tmp / "many-claims.md").write_text("## R\n\n`a.json` " + "0.5 word " * (size // 9))
        # the markdown parser's own worst cases (linear, but ~13 µs per character)
        (tmp / "md-images.md").write_text("![a" * (size // 3))
        (tmp / "md-brackets.md").write_text("[" * size)
        names += ["md-images", "md-brackets"]
        names.append("many-claims")
        worst = ("", 0.0)
        for aname in names:
            auditor = Auditor(AuditOptions(repo=tmp))
            t = _time(partial(auditor.audit, [tmp / f"{aname}.md"]))
            if t > worst[1]:
                worst = (aname, t)
            if t > bound_s:
                ok = False
                print(f"  FAIL pipeline on {aname}: {t:.2f}s")
            if auditor.result.file_errors and size < 10_000_000:
                print(f"  {aname} ({t:.2f}s): {auditor.result.file_errors[0].message}")
        print(f"pipeline: {len(names)} hostile {size / 1e6:.0f} MB one-line reports, worst "
              f"{worst[0]} {worst[1]:.2f}s (bound {bound_s}s) -> {'OK' if ok else 'FAIL'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    # An installed package has bytecode; with PYTHONDONTWRITEBYTECODE=1 (this machine) every
    # run would recompile the modules edited since the last compile: compile them first.
    packages = ("evidence_schema", "policy", "audit", "releasegate")
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(ROOT / d) for d in packages)],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    ok = bench_scale(args.quick)
    ok = bench_regexes(bound_s=2.0) and ok
    # 1 MB one-line reports are audited (the line limit is 1 MiB); 10 MB ones must be refused
    # quickly with a clear error.
    ok = bench_pipeline(bound_s=20.0, size=1_000_000) and ok
    if not args.quick:
        ok = bench_pipeline(bound_s=2.0, size=10_000_000) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
