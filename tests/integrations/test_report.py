"""`releasegate report` rendered in headless Chromium, and `check --format junit`."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from integrations._integ_helpers import REPO, releasegate, run, sweep_doc

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                      "google-chrome")) if p), None)
NOW = "2026-11-26T00:00:00+00:00"

# Appended to a copy of the page in the same directory: a script in the page can read its own
# images' natural sizes, so Chromium reports whether every image really decoded.
PROBE = """<script>
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const ok = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
  document.body.setAttribute('data-images', ok + '/' + imgs.length);
});
</script>"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("report")
    shutil.copytree(REPO / "examples/failing", work / "evidence")
    sweeps = work / "sweeps"
    sweeps.mkdir()
    doc = sweep_doc({"training_tokens": [10**5, 10**6, 10**7], "d_sae": [512, 2048]}, [0, 1, 2])
    (sweeps / "budget.json").write_text(json.dumps(doc, indent=2))
    shutil.copytree(REPO / "policy", work / "policy")
    proc = releasegate("check", "--evidence", "evidence", "--policy",
                       "policy/husai-release/v1.yaml", "--out", "decision.json", "--now", NOW,
                       cwd=work)
    assert proc.returncode == 1  # cebench fails in this set
    proc = releasegate("report", "--decision", "decision.json", "--out", "site",
                       "--evidence", "sweeps", cwd=work)
    assert proc.returncode == 0
    return work / "site"


def test_page_has_gate_table_with_hashes(built: Path) -> None:
    html = (built / "index.html").read_text()
    decision = json.loads((built.parent / "decision.json").read_text())
    for name in ("random_model.pwmcc_delta", "external.cebench", "transcoder", "ood"):
        assert f'id="gate-{name}"' in html
    assert re.search(r'<tr class="fail" id="gate-external.cebench">.*?<b>FAIL</b>', html)
    for e in decision["evidence"]:
        assert e["sha256"] in html and e["path"] in html
    assert decision["policy"]["sha256"] in html


def test_plots_are_written_for_gates_frontier_and_sweeps(built: Path) -> None:
    plots = {p.name for p in (built / "plots").glob("*.svg")}
    assert {"gate-external.cebench.svg", "gate-ood.svg", "frontier.svg"} <= plots
    assert any(p.startswith("sweep-budget-explained_variance-vs-training_tokens") for p in plots)
    assert any(p.startswith("sweep-budget-explained_variance-vs-d_sae") for p in plots)
    cebench = (built / "plots/gate-external.cebench.svg").read_text()
    assert "threshold ≥ 0" in cebench  # issue 14: was "threshold >= = 0"
    for svg in (built / "plots").glob("*.svg"):
        ET.fromstring(svg.read_text())  # well-formed XML, or browsers show nothing


def test_changed_evidence_refuses_the_report(built: Path, tmp_path: Path) -> None:
    # The decision no longer reproduces from the evidence present: no page of it (issue rt10
    # §2; a page used to be built with the changed file's plot left out).
    work = tmp_path / "w"
    shutil.copytree(built.parent, work, ignore=shutil.ignore_patterns("site"))
    (work / "evidence/ood_stress.json").write_text(
        (work / "evidence/ood_stress.json").read_text() + "\n")
    r = releasegate("report", "--decision", "decision.json", "--out", "site", cwd=work)
    assert r.returncode == 1
    assert "refused" in r.stderr and "evidence/ood_stress.json: sha256 now" in r.stderr
    assert not (work / "site/index.html").exists()


@pytest.mark.skipif(CHROMIUM is None,
                    reason="chromium not installed (apt-get install -y chromium)")
def test_page_and_images_load_in_headless_chromium(built: Path) -> None:
    assert CHROMIUM is not None
    probe = built / "probe.html"
    probe.write_text((built / "index.html").read_text().replace("</body>", PROBE + "</body>"))
    n_imgs = probe.read_text().count("<img ")
    assert n_imgs >= 8
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--allow-file-access-from-files", "--virtual-time-budget=5000"]
    proc = run([*args, "--dump-dom", probe.as_uri()], timeout=60)
    assert proc.returncode == 0
    assert f'data-images="{n_imgs}/{n_imgs}"' in proc.stdout
    assert "Release gate decision" in proc.stdout and 'id="gate-external.cebench"' in proc.stdout
    shot = built / "shot.png"
    proc = run([*args, "--window-size=1200,1600", f"--screenshot={shot}", probe.as_uri()],
               timeout=60)
    assert proc.returncode == 0 and shot.stat().st_size > 20_000  # a real render, not blank


def test_junit_has_one_stable_case_per_gate(tmp_path: Path) -> None:
    proc = releasegate("check", "--evidence", "examples/failing", "--format", "junit",
                       "--now", NOW)
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    suite = root.find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert list(cases) == ["random_model", "random_model.pwmcc_delta",
                           "random_model.pwmcc_delta_lcb", "transcoder",
                           "transcoder.pwmcc_vs_sae_lcb", "transcoder.sparsity_matched", "ood",
                           "external", "external.saebench", "external.cebench"]
    assert {c.get("classname") for c in cases.values()} == {"releasegate.husai-release"}
    failure = cases["external.cebench"].find("failure")
    assert failure is not None and "not >= 0.0" in (failure.get("message") or "")
    assert cases["external.saebench"].find("failure") is None
    assert suite.get("tests") == "10" and suite.get("failures") == "2"
    passing = releasegate("check", "--evidence", "examples/evidence", "--format", "junit",
                          "--now", NOW)
    assert passing.returncode == 0 and 'failures="0"' in passing.stdout
