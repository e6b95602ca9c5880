"""Validation end to end: an inbox with planted bad facts, through the `cchc` CLI.

tests/fixtures/planted/expected_quarantine.json says, per article, which figures must be
quarantined and by which rules (metric_id null: the whole article is rejected).
"""
import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PLANTED = Path(__file__).parents[1] / "fixtures" / "planted"


def test_planted_bad_facts_are_quarantined_with_their_rules_and_nothing_else(workspace):
    for f in PLANTED.glob("*.txt"):
        shutil.copy2(f, workspace.inbox / f.name)
    expected = json.loads((PLANTED / "expected_quarantine.json").read_text(encoding="utf-8"))

    run = workspace.cchc("run")
    assert run.returncode == 0, run.stderr  # quarantine is not failure
    assert "Traceback" not in run.stdout + run.stderr
    figures = {(f, e["metric_id"], e["value"], tuple(e["rule_ids"]))
               for f, entries in expected.items() for e in entries if e["metric_id"]}
    assert f"{len(figures)} bị cách ly" in run.stdout

    result = workspace.cchc("export", "--quarantined", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    got = {(r["file"], r["metric_id"], r["value"], tuple(r["failed_rules"]))
           for r in map(json.loads, result.stdout.splitlines())}
    assert got == figures

    valid = [json.loads(line) for line in workspace.cchc("export").stdout.splitlines()]
    assert valid and not {(r["file"], r["metric_id"], r["value"]) for r in valid} \
        & {g[:3] for g in got}

    # whole articles that fail are rejected with their reason, and listed by status
    status = workspace.cchc("status").stdout
    for name, entries in expected.items():
        for e in entries:
            if e["metric_id"] is None:
                assert f"từ chối  {name}:" in run.stdout and f"từ chối  {name}:" in status
    assert "từ chối  p07_trong.txt: tệp rỗng / empty file" in run.stdout  # the reason in Vietnamese / English
    assert "articles.mostly_vietnamese" in run.stdout
