"""`cchc`: the command line of cchc-report.

Prints a few readable lines on success and one line naming the file and the reason on
failure; tracebacks only with --verbose.
"""
import argparse
import os
import sys
from pathlib import Path

from cchc import prefect_env
from cchc.settings import Settings, SettingsError, load_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # `serve` runs for days: Prefect's log on its console is its record of what ran.
    prefect_env.configure(quiet_console=not args.verbose and args.command != "serve")
    try:
        settings = load_settings(_flags(args), config_file=args.config)
        return args.handler(args, settings)
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_FAILED
    except Exception as e:  # one line for the user; the traceback with --verbose
        if args.verbose:
            raise
        _error(_describe(e))
        return _exit_code(e)


# -- commands -------------------------------------------------------------------------------

def cmd_run(args, settings: Settings) -> int:
    return _run_pipeline(args, settings, make_reports=True)


def cmd_ingest(args, settings: Settings) -> int:
    return _run_pipeline(args, settings, make_reports=False)


def cmd_report(args, settings: Settings) -> int:
    from flows.pipeline import cchc_report
    summary = cchc_report(half_year=args.half, final=args.final, settings=settings.as_flow_parameters())
    _print_reports(summary, settings)
    return EXIT_FAILED if summary["delivery_errors"] else EXIT_OK


def cmd_serve(args, settings: Settings) -> int:
    from cchc.serve import serve
    return serve(settings, port=args.port)


