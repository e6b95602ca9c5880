"""`cchc`: the command line of cchc-report.

Prints a few readable lines on success and one line naming the file and the reason on
failure; tracebacks only with --verbose.
"""
import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cchc import messages, prefect_env
from cchc.errors import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, exit_code, is_expected
from cchc.schedule import JUST_CLOSED, closed_half
from cchc.settings import Settings, active, load_settings
from transforms.extract.periods import HalfYear

__all__ = ["main", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_BUSY"]

# Commands that run a flow; the others only read the store and never start Prefect.
PREFECT_COMMANDS = {"run", "ingest", "report", "serve"}


def main(argv: list[str] | None = None) -> int:
    # Arguments first (argparse exits 2 on a bad one; `--half 2024-H3` is exit 2 here),
    # then settings (exit 2), all before Prefect or the store are touched.
    args = _parser().parse_args(argv)
    lang = args.lang or os.environ.get("CCHC_LANG") or "vi"
    try:
        args.half = half_year(getattr(args, "half", None))
    except UsageError as e:
        _error(messages.say("bad_half", lang, value=str(e)), lang)
        return EXIT_USAGE
    try:
        settings = load_settings(_flags(args), config_file=args.config)
        lang = settings.lang
        if args.half == JUST_CLOSED:
            args.half = closed_half(datetime.now(ZoneInfo(settings.timezone)).date(), settings.calendar)
        # `serve` runs for days: Prefect's log on its console is its record of what ran.
        prefect_env.configure(settings.prefect_home if args.command in PREFECT_COMMANDS else None,
                              quiet_console=not args.verbose and args.command != "serve")
        if args.command in ("run", "report", "ingest") or (args.command == "export" and args.inbox):
            from cchc.locking import check_writable
            check_writable(settings.store)  # before Prefect starts: an honest error at once
            url = prefect_env.use_running_server(settings.prefect_home)
            if url and args.verbose:
                print(messages.say("server", lang, url=url), file=sys.stderr)
        with active(settings):
            return args.handler(args, settings)
    except KeyboardInterrupt:
        _error(messages.say("interrupted_by_user", lang), lang)
        return EXIT_FAILED
    except Exception as e:  # one line for the user; the traceback with --verbose
        if args.verbose:
            raise
        _error(_describe(e, lang), lang)
        return exit_code(e)


# -- commands -------------------------------------------------------------------------------

def cmd_run(args, settings: Settings) -> int:
    return _run_pipeline(args, settings, make_reports=True)


def cmd_ingest(args, settings: Settings) -> int:
    return _run_pipeline(args, settings, make_reports=False)


def cmd_report(args, settings: Settings) -> int:
    server_ready = prefect_env.flow_server()
    from flows.pipeline import cchc_report
    server_ready()
    summary = cchc_report(half_year=_text(args.half), final=args.final, settings=settings.run_parameters())
    _print_reports(summary, settings)
    return EXIT_FAILED if summary["delivery_errors"] else EXIT_OK


def cmd_serve(args, settings: Settings) -> int:
    from cli.serve import serve
    return serve(settings, port=args.port)


def cmd_export(args, settings: Settings) -> int:
    from cchc.export import render
    from cchc.store import Store
    from transforms.schema import EXPORT_FIELDS

    inbox = None
    if args.inbox:
        inbox = _ensure_ingested(settings)
    with Store(settings.store, read_only=True) as store:
        records = store.records(half=_text(args.half), quarantined=bool(args.quarantined), inbox=inbox)
    if not args.all_fields:
        columns = list(EXPORT_FIELDS) + (["failed_rules"] if args.quarantined else [])
        records = records.select(columns)
    text = render(records, args.format)
    if args.out:
        from cchc.delivery import atomic_output
        with atomic_output(Path(args.out)) as tmp:
            tmp.write_text(text, encoding="utf-8")
        print(messages.say("exported", settings.lang, n=records.height, out=args.out), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_retire(args, settings: Settings) -> int:
    """Forget a file that left the inbox, with the records only it held."""
    from cchc.locking import store_lock
    from cchc.store import Store
    from cchc.inbox import inbox_key
    name = _inbox_name(args.file, settings.inbox)
    lang = settings.lang
    if (settings.inbox / name).exists():
        _error(messages.say("retire_still_in_inbox", lang, name=name, inbox=settings.inbox), lang)
        return EXIT_FAILED
    with store_lock(settings.store, settings.lock_timeout_s), Store(settings.store) as store:
        try:
            removed = store.retire(inbox_key(settings.inbox), name)
        except KeyError:
            _error(messages.say("retire_unknown", lang, name=name, inbox=settings.inbox), lang)
            return EXIT_FAILED
        pending = store.pending_reports()
    print(messages.say("retired", lang, name=name, n=removed)
          + (messages.say("retired_pending", lang, halves=", ".join(pending)) if pending else ""))
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
    from transforms.schema import FileStatus
    with Store(settings.store, read_only=True) as store:
        counts = store.counts()
        last = store.last_run()
        rejected = store.files().filter(status=FileStatus.REJECTED)
        per_half = store.half_counts()
        pending = store.pending_by_lang()
        version = store.schema_version
    lang = settings.lang
    say = messages.say
    print(say("st_store", lang, store=settings.store, version=version))
    print(say("st_files", lang, files=counts["files"], articles=counts["articles"], rejected=counts["files_rejected"])
          + (say("st_gone", lang, n=counts["files_gone"]) if counts["files_gone"] else ""))
    print(say("st_records", lang, records=counts["records"], quarantined=counts["quarantined"]))
    if per_half:
        print(say("st_halves", lang, halves=", ".join(say("st_half", lang, half=h or "-", n=n, q=q)
                                                       for h, n, q in per_half)))
    if pending:
        print(say("st_pending", lang, halves=", ".join(f"{half} ({report_lang})" for half, report_lang in pending)))
    if last:
        s = last["summary"] or {}
        print(say("st_last", lang, at=f"{last['started_at']:%Y-%m-%d %H:%M}",
                  status=messages.status_name(last["status"], lang), new=s.get("new", 0),
                  changed=s.get("changed", 0), records=s.get("records", 0))
              + (say("st_error", lang, error=s["error"]) if s.get("error") else ""))
    for row in rejected.iter_rows(named=True):
        print(say("st_rejected", lang, name=row["name"], reason=row["reason"],
                  fix=messages.fix_for(row["reason"] or "", lang)))
    return EXIT_OK


# -- helpers --------------------------------------------------------------------------------

def _run_pipeline(args, settings: Settings, make_reports: bool) -> int:
    from cchc.idle import record_if_idle
    half = _text(getattr(args, "half", None))
    summary = record_if_idle(settings, make_reports, half, args.rebuild, args.verify)
    if summary is not None:  # nothing to do: recorded without Prefect (cchc/idle.py)
        _print_summary(summary, settings)
        return EXIT_OK
    if sys.stderr.isatty():
        from cchc import progress
        progress.set_sink(lambda done, total: print(messages.say("progress", settings.lang, done=done, total=total),
                                                    end="", file=sys.stderr, flush=True))
    server_ready = prefect_env.flow_server()
    from flows.pipeline import cchc_pipeline
    server_ready()
    summary = cchc_pipeline(half_year=half, rebuild=args.rebuild,
                            final=getattr(args, "final", None), make_reports=make_reports,
                            settings=settings.run_parameters(), verify=args.verify)
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    _print_summary(summary, settings)
    return EXIT_FAILED if summary["delivery_errors"] else EXIT_OK


def _ensure_ingested(settings: Settings) -> str:
    """The inbox as the store keys it, ingesting first whatever the store lacks of it."""
    from cchc.inbox import inbox_key, scan_inbox
    from cchc.store import Store
    key = inbox_key(settings.inbox)
    known = {}
    if settings.store.exists():
        with Store(settings.store, read_only=True) as store:
            known = store.file_index(key)
    scan = scan_inbox(settings.inbox, known, settings.max_file_bytes)
    if scan.to_read or scan.touched or not settings.store.exists():
        print(messages.say("ingesting_first", settings.lang, n=len(scan.to_read), inbox=settings.inbox),
              file=sys.stderr)
        prefect_env.configure(settings.prefect_home)
        from flows.pipeline import cchc_pipeline
        cchc_pipeline(make_reports=False, settings=settings.run_parameters())
    return key


def _print_summary(s: dict, settings: Settings) -> None:
    lang = settings.lang
    say = messages.say
    print(say("inbox", lang, inbox=s["inbox"], seen=s["files_seen"], new=s["new"], changed=s["changed"],
              unchanged=s["unchanged"], duplicates=s["duplicates"], rejected=len(s["rejected"])))
    if s.get("renamed") or s.get("gone"):
        print(say("renamed_gone", lang, renamed=s.get("renamed", 0), gone=s.get("gone", 0),
                  kept=say("gone_" + settings.vanished_files, lang)))
    if not s["new"] and not s["changed"]:
        print(say("nothing_new", lang))
    else:
        print(say("records", lang, records=s["records"], articles=s["articles"], quarantined=s["quarantined"]))
    for rule, n in sorted(s["quarantine_rules"].items()):
        print(say("quarantined_by", lang, rule=rule, n=n))
    for name, reason in s["rejected"]:
        print(say("rejected", lang, name=name, reason=reason, fix=messages.fix_for(reason, lang)))
    for name, reason in s["skipped"]:
        if reason != "hidden file":
            print(say("skipped", lang, name=name, reason=reason))
    for name, key, fields in s.get("warnings", []):
        print(say(key, lang, name=name, **fields))
    _print_reports(s, settings)


def _print_reports(s: dict, settings: Settings) -> None:
    lang = settings.lang
    for path in s["reports"]:
        print(messages.say("report", lang, path=_short(path)))
    for half in s.get("no_data", []):
        print(messages.say("no_data", lang, half=half, unit=settings.province or messages.say("whole_country", lang)))
    if s["delivered"]:
        print(messages.say("shared", lang, n=len(s["delivered"]), share=_short(settings.share)))
    for path, reason in s["delivery_errors"]:
        print(messages.say("not_delivered", lang, name=Path(path).name, share=settings.share,
                           reason=reason, reports=_short(settings.reports)))


def _short(path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _text(half: HalfYear | None) -> str | None:
    return str(half) if half else None


def _flags(args) -> dict:
    names = ("inbox", "store", "reports", "share", "lang", "province", "calendar", "batch_size")  # the flags that are settings
    return {n: getattr(args, n, None) for n in names}


def _error(message: str, lang: str) -> None:
    print(messages.say("error", lang, text=message), file=sys.stderr)


def _describe(e: Exception, lang: str) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    if is_expected(e) or isinstance(e, OSError):
        lead = {EXIT_USAGE: "err_usage", EXIT_BUSY: "err_busy"}.get(exit_code(e), "err_failed")
        return messages.say(lead, lang, text=text)
    return messages.say("err_unexpected", lang, kind=type(e).__name__, text=text)


def half_year(text: str | None) -> HalfYear | str | None:
    """`--half`: a half-year such as 2024-H1 in any case, or `just-closed` (the half-year
    whose report deadline passed last, worked out once the settings are known); anything
    else is a usage error."""
    if text is None:
        return None
    if text.strip().lower() == JUST_CLOSED:
        return JUST_CLOSED
    try:
        return HalfYear.parse(text.strip().upper())
    except ValueError:
        raise UsageError(text) from None


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML settings file (default $CCHC_CONFIG or ./cchc.toml)")
    common.add_argument("-v", "--verbose", action="store_true", help="show Prefect's log and tracebacks")
    common.add_argument("--lang", choices=["vi", "en"], help="language of messages and reports (default vi)")
    paths = argparse.ArgumentParser(add_help=False)
    paths.add_argument("--inbox", help="folder of article files (default seeds/, $CCHC_INBOX)")
    paths.add_argument("--store", help="DuckDB store file (default data/cchc.duckdb, $CCHC_STORE)")
    paths.add_argument("--reports", help="folder for workbooks (default reports/, $CCHC_REPORTS)")
    paths.add_argument("--share", help="share folder reports are delivered to (default share/, $CCHC_SHARE)")
    paths.add_argument("--calendar", choices=["decree09", "calendar"], help="reporting windows")
    paths.add_argument("--batch-size", type=int, dest="batch_size", help="files per Prefect task")
    report_opts = argparse.ArgumentParser(add_help=False)
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
