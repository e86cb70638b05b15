"""The pre-commit hooks, run by the real pre-commit (`try-repo`) in a throwaway git repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from integrations._integ_helpers import REPO, run, tool

# What a hook's environment needs from this checkout: the packages and their metadata.
SOURCE = ["pyproject.toml", "releasegate", "policy", "evidence_schema", "audit",
          ".pre-commit-hooks.yaml"]


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of this checkout's hook sources (try-repo needs a git repository)."""
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in SOURCE:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo / name)
    _git("init", "-q", cwd=repo)
    _git("add", ".", cwd=repo)
    _git("commit", "-q", "-m", "hooks", cwd=repo)
    return repo


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    # One PRE_COMMIT_HOME per session: the hook environment is built once (pip install of the
    # hook repo, a few seconds from the pip cache) and reused by every test.
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _project(tmp_path: Path, bad: bool) -> Path:
    proj = tmp_path / "project"
    (proj / "evidence").mkdir(parents=True)
    good = json.loads((REPO / "examples/evidence/ood_stress.json").read_text())
    (proj / "evidence/good.json").write_text(json.dumps(good, indent=2))
    if bad:
        good["metrics"]["out_of_distribution"]["tokens"] = -5
        (proj / "evidence/bad.json").write_text(json.dumps(good, indent=2))
    (proj / "package.json").write_text("{}")  # JSON outside evidence/: not the hook's business
    _git("init", "-q", cwd=proj)
    _git("add", ".", cwd=proj)
    return proj


def _try(hook_repo: Path, proj: Path, env: dict[str, str], hook: str,
         ) -> subprocess.CompletedProcess[str]:
    return run([tool("pre-commit"), "try-repo", str(hook_repo), hook, "--all-files"],
               cwd=proj, env=env, timeout=300)


def test_validate_hook_passes_good_evidence(hook_repo: Path, pre_commit_env: dict[str, str],
                                            tmp_path: Path) -> None:
    proc = _try(hook_repo, _project(tmp_path, bad=False), pre_commit_env,
                "releasegate-validate")
    assert proc.returncode == 0
    assert "releasegate validate (evidence JSON)" in proc.stdout and "Passed" in proc.stdout


def test_validate_hook_blocks_bad_evidence_with_a_clear_message(
        hook_repo: Path, pre_commit_env: dict[str, str], tmp_path: Path) -> None:
    proc = _try(hook_repo, _project(tmp_path, bad=True), pre_commit_env,
                "releasegate-validate")
    assert proc.returncode == 1
    assert "Failed" in proc.stdout
    # file:line: pointer: what is wrong, and only the bad file is named
    assert "evidence/bad.json:" in proc.stdout
    assert "/metrics/out_of_distribution/tokens" in proc.stdout
    assert "good.json" not in proc.stdout.split("Failed", 1)[1]


def test_manifest_and_own_config_are_valid_and_in_step() -> None:
    pc = tool("pre-commit")
    assert run([pc, "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")]).returncode == 0
    assert run([pc, "validate-config", str(REPO / ".pre-commit-config.yaml")]).returncode == 0
    shipped = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(shipped) == {"releasegate-validate", "releasegate-audit",
                            "releasegate-render-check"}
    own = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    local = {h["id"]: h for r in own["repos"] for h in r["hooks"]}
    for hid, hook in shipped.items():
        assert local[hid]["entry"] == hook["entry"], hid
        assert local[hid]["types"] == hook["types"], hid


def test_own_config_validates_this_repositorys_evidence(pre_commit_env: dict[str, str]) -> None:
    proc = run([tool("pre-commit"), "run", "releasegate-validate", "--all-files"], cwd=REPO,
               env=pre_commit_env)
    assert proc.returncode == 0
    assert "Passed" in proc.stdout


def test_validate_hook_is_fast_and_imports_nothing_heavy() -> None:
    files = sorted(str(p) for p in (REPO / "examples").glob("*/*.json"))
    code = ("import sys; from releasegate.cli.main import main; "
            "rc = main(['validate', '-q', *sys.argv[1:]]);"
            "heavy = [m for m in ('torch', 'sae_lens', 'transformer_lens', 'great_expectations',"
            " 'pandas') if m in sys.modules]; print('HEAVY', heavy); raise SystemExit(rc)")
    start = time.perf_counter()
    proc = run([sys.executable, "-c", code, *files], cwd=REPO)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0
    assert "HEAVY []" in proc.stdout
    assert elapsed < 5.0, f"validate hook took {elapsed:.2f}s"


def test_own_config_checks_the_rendered_example_report(pre_commit_env: dict[str, str]) -> None:
    proc = run([tool("pre-commit"), "run", "releasegate-render-check", "--all-files"], cwd=REPO,
               env=pre_commit_env)
    assert proc.returncode == 0, proc.stdout
    assert "Passed" in proc.stdout


def test_render_check_hook_blocks_a_hand_edited_report(
        hook_repo: Path, pre_commit_env: dict[str, str], tmp_path: Path) -> None:
    """The shipped hook, configured as another repository would (args: template, --check,
    report), passes an up-to-date report and fails with a diff once a number is edited."""
    proj = tmp_path / "project"
    shutil.copytree(REPO / "examples" / "evidence", proj / "evidence")
    shutil.copy2(REPO / "examples" / "report.md.j2", proj / "report.md.j2")
    rg = [sys.executable, "-m", "releasegate"]
    assert run([*rg, "check", "--evidence", "evidence", "--out", "decision.json"],
               cwd=proj).returncode == 0
    assert run([*rg, "render", "report.md.j2", "--out", "report.md"], cwd=proj).returncode == 0
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True,
                         capture_output=True, text=True).stdout.strip()
    (proj / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{
        "repo": str(hook_repo), "rev": rev,
        "hooks": [{"id": "releasegate-render-check",
                   "args": ["report.md.j2", "--check", "report.md"]}]}]}))
    _git("init", "-q", cwd=proj)
    _git("add", ".", cwd=proj)
    hook = [tool("pre-commit"), "run", "releasegate-render-check", "--all-files"]
    ok = run(hook, cwd=proj, env=pre_commit_env, timeout=300)
    assert ok.returncode == 0, ok.stdout
    text = (proj / "report.md").read_text(encoding="utf-8")
    old = next(m for m in text.split("[")[1:] if m[:1].isdigit() and "." in m.split("]")[0])
    number = old.split("]")[0]
    edited = number[:-1] + str((int(number[-1]) + 1) % 10)
    (proj / "report.md").write_text(text.replace(f"[{number}]", f"[{edited}]", 1),
                                    encoding="utf-8")
    bad = run(hook, cwd=proj, env=pre_commit_env, timeout=300)
    assert bad.returncode == 1
    assert "Failed" in bad.stdout
    assert f"[{edited}]" in bad.stdout and f"[{number}]" in bad.stdout
    assert "differs from a fresh render" in bad.stdout