def cmd_export(args, settings: Settings) -> int:
    from cchc.export import render
    from cchc.store import Store
    from transforms.schema import EXPORT_FIELDS

    inbox = None
    if args.inbox:
        inbox = _ensure_ingested(settings)
    with Store(settings.store, read_only=True) as store:
        records = store.records(half=args.half, quarantined=bool(args.quarantined), inbox=inbox)
    if not args.all_fields:
        columns = list(EXPORT_FIELDS) + (["failed_rules"] if args.quarantined else [])
        records = records.select(columns)
    text = render(records, args.format)
    if args.out:
        from cchc.delivery import atomic_output
        with atomic_output(Path(args.out)) as tmp:
            tmp.write_text(text, encoding="utf-8")
        print(f"exported {records.height} records to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_retire(args, settings: Settings) -> int:
    """Forget a file that left the inbox, with the records only it held."""
    from cchc.locking import store_lock
    from cchc.store import Store
    from cchc.inbox import inbox_key
    name = _inbox_name(args.file, settings.inbox)
    if (settings.inbox / name).exists():
        _error(f"{name} is still in the inbox {settings.inbox}: move it out first, or the next "
               "run reads it again")
        return EXIT_FAILED
    with store_lock(settings.store, settings.lock_timeout_s), Store(settings.store) as store:
        try:
            removed = store.retire(inbox_key(settings.inbox), name)
        except KeyError:
            _error(f"{name} is not a file of the inbox {settings.inbox} in the store "
                   "(`cchc status` lists them)")
            return EXIT_FAILED
        pending = store.pending_reports()
    print(f"retired  {name}: {removed} records removed"
          + (f"; reports to rewrite on the next run: {', '.join(pending)}" if pending else ""))
    return EXIT_OK


def _inbox_name(file: str, inbox: Path) -> str:
    """FILE as the store names it: relative to the inbox, whether given that way or as a path."""
    path = Path(file)
    try:
        return (Path.cwd() / path).resolve().relative_to(inbox.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def cmd_status(args, settings: Settings) -> int:
    from cchc.store import Store
    with Store(settings.store, read_only=True) as store:
        counts = store.counts()
        last = store.last_run()
        rejected = store.files().filter(status="rejected")
        per_half = store.half_counts()
        pending = store.pending_by_lang()
        version = store.schema_version
    print(f"store    {settings.store} (schema {version})")
    print(f"files    {counts['files']} seen, {counts['articles']} articles, {counts['files_rejected']} rejected"
          + (f", {counts['files_gone']} left the inbox (`cchc retire FILE` forgets one)"
             if counts["files_gone"] else ""))
    print(f"records  {counts['records']}, {counts['quarantined']} quarantined")
    if per_half:
        print("halves   " + ", ".join(f"{h or 'none'}: {n} ({q} quarantined)" for h, n, q in per_half))
    if pending:
        print("pending  reports not yet written or delivered: "
              + ", ".join(f"{half} ({lang})" for half, lang in pending))
    if last:
        s = last["summary"] or {}
        print(f"last run {last['started_at']:%Y-%m-%d %H:%M} {last['status']}: {s.get('new', 0)} new, "
              f"{s.get('changed', 0)} changed, {s.get('records', 0)} records"
              + (f" — error: {s['error']}" if s.get("error") else ""))
    for row in rejected.iter_rows(named=True):
        print(f"rejected {row['name']}: {row['reason']}")
    return EXIT_OK


# -- helpers --------------------------------------------------------------------------------

def _run_pipeline(args, settings: Settings, make_reports: bool) -> int:
    from flows.pipeline import cchc_pipeline
    if sys.stderr.isatty():
        from cchc import progress
        progress.set_sink(lambda done, total: print(f"\r  {done}/{total} files", end="",
                                                    file=sys.stderr, flush=True))
    summary = cchc_pipeline(half_year=getattr(args, "half", None), rebuild=args.rebuild,
                            final=getattr(args, "final", None), make_reports=make_reports,
                            settings=settings.as_flow_parameters(), verify=args.verify)
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    _print_summary(summary, settings)
    return EXIT_FAILED if summary["delivery_errors"] else EXIT_OK


def _ensure_ingested(settings: Settings) -> str:
    """The inbox as the store keys it, ingesting first whatever the store lacks of it."""
    from cchc.inbox import scan_inbox
    from cchc.store import Store
    from cchc.inbox import inbox_key
    key = inbox_key(settings.inbox)
    known = {}
    if settings.store.exists():
        with Store(settings.store, read_only=True) as store:
            known = store.file_index(key)
    scan = scan_inbox(settings.inbox, known, settings.max_file_bytes)
    if scan.to_read or scan.touched or not settings.store.exists():
        print(f"ingesting {len(scan.to_read)} new or changed files of {settings.inbox} first",
              file=sys.stderr)
        from flows.pipeline import cchc_pipeline
        cchc_pipeline(make_reports=False, settings=settings.as_flow_parameters())
    return key


def _print_summary(s: dict, settings: Settings) -> None:
    print(f"inbox    {s['inbox']}: {s['files_seen']} files — {s['new']} new, {s['changed']} changed, "
          f"{s['unchanged']} unchanged, {s['duplicates']} duplicate, {len(s['rejected'])} rejected")
    if s.get("renamed") or s.get("gone"):
        kept = "kept" if settings.vanished_files == "keep" else "removed unless another file holds them"
        print(f"         {s.get('renamed', 0)} renamed, {s.get('gone', 0)} left the inbox "
              f"(their records {kept}: setting vanished_files)")
    if not s["new"] and not s["changed"]:
        print("         nothing new to extract")
    else:
        print(f"records  {s['records']} extracted from {s['articles']} articles, "
              f"{s['quarantined']} quarantined")
    for rule, n in sorted(s["quarantine_rules"].items()):
        print(f"         quarantined by {rule}: {n}")
    for name, reason in s["rejected"]:
        print(f"rejected {name}: {reason}")
    for name, reason in s["skipped"]:
        if reason != "hidden file":
            print(f"skipped  {name}: {reason}")
    for name, what in s.get("warnings", []):
        print(f"warning  {name}: {what}")
    _print_reports(s, settings)


def _print_reports(s: dict, settings: Settings) -> None:
    for path in s["reports"]:
        print(f"report   {_short(path)}")
    unit = f" cho {settings.province}" if settings.province else ""
    for half in s.get("no_data", []):
        print(f"report   {half}: không có số liệu{unit} — không lập báo cáo (no figures, no report written)")
    if s["delivered"]:
        print(f"shared   {len(s['delivered'])} files to {_short(settings.share)}")
    for path, reason in s["delivery_errors"]:
        print(f"warning  {Path(path).name} was not delivered to {settings.share}: {reason}; "
              f"it is kept in {_short(settings.reports)}")


def _short(path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _flags(args) -> dict:
    names = ("inbox", "store", "reports", "share", "lang", "province", "calendar", "batch_size")
    return {n: getattr(args, n, None) for n in names}


def _error(message: str) -> None:
    print(f"cchc: error: {message}", file=sys.stderr)


def _describe(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text if isinstance(e, (SettingsError, FileNotFoundError, OSError)) or _is_ours(e) \
        else f"{type(e).__name__}: {text}"


def _is_ours(e: Exception) -> bool:
    return type(e).__module__.split(".")[0] in ("cchc", "transforms", "flows")


def _exit_code(e: Exception) -> int:
    from cchc.locking import StoreBusy
    if isinstance(e, SettingsError):
        return EXIT_USAGE
    if isinstance(e, StoreBusy):
        return EXIT_BUSY
    return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML settings file (default $CCHC_CONFIG or ./cchc.toml)")
    common.add_argument("-v", "--verbose", action="store_true", help="show Prefect's log and tracebacks")
    paths = argparse.ArgumentParser(add_help=False)
    paths.add_argument("--inbox", help="folder of article files (default seeds/, $CCHC_INBOX)")
    paths.add_argument("--store", help="DuckDB store file (default data/cchc.duckdb, $CCHC_STORE)")
    paths.add_argument("--reports", help="folder for workbooks (default reports/, $CCHC_REPORTS)")
    paths.add_argument("--share", help="share folder reports are delivered to (default share/, $CCHC_SHARE)")
    paths.add_argument("--calendar", choices=["decree09", "calendar"], help="reporting windows")
    paths.add_argument("--batch-size", type=int, dest="batch_size", help="files per Prefect task")
    report_opts = argparse.ArgumentParser(add_help=False)
    report_opts.add_argument("--lang", choices=["vi", "en"], help="report labels (default vi)")
    report_opts.add_argument("--province", help='reporting unit: a province since 1/7/2025, e.g. "Quảng Ngãi" '
                             "(default the whole country, $CCHC_PROVINCE)")
    status = report_opts.add_mutually_exclusive_group()
    status.add_argument("--final", action="store_true", default=None, help="mark reports FINAL")
    status.add_argument("--provisional", action="store_false", dest="final", help="mark reports PROVISIONAL")

    parser = argparse.ArgumentParser(prog="cchc", parents=[common],
                                     description="Reform (CCHC) articles to validated figures and half-year reports.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", parents=[common, paths, report_opts],
                       help="ingest new files, validate, store, write and deliver reports")
    p.add_argument("--half", help="also rewrite this half-year's report (e.g. 2024-H1)")
    p.add_argument("--rebuild", action="store_true", help="re-extract every file with the current catalog")
    p.add_argument("--verify", action="store_true",
                   help="read every file whose size and time are unchanged and compare its hash")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("ingest", parents=[common, paths], help="ingest new files only (no reports)")
    p.add_argument("--rebuild", action="store_true", help="re-extract every file with the current catalog")
    p.add_argument("--verify", action="store_true",
                   help="read every file whose size and time are unchanged and compare its hash")
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("report", parents=[common, paths, report_opts],
                       help="write and deliver reports from the store")
    p.add_argument("--half", help="the half-year (e.g. 2024-H1); default every half-year with data")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("export", parents=[common, paths], help="print or save records")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    p.add_argument("--half", help="only records of this half-year report")
    p.add_argument("--out", help="write to this file (atomically) instead of standard output")
    p.add_argument("--quarantined", action="store_true",
                   help="the quarantined records, with the rules they failed, instead of the valid ones")
    p.add_argument("--all-fields", action="store_true",
                   help="every stored column, not only the fields of metrics.md")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("retire", parents=[common, paths],
                       help="forget a file that left the inbox, with the records only it held")
    p.add_argument("file", help="the file's name in the inbox (as `cchc status` shows it) or its path")
    p.set_defaults(handler=cmd_retire)

    p = sub.add_parser("status", parents=[common, paths], help="what is in the store")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("serve", parents=[common, paths],
                       help="run the scheduled and manual deployments until stopped (docs/operating.md)")
    p.add_argument("--port", type=int, help="port of the Prefect server started when PREFECT_API_URL "
                                            "is unset (default 4200, or a free one if taken)")
    p.set_defaults(handler=cmd_serve)
    return parser


if __name__ == "__main__":
    sys.exit(main())
