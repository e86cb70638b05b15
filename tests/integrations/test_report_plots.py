"""Issue 14: report plots worth looking at, and a page that fits a 1280-px window.

Each plot: per-seed points, the gate's interval as a band (the policy's own interval, checked
here against scipy), the threshold inside the frame, axis labels in words that are not cut off,
legend text without stray symbols; the external frontier with 0 on both axes and seed labels.
The page: no horizontal overflow at 1280 px in headless Chromium, even with long paths.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from integrations._integ_helpers import REPO, releasegate, run

pytest.importorskip("matplotlib", reason="plots need the report extra (pip install -e '.[test]')")

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                      "google-chrome")) if p), None)
NOW = "2026-11-26T00:00:00+00:00"
# Written into the page's DOM by Chromium: widest content vs the 1280-px window.
LAYOUT_PROBE = """<script>
window.addEventListener('load', () => {
  const t = document.getElementById('gates').getBoundingClientRect();
  document.body.setAttribute('data-layout', JSON.stringify({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    table_right: Math.ceil(t.right),
    images: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length}));
});
</script>"""


def _site(work: Path, evidence: Path) -> Path:
    shutil.copytree(REPO / "policy", work / "policy")
    rel = evidence.relative_to(work)
    assert releasegate("check", "--evidence", str(rel), "--policy",
                       "policy/husai-release/v1.yaml", "--out", "decision.json", "--now", NOW,
                       cwd=work).returncode == 1  # CE-Bench fails in examples/failing
    assert releasegate("report", "--decision", "decision.json", "--out", "site",
                       cwd=work).returncode == 0
    return work / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("plots")
    shutil.copytree(REPO / "examples/failing", work / "evidence")
    return _site(work, work / "evidence")


def _decision(site: Path) -> dict[str, Any]:
    return json.loads((site.parent / "decision.json").read_text())  # type: ignore[no-any-return]


def _gate(site: Path, dotted: str) -> dict[str, Any]:
    gates = _decision(site)["gates"]
    for part in dotted.split("."):
        g = next(x for x in gates if x["name"] == part)
        gates = g["children"]
    return g  # type: ignore[no-any-return]


def _svg_text(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip()
            for t in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(), flags=re.S)]


def _plot_data(site: Path, dotted: str) -> Any:
    from evidence_schema import GateResult
    from policy import load_policy
    from releasegate.report import gate_plot

    g = _gate(site, dotted)
    leaf: Any = load_policy(site.parent / "policy/husai-release/v1.yaml").policy
    gates = leaf.gates
    for part in dotted.split("."):
        leaf = next(x for x in gates if x.name == part)
        gates = getattr(leaf, "children", [])
    doc = json.loads((site.parent / g["evidence"][0]).read_text())
    return gate_plot(dotted, GateResult.model_validate(g), leaf, doc), g, doc


def test_legend_and_labels_are_words_without_stray_symbols(site: Path) -> None:
    svgs = sorted((site / "plots").glob("*.svg"))
    assert len(svgs) >= 8
    for svg in svgs:
        text = " ".join(_svg_text(svg))
        assert "/metrics/" not in text, svg.name  # axis labels in words, not JSON pointers
        for stray in ("<= =", ">= =", "&lt;= =", "&gt;= =", "&lt;=", "&gt;="):
            assert stray not in text, (svg.name, stray)
    ood = " ".join(_svg_text(site / "plots/gate-ood.svg"))
    g = _gate(site, "ood")
    assert "threshold ≤ 0.1" in ood
    assert f"gate upper bound (95%) = {g['observed']:.4g}" in ood
    assert "95% interval (paired t)" in ood and "per seed" in ood
    assert "in-distribution explained variance − out-of-distribution explained variance" in ood


def test_band_is_the_policys_interval_against_scipy(site: Path) -> None:
    import numpy as np
    from scipy import stats

    def t_interval(x: list[float]) -> tuple[float, float]:
        h = stats.t.ppf(0.975, len(x) - 1) * np.std(x, ddof=1) / np.sqrt(len(x))
        return float(np.mean(x) - h), float(np.mean(x) + h)

    p, g, doc = _plot_data(site, "ood")  # paired: per-seed differences
    ind = {tuple(s["seeds"]): s["value"]
           for s in doc["metrics"]["in_distribution"]["explained_variance"]}
    ood = {tuple(s["seeds"]): s["value"]
           for s in doc["metrics"]["out_of_distribution"]["explained_variance"]}
    assert p.interval == pytest.approx(t_interval([ind[k] - ood[k] for k in ind]), rel=1e-6)
    assert p.interval[1] == pytest.approx(g["observed"])  # the gate's ucb is the band's top
    assert [v for _, v in p.points] == pytest.approx([ind[k] - ood[k] for k in ind])

    p, g, doc = _plot_data(site, "external.saebench")  # one group
    deltas = [s["value"] for s in doc["metrics"]["deltas"]]
    assert p.interval == pytest.approx(t_interval(deltas), rel=1e-6)
    assert p.interval[0] == pytest.approx(g["observed"])

    p, g, _ = _plot_data(site, "transcoder.pwmcc_vs_sae_lcb")  # Welch on the pairwise jackknife
    assert p.interval is not None and p.interval[0] == pytest.approx(g["observed"])
    assert p.xlabel == "seed pair" and [lab for lab, _ in p.points] == ["0–1", "0–2", "1–2"]


@pytest.mark.parametrize("dotted", ["external.cebench", "ood", "transcoder.sparsity_matched",
                                    "random_model.pwmcc_delta"])
def test_threshold_points_and_band_are_inside_the_frame(site: Path, dotted: str) -> None:
    from releasegate.report import gate_figure

    p, _, _ = _plot_data(site, dotted)
    lo, hi = gate_figure(p).axes[0].get_ylim()
    inside = [v for _, v in p.points] + [p.statistic[1]]
    inside += [p.threshold[1]] if p.threshold else []
    inside += list(p.interval) if p.interval else []
    assert all(lo < v < hi for v in inside), (lo, hi, inside)


def _texts_inside(fig: Any) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    box = fig.bbox
    ax = fig.axes[0]
    # Tick labels outside the view limits exist but are not drawn: only the visible ones count.
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    ticks = [lab for v, lab in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
             if x0 <= v <= x1]
    ticks += [lab for v, lab in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
              if y0 <= v <= y1]
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *ticks, *ax.texts,
             *[t for lg in fig.legends for t in lg.get_texts()]]
    for t in texts:
        if not t.get_text() or not t.get_visible():
            continue
        e = t.get_window_extent(r)
        assert e.x0 >= -1 and e.y0 >= -1 and e.x1 <= box.x1 + 1 and e.y1 <= box.y1 + 1, (
            t.get_text(), e, box)


@settings(max_examples=8, deadline=None)
@given(st.text(alphabet="abcdefghij _−", min_size=1, max_size=120),
       st.text(alphabet="abcdefghij_.", min_size=1, max_size=60))
def test_labels_are_never_cut_off(ylabel: str, name: str) -> None:
    from releasegate.report import GatePlot, gate_figure

    p = GatePlot(title=f"{name}: FAIL", ylabel=ylabel, xlabel="seed",
                 points=[("0", 1.0), ("1", 2.0), ("2", 1.5)],
                 statistic=("gate lower bound (95%)", 0.7), passed=False,
                 interval=(0.7, 2.3), interval_label="95% interval (t)",
                 centre=("mean", 1.5), threshold=(">=", 5.0))
    _texts_inside(gate_figure(p))


def test_frontier_has_zero_on_both_axes_and_seed_labels(site: Path) -> None:
    text = _svg_text(site / "plots/frontier.svg")
    assert {"seed 0", "seed 1", "seed 2"} <= set(text)
    assert "SAEBench delta (candidate − baseline)" in text
    assert "CE-Bench delta (candidate − baseline)" in text
    from releasegate.report import ScatterSeries, scatter_figure

    # All deltas positive (as in examples/evidence): 0 must still be in the frame, drawn.
    fig = scatter_figure("f", "x", "y", [ScatterSeries("c", [(0.2, 1.1), (0.3, 1.4)],
                                                       point_labels=["seed 0", "seed 1"])],
                         zero_axes=True, pass_quadrant="both deltas ≥ 0")
    ax = fig.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < 0 < x1 and y0 < 0 < y1
    zero_lines = [ln for ln in ax.get_lines() if set(ln.get_xdata()) == {0.0}
                  or set(ln.get_ydata()) == {0.0}]
    assert len(zero_lines) == 2
    assert [t.get_text() for t in ax.texts] == ["seed 0", "seed 1"]
    _texts_inside(fig)


def test_report_cli_does_not_import_matplotlib_at_parse_time() -> None:
    code = ("import sys, releasegate.report; from releasegate.cli.main import build_parser; "
            "build_parser(); print('matplotlib' in sys.modules)")
    assert run([sys.executable, "-c", code], cwd=REPO).stdout.strip() == "False"


def test_without_matplotlib_the_page_has_the_table_and_says_why(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from releasegate.report import build_report

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib → ImportError
    index = build_report(site.parent / "decision.json", tmp_path / "site", base=site.parent)
    html = index.read_text()
    assert 'id="gate-external.cebench"' in html
    assert "pip install &#x27;releasegate[report]&#x27;" in html
    assert not (tmp_path / "site/plots").exists()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    return w, h


@pytest.mark.skipif(CHROMIUM is None,
                    reason="chromium not installed (apt-get install -y chromium)")
def test_page_fits_a_1280_px_window_in_chromium(site: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    # The examples, and the same evidence under a very long directory name with long file
    # names (the demo's are `random_model_control-152cae17b90b.json`): they must wrap instead
    # of widening the page.
    long_work = tmp_path / "long"
    long_dir = long_work / ("evidence_" + "very_long_directory_name_" * 8)
    shutil.copytree(REPO / "examples/failing", long_dir)
    for f in long_dir.glob("*.json"):
        f.rename(f.with_name(f"{f.stem}-152cae17b90b{'_and_a_longer_name' * 3}.json"))
    sites = [site, _site(long_work, long_dir)]
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--allow-file-access-from-files", "--virtual-time-budget=5000",
            "--window-size=1280,900"]
    for s in sites:
        probe = s / "layout.html"
        probe.write_text((s / "index.html").read_text().replace("</body>",
                                                                LAYOUT_PROBE + "</body>"))
        proc = run([*args, "--dump-dom", probe.as_uri()], timeout=60)
        m = re.search(r"data-layout=\"([^\"]+)\"", proc.stdout)
        assert proc.returncode == 0 and m, proc.stdout[-2000:]
        layout = json.loads(m.group(1).replace("&quot;", '"'))
        assert layout["inner"] == 1280
        assert layout["scroll"] <= 1280, layout  # no horizontal scrolling
        assert layout["table_right"] <= 1280, layout
        assert layout["images"] == (s / "index.html").read_text().count("<img ")
        # The screenshot people look at (kept next to the page): a full 1280-px render.
        shot = s / "layout-1280.png"
        proc = run([*args, "--window-size=1280,3200", f"--screenshot={shot}", probe.as_uri()],
                   timeout=60)
        assert proc.returncode == 0 and _png_size(shot) == (1280, 3200)
        assert shot.stat().st_size > 50_000  # a real render, not a blank page
