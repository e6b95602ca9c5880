"""Validation through its public API, over the planted test inbox of tests/planted_inbox.py."""
import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from tests.planted_inbox import EMPTY, ENGLISH, NATIONAL, TASKS, Inbox, planted_inbox
from transforms.extract.article import extract_article
from transforms.schema import articles_frame, records_frame
from transforms.validate.rules import DEFAULT_EXPECTATIONS, describe, outcomes_of, read_rules
from transforms.validate.validation import SuiteError, load_suites, validate


@pytest.fixture(scope="module")
def suites():
    return load_suites(DEFAULT_EXPECTATIONS)


def test_planted_facts_are_quarantined_with_their_rules_and_good_facts_pass(suites):
    box = planted_inbox()
    articles, records = box.frames()
    result = validate(articles, records, suites)

    assert result.records["failed_rules"].to_list() == box.expected
    assert result.records["quarantined"].to_list() == [bool(e) for e in box.expected]
    assert result.records.drop("quarantined", "failed_rules").equals(records)
    assert result.article_failures == {EMPTY: ["articles.not_empty"], ENGLISH: ["articles.mostly_vietnamese"]}


def test_outcomes_count_checks_and_failures_per_rule(suites):
    articles, records = planted_inbox().frames()
    outcomes = validate(articles, records, suites).outcomes

    assert outcomes.columns == ["suite", "rule_id", "rule_type", "description_vi", "description_en",
                                "checked", "failed"]
    assert outcomes["rule_id"].to_list() == list(suites.rules)
    by_rule = {r["rule_id"]: (r["checked"], r["failed"]) for r in outcomes.iter_rows(named=True)}
    assert by_rule["articles.not_empty"] == (4, 1)
    assert by_rule["metrics.unique"] == (records.height, 2)
    # targets are not compared with the article's date
    assert by_rule["metrics.period_not_after_article"] == (records.height - 1, 1)
    assert by_rule["consistency.parts_sum_to_total"] == (2, 1)  # the 2.870 and the 150 groups
    assert by_rule["consistency.rate_matches_count"] == (2, 1)
    assert outcomes.filter(pl.col("failed") > 0)["rule_id"].to_list() == [
        "articles.not_empty", "articles.mostly_vietnamese", "metrics.metric_known", "metrics.unit_allowed",
        "metrics.value_not_above_range", "metrics.value_within_total", "metrics.rank_within_field",
        "metrics.rank_field_size", "metrics.period_not_after_article", "metrics.unique",
        "consistency.parts_sum_to_total", "consistency.rate_matches_count",
    ]


GOOD = {"content_sha256": NATIONAL, "file": "001_national.txt", "metric_id": "tasks_completed",
        "kind": "actual", "value": 400.0, "total": 991.0, "unit": "count", "qualifier": "exact",
        "breakdown": "bo_nganh", "geography": "VN", "period": "2024-H1", "evidence": TASKS,
        "value_text": "400/991", "char_start": 28, "char_end": 35, "sentence_start": 0}


@pytest.mark.parametrize("change, rules", [
    ({}, []),
    ({"geography": "Atlantis"}, ["metrics.geography_known"]),
    ({"geography": "Hậu Giang"}, []),
    ({"period": "2024-Q1"}, ["metrics.period_format"]),
    ({"period": "2024"}, []),
    ({"period": None}, ["metrics.period_present"]),
    ({"kind": "forecast"}, ["metrics.kind_known"]),
    ({"qualifier": "roughly"}, ["metrics.qualifier_known"]),
    ({"unit": "usd"}, ["metrics.unit_known", "metrics.unit_allowed"]),
    ({"breakdown": "cap_xa"}, ["metrics.breakdown_allowed"]),
    ({"value": -5.0, "total": None}, ["metrics.value_not_below_range"]),
    ({"value": None}, ["metrics.value_present"]),
    ({"value_text": "401/991"}, ["metrics.evidence_has_figure"]),
    ({"evidence": None}, ["metrics.evidence_present"]),
    ({"metric_id": None}, ["metrics.metric_id_present"]),
    ({"unit": "rank", "metric_id": "par_index_rank", "breakdown": None, "value": 5.0, "total": 17.0}, []),
    ({"unit": "rank", "metric_id": "par_index_rank", "breakdown": None, "value": 5.0, "total": 63.0},
     ["metrics.rank_field_size"]),  # a ministry (geography VN) is not ranked among provinces
    ({"period": "2025", "kind": "target"}, []),
    ({"period": "2025"}, ["metrics.period_not_after_article"]),
])
def test_each_record_rule_fails_on_its_own_defect(suites, change, rules):
    articles = articles_frame([{"content_sha256": NATIONAL, "file": "001_national.txt",
                                "article_date": date(2024, 7, 10), "text": TASKS}])
    result = validate(articles, records_frame([GOOD | change]), suites)
    assert result.records["failed_rules"].to_list() == [rules]



