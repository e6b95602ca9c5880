"""The validation page: built from a real validation result, read back as text."""
import re
from html.parser import HTMLParser
from unittest import mock

import polars as pl
import pytest

from cchc.report.validation_page import write_validation_page
from transforms.validate.rules import DEFAULT_EXPECTATIONS
from transforms.validate.validation import load_suites, validate

from tests.planted_inbox import planted_inbox


@pytest.fixture(scope="module")
def result():
    return validate(*planted_inbox().frames(), load_suites(DEFAULT_EXPECTATIONS))


def quarantined(result) -> pl.DataFrame:
    return result.records.filter("quarantined")


class _Collector(HTMLParser):
    """Visible text, and every attribute value that could load something from outside."""

    def __init__(self):
        super().__init__()
        self.text, self.sources = [], []

    def handle_data(self, data):
        self.text.append(data)

    def handle_starttag(self, tag, attrs):
        self.sources += [v for k, v in attrs if k in ("src", "href") and v]
        if tag in ("script", "link", "img", "iframe"):
            self.sources.append(tag)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_page_lists_every_rule_and_every_quarantined_record(tmp_path, result):
    path = write_validation_page(tmp_path / "validation.html", result.outcomes, quarantined(result),
                                 "Kiểm tra dữ liệu 2024-H1")
    html = path.read_text(encoding="utf-8")
    text = "".join(parse(html).text)
    for rule_id in result.outcomes["rule_id"]:
        assert rule_id in text
    assert "Tỷ lệ hồ sơ được giải quyết đúng hạn đạt 120%." in text
    assert "<mark>1.200/991</mark>" in html
    rows = re.findall(r"<tr>", html)
    assert len(rows) == 2 + result.outcomes.height + quarantined(result).height  # two header rows
    # the outcome of each rule, in Vietnamese by default
    assert html.count('class="fail">Không đạt<') == result.outcomes.filter(pl.col("failed") > 0).height


def test_page_is_self_contained(tmp_path, result):
    html = write_validation_page(tmp_path / "v.html", result.outcomes, quarantined(result), "t").read_text()
    assert parse(html).sources == []
    assert "<style>" in html and "http" not in html


def test_article_text_is_escaped(tmp_path, result):
    evil = quarantined(result).with_columns(
        evidence=pl.lit('<script>alert("x")</script> & <b>1.200/991</b>'), file=pl.lit("<i>a.txt</i>"))
    html = write_validation_page(tmp_path / "v.html", result.outcomes, evil, "<Tiêu đề>").read_text()
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "&lt;Tiêu đề&gt;" in html and "&amp;" in html


def test_english_labels_and_descriptions(tmp_path, result):
    html = write_validation_page(tmp_path / "v.html", result.outcomes, quarantined(result), "Validation",
                                 lang="en").read_text()
    assert "Quarantined records" in html and "The article is not empty" in html
    assert "Bài viết không rỗng" not in html


def test_no_quarantine_says_so(tmp_path, result):
    html = write_validation_page(tmp_path / "v.html", result.outcomes, quarantined(result).head(0), "t").read_text()
    assert "Không có bản ghi nào bị cách ly." in html


def test_failed_write_leaves_the_old_page_and_no_temp_file(tmp_path, result):
    path = tmp_path / "v.html"
    path.write_text("old page")
    with mock.patch("cchc.delivery.os.replace", side_effect=OSError("disk full")):
        with pytest.raises(OSError):
            write_validation_page(path, result.outcomes, quarantined(result), "t")
    assert path.read_text() == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["v.html"]
