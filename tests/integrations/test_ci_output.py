"""What a pull-request author reads from ``releasegate ci`` (issue 14): a job summary that reads
top-down with headings in order, a gate table that does not repeat its numbers in the reason,
short hashes with the full one on hover, and annotations with errors first and GitHub's
per-step limit said out loud instead of findings silently dropped.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from integrations._integ_helpers import run
from markdown_it import MarkdownIt

from releasegate._ci_annotations import Annotation, cap, parse
from releasegate._ci_summary import embed


def _ci(tmp_path: Path, evidence: Path, *extra: str) -> tuple[int, list[str], str]:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(tmp_path / "out.txt"),
           "PATH": str(Path(sys.executable).parent)}
    proc = run([sys.executable, "-m", "releasegate", "ci", "--evidence", str(evidence),
                "--decision", str(tmp_path / "decision.json"), *extra], cwd=tmp_path, env=env)
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stdout.splitlines(), summary.read_text(encoding="utf-8")


def _headings(markdown: str) -> list[tuple[int, str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [(int(t.tag[1]), tokens[i + 1].content)
            for i, t in enumerate(tokens) if t.type == "heading_open"]


def _assert_headings_in_order(markdown: str) -> list[tuple[int, str]]:
    heads = _headings(markdown)
    assert heads and heads[0][0] == 2 and heads[0][1].startswith("releasegate"), heads
    assert [lvl for lvl, _ in heads].count(2) == 1, heads  # one ## releasegate heading
    for (prev, _), (lvl, text) in itertools.pairwise(heads):
        assert 2 < lvl <= prev + 1, f"heading {text!r} at level {lvl} after level {prev}"
    return heads


def _many_findings_report(root: Path, errors: int, warnings: int) -> Path:
    lines = ["# Results", ""]
    lines += [f"- see `missing/run{i}.json`" for i in range(errors)]  # missing-artifact: error
    lines += ["", *[f"The loss fell to {i}.{i + 1}{i + 2}7." for i in range(warnings)]]
    # ^ numbers nothing cites: unbacked, a warning each
    report = root / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


def test_summary_reads_top_down(examples: Path, tmp_path: Path) -> None:
    report = _many_findings_report(tmp_path, 2, 2)
    rc, _out, summary = _ci(tmp_path, examples / "failing", "--reports", str(report))
    assert rc == 1
    heads = _assert_headings_in_order(summary)
    assert heads[0] == (2, "releasegate: FAILED (check, audit)")
    titles = [t for _, t in heads]
    assert titles[1] == "Release gate decision: **FAIL**", titles
    assert titles.index("Evidence validation") < titles.index("Report audit")
    first_section = summary.split("\n### ", 1)[0]
    assert "verdict FAIL" in first_section  # the overall result under the one heading


def test_reason_column_does_not_repeat_observed_and_threshold(examples: Path,
                                                              tmp_path: Path) -> None:
    _rc, _out, summary = _ci(tmp_path, examples / "failing")
    doc = json.loads((tmp_path / "decision.json").read_text())
    leaves = {}

    def walk(gates: list[dict[str, object]], prefix: str) -> None:
        for g in gates:
            leaves[prefix + str(g["name"])] = g
            walk(g["children"], prefix + str(g["name"]) + ".")  # type: ignore[arg-type]

    walk(doc["gates"], "")
    rows = [r for r in summary.splitlines() if r.startswith("| ") and r.count(" | ") == 6]
    computed = 0
    for row in rows[1:]:
        name, _status, _stat, observed, threshold, _seeds, reason = [
            c.strip() for c in row.strip("|").split(" | ")]
        g = leaves[name]
        if g["observed"] is None:
            continue
        computed += 1
        assert observed == f"{g['observed']:.4g}" and threshold.endswith(f"{g['threshold']:g}")
        assert f"{g['observed']:.6g}" not in reason and " = " not in reason, row
        assert str(g["threshold"]) not in reason.replace(" 0.95", ""), row
        assert "seed(s)" not in reason, row
    assert computed >= 5  # the failing example computes every leaf gate


def test_hashes_are_short_with_the_full_one_on_hover(examples: Path, tmp_path: Path) -> None:
    _rc, _out, summary = _ci(tmp_path, examples / "failing")
    full = re.findall(r"[0-9a-f]{64}", summary)
    assert full, "the summary names the policy's and the evidence's sha256"
    for sha in full:
        assert f'<code title="{sha}">{sha[:12]}</code>' in summary
    assert not re.search(r"(?<![\"0-9a-f])[0-9a-f]{13,}(?![0-9a-f\"])", summary)


def _gate_errors(decision: Path) -> int:
    """Required leaf gates that did not pass: one error annotation each."""
    def leaves(gates: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [x for g in gates for x in (leaves(g["children"]) if g["children"] else [g])]

    doc = json.loads(decision.read_text())
    return sum(1 for g in leaves(doc["gates"])
               if g["status"] not in ("pass", "waived") and g["required"])


def test_annotations_errors_first_and_the_limit_said(examples: Path, tmp_path: Path) -> None:
    # 13 missing artifacts + the failing gates = more than 10 errors; 12 unbacked numbers.
    report = _many_findings_report(tmp_path, 13, 12)
    rc, out, summary = _ci(tmp_path, examples / "failing", "--reports", str(report))
    assert rc == 1
    errors = _gate_errors(tmp_path / "decision.json") + 13
    assert errors > 10
    ann = [a for a in map(parse, out) if a is not None]
    levels = [a.level for a in ann]
    assert levels == ["error"] * 10 + ["warning"] * 10, levels
    assert ann[9].message.endswith(f"({errors - 10} more errors in the job summary)"), ann[9]
    assert ann[19].message.endswith("(2 more warnings in the job summary)"), ann[19].message
    assert not any("job summary" in a.message for a in ann[:9] + ann[10:19])
    section = summary.split("### Annotations not shown on the pull request", 1)[1]
    hidden = [r for r in section.splitlines() if r.startswith(("| error", "| warning"))]
    assert len(hidden) == errors - 10 + 2
    # In report order: the gate errors, then run0..run12, then the 12 numbers. What is not
    # printed is the tail of each level, and that tail is in the summary.
    runs = [int(re.search(r"missing/run(\d+)", r)[1]) for r in hidden  # type: ignore[index]
            if r.startswith("| error")]
    assert runs == list(range(13 - (errors - 10), 13)), runs
    assert "10.11127" in hidden[-2] and "11.12137" in hidden[-1], hidden
    _assert_headings_in_order(summary)


def test_few_findings_are_all_shown_without_a_note(examples: Path, tmp_path: Path) -> None:
    report = _many_findings_report(tmp_path, 3, 2)
    _rc, out, summary = _ci(tmp_path, examples / "failing", "--reports", str(report))
    ann = [a for a in map(parse, out) if a is not None]
    errors = _gate_errors(tmp_path / "decision.json") + 3
    assert errors <= 10
    assert [a.level for a in ann] == ["error"] * errors + ["warning"] * 2
    assert not any("job summary" in a.message for a in ann)
    assert "not shown on the pull request" not in summary


def test_cap_keeps_every_annotation_somewhere() -> None:
    anns = [Annotation(lvl, f"m{i}") for i, lvl in enumerate(
        ["warning"] * 12 + ["notice"] * 3 + ["error"] * 25 + ["debug"])]
    shown, left = cap(anns)
    assert len(shown) + len(left) == len(anns)
    assert [a.level for a in shown] == (["error"] * 10 + ["warning"] * 10 + ["notice"] * 3
                                        + ["debug"])
    assert shown[9].message == "m24 (15 more errors in the job summary)"
    assert [a.message for a in left] == [f"m{i}" for i in range(25, 40)] + ["m10", "m11"]


_text = st.text(st.characters(codec="utf-8"), max_size=40)  # no lone surrogates


@settings(max_examples=60, deadline=None)
@given(level=st.sampled_from(["error", "warning", "notice"]), message=_text,
       file=st.none() | _text.filter(bool), line=st.none() | st.integers(1, 10**6),
       title=st.none() | _text.filter(bool))
def test_workflow_command_round_trip(level: str, message: str, file: str | None,
                                     line: int | None, title: str | None) -> None:
    a = Annotation(level, message, file, line, title=title)
    cmd = a.command()
    assert "\n" not in cmd and "\r" not in cmd  # a raw newline would end the command
    assert parse(cmd) == a


def test_embedded_markdown_is_shifted_under_its_section() -> None:
    md = ("# releasegate audit\n\n**summary**\n\n```\n# not a heading\n```\n\n"
          "## `docs/a.md`\n\ntext\n\nSetext\n------\n")
    out = embed(md, "Report audit", level=3)
    assert _headings(out) == [(3, "Report audit"), (4, "`docs/a.md`"), (4, "Setext")]
    assert "# not a heading" in out
    assert "releasegate audit" not in out
    whole = "## releasegate: OK\n\n" + out
    _assert_headings_in_order(whole)



def test_check_markdown_is_the_summary_table(examples: Path, tmp_path: Path) -> None:
    # One renderer: `check --format markdown` (pasted into a PR) and the job summary agree.
    _rc, _out, summary = _ci(tmp_path, examples / "failing")
    md = run([sys.executable, "-m", "releasegate", "check", "--evidence",
              str(examples / "failing"), "--format", "markdown"], cwd=tmp_path)
    assert md.returncode == 1
    heads = _headings(md.stdout)
    assert heads == [(2, "Release gate decision: **FAIL**")], heads

    def rows(text: str) -> list[str]:
        return [r for r in text.splitlines() if r.startswith("| ") and r.count(" | ") == 6]

    assert rows(md.stdout) and rows(md.stdout) == rows(summary)
    assert not re.search(r"(?<![\"0-9a-f])[0-9a-f]{13,}(?![0-9a-f\"])", md.stdout)


def test_a_summary_over_githubs_limit_is_cut_with_a_note() -> None:
    from releasegate._ci_summary import SUMMARY_LIMIT, fit

    small = "## releasegate: OK\n\n- fine\n"
    assert fit(small) == (small, False)
    rows = [f"| error | `r.md:{i}` | audit | 'é{i}': missing |" for i in range(40_000)]
    big = "## releasegate: FAILED (audit)\n\n" + "\n".join(rows) + "\n"
    assert len(big.encode()) > SUMMARY_LIMIT
    cut, was_cut = fit(big)
    assert was_cut and len(cut.encode()) <= SUMMARY_LIMIT
    kept = cut.split("\n\n**The summary was cut here")[0]
    assert big.startswith(kept) and kept.endswith("|")  # cut between lines, never inside one
    more = int(re.search(r"\((\d+) more lines\)", cut)[1])  # type: ignore[index]
    assert more == big[len(kept):].count("\n") and more > 0