def test_pair_rules_flag_exactly_the_rows_outside_their_sets_in_a_mixed_batch(suites):
    """The pair rules run on our own provider (transforms/validate/gx_pandas.py): rows
    skipped for a missing value shift the positions it must map back."""
    changes = [{}, {"breakdown": None}, {"breakdown": "cap_xa"}, {"metric_id": "unknown_metric"},
               {"unit": "percent", "value": 40.0, "total": None}, {"breakdown": None, "unit": "rank"},
               {"breakdown": None}, {"breakdown": "cap_xa"}]
    articles = articles_frame([{"content_sha256": NATIONAL, "file": "001_national.txt",
                                "article_date": date(2024, 7, 10), "text": TASKS}])
    records = records_frame([GOOD | change | {"char_start": 28 + n} for n, change in enumerate(changes)])
    failed = validate(articles, records, suites).records["failed_rules"].to_list()
    pair_rules = {"metrics.unit_allowed", "metrics.breakdown_allowed"}
    assert [sorted(pair_rules & set(f)) for f in failed] == [
        [], [], ["metrics.breakdown_allowed"], [], [], ["metrics.unit_allowed"], [], ["metrics.breakdown_allowed"]]

@pytest.mark.parametrize("text, rules", [
    ("Tỉnh đã hoàn thành 400/991 nhiệm vụ cải cách hành chính trong sáu tháng đầu năm.", []),
    ("   \n", ["articles.not_empty"]),
    (None, ["articles.text_present"]),
    ("Tỉnh đã hoàn thành nhiệm vụ \ufffd\ufffd\ufffd\ufffd cải cách hành chính.", ["articles.readable"]),
    ("Report: the province completed 400/991 tasks. Tỉnh.", ["articles.mostly_vietnamese"]),
])
def test_each_article_rule_fails_on_its_own_defect(suites, text, rules):
    articles = articles_frame([{"content_sha256": NATIONAL, "file": "x.txt", "text": text}])
    result = validate(articles, records_frame([GOOD]), suites)
    assert result.article_failures == ({NATIONAL: rules} if rules else {})
    assert result.records["failed_rules"].to_list() == [rules]  # an article's failure quarantines its records


def test_the_same_content_twice_fails_unique_content(suites):
    row = {"content_sha256": NATIONAL, "file": "x.txt", "text": TASKS}
    result = validate(articles_frame([row, row | {"file": "y.txt"}]), records_frame([]), suites)
    assert result.article_failures == {NATIONAL: ["articles.unique_content"]}


def test_parts_and_rates_allow_rounding_and_skip_approximate_totals(suites):
    box = Inbox()
    sentences = ["Hoàn thành 221/225 nhiệm vụ, đạt 98,2%.",
                 "Có khoảng 3.000 văn bản (các bộ: 305; địa phương: 2.565) được ban hành.",
                 "Có 2.870 văn bản được ban hành, trong đó các địa phương 2.900 văn bản."]
    box.article(NATIONAL, "x.txt", date(2024, 7, 10), sentences)
    box.fact(NATIONAL, sentences[0], "221/225", metric_id="online_public_services", value=221, total=225,
             unit="count")
    box.fact(NATIONAL, sentences[0], "98,2%", metric_id="online_public_services_rate", value=98.2,
             unit="percent")
    box.fact(NATIONAL, sentences[1], "3.000", metric_id="directive_documents_issued", value=3000,
             unit="count", breakdown="tong", qualifier="about")
    box.fact(NATIONAL, sentences[1], "305", metric_id="directive_documents_issued", value=305, unit="count",
             breakdown="bo_nganh")
    box.fact(NATIONAL, sentences[1], "2.565", metric_id="directive_documents_issued", value=2565, unit="count",
             breakdown="dia_phuong")
    box.fact(NATIONAL, sentences[2], "2.870", metric_id="directive_documents_issued", value=2870, unit="count",
             expect=("consistency.part_within_total",))
    box.fact(NATIONAL, sentences[2], "2.900", metric_id="directive_documents_issued", value=2900, unit="count",
             breakdown="dia_phuong", expect=("consistency.part_within_total",))
    result = validate(*box.frames(), suites)
    assert result.records["failed_rules"].to_list() == box.expected


