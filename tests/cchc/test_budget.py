"""The per-article time budget of extraction (cchc/budget.py): a slow article is rejected
with the reason, the rest of its batch is still extracted, and the run does not wait."""
import time
from pathlib import Path

from cchc.budget import extract_within_budget
from transforms.extract.article import extract_batch
from transforms.read.document import Article

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def test_an_article_over_budget_is_rejected_and_the_others_are_extracted():
    small = [Article(p.name, p.read_text(encoding="utf-8"), p.name, None) for p in SEEDS[:2]]
    lines = SEEDS[1].read_text(encoding="utf-8").splitlines()
    # distinct lines: a line repeated verbatim is dropped as page furniture
    huge = Article("huge.txt", "\n".join(f"{line} (phần {i})" for i in range(300) for line in lines), "huge", None)
    alone = time.perf_counter()
    extract_batch([huge])
    alone = time.perf_counter() - alone
    assert alone > 1, "the slow article must really be slow for this test"

    start = time.perf_counter()
    articles, records, errors = extract_within_budget([small[0], huge, small[1]], "decree09", budget_s=0.3)
    took = time.perf_counter() - start
    assert [name for name, _ in errors] == ["huge.txt"]
    assert "more than 0.3 s (setting extract_budget_s)" in errors[0][1]
    assert sorted(articles["file"].to_list()) == sorted(a.file for a in small)
    expected = extract_batch(small)[1]
    assert records.height == expected.height > 0
    assert took < alone / 2 + 1  # stopped at the budget, not run to the end


def test_within_budget_the_result_is_extract_batch_s():
    items = [Article(p.name, p.read_text(encoding="utf-8"), p.name, None) for p in SEEDS]
    articles, records, errors = extract_within_budget(items, "decree09", budget_s=60)
    expected = extract_batch(items)
    assert errors == expected[2]
    assert records.equals(expected[1]) and articles.equals(expected[0])
