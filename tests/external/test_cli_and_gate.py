"""Acceptance: `releasegate ingest` → `releasegate select` → the shipped policy's external gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from external.results_factory import Writer, absorption, cebench, sae_probes, sparse_probing

import policy
from evidence_schema import now_utc, validate_file
from releasegate.cli.main import main
from runners.external import SELECTION_FILENAME

BASE_CE = 50.0


def _write_candidate(write: Writer, cid: str, sae_off: list[float], ce_off: list[float],
                     rows: int = 200) -> tuple[list[Path], list[Path]]:
    # The eval and metric the shipped policy's saebench gate selects (husai-release 1.2.0): the
    # best SAE probe AUC minus the model's own probe AUC.
    sp = [write(f"{cid}/seed{s}/sparse_probing_sae_probes.json", sae_probes({5: 0.93 + o}))
          for s, o in enumerate(sae_off)]
    ce = [write(f"{cid}/seed{s}/results.json", cebench(BASE_CE + o, rows=rows))
          for s, o in enumerate(ce_off)]
    return sp, ce


def _ingest(write: Writer, out: Path, cid: str, sae_off: list[float], ce_off: list[float],
            capsys: pytest.CaptureFixture[str]) -> None:
    sp, ce = _write_candidate(write, cid, sae_off, ce_off)
    base = write("baseline/results.json", cebench(BASE_CE, rows=200, release="gemma-scope"))
    args = ["--candidate-id", cid, "--out", str(out)]
    assert main(["ingest", "saebench", *map(str, sp), *args]) == 0, capsys.readouterr()
    assert main(["ingest", "cebench", *map(str, ce), "--baseline", str(base), *args]) == 0


def _external(evidence: Path) -> policy.GateResult:  # type: ignore[name-defined]
    decision = policy.check(policy.DEFAULT_POLICY, evidence, now=now_utc())
    return next(g for g in decision.gates if g.name == "external")


def test_good_candidate_passes_external_gate(write: Writer, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    ev = tmp_path / "ev"
    _ingest(write, ev, "topk-k32", [0.02, 0.025, 0.03], [2.0, 2.5, 3.0], capsys)
    for f in ev.iterdir():
        assert validate_file(f).ok, f
    gate = _external(ev)
    assert gate.status == "pass", gate.reason
    assert {c.name: c.status for c in gate.children} == {"saebench": "pass", "cebench": "pass"}
    doc = json.loads((ev / "external_cebench_topk-k32.json").read_text())
    assert doc["metrics"]["row_budget"] == doc["metrics"]["baseline_row_budget"] == 200
    assert "matched baseline" in doc["metrics"]["delta_definition"]
    assert [d["seeds"] for d in doc["metrics"]["deltas"]] == [[0], [1], [2]]


def test_bad_candidate_fails_external_gate(write: Writer, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    ev = tmp_path / "ev"
    # SAEBench fine, CE-Bench below the baseline: the joint gate fails on cebench.
    _ingest(write, ev, "relu", [0.02, 0.025, 0.03], [-1.0, -0.5, 0.2], capsys)
    gate = _external(ev)
    assert gate.status == "fail"
    assert {c.name: c.status for c in gate.children} == {"saebench": "pass", "cebench": "fail"}


def test_select_writes_evidence_the_gate_reads(write: Writer, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    ev, sel = tmp_path / "ev", tmp_path / "sel"
    # Six seeds: the default split ranks on seeds 0-2 and holds out 3-5 for the gate.
    _ingest(write, ev, "good", [0.02, 0.025, 0.03, 0.021, 0.027, 0.024],
            [2.0, 2.5, 3.0, 2.2, 2.8, 2.4], capsys)
    _ingest(write, ev, "bad", [-0.01, 0.0, -0.02, -0.011, 0.001, -0.03],
            [-2.0, -1.0, -1.5, -1.2, -1.8, -1.1], capsys)
    _ingest(write, ev, "two-seeds", [0.2, 0.3], [9.0, 9.5], capsys)
    assert main(["select", "--evidence", str(ev), "--min-seeds", "3", "--out", str(sel)]) == 0
    out = capsys.readouterr().out
    assert "selected good" in out and "2 seed(s) < min_seeds 3" in out
    assert "ranked on seeds [0, 1, 2]; the gate confirms on seeds [3, 4, 5]" in out
    for bench in ("saebench", "cebench"):  # the gate reads held-out seeds only
        doc = json.loads((sel / f"external_{bench}_good.json").read_text())
        assert [d["seeds"] for d in doc["metrics"]["deltas"]] == [[3], [4], [5]]
        assert doc["metrics"]["selection"] == {"selection_seeds": [0, 1, 2],
                                                "confirmation_seeds": [3, 4, 5]}
        assert not any(Path(i["path"]).is_absolute() for i in doc["inputs"])
    assert sorted(p.name for p in sel.iterdir()) == [
        "external_cebench_good.json", "external_saebench_good.json", SELECTION_FILENAME]
    res = validate_file(sel / SELECTION_FILENAME)
    assert res.ok and res.kind == "external_selection"
    rows = {r["candidate_id"]: r for r in res.data["metrics"]["rows"]}
    assert rows["two-seeds"]["eligible"] is False and rows["bad"]["pareto"] is False
    assert rows["good"]["pareto"] is True
    assert _external(sel).status == "pass"


def test_select_with_no_eligible_candidate_exits_1(write: Writer, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    ev, sel = tmp_path / "ev", tmp_path / "sel"
    _ingest(write, ev, "short", [0.02, 0.03], [1.0, 2.0], capsys)
    assert main(["select", "--evidence", str(ev), "--min-seeds", "3", "--out", str(sel)]) == 1
    doc = json.loads((sel / SELECTION_FILENAME).read_text())
    assert doc["metrics"]["selected"] is None
    # Without selected evidence in --out the external gate has nothing and fails closed.
    assert _external(sel).status == "missing"


def test_ingest_failures_exit_1_naming_the_file(write: Writer, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "ev")
    bad = write("seed0/broken.json", '{"eval_type_id": ')
    assert main(["ingest", "saebench", str(bad), "--candidate-id", "c", "--out", out]) == 1
    assert str(bad) in capsys.readouterr().err
    cand = write("seed0/results.json", cebench(rows=200))
    base = write("base.json", cebench(rows=80))
    assert main(["ingest", "cebench", str(cand), "--baseline", str(base), "--candidate-id", "c",
                 "--out", out]) == 1
    err = capsys.readouterr().err
    assert "unmatched baseline" in err and str(base) in err
    noseed = write("results.json", cebench())
    assert main(["ingest", "cebench", str(noseed), "--baseline", str(base), "--candidate-id",
                 "c", "--out", out]) == 1
    assert "--seeds" in capsys.readouterr().err
    core_like = write("seed1/abs.json", absorption())
    assert main(["ingest", "saebench", str(core_like), "--candidate-id", "c", "--out", out]) == 1
    assert "--baseline" in capsys.readouterr().err
    assert not (tmp_path / "ev").exists()  # nothing half-written


def test_usage_errors_exit_2(write: Writer, tmp_path: Path) -> None:
    f = write("seed0/a.json", sparse_probing())
    out = str(tmp_path / "ev")
    assert main(["ingest", "saebench", str(tmp_path / "nope.json"), "--candidate-id", "c",
                 "--out", out]) == 2
    assert main(["ingest", "saebench", str(f), "--seeds", "1", "2", "--candidate-id", "c",
                 "--out", out]) == 2
    assert main(["ingest", "cebench", str(f), "--no-schema", "--candidate-id", "c",
                 "--out", out]) == 2
    assert main(["select", "--evidence", str(tmp_path / "none"), "--out", out]) == 2
    assert main(["select", "--evidence", str(tmp_path), "--min-seeds", "1", "--out", out]) == 2


def test_explicit_seeds_and_saebench_baseline_file(write: Writer, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    cands = [write(f"c{i}.json", absorption(0.20 + 0.01 * i)) for i in range(3)]
    base = write("public.json", absorption(0.30))
    assert main(["ingest", "saebench", *map(str, cands), "--seeds", "7", "8", "9",
                 "--baseline", str(base), "--baseline-id", "public-topk", "--candidate-id",
                 "mine", "--out", str(ev)]) == 0
    m = json.loads((ev / "external_saebench_mine.json").read_text())["metrics"]
    assert m["baseline_id"] == "public-topk"
    assert [d["seeds"][0] for d in m["deltas"]] == [7, 8, 9]
    # lower absorption is better: deltas are baseline − candidate in the raw metric
    assert [round(d["value"], 6) for d in m["deltas"]] == [0.1, 0.09, 0.08]


def test_import_is_cheap_and_runner_explains_install(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, runners.external, runners.external.saebench_runner; "
            "print(sorted(m for m in ('torch', 'sae_lens', 'sae_bench', 'transformer_lens') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.strip() == "[]"
    import importlib.util

    if importlib.util.find_spec("sae_bench") is None:
        from runners.external import ExternalResultError
        from runners.external.saebench_runner import run_core_eval

        with pytest.raises(ExternalResultError, match=r"releasegate\[saebench\]"):
            run_core_eval(tmp_path, tmp_path / "out")


# --- selection then confirmation (issue 10 §3) ----------------------------------------------


def test_winner_on_selection_seeds_is_judged_on_held_out_seeds(
    write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "lucky" looks best on the seeds that choose (0-2) and falls below the baseline on the
    # held-out seeds (3-5): the gate sees only 3-5, so it fails instead of confirming the luck.
    ev, sel = tmp_path / "ev", tmp_path / "sel"
    _ingest(write, ev, "lucky", [0.05, 0.06, 0.055, -0.02, -0.03, -0.025],
            [4.0, 4.5, 4.2, -1.0, -1.5, -1.2], capsys)
    _ingest(write, ev, "steady", [0.01, 0.012, 0.011, 0.013, 0.0125, 0.0115],
            [0.5, 0.6, 0.55, 0.52, 0.62, 0.57], capsys)
    assert main(["select", "--evidence", str(ev), "--min-seeds", "3", "--out", str(sel)]) == 0
    assert "selected lucky" in capsys.readouterr().out
    gate = _external(sel)
    assert gate.status == "fail" and gate.seeds_used == [3, 4, 5]


def test_explicit_confirmation_seeds_and_overlap_refused(
    write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ev, sel = tmp_path / "ev", tmp_path / "sel"
    _ingest(write, ev, "c", [0.02, 0.025, 0.03, 0.021, 0.027], [2.0, 2.5, 3.0, 2.2, 2.8], capsys)
    assert main(["select", "--evidence", str(ev), "--min-seeds", "3", "--confirm-seeds", "3",
                 "4", "--out", str(sel)]) == 0
    f = sel / "external_cebench_c.json"
    doc = json.loads(f.read_text())
    assert [d["seeds"] for d in doc["metrics"]["deltas"]] == [[3], [4]]
    # Hand-edited to confirm on a seed that also selected: refused at validation.
    doc["metrics"]["selection"]["confirmation_seeds"] = [2, 3, 4]
    f.write_text(json.dumps(doc))
    res = validate_file(f)
    assert not res.ok and "used both to select and to confirm" in str(res.problems[0])
    # A selection-seed delta smuggled into the file the gate reads: refused too.
    doc["metrics"]["selection"]["confirmation_seeds"] = [3, 4]
    doc["metrics"]["selection"]["selection_seeds"] = [0, 1]
    for key in ("candidate", "baseline", "deltas"):
        doc["metrics"][key][0]["seeds"] = [2]
    f.write_text(json.dumps(doc))
    res = validate_file(f)
    assert not res.ok and "outside the confirmation seeds" in str(res.problems[0])
    assert main(["select", "--evidence", str(ev), "--confirm-seeds", "0", "1", "2", "3", "4",
                 "--out", str(tmp_path / "s2")]) == 1  # nothing left to select with


def test_no_confirmation_data_writes_nothing_for_the_gate(
    write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ev, sel = tmp_path / "ev", tmp_path / "sel"
    _ingest(write, ev, "c", [0.02, 0.025, 0.03], [2.0, 2.5, 3.0], capsys)
    rc = main(["select", "--evidence", str(ev), "--min-seeds", "2", "--confirm-seeds", "9",
               "--out", str(sel)])
    captured = capsys.readouterr()
    assert rc == 1 and "not confirmable" in captured.err
    assert sorted(p.name for p in sel.iterdir()) == [SELECTION_FILENAME]
    doc = json.loads((sel / SELECTION_FILENAME).read_text())
    assert "no data on the confirmation seeds [9]" in doc["metrics"]["confirmation_note"]
    assert _external(sel).status == "missing"
