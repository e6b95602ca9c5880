"""Test-only crash points: `CCHC_TEST_CRASH_AT=NAME[:N]` kills this process with SIGKILL
the Nth time (default the first) the code passes `crash_point(NAME)`.

SIGKILL, not an exception: no `finally`, no rollback, no flush, exactly like a power cut
or the OOM killer, which is what the crash tests must show the store and reports survive.
Unset (always, outside tests), a crash point costs one dictionary lookup.

Names: read-batch (a batch of files was read), store-batch (inside a store transaction,
before COMMIT), report-write (the workbook's temporary file is written, not yet renamed),
deliver (the share's temporary copy is written, not yet renamed).
"""
import os
import signal
from collections import Counter

ENV = "CCHC_TEST_CRASH_AT"
_passed: Counter = Counter()


def crash_point(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    target, _, nth = spec.partition(":")
    if target != name:
        return
    _passed[name] += 1
    if _passed[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