def test_empty_batch_gives_outcomes_with_nothing_checked(suites):
    result = validate(articles_frame([]), records_frame([]), suites)
    assert result.records.columns[-2:] == ["quarantined", "failed_rules"]
    assert result.records.height == 0 and result.article_failures == {}
    assert result.outcomes.height == len(suites.rules)
    assert result.outcomes["checked"].sum() == 0


def test_real_suites_load_every_expectation_in_their_files(suites):
    in_files = sum(len(json.loads((DEFAULT_EXPECTATIONS / f"{name}.json").read_text())["expectations"])
                   for name in ("articles", "metrics", "consistency"))
    assert len(suites.rules) == in_files == 33
    assert {r.suite for r in suites.rules.values()} == {"articles", "metrics", "consistency"}
    assert all(rule_id.startswith(r.suite + ".") for rule_id, r in suites.rules.items())


def copy_suites(tmp_path: Path) -> Path:
    folder = tmp_path / "expectations"
    shutil.copytree(DEFAULT_EXPECTATIONS, folder)
    return folder


def test_misspelled_expectation_type_names_file_and_rule(tmp_path):
    folder = copy_suites(tmp_path)
    path = folder / "metrics.json"
    suite = json.loads(path.read_text())
    entry = next(e for e in suite["expectations"] if e["meta"]["id"] == "metrics.geography_known")
    entry["type"] = "expect_column_values_to_be_in_sett"
    path.write_text(json.dumps(suite))
    with pytest.raises(SuiteError, match=r"metrics\.json.*metrics\.geography_known"):
        load_suites(folder)


@pytest.mark.parametrize("damage, message", [
    (lambda folder: (folder / "articles.json").write_text("{not json"), r"articles\.json cannot be read"),
    (lambda folder: (folder / "consistency.json").unlink(), r"consistency\.json cannot be read"),
    (lambda folder: shutil.rmtree(folder), r"does not exist"),
])
def test_unusable_suite_folder_raises(tmp_path, damage, message):
    folder = copy_suites(tmp_path)
    damage(folder)
    with pytest.raises(SuiteError, match=message):
        load_suites(folder)


def test_rule_without_descriptions_or_with_unknown_parameter_is_refused(tmp_path):
    folder = copy_suites(tmp_path)
    path = folder / "articles.json"
    suite = json.loads(path.read_text())
    del suite["expectations"][0]["meta"]["description_en"]
    path.write_text(json.dumps(suite))
    with pytest.raises(SuiteError, match=r"articles\.text_present.*description_en"):
        load_suites(folder)

    folder = copy_suites(tmp_path / "again")
    path = folder / "metrics.json"
    suite = json.loads(path.read_text())
    suite["expectations"][-1]["kwargs"]["column_list"] = {"$PARAMETER": "nope"}
    path.write_text(json.dumps(suite))
    with pytest.raises(SuiteError, match=r"metrics\.unique.*nope"):
        load_suites(folder)


def test_a_rule_that_cannot_run_stops_the_batch(tmp_path):
    folder = copy_suites(tmp_path)
    path = folder / "articles.json"
    suite = json.loads(path.read_text())
    suite["expectations"][0]["kwargs"]["column"] = "no_such_column"
    path.write_text(json.dumps(suite))
    articles = articles_frame([{"content_sha256": NATIONAL, "file": "x.txt", "text": TASKS}])
    with pytest.raises(SuiteError, match=r"articles\.text_present.*could not run"):
        validate(articles, records_frame([]), load_suites(folder))


def test_describe_gives_both_languages_and_falls_back_to_the_id(suites):
    assert describe("metrics.unit_allowed", "vi") == "Đơn vị được danh mục cho phép với chỉ tiêu này"
    assert describe("metrics.unit_allowed", "en") == "The catalog allows this unit for the metric"
    assert describe("metrics.no_such_rule", "en") == "metrics.no_such_rule"
    assert suites.describe("articles.readable", "en").startswith("Replacement characters")


def test_no_progress_bars_are_printed(suites, capfd):
    validate(*planted_inbox().frames(), suites)
    out, err = capfd.readouterr()
    assert "Calculating Metrics" not in out + err and "%|" not in out + err


