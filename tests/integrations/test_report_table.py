"""Red-team review of the report's gate table and benchmark plots.

* a waiver's reason wraps between words, never inside one ("baselin/e"), and the table still
  fits a 1280-px window (headless Chromium measures every word's line boxes);
* the reason column does not repeat the observed value, threshold and seeds of their columns;
* a group row shows only what decides it: its required children's seeds and evidence, never
  an advisory child's;
* an external benchmark's plot names the benchmark and the metric on its y axis.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from integrations._integ_helpers import REPO, releasegate, run

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                      "google-chrome")) if p), None)
NOW = "2026-11-26T00:00:00+00:00"
REASON = ("CE-Bench baseline is being re-run on the matched tokenizer (ticket 4711); "
          "interpretability scores until then are provisional")
POLICY = """\
name: redteam
version: 1.0.0
description: a group decided by a missing required child, beside an advisory child with evidence
gates:
  - name: stress
    all:
      - name: sparsity_matched
        kind: transcoder_stress
        metric: /metrics/sparsity/relative_l0_difference
        statistic: value
        op: "<="
        threshold: 0.1
      - name: ood
        kind: ood_stress
        metric: /metrics/in_distribution/explained_variance
        minus: /metrics/out_of_distribution/explained_variance
        pairing: paired
        statistic: ucb
        op: "<="
        threshold: 0.1
        min_seeds: 3
        required: false
  - name: external
    all:
      - name: saebench
        kind: external_benchmark
        select: {where: {/metrics/benchmark/name: saebench}, pick: latest}
        metric: /metrics/deltas
        statistic: lcb
        op: ">="
        threshold: 0.0
        min_seeds: 3
      - name: cebench
        kind: external_benchmark
        select: {where: {/metrics/benchmark/name: cebench}, pick: latest}
        metric: /metrics/deltas
        statistic: lcb
        op: ">="
        threshold: 0.0
        min_seeds: 3
waivers:
  - gate: external
    reason: REASON
    approver: amy
    expires: 2027-01-31
    evidence_sha256: [SHAS]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("table")
    ev = work / "evidence"
    shutil.copytree(REPO / "examples/failing", ev)
    (ev / "transcoder_stress.json").unlink()  # the group's required child: missing
    shas = ", ".join(hashlib.sha256((ev / f"external_{b}.json").read_bytes()).hexdigest()
                     for b in ("cebench", "saebench"))
    (work / "policy.yaml").write_text(POLICY.replace("REASON", REASON).replace("SHAS", shas))
    assert releasegate("check", "--evidence", "evidence", "--policy", "policy.yaml", "--out",
                       "decision.json", "--now", NOW, cwd=work).returncode == 1
    assert releasegate("report", "--decision", "decision.json", "--out", "site",
                       cwd=work).returncode == 0
    return work / "site"


def _cells(site: Path, gate: str) -> dict[str, str]:
    """The row of ``gate`` as {column header: cell text (tags removed)}."""
    page = (site / "index.html").read_text()
    heads = re.findall(r"<th>(.*?)</th>", page.split('id="gates"', 1)[1].split("</thead>")[0])
    row = re.search(rf'<tr class="\w+" id="gate-{re.escape(gate)}">(.*?)</tr>', page, re.S)
    assert row is not None, gate
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    text = [html.unescape(re.sub(r"<br>", " ", re.sub(r"<(?!br>)[^>]+>", "", c))) for c in cells]
    return dict(zip(heads, text, strict=True))


def test_group_row_shows_only_its_required_childrens_seeds_and_evidence(site: Path) -> None:
    decision = json.loads((site.parent / "decision.json").read_text())
    stress = next(g for g in decision["gates"] if g["name"] == "stress")
    assert stress["status"] == "missing"
    # the decision itself: a group's seeds and evidence are its required children's
    assert stress["seeds_used"] == [] and stress["evidence"] == []
    assert [c["evidence"] for c in stress["children"]][1] == ["evidence/ood_stress.json"]
    row = _cells(site, "stress")
    assert row["seeds"] == "—" and row["evidence (sha256)"] == "—"  # the advisory ood's are not
    assert "ood_stress.json" in _cells(site, "stress.ood")["evidence (sha256)"]
    external = _cells(site, "external")
    assert external["seeds"] == "3 0, 1, 2"
    assert "external_cebench.json" in external["evidence (sha256)"]
    assert "external_saebench.json" in external["evidence (sha256)"]


