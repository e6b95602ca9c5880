"""`python -m tests.fake_pipeline ARGS` is `cchc ARGS` with a deterministic stand-in extractor.

The crash tests are about the store, the reports and delivery, not about the extraction
rules: every number in an article becomes one record of `tasks_completed`, in the
half-year 2024-H1 (or 2024-H2 when the file name says so), so the store and the
workbooks have content to compare whatever the real extractor does.
"""
import hashlib
import re
import sys

from transforms.schema import articles_frame, records_frame

NUMBER = re.compile(r"\d+")


def extract_batch(items, calendar="decree09"):
    articles, records = [], []
    for item in items:
        name, sha, text = item.file, item.content_sha256, item.document.text  # a transforms.read.document.Document, as the read task makes it
        half = "2024-H2" if "H2" in name else "2024-H1"
        articles.append(dict(content_sha256=sha, file=name, text=text, char_count=len(text),
                             periods=[half], provinces=[], scope="national", article_half=half))
        for m in NUMBER.finditer(text):
            value = float(m.group())
            records.append(dict(
                record_id=hashlib.sha1(f"{sha}|{m.start()}".encode()).hexdigest(), content_sha256=sha,
                file=name, metric_id="tasks_completed", kind="actual", value=value, unit="count",
                qualifier="exact", breakdown="bo_nganh", geography="VN", period=half,
                evidence=text[max(0, m.start() - 40):m.end() + 40], value_text=m.group(),
                char_start=m.start(), char_end=m.end(), period_basis="explicit", confidence=0.9,
                fact_key=f"{sha}|{m.start()}", report_half=half))
    return articles_frame(articles), records_frame(records), []


if __name__ == "__main__":
    import os

    import cchc.budget
    from cli.main import main

    cchc.budget.extract_batch = extract_batch  # what the extraction task calls, per budget
    os.environ["CCHC_WORKERS"] = "1"  # extract in this process, where the stand-in is patched in
    sys.exit(main())