def test_a_batch_of_200_articles_and_5000_records_keeps_every_record(suites):
    # how long this takes is measured by `make bench` (docs/validation.md "Speed"), not here
    box = planted_inbox()
    articles, records = box.frames()
    big_articles = pl.concat([articles.with_columns(pl.col("content_sha256") + str(n)) for n in range(50)])
    big_records = pl.concat([records.with_columns(pl.col("content_sha256") + str(n), pl.col("file") + str(n))
                             for n in range(5000 // records.height + 1)]).head(5000)
    result = validate(big_articles, big_records, suites)
    assert result.records.height == 5000


PLANTED = Path(__file__).parents[2] / "fixtures" / "planted"


def test_planted_fixture_articles_and_their_expectations_agree(suites):
    """The article texts the end-to-end tests feed the extractor: every file has an entry
    naming rules that exist, and the whole-article failures show without any extraction."""
    expected = json.loads((PLANTED / "expected_quarantine.json").read_text(encoding="utf-8"))
    files = sorted(p.name for p in PLANTED.glob("*.txt"))
    assert sorted(expected) == files
    assert {r for entries in expected.values() for e in entries for r in e["rule_ids"]} <= set(suites.rules)

    texts = {name: (PLANTED / name).read_text(encoding="utf-8") for name in files}
    articles = articles_frame([{"content_sha256": name, "file": name, "text": text}
                               for name, text in texts.items()])
    result = validate(articles, records_frame([]), suites)
    whole_article = {name: e[0]["rule_ids"] for name, e in expected.items() if e and e[0]["metric_id"] is None}
    assert result.article_failures == whole_article
    for name, entries in expected.items():  # each planted figure is written in its article
        for e in entries:
            if e["value"] is not None:
                assert f"{e['value']:,}".replace(",", ".") in texts[name], (name, e)


def test_docs_list_every_rule(suites):
    docs = (Path(__file__).parents[3] / "docs" / "validation.md").read_text(encoding="utf-8")
    assert [rule_id for rule_id in suites.rules if f"| `{rule_id}` |" not in docs] == []


def test_outcomes_of_stored_data_count_records_and_rejected_articles(suites):
    rules = read_rules(suites.folder)
    records = pl.DataFrame({"failed_rules": [[], ["metrics.value_within_total"],
                                             ["metrics.value_within_total", "metrics.unique"]]},
                           schema={"failed_rules": pl.List(pl.String)})
    files = pl.DataFrame({"content_sha256": ["a", "a", "b", None],
                          "status": ["ingested", "duplicate", "rejected", "rejected"],
                          "failed_rules": [[], [], ["articles.mostly_vietnamese"], []]},
                         schema_overrides={"failed_rules": pl.List(pl.String)})
    outcomes = outcomes_of(records, files, rules)
    assert outcomes["rule_id"].to_list() == list(rules)
    by_rule = {r["rule_id"]: (r["checked"], r["failed"]) for r in outcomes.iter_rows(named=True)}
    assert by_rule["metrics.value_within_total"] == (3, 2)
    assert by_rule["metrics.unique"] == (3, 1)
    assert by_rule["metrics.metric_known"] == (3, 0)
    # one stored article and one rejected by an article rule; the unreadable file is not an article
    assert by_rule["articles.mostly_vietnamese"] == (2, 1)


def test_a_rate_in_the_next_clause_is_not_the_count_s_rate(suites):
    """real-text pattern 17: '221/225 thủ tục (đạt 98,22%); 100% … mức độ 2' — the 100% of
    the next clause must not quarantine the correct 221/225."""
    ex = extract_article("Năm 2017, Bộ Y tế đã hoàn thành việc đơn giản hóa 221/225 thủ tục hành chính (đạt 98,22%); "
                         "100% các thủ tục hành chính công đã được cung cấp trực tuyến ở mức độ 2.",
                         file="t.txt", content_sha256="0" * 64)
    result = validate(articles_frame([ex.article]), records_frame(ex.records), suites)
    assert result.records.height == 2 and not result.records["quarantined"].any()


def test_an_approximate_count_is_not_checked_against_its_rate(suites):
    """'hơn 850 trong số hơn 1.100 kiến nghị (chiếm 77,5%)': both figures are rounded down,
    so 77,3% computed is no contradiction of the 77,5% stated."""
    ex = extract_article("Năm 2016, Chính phủ đã xử lý hơn 850 trong số hơn 1.100 kiến nghị của doanh nghiệp (chiếm 77,5%).",
                         file="t.txt", content_sha256="0" * 64)
    result = validate(articles_frame([ex.article]), records_frame(ex.records), suites)
    assert [(r["value"], r["total"]) for r in result.records.iter_rows(named=True)] == [(850.0, 1100.0), (77.5, None)]
    assert not result.records["quarantined"].any()
