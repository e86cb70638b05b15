"""One run re-serialised is still one run (review rt10 §5).

``releasegate ingest cebench u1.json u2.json u3.json --seeds 0 1 2`` with u2 = u1 re-dumped with
another indent (another byte sha256, the same content) was accepted as two seeds. Ingest, select
and check now also compare the canonical content sha256 (evidence_schema.content_sha256).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from external.results_factory import Writer, cebench, sae_probes
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from evidence_schema import content_sha256, now_utc
from releasegate.cli.main import main
from runners.external import (
    SelectionError,
    build_evidence,
    load_cebench_result,
    load_external_evidence,
    load_saebench_result,
    select_candidates,
    write_external_evidence,
)


def _redumps(doc: dict[str, Any]) -> list[str]:
    """The review's u1/u2 and other spellings of the same content."""
    return [json.dumps(doc),                                    # u1: compact
            json.dumps(doc, indent=1),                          # u2: another indent
            json.dumps(doc, indent=4, sort_keys=True),          # keys reordered
            json.dumps(doc, ensure_ascii=False, separators=(",", ":"))]


def test_ingest_refuses_a_run_re_dumped_with_another_indent(
        write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = cebench(56.0)
    u1 = write("u1.json", _redumps(run)[0])
    u2 = write("u2.json", _redumps(run)[1])
    u3 = write("u3.json", json.dumps(cebench(56.4)))
    assert hashlib.sha256(u1.read_bytes()).hexdigest() != hashlib.sha256(
        u2.read_bytes()).hexdigest()
    base = write("base.json", cebench(50.0, release="gemma-scope"))
    out = tmp_path / "ev"
    rc = main(["ingest", "cebench", str(u1), str(u2), str(u3), "--seeds", "0", "1", "2",
               "--baseline", str(base), "--candidate-id", "c", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 1
    assert "seeds [0, 1] are one run: their result files have the same content" in err
    assert not out.exists() or not list(out.iterdir())


def test_ingest_records_the_content_hash(write: Writer, tmp_path: Path) -> None:
    files = [write(f"seed{s}/results.json", cebench(53.0 + s)) for s in range(3)]
    base = write("baseline/results.json", cebench(50.0, release="gemma-scope"))
    w = write_external_evidence(tmp_path / "ev", build_evidence(
        [(s, load_cebench_result(p)) for s, p in enumerate(files)],
        [load_cebench_result(base)], candidate_id="c"))
    doc = json.loads(w.path.read_text())
    # By hand: the parsed file, sorted keys, no whitespace, integral numbers as floats.
    expected = [hashlib.sha256(json.dumps(_floats(json.loads(p.read_text())), sort_keys=True,
                                          separators=(",", ":")).encode()).hexdigest()
                for p in (*files, base)]
    assert [i["content_sha256"] for i in doc["inputs"]] == expected


def _floats(x: Any) -> Any:
    if isinstance(x, bool) or x is None or isinstance(x, str | float):
        return x
    if isinstance(x, int):
        return float(x)
    if isinstance(x, dict):
        return {k: _floats(v) for k, v in x.items()}
    return [_floats(v) for v in x]


def test_check_refuses_seeds_sharing_a_content_hash(write: Writer, tmp_path: Path) -> None:
    # Written by an ingest without the content check: `check` refuses it from the record.
    files = [write(f"seed{s}/sp.json", sae_probes({1: 0.95 + s / 100})) for s in range(3)]
    ev = build_evidence([(s, load_saebench_result(p)) for s, p in enumerate(files)], [],
                        candidate_id="c")
    shared = ev.inputs[0].content_sha256
    forged = ev.model_copy(update={"inputs": [
        i.model_copy(update={"content_sha256": shared}) for i in ev.inputs]})
    assert len({i.sha256 for i in forged.inputs}) == 3  # the byte hashes all differ
    write_external_evidence(tmp_path / "ev", forged)
    decision = policy.check(policy.DEFAULT_POLICY, tmp_path / "ev", now=now_utc())
    leaves = [c for g in decision.gates for c in (g.children or [g])]
    sae = next(c for c in leaves if c.evidence and "saebench" in c.evidence[0])
    assert sae.status == "invalid"
    assert "come from one input (content sha256" in sae.reason


def test_selection_refuses_one_run_re_dumped_under_two_seeds(write: Writer,
                                                             tmp_path: Path) -> None:
    run = sae_probes({1: 0.97})
    spellings = _redumps(run)
    ev = tmp_path / "ev"
    for s in (0, 1):
        one = write(f"s{s}/sp.json", spellings[s])
        write_external_evidence(ev / f"s{s}", build_evidence(
            [(s, load_saebench_result(one))], [], candidate_id="c"))
    with pytest.raises(SelectionError, match=r"seeds \[0, 1\] come from one result file "
                                             r"\(content sha256"):
        select_candidates(load_external_evidence(ev), min_seeds=2, benchmarks=["saebench"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**60, 2**60)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20)


@settings(max_examples=100, deadline=None)
@given(doc=st.dictionaries(st.text(max_size=6), json_values, min_size=1, max_size=5),
       indent=st.sampled_from([None, 0, 1, 2, 4, "\t"]), sort=st.booleans(),
       ascii_=st.booleans())
def test_any_re_serialisation_has_one_content_hash(doc: dict[str, Any], indent: Any,
                                                   sort: bool, ascii_: bool) -> None:
    text = json.dumps(doc, indent=indent, sort_keys=sort, ensure_ascii=ascii_)
    assert content_sha256(json.loads(text)) == content_sha256(doc)


@settings(max_examples=60, deadline=None)
@given(doc=st.dictionaries(st.text(max_size=6), json_values, min_size=1, max_size=5),
       key=st.text(max_size=6), value=st.floats(allow_nan=False, allow_infinity=False))
def test_changed_content_changes_the_hash(doc: dict[str, Any], key: str, value: float) -> None:
    changed = {**doc, key: value}
    same = key in doc and type(doc[key]) in (int, float) and not isinstance(doc[key], bool) \
        and float(doc[key]) == value
    if not same:
        assert content_sha256(changed) != content_sha256(doc)
