"""The store's commits on their own, in one process without Prefect: batches of synthetic
articles into a new store, with the process's memory and DuckDB's after each 2000.

    python -m benchmarks.store_commit --n 20000 [--memory-limit 512MB] [--real DIR]

`--memory-limit` replaces the limit the store sets after each commit (a probe for sizing it).
`--real DIR` commits the articles and records extracted from DIR's first files instead,
again and again under new content hashes (real texts and evidence are larger: ~1.8x the bytes).
"""
import argparse
import hashlib
import resource
import tempfile
import time
from pathlib import Path

import polars as pl

from benchmarks.records import synthetic_batch
from cchc.store import Store
from transforms.extract.article import extract_batch
from transforms.read.document import Article
from transforms.schema import FileStatus


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _duckdb_mb(store: Store) -> str:
    """DuckDB's own accounting: block cache, indexes, the rest (transaction, buffers)."""
    rows = dict(store.con.execute("SELECT tag, memory_usage_bytes FROM duckdb_memory()").fetchall())
    cache = (rows.get("BASE_TABLE", 0) + rows.get("METADATA", 0)) / 2**20
    index = rows.get("ART_INDEX", 0) / 2**20
    rest = sum(rows.values()) / 2**20 - cache - index
    return f"{cache:.0f} / {index:.0f} / {rest:.0f}"


def _real_batches(inbox: Path, size: int):
    """A function first -> one batch of the articles extracted from `inbox`'s first `size`
    files, their contents renamed by `first` so that each batch is new to the store."""
    paths = sorted(inbox.iterdir())[:size]
    items = [Article(p.name, p.read_text(), hashlib.sha256(p.read_bytes()).hexdigest(), None) for p in paths]
    articles, records, _ = extract_batch(items)
    records = records.with_columns(quarantined=pl.lit(False), failed_rules=pl.lit([], dtype=pl.List(pl.String)))

    def renamed(first: int):
        new = lambda col: pl.concat_str(pl.col(col), pl.lit(f":{first}"))  # noqa: E731
        batch_articles = articles.with_columns(content_sha256=new("content_sha256"), file=new("file"))
        batch_records = records.with_columns(content_sha256=new("content_sha256"), file=new("file"),
                                             record_id=new("record_id"))
        files = [{"name": f, "size": 1, "mtime_ns": 0, "content_sha256": sha, "status": FileStatus.INGESTED}
                 for f, sha in batch_articles.select("file", "content_sha256").rows()]
        return files, batch_articles, batch_records
    return renamed


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles")
    ap.add_argument("--batch", type=int, default=500, help="articles per commit")
    ap.add_argument("--records-per-article", type=int, default=25, help="25: 2.5 M records at 100 000")
    ap.add_argument("--memory-limit", help="DuckDB memory_limit to set after each commit")
    ap.add_argument("--real", type=Path, help="a folder of article files to extract and commit repeatedly")
    args = ap.parse_args(argv)
    real = _real_batches(args.real, args.batch) if args.real else None
    print(f"{args.n} articles ({args.real or f'synthetic, {args.records_per_article} records each'}), "
          f"batches of {args.batch}")
    print("articles  commit s (mean of the last 4)  RSS MB  max RSS MB  DuckDB MB cache / index / rest")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.duckdb") as store:
        times = []
        for first in range(0, args.n, args.batch):
            files, articles, records = (real(first) if real else
                                        synthetic_batch(first, args.batch, "2024-H1", args.records_per_article))
            t = time.perf_counter()
            store.commit_batch(files, articles, records, run_id="bench", inbox="/inbox")
            times.append(time.perf_counter() - t)
            if args.memory_limit:
                store.con.execute(f"SET memory_limit = '{args.memory_limit}'")
            done = first + args.batch
            if done % 2000 == 0 or done >= args.n:
                maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"{done:8d}  {sum(times[-4:]) / len(times[-4:]):8.2f}  {_rss_mb():10.0f}  {maxrss:10.0f}  "
                      f"{_duckdb_mb(store)}")
        print(f"total commit time {sum(times):.1f} s; memory_limit at the end "
              f"{store.con.execute('SELECT current_setting(?)', ['memory_limit']).fetchone()[0]}")


if __name__ == "__main__":
    main()