def test_reason_does_not_repeat_observed_threshold_and_seeds(site: Path) -> None:
    row = _cells(site, "external.cebench")
    assert row["observed"] == "-1.581" and row["threshold"] == "≥ 0"
    assert row["reason"] == "lcb(/metrics/deltas) [t-interval 0.95]"
    ood = _cells(site, "stress.ood")["reason"]
    assert ood == ("ucb(/metrics/in_distribution/explained_variance − "
                   "/metrics/out_of_distribution/explained_variance) [paired, 0.95]")
    # a reason that is not a computed comparison is kept whole
    assert _cells(site, "stress.sparsity_matched")["reason"] == "no transcoder_stress evidence"


def test_waiver_column_only_when_a_gate_has_a_waiver(site: Path) -> None:
    assert _cells(site, "external")["waiver"].startswith(REASON)
    page = (site / "index.html").read_text()
    assert page.count("<th>waiver</th>") == 1


def test_benchmark_plot_names_the_benchmark_and_metric(site: Path) -> None:
    def words(svg: str) -> str:
        texts = re.findall(r"<text[^>]*>(.*?)</text>", (site / "plots" / svg).read_text(), re.S)
        return " ".join(re.sub(r"\s+", " ", html.unescape(t)).strip() for t in texts)

    cebench = words("gate-external.cebench.svg")
    assert "CE-Bench interpretability score (mean): candidate − matched baseline" in cebench
    saebench = words("gate-external.saebench.svg")
    assert "SAEBench sparse probing" in saebench and "candidate − matched baseline" in saebench
    assert "delta vs matched baseline" not in cebench + saebench


# Written into the DOM by Chromium: every word of the gate table that the layout split over two
# lines (a run of characters without space or hyphen has one line box unless broken inside).
WORD_PROBE = """<script>
window.addEventListener('load', () => {
  const broken = [];
  for (const td of document.querySelectorAll('#gates td')) {
    const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      for (const m of n.data.matchAll(/[^\\s-]+/g)) {  // a break after - is fine
        const r = document.createRange();
        r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  document.body.setAttribute('data-words', JSON.stringify({
    broken, scroll: document.documentElement.scrollWidth, inner: window.innerWidth}));
});
</script>"""


@pytest.mark.skipif(CHROMIUM is None,
                    reason="chromium not installed (apt-get install -y chromium)")
def test_no_word_is_broken_inside_and_the_page_fits_1280_px(site: Path) -> None:
    assert CHROMIUM is not None
    probe = site / "words.html"
    probe.write_text((site / "index.html").read_text().replace("</body>", WORD_PROBE + "</body>"))
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--allow-file-access-from-files", "--virtual-time-budget=5000",
            "--window-size=1280,900"]
    proc = run([*args, "--dump-dom", probe.as_uri()], timeout=60)
    m = re.search(r"data-words=\"([^\"]+)\"", proc.stdout)
    assert proc.returncode == 0 and m, proc.stdout[-2000:]
    layout = json.loads(html.unescape(m.group(1)))
    assert layout["inner"] == 1280 and layout["scroll"] <= 1280, layout
    assert layout["broken"] == [], layout["broken"]  # e.g. "baselin/e" before the fix
    shot = site / "table-1280.png"  # the screenshot to look at, kept next to the page
    proc = run([*args, "--window-size=1280,1400", f"--screenshot={shot}", probe.as_uri()],
               timeout=60)
    assert proc.returncode == 0 and shot.stat().st_size > 50_000
