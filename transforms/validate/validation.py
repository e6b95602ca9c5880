"""Validation of a batch: articles and their records against the GX suites in `expectations/`.

The rules live in the suite files (one per table: articles, metrics, consistency); this
module only derives the columns those rules need and maps GX's failing row indices back to
polars rows by position. Frames in, frames out: GX is touched only at the boundary, on a
pandas copy of exactly the frame it checks.

Columns derived here, each because GX has no expectation that could read it directly:
- from the catalog (so ranges and units stay in metrics.yaml): catalog_metric, range_min,
  range_max; suite parameters carry the catalog's ids, units and breakdowns;
- from the articles: article_date (joined by content_sha256), period_start;
- across columns: value_text_in_evidence, rank_field;
- across records: the consistency table (part-whole groups, rate-vs-count pairs).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

import polars as pl

from transforms.catalog import UNITS, Catalog, load_catalog
from transforms.extract.places import provinces
from transforms.extract.periods import CALENDARS, HALF_RE, YEAR_RE, HalfYear
from transforms.validate.gx_pandas import use_fast_pair_in_set
from transforms.validate.rules import OUTCOME_SCHEMA, SUITE_NAMES, Rule, outcome, rule_from_entry

if TYPE_CHECKING:
    import great_expectations as gx


# Indices that rank the provinces and the ministries (domain.md); the international ones
# (GII, business environment, economic freedom) rank countries, whose field varies by year.
DOMESTIC_RANKS = frozenset({
    "par_index_rank", "sipas_rank", "papi_rank", "pci_rank",
    "public_service_index_rank", "public_service_index_component_rank",
})
# A sentence naming a narrower field ("xếp thứ 3/13 tỉnh vùng Đồng bằng sông Cửu Long") states
# its own field size; that rank is checked against its total only.
_REGIONAL_FIELD = r"(?i)khu vực|vùng|miền|đồng bằng|tây nguyên|duyên hải|trung du"
# A percentage is paired with the x/y count just before it only within this distance
# ("81/96 dịch vụ công trực tuyến, đạt 84,4%"); farther apart they rarely belong together.
RATE_MAX_GAP_CHARS = 100

_VIETNAMESE_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_UNREADABLE = r"[\x{FFFD}\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"

class SuiteError(ValueError):
    """A suite file cannot be used; the message names the file and, where known, the rule."""


@dataclass(frozen=True)
class Suites:
    """The loaded suites, ready to run: build once, reuse for every batch."""
    folder: Path
    rules: dict[str, Rule]             # rule id -> rule, in suite and file order
    definitions: dict[str, gx.ValidationDefinition]  # suite name -> its run on its table
    parameters: dict                   # $PARAMETER values, from the catalog and province list
    catalog: Catalog

    def describe(self, rule_id: str, lang: str = "vi") -> str:
        rule = self.rules.get(rule_id)
        return rule.description(lang) if rule else rule_id


@dataclass(frozen=True)
class ValidationResult:
    records: pl.DataFrame                   # input records + quarantined, failed_rules; same order
    article_failures: dict[str, list[str]]  # content_sha256 -> rule ids the article failed
    outcomes: pl.DataFrame                  # OUTCOME_SCHEMA: one row per rule run


# -- loading ----------------------------------------------------------------------------

def load_suites(expectations_dir: Path) -> Suites:
    folder = Path(expectations_dir)
    if not folder.is_dir():
        raise SuiteError(f"expectations folder {folder} does not exist")
    catalog = load_catalog()
    parameters = _parameters(catalog)
    # Imported here, not at the top: GX takes seconds and ~475 MB to import, and every
    # process that imports the flow module (each extraction worker) would pay for it.
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    use_fast_pair_in_set()
    context = gx.get_context(mode="ephemeral")
    # GX draws tqdm bars on stderr for every metric; a batch job's log has no use for them.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("cchc")
    rules: dict[str, Rule] = {}
    definitions = {}
    for name in SUITE_NAMES:
        path = folder / f"{name}.json"
        suite = _read_suite(path, name, parameters, rules)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        definitions[name] = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=context.suites.add(suite)))
    return Suites(folder=folder, rules=rules, definitions=definitions,
                  parameters=parameters, catalog=catalog)


def _read_suite(path: Path, name: str, parameters: dict, rules: dict[str, Rule]) -> gx.ExpectationSuite:
    """One suite file, checked entry by entry; adds its rules to `rules`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["expectations"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SuiteError(f"suite file {path} cannot be read: {type(e).__name__}: {e}") from None
    for n, entry in enumerate(entries, 1):
        meta = entry.get("meta") or {}
        rule_id = meta.get("id")
        where = f"suite file {path}, expectation #{n} ({rule_id or 'no id'})"
        missing = [k for k in ("id", "description_vi", "description_en") if not meta.get(k)]
        if missing:
            raise SuiteError(f"{where}: meta lacks {', '.join(missing)}")
        if rule_id in rules:
            raise SuiteError(f"{where}: rule id already used in suite {rules[rule_id].suite}")
        if unknown := sorted(_parameter_names(entry.get("kwargs")) - parameters.keys()):
            raise SuiteError(f"{where}: unknown $PARAMETER {', '.join(unknown)}; "
                             f"known: {', '.join(sorted(parameters))}")
        rules[rule_id] = rule_from_entry(entry, name)
    try:
        import great_expectations as gx
        suite = gx.ExpectationSuite(name=name, expectations=entries, meta=data.get("meta") or {})
    except Exception as e:  # GX raises many kinds for a malformed entry
        raise SuiteError(f"suite file {path} is not a valid suite: {e}") from None
    # GX 1.x logs and drops an expectation whose type it does not know; a silently missing
    # rule is worse than a failed run, so count what arrived.
    if len(suite.expectations) != len(entries):
        loaded = {e.meta.get("id") for e in suite.expectations}
        dropped = [f"{e['meta']['id']} ({e.get('type')!r})" for e in entries if e["meta"]["id"] not in loaded]
        raise SuiteError(f"suite file {path}: {len(entries)} expectations in the file, "
                         f"{len(suite.expectations)} loaded; GX did not accept rule "
                         f"{', '.join(dropped)} (unknown expectation type?)")
    return suite


def _parameter_names(value) -> set[str]:
    if isinstance(value, dict):
        if "$PARAMETER" in value:
            return {value["$PARAMETER"]}
        return set().union(*(_parameter_names(v) for v in value.values()))
    return set()


def _parameters(catalog: Catalog) -> dict:
    """Suite parameters: the vocabularies a rule compares with, from their one source."""
    metrics = catalog.metrics.values()
    return {
        "metric_ids": sorted(catalog.metrics),
        "units": list(UNITS),
        # a count may also move by a percent ("1.200 hồ sơ (tăng 35%)": kind change)
        "metric_units": [[m.id, u] for m in metrics for u in {*m.units, *(["percent"] if "count" in m.units else [])}],
        "metric_breakdowns": [[m.id, b] for m in metrics for b in m.breakdowns],
        "geographies": ["VN", *provinces()],  # the pre-2025 names
        # groups made non-capturing: pandas warns on every run about capturing ones
        "period_pattern": re.sub(r"\((?!\?)", "(?:", f"{YEAR_RE.pattern}|{HALF_RE.pattern}"),
    }


# -- validating -------------------------------------------------------------------------

def validate(articles: pl.DataFrame, records: pl.DataFrame, suites: Suites) -> ValidationResult:
    outcomes: list[dict] = []

    article_fails = _run(suites, "articles", _article_table(articles), outcomes)
    article_failures: dict[str, list[str]] = {}
    for position, rule_ids in article_fails.items():
        sha = articles["content_sha256"][position]
        article_failures[sha] = _unique(article_failures.get(sha, []) + rule_ids)

    record_fails = _run(suites, "metrics", _record_table(records, articles, suites), outcomes)
    checks = _consistency_checks(records)
    for position, rule_ids in _run(suites, "consistency", checks.drop("rows"), outcomes).items():
        for row in checks["rows"][position]:
            record_fails[row] = record_fails.get(row, []) + rule_ids

    order = {rule_id: n for n, rule_id in enumerate(suites.rules)}  # GX runs rules in its own order
    outcomes.sort(key=lambda o: order[o["rule_id"]])
    failed_rules = [
        sorted(_unique(article_failures.get(sha, []) + record_fails.get(n, [])), key=order.__getitem__)
        for n, sha in enumerate(records["content_sha256"])
    ]
    marked = records.with_columns(
        pl.Series("quarantined", [bool(f) for f in failed_rules], dtype=pl.Boolean),
        pl.Series("failed_rules", failed_rules, dtype=pl.List(pl.String)),
    )
    return ValidationResult(marked, article_failures, pl.DataFrame(outcomes, schema=OUTCOME_SCHEMA))


def _run(suites: Suites, name: str, table: pl.DataFrame, outcomes: list[dict]) -> dict[int, list[str]]:
    """Run one suite on `table`; append its outcomes; return row position -> failed rule ids."""
    rules = [r for r in suites.rules.values() if r.suite == name]
    if table.height == 0:  # nothing to check: skip GX's fixed cost of a run (often the consistency table)
        outcomes.extend(outcome(r, 0, 0) for r in rules)
        return {}
    # GX's own Validator, not ValidationDefinition.run: run() also re-reads the definition
    # from the context's store (its failed pydantic parses leave reference cycles whose
    # frames hold this batch) and keeps every result in the ephemeral context for the
    # whole process, so the flow process grew with each batch validated.
    from great_expectations.validator.v1_validator import Validator

    definition = suites.definitions[name]
    result = Validator(batch_definition=definition.batch_definition,
                       batch_parameters={"dataframe": table.to_pandas()},
                       result_format="COMPLETE").validate_expectation_suite(definition.suite, suites.parameters)
    fails: dict[int, list[str]] = {}
    for r in result.results:
        rule = suites.rules[r.expectation_config.meta["id"]]
        res = r.result
        if errors := _exception_messages(r.exception_info) or ([] if res else ["no result"]):
            # A rule that could not run (a missing column, a bad kwarg) must stop the batch,
            # not pass its rows unchecked.
            raise SuiteError(f"rule {rule.id} in suite file {suites.folder / (name + '.json')} "
                             f"could not run: {'; '.join(errors)}")
        outcomes.append(outcome(rule, res["element_count"] - res.get("missing_count", 0),
                                 res["unexpected_count"]))
        for position in res.get("unexpected_index_list") or []:
            fails.setdefault(position, []).append(rule.id)
    return fails


def _exception_messages(info: dict) -> list[str]:
    """GX reports an error flat, or nested per metric that failed to compute."""
    if info.get("raised_exception"):
        return [str(info.get("exception_message"))]
    return [m for v in info.values() if isinstance(v, dict) for m in _exception_messages(v)]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -- derived tables ---------------------------------------------------------------------

def _article_table(articles: pl.DataFrame) -> pl.DataFrame:
    text = pl.col("text").str.normalize("NFC")
    letters = text.str.count_matches(r"\p{L}")
    return articles.select(
        "content_sha256", "text",
        # null for an empty text: its share means nothing and articles.not_empty says why
        unreadable_share=pl.when(text.str.len_chars() > 0)
            .then(text.str.count_matches(_UNREADABLE) / text.str.len_chars()),
        vietnamese_share=pl.when(letters > 0)
            .then(text.str.to_lowercase().str.count_matches(f"[{_VIETNAMESE_LETTERS}]") / letters),
    )


def _record_table(records: pl.DataFrame, articles: pl.DataFrame, suites: Suites) -> pl.DataFrame:
    """The records with the columns the metrics suite compares them with (same rows, same order)."""
    catalog = suites.catalog
    ranges = pl.DataFrame(
        [(m.id, u, *m.range_for(u)) for m in catalog.metrics.values() for u in m.units],
        schema={"metric_id": pl.String, "unit": pl.String, "range_min": pl.Float64, "range_max": pl.Float64},
        orient="row")
    dates = articles.select("content_sha256", "article_date").unique("content_sha256", keep="first")
    periods = records["period"].drop_nulls().unique()
    starts = pl.DataFrame({"period": periods, "period_start": [_period_start(p) for p in periods]},
                          schema={"period": pl.String, "period_start": pl.Date})
    return (
        records
        .join(ranges, on=["metric_id", "unit"], how="left", maintain_order="left")
        .join(dates, on="content_sha256", how="left", maintain_order="left")
        .join(starts, on="period", how="left", maintain_order="left")
        .with_columns(
            # Pairs are checked for catalog metrics only: an unknown metric fails metric_known alone.
            catalog_metric=pl.when(pl.col("metric_id").is_in(list(catalog.metrics))).then("metric_id"),
            rank_field=pl.when((pl.col("unit") == "rank") & pl.col("metric_id").is_in(list(DOMESTIC_RANKS))
                               & ~pl.col("evidence").fill_null("").str.contains(_REGIONAL_FIELD))
                .then(pl.when(pl.col("geography") == "VN").then(pl.lit("ministry")).otherwise(pl.lit("province"))),
            value_text_in_evidence=pl.col("evidence").str.contains(pl.col("value_text"), literal=True),
        )
    )


def _period_start(period: str) -> date | None:
    """The earliest day any reporting calendar lets `period` begin; None if malformed."""
    if HALF_RE.match(period):
        half = HalfYear.parse(period)
    elif YEAR_RE.match(period):
        half = HalfYear(int(period), 1)
    else:
        return None
    return min(half.window(calendar)[0] for calendar in CALENDARS)


def _consistency_checks(records: pl.DataFrame) -> pl.DataFrame:
    """One row per consistency check, with `rows`: the positions of the records involved."""
    recs = records.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    checks = pl.concat([_part_whole(recs), _rate_pairs(recs)], how="diagonal_relaxed")
    return checks.select(
        pl.col("rows").cast(pl.List(pl.Int64)),
        *(pl.col(c).cast(pl.Float64) if c in checks.columns else pl.lit(None, pl.Float64).alias(c)
          for c in ("parts_gap", "part_excess", "rate_excess_pp")),
    )


def _part_whole(recs: pl.DataFrame) -> pl.DataFrame:
    """Counts of one metric in one sentence: a total (breakdown `tong` or none) and its parts.

    Two or more parts are an enumeration and must add up ("2.870 văn bản (các bộ: 305; địa
    phương: 2.565)"); a single part is a "trong đó" and must not exceed the total. A group
    with an approximate figure ("hơn", "khoảng") is not checked.
    """
    is_total = pl.col("breakdown").is_null() | (pl.col("breakdown") == "tong")
    groups = (
        recs.filter((pl.col("unit") == "count") & pl.col("sentence_start").is_not_null())
        .group_by("content_sha256", "metric_id", "kind", "geography", "period", "sentence_start")
        .agg(
            rows=pl.col("row"),
            n_totals=is_total.sum(),
            n_parts=(~is_total).sum(),
            total=pl.col("value").filter(is_total).first(),
            parts_sum=pl.col("value").filter(~is_total).sum(),
            exact=(pl.col("qualifier") == "exact").all(),
        )
        .filter((pl.col("n_totals") == 1) & (pl.col("n_parts") >= 1) & pl.col("exact"))
    )
    difference = (pl.col("parts_sum") - pl.col("total")).round(6)
    return groups.select(
        "rows",
        parts_gap=pl.when(pl.col("n_parts") >= 2).then(difference.abs()),
        part_excess=pl.when(pl.col("n_parts") == 1).then(difference),
    )


def _rate_pairs(recs: pl.DataFrame) -> pl.DataFrame:
    """A percentage that is the next figure after an x/y count in one clause ("221/225
    nhiệm vụ, đạt 98,22%"), both about the same kind, place and period. A percentage after
    a ';' is another clause's figure ("221/225 thủ tục (98,22%); 100% … mức độ 2").

    The stated percentage may differ from 100·x/y by its own rounding (half a unit of its
    last written decimal); `rate_excess_pp` is what remains beyond that. An approximate
    count ("hơn 850 trong số hơn 1.100 … (chiếm 77,5%)") is not checked, as in `_part_whole`.
    """
    sentence = ["content_sha256", "sentence_start"]
    key = [*sentence, "kind", "geography", "period"]
    previous = (recs.sort([*sentence, "char_start"])
                .select("row", previous_row=pl.col("row").shift(1).over(sentence)))
    counts = recs.filter((pl.col("unit") == "count") & (pl.col("total") > 0) & (pl.col("qualifier") == "exact")).select(
        *key, previous_row="row", count_end="char_end", rate=100 * pl.col("value") / pl.col("total"))
    percents = (recs.filter(pl.col("unit") == "percent")
                .join(previous, on="row", how="left")
                .select(*key, "previous_row", "evidence", percent_row="row", percent_start="char_start", stated="value",
                        decimals=pl.col("value_text").str.extract(r"[,.](\d+)\s*%?\s*$")
                        .str.len_chars().fill_null(0)))
    gap = pl.col("percent_start") - pl.col("count_end")
    return (
        percents.join(counts, on=[*key, "previous_row"], how="inner", nulls_equal=True)
        .filter(gap.is_between(0, RATE_MAX_GAP_CHARS))
        # a filter of its own: polars evaluates both sides of an `&`, and a negative gap
        # (overlapping figures) is no slice length
        .filter(~pl.col("evidence").str.slice(pl.col("count_end") - pl.col("sentence_start"), gap).str.contains(";"))
        .select(
            rows=pl.concat_list("previous_row", "percent_row"),
            rate_excess_pp=((pl.col("stated") - pl.col("rate")).abs()
                            - 0.5 * pl.lit(10.0).pow(-pl.col("decimals").cast(pl.Float64))).clip(lower_bound=0),
        )
    )
