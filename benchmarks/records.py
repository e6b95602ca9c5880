"""A store holding N records in one half-year, for timing the report on its own (the
report's cost depends on the records, not on how they were extracted)."""
import hashlib
import random

import polars as pl

from cchc.store import Store
from transforms.catalog import load_catalog
from transforms.schema import FileStatus, articles_frame, records_frame

from benchmarks.corpus import PROVINCES

RECORDS_PER_ARTICLE = 10


def fill_store(store: Store, n: int, half: str, seed: int = 1) -> None:
    files, articles, records = synthetic_batch(0, -(-n // RECORDS_PER_ARTICLE), half, seed=seed,
                                               fact_span=n // 3)
    store.commit_batch(files, articles, records.head(n), run_id="bench")


def synthetic_batch(first: int, n_articles: int, half: str, records_per_article: int = RECORDS_PER_ARTICLE,
                    seed: int = 1, fact_span: int = 1000) -> tuple[list[dict], pl.DataFrame, pl.DataFrame]:
    """Articles first .. first + n_articles - 1 with their records, as commit_batch takes
    them (validated: none quarantined); record ids are 40-character hex, like extraction's."""
    r = random.Random(f"{seed}:{first}")
    metrics = list(load_catalog().metrics.values())
    articles, records, files = [], [], []
    for a in range(first, first + n_articles):
        sha = hashlib.sha256(f"{seed}:{a}".encode()).hexdigest()
        name = f"{a:06d}.txt"
        province = r.choice(PROVINCES)
        files.append({"name": name, "size": 1, "mtime_ns": 0, "content_sha256": sha,
                      "status": FileStatus.INGESTED, "reason": None})
        articles.append({"content_sha256": sha, "file": name, "title": f"Bài {a}", "periods": [half],
                         "provinces": [province], "scope": "provincial", "article_half": half,
                         "char_count": 5000, "text": "…"})
        for i in range(records_per_article):
            m = r.choice(metrics)
            unit = m.units[0]
            value = float(r.randint(1, 100) if unit in ("percent", "rank") else r.randint(1, 50_000))
            records.append({
                "record_id": hashlib.sha1(f"{sha}:{i}".encode()).hexdigest(), "content_sha256": sha,
                "file": name, "metric_id": m.id, "kind": "actual", "value": value,
                "total": 63.0 if unit == "rank" else None, "unit": unit, "qualifier": "exact",
                "geography": r.choice((province, "VN")), "period": half, "evidence": f"… {value:g} …",
                "value_text": f"{value:g}", "char_start": 100 * i, "char_end": 100 * i + 4,
                "sentence_start": 100 * i - 50, "sentence_end": 100 * i + 50,
                "period_basis": "explicit", "geography_basis": "sentence", "area": m.area,
                "catalog_version": "bench", "confidence": 0.9, "report_half": half,
                "fact_key": f"{m.id}:{province}:{half}:{r.randint(0, fact_span)}",
            })
    frame = records_frame(records).with_columns(
        quarantined=pl.lit(False), failed_rules=pl.lit([], dtype=pl.List(pl.String)))
    return files, articles_frame(articles), frame


def index_inbox(store: Store, inbox) -> int:
    """Record every inbox file as ingested with its current size and mtime, as a finished
    ingest leaves the store: a re-run can then be timed at any N without extracting N."""
    import os
    rows = []
    for dirpath, _, filenames in os.walk(inbox):
        for filename in filenames:
            path = os.path.join(dirpath, filename)
            st = os.stat(path)
            rows.append((os.path.relpath(path, inbox), st.st_size, st.st_mtime_ns))
    frame = pl.DataFrame(rows, schema={"name": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64}, orient="row")
    store.con.register("bench_files", frame.to_arrow())
    store.con.execute(f"INSERT INTO files SELECT name, size, mtime_ns, sha256(name), '{FileStatus.INGESTED}', NULL, now(), now() "
                      "FROM bench_files")
    store.con.unregister("bench_files")
    return frame.height
