"""Policy mistakes are found when the policy loads: every problem, at its key's line.

Issues 10 (§4) and 14 (CLI).

Each example of the issues is a test here; the property tests cover the kinds (any one-letter
typo of any field gets a "did you mean" for that field, at that line).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from _yaml_bomb import BOMB, within
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from policy import DEFAULT_POLICY, LeafGate, PolicyError, load_policy, load_waivers
from policy._models import Policy, Selector, Waiver
from releasegate.cli.main import main

REPO = Path(__file__).resolve().parents[2]
SHIPPED = [DEFAULT_POLICY, REPO / "policy" / "consistency-objective" / "v1.yaml"]

HEAD = "name: t\nversion: 1.2.3\ndescription: d\ngates:\n"
LEAF = """\
  - name: g
    kind: ood_stress
    metric: /metrics/in_distribution/explained_variance
    statistic: mean
    op: ">="
    threshold: 0
"""


def _write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def _problems(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(PolicyError) as exc:
        load_policy(path)
    return [(p.line, p.message) for p in exc.value.problems]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_shipped_policies_load(path: Path) -> None:
    assert load_policy(path).policy.gates


# -- YAML alias expansion (issue 10 §4) ----------------------------------------------------------

def test_bomb_policy_is_refused_quickly(tmp_path: Path) -> None:
    p = tmp_path / "bomb.yaml"
    p.write_bytes(BOMB)
    with within(), pytest.raises(PolicyError) as exc:
        load_policy(p)
    assert "aliases" in exc.value.message and exc.value.line == 1


def test_bomb_waiver_file_is_refused_quickly(tmp_path: Path) -> None:
    p = tmp_path / "bomb.yaml"
    p.write_bytes(BOMB)
    with within(), pytest.raises(PolicyError, match="aliases"):
        load_waivers(p)


def test_check_with_bomb_policy_or_waivers_exits_2(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_bytes(BOMB)
    with within():
        assert main(["check", "--policy", str(bomb)]) == 2
    assert f"{bomb}:1: YAML anchors and aliases" in capsys.readouterr().err
    with within():
        assert main(["check", "--waivers", str(bomb)]) == 2
    assert "aliases" in capsys.readouterr().err


def test_an_alias_inside_a_policy_is_refused_at_its_line(tmp_path: Path) -> None:
    text = HEAD.replace("description: d", "description: &d some text") + LEAF.replace(
        "  - name: g\n", "  - name: g\n    description: *d\n")
    assert _problems(_write(tmp_path, text)) == [
        (3, "YAML anchors and aliases (&d) are not allowed here: write the value out")]


# -- unknown fields, kinds, statistics: did you mean, at the key's line --------------------------

def test_typo_is_reported_at_its_own_line_and_once(tmp_path: Path) -> None:
    text = HEAD + LEAF.replace("threshold: 0", "treshold: 0")
    assert _problems(_write(tmp_path, text)) == [
        (10, "gates.0.treshold: unknown field 'treshold'; did you mean 'threshold'?")]


def test_unknown_kind_did_you_mean(tmp_path: Path) -> None:
    text = HEAD + LEAF.replace("kind: ood_stress", "kind: ood_stres")
    ((line, msg),) = _problems(_write(tmp_path, text))
    assert line == 6
    assert msg.startswith("gates.0.kind: unknown evidence kind 'ood_stres'; did you mean "
                          "'ood_stress'")


def test_unknown_statistic_and_op_did_you_mean(tmp_path: Path) -> None:
    text = HEAD + LEAF.replace("statistic: mean", "statistic: lbc").replace('">="', '"=>"')
    problems = _problems(_write(tmp_path, text))
    assert [line for line, _ in problems] == [8, 9]
    assert problems[0][1].startswith("gates.0.statistic: 'lbc' is not one of value, mean, min, "
                                     "max, lcb, ucb; did you mean 'lcb'")
    assert "gates.0.op: '=>' is not one of >=, >, <=, <; did you mean" in problems[1][1]


def test_every_problem_is_listed_at_once_in_file_order(tmp_path: Path) -> None:
    text = """\
