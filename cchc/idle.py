"""A `cchc run` or `cchc ingest` with nothing to do, recognised before Prefect is imported.

Most runs from a terminal or a cron job find nothing new. Importing Prefect and making
a flow run (with its tasks, states and artifacts) cost seconds for such a run, and
without `cchc serve` also the start of Prefect's temporary server. So the command first
scans the inbox against the store, under the store lock, exactly as the flow's
discover step does. When no file is new, changed, touched, rejected or gone, no report
is pending or missing and none was asked for, the run is recorded in the store's run
history (flow_run_id empty; `cchc status` shows it as the last run) and ends there.
Otherwise the lock is released and the flow runs as always; so it does when the check
cannot be made (the store busy with another run, the inbox missing): a run that waits
or fails stays a flow run, recorded, and notified when it fails.

Such a run is not a Prefect flow run, so the Prefect UI does not list it. The runs of
`cchc serve` (daily, half-year-close, manual) are flow runs and never take this path:
every scheduled run shows in the UI, whatever it found.
"""
from dataclasses import asdict
from datetime import datetime, timezone

from cchc.delivery import remove_partial_outputs
from cchc.errors import CchcError
from cchc.inbox import inbox_key, scan_inbox
from cchc.locking import store_lock
from cchc.runs import RunSummary, count_scan, missing_reports, run_status, summary_with_error
from cchc.settings import Settings
from cchc.store import Store


def record_if_idle(settings: Settings, make_reports: bool, half: str | None = None, rebuild: bool = False,
                   verify: bool = False) -> dict | None:
    """The summary of the run, recorded in the store, when it has nothing to do; None
    when the flow must run (the store is then as it was). The arguments are the flow's."""
    if half or rebuild or not settings.store.exists():
        return None  # a report or every file asked for; or a first run, which makes the store
    try:
        return _record(settings, make_reports, verify)
    except (CchcError, OSError):
        # Another run holds the store, the inbox is not there, the store is damaged: the
        # flow runs, waits or fails as always (a failed flow run is recorded and notified).
        return None


def _record(settings: Settings, make_reports: bool, verify: bool) -> dict | None:
    with store_lock(settings.store, timeout_s=0), Store(settings.store) as store:
        scan = scan_inbox(settings.inbox, store.file_index(inbox_key(settings.inbox)), settings.max_file_bytes,
                          min_age_s=settings.min_file_age_s, verify=verify)
        if scan.to_read or scan.touched or scan.vanished or scan.rejected:
            return None
        if make_reports and (store.pending_reports(settings.lang) or missing_reports(store, settings)):
            return None
        run_id = datetime.now(timezone.utc).strftime("local-%Y%m%dT%H%M%S.%f")
        summary = RunSummary(run_id=run_id, inbox=str(settings.inbox))
        count_scan(summary, scan)
        store.start_run(run_id, None)
        store.use_lang(settings.lang)
        if make_reports:
            for folder in (settings.reports, settings.share):  # what a killed run was writing
                remove_partial_outputs(folder)
        store.finish_run(run_id, run_status(summary), summary_with_error(summary))
    return asdict(summary)
