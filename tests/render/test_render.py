"""`releasegate render`: bound links, significant digits, the decision, per-seed tables,
intervals (checked against scipy), strict undefined names, and the sandbox (issue 12)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from _render_helpers import gate_index, load
from scipy import stats as sps

from releasegate.cli.main import main
from releasegate.render import RenderError, render_template, write_report


def _tpl(repo: Path, body: str) -> Path:
    p = repo / "report.md.j2"
    p.write_text(body, encoding="utf-8")
    return p


def _render(repo: Path, body: str, decision: Path | None = None) -> str:
    return render_template(_tpl(repo, body), repo=repo, decision=decision)


@pytest.fixture
def plain_repo(tmp_path: Path) -> Path:
    (tmp_path / "x.json").write_text(json.dumps({"metrics": {
        "explained_variance": 0.74514, "big": 12345.678, "count": 7, "flag": True,
        "deltas": [{"seeds": [0], "value": 0.061}, {"seeds": [1], "value": 0.07},
                   {"seeds": [2], "value": 0.052}, {"seeds": [3], "value": 0.066},
                   {"seeds": [4], "value": 0.061}],
        "plain": [0.5, 0.25, 0.125],
    }}), encoding="utf-8")
    return tmp_path


def test_value_renders_a_bound_link_with_a_format_spec(plain_repo: Path) -> None:
    out = _render(plain_repo, '{{ value("x.json#/metrics/explained_variance", ".4f") }}')
    assert out == "[0.7451](x.json#/metrics/explained_variance)"


@pytest.mark.parametrize(("call", "text"), [
    ('value("x.json#/metrics/explained_variance", sig=3)', "0.745"),
    ('value("x.json#/metrics/explained_variance")', "0.7451"),  # default: 4 significant digits
    ('value("x.json#/metrics/big", sig=3)', "1.23e+04"),
    ('value("x.json#/metrics/count")', "7"),  # integers print exactly
    ('value("x.json#/metrics/count", "+d")', "+7"),
    ('value("x.json#/metrics/deltas/1/value", sig=3)', "0.0700"),  # trailing zeros kept
])
def test_value_significant_digits(plain_repo: Path, call: str, text: str) -> None:
    out = _render(plain_repo, "{{ " + call + " }}")
    assert out.startswith(f"[{text}](x.json#/metrics/")


@pytest.mark.parametrize(("call", "message"), [
    ('value("x.json#/metrics/flag")', "bool, not a number"),
    ('value("x.json#/metrics/nope")', "has no value at /metrics/nope"),
    ('value("x.json")', "needs a JSON pointer"),
    ('value("missing.json#/a")', "no such file"),
    ('value("x.json#/metrics/count", ".2q")', "format spec '.2q'"),
    ('value("x.json#/metrics/count", ".2f", sig=2)', "not both"),
    ('value("x.json#/metrics/count", sig=0)', "sig= wants an integer"),
    ("gate('external')", "need a decision"),
    ("{{ nope }}", "'nope' is undefined"),
])
def test_errors_are_clear(plain_repo: Path, call: str, message: str) -> None:
    body = call if call.startswith("{{") else "{{ " + call + " }}"
    with pytest.raises(RenderError, match=re.escape(message)):
        _render(plain_repo, "line one\n" + body)


def test_undefined_names_are_errors_with_the_template_line(plain_repo: Path) -> None:
    with pytest.raises(RenderError) as e:
        _render(plain_repo, "a\nb\n{{ valu('x.json#/metrics/count') }}\n")
    assert e.value.line == 3
    assert "'valu' is undefined" in e.value.message


@pytest.mark.parametrize("body", [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ value.__globals__ }}",
    "{{ gate.__self__.sources }}",
    "{{ (value|attr('__globals__')) }}",
])
def test_sandbox_refuses_attribute_access(plain_repo: Path, body: str) -> None:
    with pytest.raises(RenderError) as e:
        _render(plain_repo, body)
    assert "sandbox" in e.value.message or "undefined" in e.value.message


@pytest.mark.parametrize(("body", "message"), [
    ("{% include '/etc/passwd' %}", "no loader"),
    ("{% import '/etc/passwd' as p %}", "no loader"),
    ("{{ value('/etc/passwd#/a') }}", "absolute path"),
    ("{{ value('../outside.json#/a') }}", "outside the repository"),
    ("{{ range(3) }}", "'range' is undefined"),  # no Jinja globals beyond the functions
])
def test_no_file_access_beyond_the_functions(plain_repo: Path, body: str, message: str) -> None:
    (plain_repo.parent / "outside.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(RenderError, match=re.escape(message)):
        _render(plain_repo, body)


def test_symlink_out_of_the_repository_is_refused(plain_repo: Path, tmp_path_factory:
                                                  pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.json"
    outside.write_text('{"a": 1}', encoding="utf-8")
    os.symlink(outside, plain_repo / "link.json")
    with pytest.raises(RenderError, match="symlink"):
        _render(plain_repo, "{{ value('link.json#/a') }}")


def test_cli_refusal_is_exit_2_with_file_and_line(plain_repo: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    tpl = _tpl(plain_repo, "ok\n{{ ''.__class__ }}\n")
    code = main(["render", str(tpl), "--out", str(plain_repo / "r.md"), "--repo",
                 str(plain_repo)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{tpl}:2: error: refused by the sandbox" in err
    assert "Traceback" not in err
    assert not (plain_repo / "r.md").exists()


def test_invalid_evidence_is_never_printed(example_repo: Path) -> None:
    ev = example_repo / "evidence" / "external_saebench.json"
    doc = load(ev)
    doc["metrics"]["deltas"][0]["value"] = "oops"
    ev.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(RenderError, match="invalid evidence"):
        _render(example_repo,
                "{{ value('evidence/external_saebench.json#/metrics/deltas/1/value') }}")


def test_gate_and_verdict_bind_to_the_decision(example_repo: Path) -> None:
    d = load(example_repo / "decision.json")
    ptr = gate_index(d, "cebench")
    g = d["gates"][int(ptr.split("/")[2])]["children"][int(ptr.split("/")[4])]
    out = _render(example_repo, "{{ verdict() }}|{{ gate('cebench').status }}|"
                  "{{ gate('cebench').observed }}|{{ gate('cebench').threshold }}|"
                  "{{ gate('cebench').reason }}")
    verdict, status, observed, threshold, reason = out.split("|")
    assert verdict == f"[{d['verdict']}](decision.json#/verdict)"
    assert status == f"[{g['status']}](decision.json#{ptr}/status)"
    assert observed == f"[{g['observed']:#.4g}](decision.json#{ptr}/observed)"
    assert threshold == f"[{g['threshold']:#.4g}](decision.json#{ptr}/threshold)"
    assert reason == f"[`{g['reason']}`](decision.json#{ptr}/reason)"


def test_unknown_gate_suggests_a_name(example_repo: Path) -> None:
    with pytest.raises(RenderError, match="did you mean 'transcoder'"):
        _render(example_repo, "{{ gate('transcodr').status }}")


def test_seeds_table_binds_every_cell(plain_repo: Path) -> None:
    out = _render(plain_repo, "{{ seeds('x.json#/metrics/deltas', sig=2) }}")
    lines = out.splitlines()
    assert lines[:2] == ["| seed | value |", "|---|---|"]
    assert lines[2] == ("| [0](x.json#/metrics/deltas/0/seeds/0) | "
                        "[0.061](x.json#/metrics/deltas/0/value) |")
    assert len(lines) == 2 + 5
    plain = _render(plain_repo, "{{ seeds('x.json#/metrics/plain') }}").splitlines()
    assert plain[2] == "| item 0 | [0.5000](x.json#/metrics/plain/0) |"


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"[+\-]?\d+\.\d+", text)]


def test_interval_one_sample_matches_scipy(plain_repo: Path) -> None:
    vals = [0.061, 0.07, 0.052, 0.066, 0.061]
    out = _render(plain_repo, "{{ interval('x.json#/metrics/deltas', sig=6) }}")
    m, lo, hi = _numbers(out)[:3]
    ref = sps.t.interval(0.95, len(vals) - 1, loc=sps.tmean(vals), scale=sps.sem(vals))
    assert m == pytest.approx(sum(vals) / 5, rel=1e-5)
    assert (lo, hi) == pytest.approx(ref, rel=1e-5)
    assert "95% CI [" in out and "n = 5)" in out
    assert out.endswith("over the [per-seed values](x.json#/metrics/deltas)")
    out90 = _render(plain_repo, "{{ interval('x.json#/metrics/deltas', confidence=0.9, "
                    "sig=6) }}")
    assert tuple(_numbers(out90)[1:3]) == pytest.approx(
        sps.t.interval(0.9, 4, loc=sps.tmean(vals), scale=sps.sem(vals)), rel=1e-5)


def test_interval_welch_and_paired_match_scipy(example_repo: Path) -> None:
    ev = "evidence/ood_stress.json"
    doc = load(example_repo / ev)["metrics"]
    a = [s["value"] for s in doc["in_distribution"]["explained_variance"]]
    b = [s["value"] for s in doc["out_of_distribution"]["explained_variance"]]
    ref_a, ref_b = f"{ev}#/metrics/in_distribution/explained_variance", \
        f"{ev}#/metrics/out_of_distribution/explained_variance"
    welch = _render(example_repo, f"{{{{ interval('{ref_a}', minus='{ref_b}', sig=6) }}}}")
    w = sps.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert tuple(_numbers(welch)[1:3]) == pytest.approx((w.low, w.high), rel=1e-4)
    assert ", Welch, n = 3 vs 3)" in welch
    paired = _render(example_repo, f"{{{{ interval('{ref_a}', minus='{ref_b}', "
                     "pairing='paired', sig=6) }}")
    p = sps.ttest_rel(a, b).confidence_interval(0.95)
    assert tuple(_numbers(paired)[1:3]) == pytest.approx((p.low, p.high), rel=1e-4)
    assert ", paired, n = 3)" in paired


def test_write_is_atomic_and_keeps_the_old_report_on_error(plain_repo: Path) -> None:
    out = plain_repo / "r.md"
    out.write_text("old report\n", encoding="utf-8")
    with pytest.raises(RenderError):
        write_report(_tpl(plain_repo, "{{ nope }}"), out, plain_repo)
    assert out.read_text(encoding="utf-8") == "old report\n"
    write_report(_tpl(plain_repo, "{{ value('x.json#/metrics/count') }}\n"), out, plain_repo)
    assert out.read_text(encoding="utf-8") == "[7](x.json#/metrics/count)\n"
    assert sorted(p.name for p in plain_repo.iterdir() if p.name.startswith(".")) == []


def test_evidence_is_the_file_the_decision_used_by_hash(example_repo: Path) -> None:
    d = load(example_repo / "decision.json")
    used = next(u for u in d["evidence"] if u["kind"] == "ood_stress")
    assert _render(example_repo, "{{ evidence('ood_stress') }}") == "evidence/ood_stress.json"
    assert used["path"].endswith("ood_stress.json")
    with pytest.raises(RenderError, match="2 external_benchmark files"):
        _render(example_repo, "{{ evidence('external_benchmark') }}")
    assert _render(example_repo, "{{ evidence('external_benchmark', 'cebench') }}") == \
        "evidence/external_cebench.json"


def test_evidence_no_gate_read_is_the_newest_next_to_it(example_repo: Path) -> None:
    ev = example_repo / "evidence"
    doc = load(ev / "consistency.json")
    assert _render(example_repo, "{{ evidence('consistency') }}") == "evidence/consistency.json"
    newer = dict(doc, created_at="2026-11-27T00:00:00Z")
    (ev / "consistency-newer.json").write_text(json.dumps(newer), encoding="utf-8")
    assert _render(example_repo, "{{ evidence('consistency') }}") == \
        "evidence/consistency-newer.json"
    (ev / "consistency-twin.json").write_text(json.dumps(newer), encoding="utf-8")
    with pytest.raises(RenderError, match="both the newest consistency"):
        _render(example_repo, "{{ evidence('consistency') }}")
    assert _render(example_repo, "[{{ evidence('lm_training', required=False) }}]") == "[]"
    with pytest.raises(RenderError, match="used no lm_training evidence"):
        _render(example_repo, "{{ evidence('lm_training') }}")


def test_links_are_one_markdown_link_whatever_the_key(tmp_path: Path) -> None:
    (tmp_path / "odd name.json").write_text(json.dumps({"a b": {"c)d": 0.5}}), encoding="utf-8")
    out = _render(tmp_path, "{{ value('odd name.json#/a b/c)d') }}")
    assert out == "[0.5000](odd%20name.json#/a%20b/c%29d)"
    (tmp_path / "r.md").write_text(out + "\n", encoding="utf-8")
    from audit import AuditOptions, audit_paths

    res = audit_paths([tmp_path / "r.md"], AuditOptions(repo=tmp_path, strict=True))
    assert [(f.claim, f.verdict) for f in res.findings if f.kind == "number"] == [
        ("0.5000", "verified")]
