"""`make bench`: throughput, re-run cost and memory of cchc-report on a synthetic inbox.

    make bench                                  # N = 2000, a quick run
    make bench BENCH_ARGS="--n 100000"          # the big one (docs/benchmarks.md)
    make bench BENCH_ARGS="--batch-sizes 50,200,1000"   # the pipeline once per batch size
    make bench BENCH_ARGS="--n 100000 --rerun-only"     # only the re-run, on a pre-indexed store
    make bench BENCH_ARGS="--n 100000 --report-only"    # only the report, of N records

Measures, in one run:
  floor       read every file and run one compiled number regex over it: the I/O and
              decoding cost no extractor can beat
  extraction  read, decode and `extract_batch` in this process, no Prefect, one core
  parallel    the same on a slice with 2 threads and with 2 processes (why the local
              runner is a process pool)
  pipeline    `cchc ingest` on the N new files, as a subprocess (start-up included),
              against a Prefect server started once here; peak RSS of its process tree
  re-run      `cchc ingest` again with nothing new, against bare start-up (`cchc ingest`
              on an empty inbox) plus a plain directory scan of the N files
  report      the workbook of one half-year holding N records, in this process, against
              the 15 s target for 100 000 records
  latency     `cchc run` with nothing new and `cchc report --half` on the seeds, with and
              without `cchc serve` (benchmarks.latency), against their targets
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from benchmarks.corpus import write_corpus
from benchmarks.probes import PeakRSS, machine, stopwatch
from cchc import prefect_env

FLOOR_RE = re.compile(r"\d[\d.,/]*%?")  # one pass of "find every figure", nothing else
PARALLEL_SLICE = 600                   # articles for the threads-vs-processes comparison
WARM_UP = 50                           # articles extracted before extraction is timed
LATENCY_REPEAT = 2                     # each everyday command timed this many times (benchmarks.latency)
REPORT_TARGET = 15                     # seconds for the workbook of a 100 000-record half-year


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=2000, help="articles in the synthetic inbox")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sample", type=int, help="time extraction alone on the first SAMPLE articles "
                   "(articles/s does not depend on N; saves an hour at N = 100000)")
    p.add_argument("--batch-sizes", default="", help="comma-separated; default the batch_size setting")
    p.add_argument("--rerun-only", action="store_true",
                   help="only the re-run with nothing new, on a store that lists the N files as "
                        "ingested (no extraction: for N too large to ingest in the time at hand)")
    p.add_argument("--report-only", action="store_true",
                   help="only the report, of one half-year holding N records (no corpus, no extraction)")
    p.add_argument("--workdir", type=Path, help="keep the inbox and stores here (default: a temporary folder)")
    args = p.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each result as it is measured
    prefect_env.configure(quiet_console=True)
    from cchc.settings import load_settings
    cfg = load_settings()
    sizes = [int(s) for s in args.batch_sizes.split(",") if s] or [cfg.batch_size]

    work = args.workdir or Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    try:
        if args.rerun_only:
            return _rerun_only(args.n, args.seed, cfg, work)
        if args.report_only:
            print(f"cchc-report benchmark, report only, N = {args.n} records\n{machine()}")
            _report(work / "store-report" / "cchc.duckdb", args.n, cfg, work)
            return 0
        return _bench(args.n, args.seed, args.sample or args.n, sizes, cfg, work)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def _bench(n: int, seed: int, sample: int, sizes: list[int], cfg, work: Path) -> int:
    print(f"cchc-report benchmark, N = {n}\n{machine()}")
    inbox = work / "inbox"
    with stopwatch() as t:
        paths = write_corpus(inbox, n, seed)
    _line("corpus written", n, t())

    floor = _floor(paths)
    _line("floor: read + one regex", n, floor)
    # seconds for all N at the sample's rate
    extraction = _extraction(paths[:sample], cfg) * n / min(sample, n)
    _line(f"extraction alone (1 process{f', timed on {sample}' if sample < n else ''})", n, extraction,
          f"{floor / extraction:.3f} of the floor (target >= 0.1, and >= 300 articles/s)")
    _parallel(paths[:PARALLEL_SLICE], cfg)

    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=180):
        prefect_env.quiet_shutdown_loggers()
        for size in sizes:
            store = work / f"store-{size}" / "cchc.duckdb"
            secs, rss = _ingest(inbox, store, work, batch_size=size)
            _line(f"pipeline, new files (batch {size})", n, secs,
                  f"{secs / extraction:.2f}x extraction alone (target <= 2); peak RSS {_mb(rss)}")
        _rerun(inbox, store, work, size)

    _report(work / "store-report" / "cchc.duckdb", n, cfg, work)
    # the everyday commands (issue 15 item 4), in the same run: they do not depend on N
    from benchmarks import latency
    return latency.main(["--repeat", str(LATENCY_REPEAT)])


def _rerun_only(n: int, seed: int, cfg, work: Path) -> int:
    print(f"cchc-report benchmark, re-run only, N = {n}\n{machine()}")
    from benchmarks.records import index_inbox
    from cchc.store import Store
    inbox, store = work / "inbox", work / "store" / "cchc.duckdb"
    write_corpus(inbox, n, seed)
    with Store(store) as s:
        index_inbox(s, inbox)
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=180):
        prefect_env.quiet_shutdown_loggers()
        _rerun(inbox, store, work, cfg.batch_size)
    return 0


def _rerun(inbox: Path, store: Path, work: Path, batch_size: int) -> None:
    again, rss = _ingest(inbox, store, work, batch_size)
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    bare, _ = _ingest(empty, work / "store-empty" / "cchc.duckdb", work, batch_size)
    scan = _dir_scan(inbox)
    print(f"  re-run, nothing new: {again:.2f} s = {again / (bare + scan):.2f}x "
          f"(bare start-up {bare:.2f} s + directory scan {scan:.2f} s) (target <= 2), "
          f"{again / bare:.2f}x bare start-up alone (target <= 1.5); peak RSS {_mb(rss)}")


def _line(what: str, n: int, secs: float, note: str = "") -> None:
    print(f"  {what}: {secs:.2f} s, {n / secs:,.0f} articles/s" + (f"; {note}" if note else ""))


def _mb(rss: PeakRSS) -> str:
    return (f"{rss.peak / 2**20:.0f} MB (target < 1536; flow process {rss.peak_root / 2**20:.0f} MB, "
            f"largest worker {rss.peak_child / 2**20:.0f} MB)")


def _floor(paths: list[Path]) -> float:
    with stopwatch() as t:
        for path in paths:
            sum(1 for _ in FLOOR_RE.finditer(path.read_bytes().decode("utf-8", "replace")))
    return t()


def _items(paths: list[Path]):
    """The extractor's input, as the pipeline's read task builds it."""
    import hashlib
    from datetime import date
    from transforms.read.document import Article, read_document
    for path in paths:
        data = path.read_bytes()
        yield Article(path.name, read_document(data, path.name), hashlib.sha256(data).hexdigest(),
                      date.fromtimestamp(path.stat().st_mtime))


def _extract_paths(paths: list[Path], calendar: str) -> int:
    from transforms.extract.article import extract_batch
    _, records, _ = extract_batch(list(_items(paths)), calendar=calendar)
    return records.height


def _extraction(paths: list[Path], cfg) -> float:
    # The catalog, cue index and gazetteers are built once per process (about 1 s): paid
    # once per worker in the pipeline, so left out of a rate that holds for any N.
    _extract_paths(paths[:WARM_UP], cfg.calendar)
    with stopwatch() as t:
        records = sum(_extract_paths(paths[i:i + cfg.batch_size], cfg.calendar)
                      for i in range(0, len(paths), cfg.batch_size))
    print(f"  ({records:,} records extracted)")
    return t()


def _parallel(paths: list[Path], cfg) -> None:
    """The extractor on 2 threads and on 2 processes: only processes use both cores."""
    # equal chunks, two per worker: with batch_size chunks (500 + 100 of 600) one worker
    # would do most of the work alone and the line would measure the split, not the pool
    size = -(-len(paths) // 4)
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    with stopwatch() as serial:
        for chunk in chunks:
            _extract_paths(chunk, cfg.calendar)
    results = [f"serial {len(paths) / serial():,.0f}"]
    for name, pool in (("2 threads", ThreadPoolExecutor(2)), ("2 processes", ProcessPoolExecutor(2))):
        with pool:
            list(pool.map(_extract_paths, chunks[:2], [cfg.calendar] * 2))  # start and import first
            with stopwatch() as t:
                list(pool.map(_extract_paths, chunks, [cfg.calendar] * len(chunks)))
        results.append(f"{name} {len(paths) / t():,.0f} ({serial() / t():.2f}x)")
    print(f"  extraction of {len(paths)} articles, articles/s: " + ", ".join(results))


def _ingest(inbox: Path, store: Path, work: Path, batch_size: int) -> tuple[float, PeakRSS]:
    """`cchc ingest` as a subprocess: (seconds, its process tree's memory)."""
    from prefect.settings import PREFECT_API_URL
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    env.update(CCHC_INBOX=str(inbox), CCHC_STORE=str(store), CCHC_REPORTS=str(work / "reports"),
               CCHC_SHARE=str(work / "share"), CCHC_BATCH_SIZE=str(batch_size),
               PREFECT_API_URL=PREFECT_API_URL.value(), PYTHONWARNINGS="ignore")
    with stopwatch() as t:
        proc = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest"], cwd=work, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        with PeakRSS(proc.pid) as rss:
            out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"cchc ingest failed ({proc.returncode}):\n{out}")
    return t(), rss


def _dir_scan(inbox: Path) -> float:
    """Listing and stat-ing the inbox: what any re-run must do to notice changes."""
    with stopwatch() as t:
        for dirpath, _, filenames in os.walk(inbox):
            for name in filenames:
                os.stat(os.path.join(dirpath, name))
    return t()


def _report(store_path: Path, n: int, cfg, work: Path) -> None:
    from benchmarks.records import fill_store
    from cchc.report import load_report_data, write_report
    from cchc.store import Store
    half = "2024-H1"
    with Store(store_path) as store:
        fill_store(store, n, half)
        with stopwatch() as load:
            data = load_report_data(store, half, cfg.replace(reports=work / "reports"))
    with stopwatch() as write:
        write_report(data, work / "reports")
    secs = load() + write()
    print(f"  report {half} with {n} records: {secs:.2f} s (load {load():.2f} s, workbook {write():.2f} s) = "
          f"{secs / REPORT_TARGET:.2f}x the {REPORT_TARGET} s target (target <= 1 at 100000 records)")


if __name__ == "__main__":
    sys.exit(main())
