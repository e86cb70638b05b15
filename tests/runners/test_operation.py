"""Operation: determinism, idempotence, resumption, atomic output, the CLI and the demo."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import torch
import yaml

import runners
from releasegate.cli.main import main
from runners.sae_training import SAE_WEIGHTS, load_sae, train_saes

from .conftest import ALL_RUNNERS, FIXTURE_CONFIG, Trained, make_cfg

pytestmark = pytest.mark.slow


def _mtimes(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_same_seed_same_weights_even_when_trained_alone(trained: Trained, tmp_path: Path) -> None:
    # Resuming trains only the missing seeds, so a seed's SAE must not depend on which other
    # seeds shared its training pass.
    ctx = trained.ctx
    ds, _ = ctx.dataset("train")
    spec = make_cfg(seeds=[1]).sae
    runners.set_offline_env()
    torch.set_num_threads(1)
    dirs = train_saes(ctx.lm().model, ctx.lm().name, ds, spec, trained.cfg.data, tmp_path,
                      "cpu")
    alone = load_sae(dirs[1]).W_dec
    assert torch.equal(alone, ctx.sae("trained", 1).W_dec)
    assert not torch.equal(alone, ctx.sae("trained", 0).W_dec)


def test_second_run_keeps_valid_evidence_untouched(trained: Trained) -> None:
    before = _mtimes(trained.out)
    for name in ALL_RUNNERS:
        again = runners.run(name, trained.cfg, trained.out, quiet=True)
        assert set(again) == set(trained.evidence[name])
    assert _mtimes(trained.out) == before


def test_interrupted_run_resumes_only_what_is_missing(trained: Trained, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(trained.out, out)
    ctx = runners.make_context(trained.cfg, out, quiet=True)
    lost_seed = ctx.artifacts / "saes" / "trained" / "seed2"
    old_weights = (lost_seed / SAE_WEIGHTS).read_bytes()
    shutil.rmtree(lost_seed)
    for p in (out / "evidence").glob("consistency-*.json"):
        p.unlink()
    for p in (ctx.artifacts / "evals").glob("trained-seed2-*.json"):
        p.unlink()
    kept = ctx.artifacts / "saes" / "trained" / "seed0" / SAE_WEIGHTS
    kept_mtime = kept.stat().st_mtime_ns
    runners.run("consistency", trained.cfg, out, quiet=True)
    assert kept.stat().st_mtime_ns == kept_mtime  # not retrained
    assert (lost_seed / SAE_WEIGHTS).read_bytes() == old_weights  # retrained, bit-identical
    (cons,) = (out / "evidence").glob("consistency-*.json")
    (orig,) = (trained.out / "evidence").glob("consistency-*.json")
    assert json.loads(cons.read_text())["metrics"] == json.loads(orig.read_text())["metrics"]


def test_stale_or_corrupt_evidence_is_rewritten(trained: Trained, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(trained.out, out)
    (path,) = (out / "evidence").glob("ood_stress-*.json")
    path.write_text('{"kind": "ood_stress", "trunc')
    runners.run("ood", trained.cfg, out, quiet=True)
    assert json.loads(path.read_text())["kind"] == "ood_stress"


def test_interrupted_evidence_write_leaves_no_file(trained: Trained, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "copy"
    shutil.copytree(trained.out, out)
    for p in (out / "evidence").glob("transcoder_stress-*.json"):
        p.unlink()

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        runners.run("transcoder", trained.cfg, out, quiet=True)
    monkeypatch.undo()
    assert not list((out / "evidence").glob("transcoder_stress-*"))
    assert not [p for p in (out / "evidence").iterdir() if p.name.startswith(".")]


def test_interrupted_training_leaves_no_checkpoint(trained: Trained, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from sae_lens.multi_sae_training_runner import MultiSAETrainingRunner

    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(MultiSAETrainingRunner, "run", interrupted)
    ctx = trained.ctx
    ds, _ = ctx.dataset("train")
    with pytest.raises(KeyboardInterrupt):
        train_saes(ctx.lm().model, "m", ds, trained.cfg.sae, trained.cfg.data, tmp_path, "cpu")
    assert list(tmp_path.iterdir()) == []


def test_cli_run_reuses_fixture_and_reports_paths(trained: Trained, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    cfg_path = tmp_path / "fixture.yaml"
    cfg_path.write_text(yaml.safe_dump(FIXTURE_CONFIG))
    before = _mtimes(trained.out)
    rc = main(["run", "ood", "--config", str(cfg_path), "--out", str(trained.out), "--quiet"])
    assert rc == 0
    assert capsys.readouterr().out.strip() == str(trained.evidence["ood"][0])
    assert _mtimes(trained.out) == before


def test_cli_run_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "sae", "--config", str(tmp_path / "none.yaml")]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("sae:\n  d_sea: 3\n")
    assert main(["run", "sae", "--config", str(bad), "--out", str(tmp_path)]) == 2
    assert "sae.d_sea" in capsys.readouterr().err
    assert main(["run", "nope", "--config", str(bad)]) == 2


def test_cuda_without_a_gpu_is_a_usage_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    cfg_path = tmp_path / "fixture.yaml"
    cfg_path.write_text(yaml.safe_dump(FIXTURE_CONFIG))
    assert main(["run", "sae", "--config", str(cfg_path), "--out", str(tmp_path),
                 "--device", "cuda"]) == 2
    assert main(["demo", "--out", str(tmp_path), "--device", "cuda"]) == 2
    assert "CUDA" in capsys.readouterr().err
    assert not (tmp_path / "evidence").exists()


def test_demo_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    rc = main(["demo", "--out", str(out), "--tokens", "8192", "--quiet"])
    captured = capsys.readouterr()
    printed = captured.out
    assert rc == 0, printed
    assert "Training" not in captured.err  # --quiet: no progress bars
    decision = json.loads((out / "decision.json").read_text())
    status = {g["name"]: g["status"] for g in decision["gates"]}
    assert status["external"] == "missing"
    assert decision["verdict"] == "fail"
    from policy import verify_decision  # the demo's decision re-evaluates from its folder

    assert verify_decision(out / "decision.json").reproduced
    assert not any(e["path"].startswith("/") for e in decision["evidence"])
    assert f"decision:  {out / 'decision.json'}" in printed and "verdict:   FAIL" in printed
    assert "external" in printed
    report = (out / "report.md").read_text()
    control = json.loads(next((out / "evidence").glob("random_model_control-*.json")).read_text())
    # The report's numbers are the evidence's numbers, at 4 significant digits, each bound by a
    # link to the value it prints (issue 12).
    for i, s in enumerate(control["metrics"]["trained"]["pwmcc"]):
        m = re.search(r"\[([-+0-9.e]+)\]\(evidence/random_model_control-[0-9a-f]+\.json"
                      rf"#/metrics/trained/pwmcc/{i}/value\)", report)
        assert m, report
        assert float(m[1]) == pytest.approx(s["value"], rel=5e-4)
        assert len(m[1].lstrip("-+0.").replace(".", "")) == 4  # significant digits
    kinds = {json.loads(p.read_text())["kind"] for p in (out / "evidence").glob("*.json")}
    assert {"random_model_control", "transcoder_stress", "ood_stress", "consistency",
            "sae_run"} <= kinds
    audit_txt = out / "audit.txt"
    if audit_txt.exists():  # the audit library is present in this checkout
        assert "audit OK" in audit_txt.read_text()
    # Rerunning the demo trains nothing and rewrites no evidence.
    before = _mtimes(out / "evidence")
    assert main(["demo", "--out", str(out), "--tokens", "8192", "--quiet"]) == 0
    assert _mtimes(out / "evidence") == before
