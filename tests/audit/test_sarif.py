"""SARIF 2.1.0 that code scanning accepts (issue 14): validated against the official OASIS
schema vendored in tests/audit/data (see SOURCE.txt there), URIs per RFC 3986."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import AuditOptions, audit_paths, render
from audit._sarif import sarif_uri
from tests.audit.conftest import Repo

SCHEMA = json.loads((Path(__file__).parent / "data/sarif-schema-2.1.0.json").read_text())

# RFC 3986 §4.2 relative-ref, path part only (no scheme, query or fragment): pchar and "/".
_UNRESERVED = re.escape(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = re.escape("!$&'()*+,;=")
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|%[0-9A-Fa-f]{{2}})"
RELATIVE_PATH = re.compile(rf"(?:{_PCHAR}|/)*")


def rfc3986_relative_path(uri: str) -> bool:
    # a first segment with ":" would read as a scheme, so a relative ref must not have one
    first = uri.split("/", 1)[0]
    return RELATIVE_PATH.fullmatch(uri) is not None and ":" not in first


def sarif(repo: Repo, *names: str) -> dict[str, Any]:
    r = audit_paths([repo.root / n for n in names], AuditOptions(repo=repo.root))
    doc: dict[str, Any] = json.loads(render(r, "sarif"))
    return doc


@pytest.fixture
def odd(repo: Repo) -> Repo:
    repo.decision({"transcoder": "fail"})
    repo.json("docs/e.json", {"ev": 0.7452})
    for name in ("my report, v2: 100%.md", "résumé #1.md", "a[b]?c.md"):
        repo.text(f"docs/{name}", "## R\n\n- `docs/e.json`: EV 0.7462\n- transcoder gate: ✅\n")
    repo.text("docs/bin.md", "x")
    (repo.root / "docs/bin.md").write_bytes(b"\x00\x01")
    return repo


def test_sarif_validates_against_the_official_schema(odd: Repo) -> None:
    doc = sarif(odd, "docs")
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    run = doc["runs"][0]
    assert run["automationDetails"]["id"].startswith("releasegate/audit/")
    rules = run["tool"]["driver"]["rules"]
    assert all(r["help"]["text"] and r["helpUri"].startswith("https://") for r in rules)
    assert {r["ruleId"] for r in run["results"]} == {"mismatch", "contradicts-gate"}
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert re.fullmatch(r"[0-9a-f]{32}", res["partialFingerprints"]["releasegateClaim/v1"])
    # the binary report is a tool notification with a valid URI too
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == [
        "docs/bin.md"]


def test_uris_are_rfc3986_and_decode_to_the_file_name(odd: Repo) -> None:
    doc = sarif(odd, "docs")
    uris = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for res in doc["runs"][0]["results"]}
    assert uris == {"docs/my%20report%2C%20v2%3A%20100%25.md", "docs/r%C3%A9sum%C3%A9%20%231.md",
                    "docs/a%5Bb%5D%3Fc.md"}
    for u in uris:
        assert rfc3986_relative_path(u), u
        assert (odd.root / unquote(u)).is_file()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12).filter(lambda s: "/" not in s and "\x00" not in s
                                                         and s not in (".", "..")),
                min_size=1, max_size=3))
def test_any_file_name_gives_a_valid_uri_that_round_trips(parts: list[str]) -> None:
    path = "/".join(parts)
    uri = sarif_uri(path)
    assert rfc3986_relative_path(uri)
    assert unquote(uri) == path


def test_fingerprint_survives_a_line_move(odd: Repo) -> None:
    before = sarif(odd, "docs/résumé #1.md")["runs"][0]["results"]
    text = (odd.root / "docs/résumé #1.md").read_text()
    (odd.root / "docs/résumé #1.md").write_text("# Title\n\nIntro.\n\n" + text)
    after = sarif(odd, "docs/résumé #1.md")["runs"][0]["results"]

    def fps(rs: list[dict[str, Any]]) -> list[str]:
        return sorted(r["partialFingerprints"]["releasegateClaim/v1"] for r in rs)

    assert fps(before) == fps(after)
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after]
