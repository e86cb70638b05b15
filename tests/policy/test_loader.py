from __future__ import annotations

from pathlib import Path

import pytest

from policy import DEFAULT_POLICY, PolicyError, load_policy, load_waivers
from tests._helpers import MINIMAL_POLICY


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "p.yaml"
    p.write_text(text)
    return p


GOOD = MINIMAL_POLICY


def test_shipped_policy_loads_with_hash() -> None:
    loaded = load_policy(DEFAULT_POLICY)
    assert loaded.policy.name == "husai-release"
    assert loaded.policy.version == "1.2.0"
    assert [g.name for g in loaded.policy.gates] == ["random_model", "transcoder", "ood",
                                                     "external"]
    assert len(loaded.sha256) == 64


def test_good_minimal_policy(tmp_path: Path) -> None:
    assert load_policy(_write(tmp_path, GOOD)).policy.gates[0].name == "g"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (GOOD.replace("threshold: 0", "threshold: .nan"), 10, "finite"),
        (GOOD.replace("op: \">=\"", "op: \"=~\""), 9, "gates.0.op"),
        (GOOD.replace("version: 1.2.3", "version: one"), 2, "version"),
        (GOOD + "extra: 1\n", 11, "extra"),
        (GOOD.replace("    statistic: mean\n", ""), 5, "statistic"),
        (GOOD.replace("name: t\n", "name: t\nname: u\n"), 2, "duplicate key 'name'"),
        (GOOD + "  - !!python/object/apply:os.system ['true']\n", 11, "unsafe tags"),
        ("name: [unclosed\n", 1, "invalid YAML"),  # the line of the `[`, not EOF
        ("- a\n- b\n", 1, "mapping"),
        (GOOD + "waivers:\n  - {gate: nope, reason: because it is, approver: a, "
         "expires: 2030-01-01, evidence_sha256: ['" + "0" * 64 + "']}\n", 12, "unknown gate"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    p = _write(tmp_path, text)
    with pytest.raises(PolicyError) as exc:
        load_policy(p)
    assert fragment in str(exc.value)
    assert exc.value.path == str(p)
    assert exc.value.line == line, str(exc.value)


def test_group_needs_exactly_one_combinator(tmp_path: Path) -> None:
    leaf = ("{name: x, kind: k, metric: /m, statistic: mean, op: '>=', threshold: 0}")
    text = GOOD.replace("  - name: g\n", f"  - name: grp\n    all: [{leaf}]\n    any: [{leaf}]\n"
                        "  - name: g\n")
    with pytest.raises(PolicyError, match=r"exactly one of .all:. or .any:."):
        load_policy(_write(tmp_path, text))


def test_binary_and_missing(tmp_path: Path) -> None:
    b = tmp_path / "b.yaml"
    b.write_bytes(b"\x00\x01\x02")
    with pytest.raises(PolicyError, match="binary"):
        load_policy(b)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "nope.yaml")


def test_waiver_file(tmp_path: Path) -> None:
    p = tmp_path / "w.yaml"
    p.write_text("waivers:\n  - gate: ood\n    reason: known OOD corpus issue\n    approver: amy\n"
                 "    expires: 2027-01-01\n    evidence_sha256: ['" + "a" * 64 + "']\n")
    (w,) = load_waivers(p)
    assert w.gate == "ood" and str(w.expires) == "2027-01-01"
    p.write_text("waivers:\n  - gate: ood\n    reason: short\n")
    with pytest.raises(PolicyError, match="reason"):
        load_waivers(p)


def test_leaves_are_every_leaf_gate_by_dotted_name_in_policy_order() -> None:
    from policy import DEFAULT_POLICY, LeafGate, load_policy

    leaves = load_policy(DEFAULT_POLICY).policy.leaves()
    # docs/gates.md's gate tree, written out by hand
    assert list(leaves) == ["random_model.pwmcc_delta", "random_model.pwmcc_delta_lcb",
                            "transcoder.pwmcc_vs_sae_lcb", "transcoder.sparsity_matched", "ood",
                            "external.saebench", "external.cebench"]
    assert all(isinstance(g, LeafGate) for g in leaves.values())
    assert leaves["ood"].kind == "ood_stress"