name: t
version: 1.10
description: d
gates:
  - name: g
    kind: ood_stres
    metric: /metrics/x
    statistic: mean
    op: ">="
    threshold: 0
  - name: h
    kind: ood_stress
    metric: /metrics/in_distribution/explaind_variance
    statistic: mea
    op: ">="
    treshold: 1e-1
  - name: grp
    all:
      - name: c
        kind: external_benchmark
        select:
          where: {/metrics/benchmark/name: saebnch}
        metric: /metrics/benchmark
        statistic: lcb
        op: ">="
        threshold: 1e-1
"""
    problems = _problems(_write(tmp_path, text))
    assert [line for line, _ in problems] == [2, 6, 13, 14, 16, 22, 23, 26]
    msgs = [m for _, m in problems]
    assert msgs[0] == ('version: YAML 1.1 reads `1.10` as the number 1.1, not text; quote it: '
                       '"1.10" (a version has three parts: "1.10.0")')
    assert "did you mean 'ood_stress'" in msgs[1]
    assert msgs[2] == ("gates.1.metric: /metrics/in_distribution/explaind_variance cannot exist "
                       "in ood_stress evidence: no 'explaind_variance' under "
                       "/metrics/in_distribution; did you mean 'explained_variance'?")
    assert "did you mean 'mean'" in msgs[3]
    assert msgs[4] == "gates.1.treshold: unknown field 'treshold'; did you mean 'threshold'?"
    assert msgs[5].startswith("gates.2.all.0.select.where./metrics/benchmark/name: "
                              "/metrics/benchmark/name = 'saebnch' can never match "
                              "external_benchmark evidence")
    assert "did you mean 'saebench'" in msgs[5]
    assert msgs[6] == ("gates.2.all.0.metric: /metrics/benchmark is an object in "
                       "external_benchmark evidence, not a number or per-seed samples")
    assert msgs[7].startswith("gates.2.all.0.threshold: YAML 1.1 reads `1e-1` as text, not a "
                              "number; write `0.1`")


def test_cli_prints_one_line_per_problem_and_exits_2(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    text = HEAD + LEAF.replace("kind: ood_stress", "kind: ood_stres").replace(
        "threshold: 0", "treshold: 0")
    p = _write(tmp_path, text)
    assert main(["check", "--policy", str(p)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if line.startswith(f"{p}:")] == [
        f"{p}:6: gates.0.kind: unknown evidence kind 'ood_stres'; did you mean 'ood_stress' or "
        "'transcoder_stress'?",
        f"{p}:10: gates.0.treshold: unknown field 'treshold'; did you mean 'threshold'?",
    ]
    assert err[-1] == f"releasegate: error: 2 problems in {p}"


# -- pointers the kind's schema cannot hold ------------------------------------------------------

@pytest.mark.parametrize(
    ("kind", "pointer"),
    [
        ("ood_stress", "/metrics/in_distribution/explained_variance"),
        ("external_benchmark", "/metrics/deltas"),
        ("external_benchmark", "/metrics/deltas/0/value"),  # array index, then a sample's value
        ("random_model_control", "/metrics/trained/pwmcc"),
        ("sae_run", "/metrics/l0"),
        ("sae_run", "/provenance/config/anything/below"),  # free-form config: anything may exist
    ],
)
def test_pointers_that_can_exist_load(tmp_path: Path, kind: str, pointer: str) -> None:
    text = HEAD + LEAF.replace("kind: ood_stress", f"kind: {kind}").replace(
        "/metrics/in_distribution/explained_variance", pointer)
    gate = load_policy(_write(tmp_path, text)).policy.gates[0]
    assert isinstance(gate, LeafGate) and gate.metric == pointer


@pytest.mark.parametrize(
    ("pointer", "fragment"),
    [
        ("/metrics/in_distribution/explained_varience",
         "no 'explained_varience' under /metrics/in_distribution; did you mean "
         "'explained_variance'?"),
        ("/metric/in_distribution", "no 'metric' under the top level; did you mean 'metrics'?"),
        ("/metrics/in_distribution/explained_variance/x/value",
         "/metrics/in_distribution/explained_variance/x/value cannot exist in ood_stress "
         "evidence: /metrics/in_distribution/explained_variance is an array, it has no 'x'"),
        ("/metrics/hook_point", "/metrics/hook_point is a string in ood_stress evidence, not a "
                                "number or per-seed samples"),
        ("/metrics/in_distribution", "/metrics/in_distribution is an object in ood_stress "
                                     "evidence, not a number or per-seed samples; numbers below "
                                     "it: "),
    ],
)
def test_metric_pointers_that_cannot_exist(tmp_path: Path, pointer: str, fragment: str) -> None:
    text = HEAD + LEAF.replace("/metrics/in_distribution/explained_variance", pointer)
    ((line, msg),) = _problems(_write(tmp_path, text))
    assert line == 7
    assert fragment in msg
    if "numbers below it" in fragment:
        assert "/metrics/in_distribution/explained_variance" in msg.split("below it: ")[1]


def test_minus_and_selector_pointers_are_checked_too(tmp_path: Path) -> None:
    text = HEAD + LEAF.replace(
        "    statistic: mean\n",
        "    minus: /metrics/out_of_distrib/explained_variance\n"
        "    select:\n      where: {/metrics/hook_pont: blocks.0.hook_resid_post}\n"
        "    statistic: mean\n")
    problems = _problems(_write(tmp_path, text))
    assert [line for line, _ in problems] == [8, 10]
    assert "did you mean 'out_of_distribution'" in problems[0][1]
    assert "did you mean 'hook_point'" in problems[1][1]


# -- YAML 1.1 surprises (issue 14) -------------------------------------------------------------

def test_threshold_1e_minus_1_is_text_in_yaml_1_1(tmp_path: Path) -> None:
    text = HEAD + LEAF.replace("threshold: 0", "threshold: 1e-1")
    assert _problems(_write(tmp_path, text)) == [
        (10, "gates.0.threshold: YAML 1.1 reads `1e-1` as text, not a number; write `0.1` "
             "(or quote it, \"1e-1\", if you mean text)")]
    fixed = load_policy(_write(tmp_path, text.replace("1e-1", "0.1")))
    assert fixed.policy.gates[0].threshold == pytest.approx(0.1)  # type: ignore[union-attr]


def test_version_1_10_is_a_float_in_yaml(tmp_path: Path) -> None:
    text = HEAD.replace("version: 1.2.3", "version: 1.10") + LEAF
    assert _problems(_write(tmp_path, text)) == [
        (2, 'version: YAML 1.1 reads `1.10` as the number 1.1, not text; quote it: "1.10" '
            '(a version has three parts: "1.10.0")')]
    text = HEAD.replace("version: 1.2.3", "version: 2.5.1") + LEAF  # three parts: text
    assert load_policy(_write(tmp_path, text)).policy.version == "2.5.1"


def test_number_like_text_in_a_selector_is_explained(tmp_path: Path) -> None:
    text = HEAD + LEAF.replace("    statistic: mean\n", "    select:\n      where: "
                               "{/provenance/config/lr: 3e-4}\n    statistic: mean\n")
    ((line, msg),) = _problems(_write(tmp_path, text))
    assert line == 9 and "reads `3e-4` as text, not a number; write `0.0003`" in msg


# -- property: any one-letter typo of any field name gets a did-you-mean for that field -------

FULL_LEAF: dict[str, Any] = {
    "name": "g", "description": "d", "kind": "ood_stress",
    "select": {"where": {"/metrics/hook_point": "blocks.0.hook_resid_post"}, "pick": "latest"},
    "metric": "/metrics/in_distribution/explained_variance",
    "minus": "/metrics/out_of_distribution/explained_variance", "pairing": "paired",
    "statistic": "ucb", "confidence": 0.95, "op": "<=", "threshold": 0.1, "min_seeds": 3,
    "required": True, "max_age_days": 365,
}
FULL: dict[str, Any] = {
    "name": "t", "version": "1.0.0", "description": "d", "gates": [FULL_LEAF],
    "waivers": [{"gate": "g", "reason": "a reason long enough", "approver": "amy",
                 "expires": "2030-01-01", "evidence_sha256": ["a" * 64]}],
    "audit": {"not_claim_words": ["seed"]},
}
# (model, the mapping in FULL that model validates, its fields present there)
WHERE: list[tuple[type[BaseModel], tuple[str | int, ...], list[str]]] = [
    (Policy, (), sorted(FULL)),
    (LeafGate, ("gates", 0), sorted(FULL_LEAF)),
    (Selector, ("gates", 0, "select"), sorted(FULL_LEAF["select"])),
    (Waiver, ("waivers", 0), sorted(FULL["waivers"][0])),
]
LETTERS = "abcdefghijklmnopqrstuvwxyz_"
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def test_full_example_covers_the_models_and_loads(tmp_path: Path) -> None:
    for model, _, fields in WHERE:
        assert set(fields) <= set(model.model_fields), model
    assert load_policy(_write(tmp_path, yaml.safe_dump(FULL, sort_keys=False))).policy


@st.composite
def typos(draw: Any) -> tuple[int, str, str]:
    which = draw(st.integers(0, len(WHERE) - 1))
    field = draw(st.sampled_from(WHERE[which][2]))
    i = draw(st.integers(0, len(field) - 1))
    c = draw(st.sampled_from(LETTERS))
    op = draw(st.sampled_from(["substitute", "insert", "delete", "transpose"]))
    if op == "substitute":
        typo = field[:i] + c + field[i + 1:]
    elif op == "insert":
        typo = field[:i] + c + field[i:]
    elif op == "delete":
        typo = field[:i] + field[i + 1:]
    else:
        j = min(i + 1, len(field) - 1)
        typo = field[:i] + field[j] + field[i] + field[j + 1:] if j > i else field
    return which, field, typo


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typos())
def test_any_one_letter_typo_gets_did_you_mean(tmp_path: Path, t: tuple[int, str, str]) -> None:
    which, field, typo = t
    model, at, _ = WHERE[which]
    known = set(model.model_fields) | ({"all", "any"} if model is LeafGate else set())
    assume(typo and typo not in known and typo.lower() not in YAML_WORDS)
    doc = yaml.safe_load(yaml.safe_dump(FULL))  # a deep copy
    target = doc
    for part in at:
        target = target[part]
    target[typo] = target.pop(field)
    text = yaml.safe_dump(doc, sort_keys=False)
    problems = _problems(_write(tmp_path, text))
    line = next(n for n, row in enumerate(text.splitlines(), 1)
                if row.lstrip(" -").startswith(f"{typo}:"))
    assert len(problems) == 1, problems
    assert problems[0][0] == line
    assert f"unknown field {typo!r}; did you mean " in problems[0][1]
    assert repr(field) in problems[0][1].split("did you mean", 1)[1]


@st.composite
def kind_typos(draw: Any) -> tuple[str, str]:
    from evidence_schema import KINDS

    kind = draw(st.sampled_from(sorted(KINDS)))
    i = draw(st.integers(0, len(kind) - 1))
    c = draw(st.sampled_from(LETTERS))
    op = draw(st.sampled_from(["substitute", "insert", "delete"]))
    typo = {"substitute": kind[:i] + c + kind[i + 1:], "insert": kind[:i] + c + kind[i:],
            "delete": kind[:i] + kind[i + 1:]}[op]
    return kind, typo


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind_typos())
def test_any_one_letter_typo_of_a_kind_gets_did_you_mean(tmp_path: Path,
                                                         t: tuple[str, str]) -> None:
    from evidence_schema import KINDS

    kind, typo = t
    assume(typo not in KINDS and typo.lower() not in YAML_WORDS and not typo.startswith("_"))
    text = HEAD + LEAF.replace("kind: ood_stress", f"kind: {typo}")
    ((line, msg),) = _problems(_write(tmp_path, text))
    assert line == 6 and msg.startswith(f"gates.0.kind: unknown evidence kind {typo!r}")
    assert repr(kind) in msg.split("did you mean", 1)[1]
