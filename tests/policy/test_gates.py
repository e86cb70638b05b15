"""Every gate: pass, fail, missing, invalid, waived, expired or voided waiver, error."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from _helpers import NOW, POLICY, mutate, set_deltas, set_samples

from evidence_schema import sha256_file
from policy import check, load_policy
from policy._evaluate import evaluate_leaf
from policy._evidence_set import load_evidence
from policy._models import LeafGate


def _statuses(evidence: Path, **kw: Any) -> dict[str, str]:
    d = check(POLICY, evidence, now=NOW, **kw)
    return {g.name: g.status for g in d.gates}


def test_complete_set_passes(evidence_dir: Path) -> None:
    d = check(POLICY, evidence_dir, now=NOW)
    assert d.verdict == "pass"
    assert {g.name: g.status for g in d.gates} == dict.fromkeys(
        ["random_model", "transcoder", "ood", "external"], "pass")
    assert d.policy.version == "1.2.0" and d.policy.sha256 == sha256_file(POLICY)
    assert {e.kind for e in d.evidence} == {"random_model_control", "transcoder_stress",
                                            "ood_stress", "external_benchmark"}
    for e in d.evidence:  # every file used is named with its hash
        assert e.sha256 == sha256_file(e.path)


# One failing fixture per gate: each gate can go red.
RED = {
    "random_model": ("random_model_control.json", "/metrics/random/pwmcc", [0.7, 0.71, 0.72]),
    "transcoder": ("transcoder_stress.json", "/metrics/transcoder/pwmcc", [0.50, 0.51, 0.52]),
    "ood": ("ood_stress.json", "/metrics/out_of_distribution/explained_variance",
            [0.60, 0.61, 0.62]),
    "external": ("external_saebench.json", "/metrics/deltas", [-0.01, -0.02, 0.001]),
}


@pytest.mark.parametrize("gate", sorted(RED))
def test_each_gate_can_fail(evidence_dir: Path, gate: str) -> None:
    fname, pointer, values = RED[gate]
    if pointer == "/metrics/deltas":
        mutate(evidence_dir / fname, lambda d: set_deltas(d, values))
    else:
        mutate(evidence_dir / fname, lambda d: set_samples(d, pointer, values))
    statuses = _statuses(evidence_dir)
    assert statuses[gate] == "fail"
    assert all(s == "pass" for g, s in statuses.items() if g != gate)
    assert check(POLICY, evidence_dir, now=NOW).verdict == "fail"


def test_shipped_failing_example_fails_external_only() -> None:
    repo = Path(__file__).resolve().parents[2]
    statuses = _statuses(repo / "examples" / "failing")
    assert statuses == {"random_model": "pass", "transcoder": "pass", "ood": "pass",
                        "external": "fail"}
    assert _statuses(repo / "examples" / "evidence") == dict.fromkeys(statuses, "pass")


@pytest.mark.parametrize("gate", ["random_model", "transcoder", "ood", "external"])
def test_missing_evidence_is_missing_not_pass(evidence_dir: Path, gate: str) -> None:
    (evidence_dir / RED[gate][0]).unlink()
    assert _statuses(evidence_dir)[gate] == "missing"


def test_no_evidence_dir_at_all_fails() -> None:
    d = check(POLICY, None, now=NOW)
    assert d.verdict == "fail" and {g.status for g in d.gates} == {"missing"}


def test_malformed_file_of_a_kind_makes_its_gate_invalid(evidence_dir: Path) -> None:
    mutate(evidence_dir / "ood_stress.json", lambda d: d["metrics"].update(hook_point=7))
    statuses = _statuses(evidence_dir)
    assert statuses["ood"] == "invalid"
    assert statuses["transcoder"] == "pass"


def test_unparseable_file_poisons_every_gate(evidence_dir: Path) -> None:
    (evidence_dir / "junk.json").write_text('{"kind": "ood_stress", "x": NaN}')
    (evidence_dir / "garbage.json").write_bytes(b"\x00\x01")
    d = check(POLICY, evidence_dir, now=NOW)
    assert {g.name: g.status for g in d.gates}["ood"] == "invalid"
    # A file whose kind cannot be read could be evidence for any gate: fail closed.
    assert {g.status for g in d.gates} == {"invalid"}
    assert any("garbage.json" in u for u in d.unreadable)


def test_too_few_seeds_is_invalid(evidence_dir: Path) -> None:
    def drop(d: dict[str, Any]) -> None:
        for arm in ("in_distribution", "out_of_distribution"):
            d["metrics"][arm]["explained_variance"] = d["metrics"][arm]["explained_variance"][:2]
        # A run over two seeds (every per-seed list holds provenance.seeds, review rt10 §6).
        d["provenance"]["seeds"] = d["provenance"]["seeds"][:2]

    mutate(evidence_dir / "ood_stress.json", drop)
    d = check(POLICY, evidence_dir, now=NOW)
    ood = next(g for g in d.gates if g.name == "ood")
    assert ood.status == "invalid" and "min_seeds 3" in ood.reason


def test_stale_and_future_evidence_is_invalid(evidence_dir: Path) -> None:
    assert _statuses(evidence_dir)["ood"] == "pass"
    later = NOW + timedelta(days=400)
    d = check(POLICY, evidence_dir, now=later)
    assert {g.status for g in d.gates} == {"invalid"}
    assert "stale" in next(g for g in d.gates if g.name == "ood").reason
    earlier = NOW - timedelta(days=30)
    assert set(_statuses_at(evidence_dir, earlier).values()) == {"invalid"}


def _statuses_at(evidence: Path, now: Any) -> dict[str, str]:
    return {g.name: g.status for g in check(POLICY, evidence, now=now).gates}


def test_ambiguous_selection_is_invalid(evidence_dir: Path) -> None:
    (evidence_dir / "ood_copy.json").write_bytes((evidence_dir / "ood_stress.json").read_bytes())
    d = check(POLICY, evidence_dir, now=NOW)
    ood = next(g for g in d.gates if g.name == "ood")
    assert ood.status == "invalid" and "picks only one" in ood.reason


def test_pick_latest_chooses_newest(evidence_dir: Path) -> None:
    newer = evidence_dir / "external_saebench_newer.json"
    newer.write_bytes((evidence_dir / "external_saebench.json").read_bytes())
    mutate(newer, lambda d: (d.update(created_at="2026-11-25T12:00:00Z"),
                             set_deltas(d, [-1.0, -1.1, -1.2])))
    d = check(POLICY, evidence_dir, now=NOW)
    ext = next(g for g in d.gates if g.name == "external")
    assert ext.status == "fail"
    assert ext.children[0].evidence == [f"{_rel(newer)}"]


def _rel(p: Path) -> str:
    from policy import display_path

    return display_path(p)


def _waiver_file(tmp_path: Path, gate: str, shas: list[str], expires: date) -> Path:
    w = tmp_path / "waivers.yaml"
    w.write_text(json.dumps({"waivers": [{
        "gate": gate, "reason": "known limitation of the OOD corpus, tracked", "approver": "amy",
        "expires": expires.isoformat(), "evidence_sha256": shas}]}))
    return w


def _break_ood(evidence_dir: Path) -> None:
    mutate(evidence_dir / "ood_stress.json", lambda d: set_samples(
        d, "/metrics/out_of_distribution/explained_variance", [0.5, 0.51, 0.52]))


def test_valid_waiver_gives_waived_never_pass(evidence_dir: Path, tmp_path: Path) -> None:
    _break_ood(evidence_dir)
    sha = sha256_file(evidence_dir / "ood_stress.json")
    w = _waiver_file(tmp_path, "ood", [sha], NOW.date() + timedelta(days=10))
    d = check(POLICY, evidence_dir, now=NOW, waivers_path=w)
    ood = next(g for g in d.gates if g.name == "ood")
    assert ood.status == "waived" and ood.waiver is not None and ood.waiver.approver == "amy"
    assert "was fail" in ood.reason
    assert d.verdict == "waived"


def test_expired_waiver_is_void(evidence_dir: Path, tmp_path: Path) -> None:
    _break_ood(evidence_dir)
    sha = sha256_file(evidence_dir / "ood_stress.json")
    w = _waiver_file(tmp_path, "ood", [sha], NOW.date() - timedelta(days=1))
    d = check(POLICY, evidence_dir, now=NOW, waivers_path=w)
    ood = next(g for g in d.gates if g.name == "ood")
    assert ood.status == "fail" and "expired" in ood.reason and d.verdict == "fail"


def test_waiver_void_when_evidence_changed(evidence_dir: Path, tmp_path: Path) -> None:
    _break_ood(evidence_dir)
    w = _waiver_file(tmp_path, "ood", ["0" * 64], NOW.date() + timedelta(days=10))
    d = check(POLICY, evidence_dir, now=NOW, waivers_path=w)
    ood = next(g for g in d.gates if g.name == "ood")
    assert ood.status == "fail" and "evidence changed" in ood.reason


def test_waiver_cannot_cover_missing_evidence(evidence_dir: Path, tmp_path: Path) -> None:
    (evidence_dir / "ood_stress.json").unlink()
    w = _waiver_file(tmp_path, "ood", ["0" * 64], NOW.date() + timedelta(days=10))
    d = check(POLICY, evidence_dir, now=NOW, waivers_path=w)
    assert next(g for g in d.gates if g.name == "ood").status == "missing"


def test_exception_inside_a_gate_is_error(evidence_dir: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    import policy._evaluate as ev_mod

    def boom(*a: Any, **k: Any) -> Any:
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(ev_mod, "_statistic", boom)
    d = check(POLICY, evidence_dir, now=NOW)
    assert {g.status for g in d.gates} == {"error"}
    assert "ZeroDivisionError: injected" in next(g for g in d.gates if g.name == "ood").reason
    assert d.verdict == "fail"


def test_boolean_metric_is_invalid(evidence_dir: Path) -> None:
    gate = LeafGate(name="b", kind="sweep", metric="/x", statistic="value", op=">=", threshold=0)
    ev = load_evidence(evidence_dir)
    f = ev.files[0]
    ev.files[0] = type(f)(f.path, f.sha256, "sweep", f.created_at, {**f.data, "x": True})
    r = evaluate_leaf(gate, ev, NOW)
    assert r.status == "invalid" and "boolean" in r.reason


def test_advisory_gate_reported_but_not_in_verdict(evidence_dir: Path, tmp_path: Path) -> None:
    text = POLICY.read_text().replace(
        "    kind: ood_stress\n", "    kind: ood_stress\n    required: false\n")
    # an edited copy takes another version: the shipped name+version is refused (rt10 §4)
    text = re.sub(r"(?m)^version: (.*)$", r"version: \1-advisory-ood", text, count=1)
    p = tmp_path / "p.yaml"
    p.write_text(text)
    assert load_policy(p).policy.gates[2].required is False
    _break_ood(evidence_dir)
    d = check(p, evidence_dir, now=NOW)
    ood = next(g for g in d.gates if g.name == "ood")
    assert ood.status == "fail" and ood.required is False
    assert d.verdict == "pass"
