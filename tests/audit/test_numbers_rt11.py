"""Wrong numbers that audited as ``verified`` (red team 11), each with its exact verdict.

Kinds: a name bound by its last word to the same key elsewhere ("candidate ev" → baseline/ev),
a name that selects several keys with different values, a percentage matched with the raw
fraction (a 100× error), a sign lost by rounding ("0.0" for -0.0331), ``n = 5`` checked as a
seed count beside a key named n, and ``p < X`` matched as a copy instead of a bound.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from audit import AuditResult
from audit._index import Artifact, numeric_leaves
from audit._numbers import matches, parse_number
from audit._numcheck import judge
from tests.audit.conftest import Repo, verdicts

M2 = {"candidate": {"ev": 0.7461, "l0": 16.2}, "baseline": {"ev": 0.6812, "l0": 31.7}}
M = {"metrics": {"ood_drop": 0.021, "explained_variance": 0.7461, "inner": {"ood_drop": 0.5}},
     "baseline": {"explained_variance": 0.6812}}


def numbers(r: AuditResult) -> list[tuple[str, str]]:
    return verdicts(r, "number")


def messages(r: AuditResult) -> list[str]:
    return [f.message for f in r.findings if f.kind == "number"]


def _one(repo: Repo, artifact: str, doc: object, line: str, strict: bool = False) -> AuditResult:
    repo.json(artifact, doc)
    repo.text("r.md", f"# R\n\n- `{artifact}`: {line}\n")
    return repo.audit("r.md", strict=strict)


# --- 1. a name must match all its words; a name selecting several keys is ambiguous ---------

def test_candidate_ev_is_not_verified_by_the_baseline_ev(repo: Repo) -> None:
    r = _one(repo, "m2.json", M2, "candidate ev: 0.6812")
    assert numbers(r) == [("0.6812", "mismatch")]
    assert messages(r) == ["0.6812 but m2.json#/candidate/ev = 0.7461 ('candidate ev'; a "
                           "different value; difference -0.0649)"]


def test_candidate_ev_with_the_right_value_is_verified(repo: Repo) -> None:
    r = _one(repo, "m2.json", M2, "candidate ev: 0.7461")
    assert numbers(r) == [("0.7461", "verified")]
    assert r.findings[-1].pointer == "/candidate/ev"


def test_dotted_name_still_a_mismatch(repo: Repo) -> None:
    assert numbers(_one(repo, "m2.json", M2, "candidate.ev: 0.6812")) == [("0.6812", "mismatch")]


def test_last_word_fallback_refused_when_another_word_is_a_key(repo: Repo) -> None:
    # no candidate/ev, but "candidate" is a key: "ev" alone must not pick baseline/ev
    doc = {"candidate": {"l0": 16.2}, "baseline": {"ev": 0.6812}}
    r = _one(repo, "m2.json", doc, "candidate ev: 0.6812")
    assert numbers(r) == [("0.6812", "unbacked")]
    assert "is ambiguous (no key path holds all of its words" in messages(r)[0]


def test_last_word_fallback_allowed_for_other_words(repo: Repo) -> None:
    r = _one(repo, "m.json", {"metrics": {"ood_drop": 0.021}}, "measured OOD drop: 0.021")
    assert numbers(r) == [("0.021", "verified")]


def test_a_name_selecting_two_keys_with_different_values_is_ambiguous(repo: Repo) -> None:
    r = _one(repo, "m.json", M, "explained_variance: 0.6812", strict=True)
    assert numbers(r) == [("0.6812", "unbacked")]
    assert r.exit_code() == 1  # an error under --strict, never a pass


def test_nested_same_key_is_ambiguous_too(repo: Repo) -> None:
    # metrics.ood_drop = 0.021 and metrics.inner.ood_drop = 0.5: "ood_drop: 0.5" says neither
    assert numbers(_one(repo, "m.json", M, "ood_drop: 0.5")) == [("0.5", "unbacked")]


def test_ambiguous_name_equal_to_none_is_a_mismatch(repo: Repo) -> None:
    assert numbers(_one(repo, "m.json", M, "explained_variance: 0.5")) == [("0.5", "mismatch")]


def test_keys_with_equal_values_are_not_ambiguous(repo: Repo) -> None:
    doc = {"ev": 0.7461, "cand": {"ev": 0.7461}}
    assert numbers(_one(repo, "c.json", doc, "ev: 0.7461")) == [("0.7461", "verified")]


def test_a_list_under_one_key_is_one_key(repo: Repo) -> None:
    doc = {"deltas": [0.011, 0.012, 0.013]}
    assert numbers(_one(repo, "c.json", doc, "deltas: 0.013")) == [("0.013", "verified")]


def test_swapped_rows_with_two_artifacts_in_the_section_do_not_verify(repo: Repo) -> None:
    repo.json("a.json", {"ev": 0.7461, "l0": 16.2})
    repo.json("b.json", {"ev": 0.6812, "l0": 31.7})
    repo.text("r.md", "# R\n\nCandidate `a.json`, baseline `b.json`.\n\n| arm | ev |\n|---|---|\n"
              "| candidate | 0.6812 |\n| baseline | 0.7461 |\n")
    assert numbers(repo.audit("r.md")) == [("0.6812", "unbacked"), ("0.7461", "unbacked")]


def test_rows_citing_their_own_artifact_bind_to_it(repo: Repo) -> None:
    repo.json("a.json", {"ev": 0.7461})
    repo.json("b.json", {"ev": 0.6812})
    repo.text("r.md", "# R\n\n| arm | source | ev |\n|---|---|---|\n"
              "| candidate | `a.json` | 0.6812 |\n| baseline | `b.json` | 0.6812 |\n")
    assert numbers(repo.audit("r.md")) == [("0.6812", "mismatch"), ("0.6812", "verified")]


# --- 2. a percentage is the value ×100 ------------------------------------------------------

def test_percent_of_a_fraction_is_not_the_fraction(repo: Repo) -> None:
    doc = {"ev": 0.7461, "frac": 0.021}
    repo.json("c.json", doc)
    repo.text("r.md", "# R\n\n- `c.json`: ev 0.7461%\n- `c.json`: frac: 0.021%\n"
              "- `c.json`: ev 74.61%\n- `c.json`: frac: 2.1%\n")
    r = repo.audit("r.md", strict=True)
    assert numbers(r) == [("0.7461%", "mismatch"), ("0.021%", "mismatch"),
                          ("74.61%", "verified"), ("2.1%", "verified")]
    assert r.exit_code() == 1


def test_percent_matches_the_value_when_its_key_names_a_percentage(repo: Repo) -> None:
    r = _one(repo, "c.json", {"acc_pct": 0.7461}, "acc_pct 0.7461%")
    assert numbers(r) == [("0.7461%", "verified")]


def test_percent_matches_a_value_outside_minus_one_one(repo: Repo) -> None:
    assert numbers(_one(repo, "c.json", {"score": 49.44}, "score 49.44%")) == [
        ("49.44%", "verified")]


# --- 3. a sign lost by rounding ------------------------------------------------------------

def test_rounding_keeps_the_sign(repo: Repo) -> None:
    doc = {"lo": -0.0331, "hi": 0.0771}
    repo.json("s.json", doc)
    repo.text("r.md", "# R\n\n- `s.json`: lo: 0.0\n- `s.json`: lo: -0.0\n- `s.json`: lo: -0.03\n"
              "- `s.json`: hi: -0.1\n")
    assert numbers(repo.audit("r.md")) == [("0.0", "mismatch"), ("-0.0", "verified"),
                                           ("-0.03", "verified"), ("-0.1", "mismatch")]


def test_stated_ci_whose_lower_end_lost_its_sign_is_a_mismatch(repo: Repo) -> None:
    repo.json("s.json", {"deltas": [{"seeds": [i], "value": v}
                                    for i, v in enumerate([0.05, -0.01, 0.08, 0.02, -0.03])]})
    repo.text("r.md", "# R\n\n- `s.json`: mean delta +0.022, 95% CI [0.0, 0.1], n = 5\n"
              "- `s.json`: mean delta +0.022, 95% CI [-0.0, 0.1], n = 5\n")
    r = repo.audit("r.md")
    ci = [(f.claim, f.verdict) for f in r.findings if "CI" in f.claim]
    assert ci == [("95% CI [0.0, 0.1]", "mismatch"), ("95% CI [-0.0, 0.1]", "verified")]


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=Decimal("-0.999"), max_value=Decimal("-0.0001"), places=4),
       st.integers(min_value=0, max_value=3))
def test_a_negative_value_never_matches_an_unsigned_claim(v: Decimal, places: int) -> None:
    text = f"{abs(v).quantize(Decimal(1).scaleb(-places))}"
    p = parse_number(text)
    assert p is not None and not matches(p, float(v))
    # the same digits with the minus do match (legitimate rounding keeps working)
    q = parse_number("-" + text)
    assert q is not None and matches(q, float(v))


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=Decimal("-1"), max_value=Decimal("1"), places=4))
def test_a_percentage_never_matches_a_fraction_it_is_not_100x_of(v: Decimal) -> None:
    p = parse_number(f"{v}%")
    assert p is not None
    assert matches(p, float(v)) == (v == 0)
    assert matches(p, float(v) / 100)
    assert matches(p, float(v), pct_key=True)


# --- 4. false errors: n beside a key named n; p < X is a bound -----------------------------

def test_n_beside_a_key_named_n_is_that_key(repo: Repo) -> None:
    doc = {"deltas": [0.011, 0.012, 0.013], "n": 5}
    repo.json("c.json", doc)
    repo.text("r.md", "# R\n\n- `c.json`: n = 5\n- `c.json`: n = 6\n")
    r = repo.audit("r.md")
    assert numbers(r) == [("5", "verified"), ("6", "mismatch")]
    assert messages(r)[0] == "matches c.json#/n = 5 (by its name 'n')"


def test_p_below_a_bound(repo: Repo) -> None:
    repo.json("m.json", {"p": 0.0004, "small": 0.0012})
    repo.text("r.md", "# R\n\n- `m.json`: p < .004\n- `m.json`: p < .001\n"
              "- `m.json`: p < .0001\n- `m.json`: p-value \u2264 0.0004\n")
    r = repo.audit("r.md")
    assert numbers(r) == [(".004", "verified"), (".001", "verified"), (".0001", "mismatch"),
                          ("0.0004", "verified")]
    assert messages(r)[2] == "p < .0001 but m.json#/p = 0.0004"


def test_p_bound_is_not_backed_by_a_value_it_equals(repo: Repo) -> None:
    # ".001" once "verified" against small = 0.0012; p = 0.0012 is not < .001
    repo.json("m.json", {"p": 0.0012, "small": 0.001})
    repo.text("r.md", "# R\n\n- `m.json`: p < .001\n")
    assert numbers(repo.audit("r.md")) == [(".001", "mismatch")]


def test_p_bound_without_a_p_value_is_unbacked(repo: Repo) -> None:
    r = _one(repo, "m.json", {"small": 0.001}, "p < .001")
    assert numbers(r) == [(".001", "unbacked")]


# --- documented passes (docs/audit.md, "When a wrong number can still pass") ----------------

def test_documented_pass_an_abbreviation_that_is_no_key(repo: Repo) -> None:
    # "EV" is no key of m.json: the number is checked as unnamed and the baseline's value backs it
    r = _one(repo, "m.json", M, "EV 0.6812")
    assert numbers(r) == [("0.6812", "verified")]
    assert r.findings[-1].pointer == "/baseline/explained_variance"


def test_documented_pass_p_bound_held_by_another_p_value(repo: Repo) -> None:
    repo.json("m.json", {"p": 0.0004})
    repo.text("r.md", "# R\n\n- `m.json`: the other test had p < .001\n")
    assert numbers(repo.audit("r.md")) == [(".001", "verified")]


_WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)


@settings(max_examples=80, deadline=None)
@given(st.lists(_WORD, min_size=3, max_size=3, unique=True),
       st.lists(st.integers(1, 9999), min_size=2, max_size=2, unique=True))
def test_a_name_never_verifies_by_another_arms_value(words: list[str], ints: list[int]) -> None:
    arm, other, key = words
    x, y = (Decimal(i).scaleb(-4) for i in ints)
    doc = {arm: {key: float(x)}, other: {key: float(y)}}
    leaves, _ = numeric_leaves(doc)
    art = Artifact(rel="m.json", path=Path("m.json"), data=doc, parsed=True, leaves=leaves)

    def verdict(name: str, v: Decimal) -> str:
        p = parse_number(str(v))
        assert p is not None
        return judge(p, (name,), (), [art], []).verdict

    assert verdict(f"{arm} {key}", y) != "verified"   # the other arm's value
    assert verdict(f"{arm} {key}", x) == "verified"
    assert verdict(f"{arm}.{key}", y) == "mismatch"
    assert verdict(key, y) == "unbacked"               # two keys, different values: ambiguous
