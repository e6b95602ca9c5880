"""The validation rules as data: their ids, suites and descriptions, read from the suite
files without Great Expectations, and each rule's outcome over what the store holds.

Kept apart from `validation` so that reports, `cchc status` and `cchc export` do not pay
for importing GX (seconds) just to name a rule.
"""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from transforms.schema import FileStatus

DEFAULT_EXPECTATIONS = Path(__file__).resolve().parents[2] / "expectations"
SUITE_NAMES = ("articles", "metrics", "consistency")  # one suite and one table each, run in this order

OUTCOME_SCHEMA = pl.Schema({
    "suite": pl.String, "rule_id": pl.String, "rule_type": pl.String,
    "description_vi": pl.String, "description_en": pl.String,
    "checked": pl.Int64, "failed": pl.Int64,
})


@dataclass(frozen=True)
class Rule:
    id: str
    suite: str
    type: str
    description_vi: str
    description_en: str

    def description(self, lang: str = "vi") -> str:
        return self.description_en if lang == "en" else self.description_vi


def rule_from_entry(entry: dict, suite: str) -> Rule:
    meta = entry["meta"]
    return Rule(meta["id"], suite, entry.get("type", ""), meta["description_vi"], meta["description_en"])


@lru_cache(maxsize=4)
def read_rules(expectations_dir: Path = DEFAULT_EXPECTATIONS) -> dict[str, Rule]:
    """The rules of the suite files, in order, without building a GX context: what a
    report needs to name and describe them."""
    rules: dict[str, Rule] = {}
    for name in SUITE_NAMES:
        path = Path(expectations_dir) / f"{name}.json"
        for entry in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            rules[entry["meta"]["id"]] = rule_from_entry(entry, name)
    return rules


def describe(rule_id: str, lang: str = "vi") -> str:
    """The description of a rule of the project's suites; an unknown id (a rule since
    removed, say) is shown as itself."""
    rule = read_rules().get(rule_id)
    return rule.description(lang) if rule else rule_id


def outcomes_of(records: pl.DataFrame, files: pl.DataFrame, rules: dict[str, Rule]) -> pl.DataFrame:
    """Each rule's outcome over what is stored, in OUTCOME_SCHEMA.

    Record rules count the given records and those whose `failed_rules` name the rule;
    article rules count the stored and rejected article files (`files` with `status`
    and `failed_rules`). Read from the store rather than kept per run, a report's checks
    are the same however many runs (or crashes and re-runs) it took to ingest the data.
    """
    failed_records = _rule_counts(records["failed_rules"])
    rejected = files.filter((pl.col("status") == FileStatus.REJECTED) & (pl.col("failed_rules").list.len() > 0))
    failed_files = _rule_counts(rejected["failed_rules"])
    articles_checked = files.filter(pl.col("status") == FileStatus.INGESTED)["content_sha256"].n_unique() \
        + rejected.height
    return pl.DataFrame([
        outcome(rule, articles_checked, failed_files.get(rule.id, 0)) if rule.suite == "articles"
        else outcome(rule, records.height, failed_records.get(rule.id, 0))
        for rule in rules.values()
    ], schema=OUTCOME_SCHEMA)


def _rule_counts(failed_rules: pl.Series) -> dict[str, int]:
    exploded = failed_rules.explode().drop_nulls()
    return dict(exploded.value_counts().iter_rows()) if exploded.len() else {}


def outcome(rule: Rule, checked: int, failed: int) -> dict:
    return {"suite": rule.suite, "rule_id": rule.id, "rule_type": rule.type,
            "description_vi": rule.description_vi, "description_en": rule.description_en,
            "checked": checked, "failed": failed}
