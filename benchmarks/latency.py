"""Latency of the everyday commands, with and without a running `cchc serve`.

    .venv/bin/python -m benchmarks.latency [--repeat 3]

In a temporary folder with the seed articles: one `cchc run` to fill the store, then
`cchc run` with nothing new and `cchc report --half 2024-H1`, each REPEAT times, first
with no server (Prefect's temporary one per command), then with `cchc serve` running on
the same Prefect home (the commands find it through serve.json). Wall-clock seconds of
the whole process, start-up included, as a user waits for it, as a ratio to issue 15's
targets: without serve 1.3x the bare start (a process running an empty Prefect flow on
the temporary server), with serve 5 s for the run and 10 s for the report.
"""
import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The bare start: Python, Prefect and its temporary server, for a flow that does nothing.
BARE = """
import sys
from cchc import prefect_env
prefect_env.configure(sys.argv[1])
from prefect import flow

@flow(name="bare")
def bare():
    pass

bare()
"""
# (target, unit) per command: with serve in seconds, without as a multiple of the bare start
TARGETS = {"with cchc serve": {"run (nothing new)": 5.0, "report --half 2024-H1": 10.0},
           "without cchc serve": {"run (nothing new)": 1.3, "report --half 2024-H1": 1.3}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cchc-latency-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "PREFECT_"))}
    env.update(CCHC_INBOX=str(work / "inbox"), CCHC_STORE=str(work / "data" / "cchc.duckdb"),
               CCHC_REPORTS=str(work / "reports"), CCHC_SHARE=str(work / "share"),
               PYTHONWARNINGS="ignore")
    shutil.copytree(ROOT / "seeds", work / "inbox")
    (work / "share").mkdir()  # cchc never creates the share: a missing one fails delivery
    commands = {"run (nothing new)": ["run"], "report --half 2024-H1": ["report", "--half", "2024-H1"]}
    print(f"cchc latency, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    try:
        _cchc(["run"], env)  # fill the store
        bare_times = [_timed([sys.executable, "-c", BARE, str(work / "data" / "prefect")], env)
                      for _ in range(args.repeat)]
        bare = statistics.median(bare_times)
        print(f"{'bare start':20} {'empty Prefect flow':24} median {bare:5.1f} s  ({_list(bare_times)})")
        for where in ("without cchc serve", "with cchc serve"):
            serve = _start_serve(work, env) if where.startswith("with ") else None
            try:
                for name, command in commands.items():
                    times = [_cchc(command, env) for _ in range(args.repeat)]
                    median = statistics.median(times)
                    target = TARGETS[where][name]
                    ratio = (f"{median / target:.2f}x the {target:g} s target" if serve else
                             f"{median / bare:.2f}x bare start (target <= {target:g}x)")
                    print(f"{where:20} {name:24} median {median:5.1f} s  ({_list(times)})  = {ratio}")
            finally:
                if serve:
                    _stop(serve)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _cchc(args: list[str], env: dict) -> float:
    return _timed([sys.executable, "-m", "cli.main", *args], env)


def _timed(command: list[str], env: dict) -> float:
    start = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
    return elapsed


def _list(times: list[float]) -> str:
    return ", ".join(f"{t:.1f}" for t in times)


def _start_serve(work: Path, env: dict) -> subprocess.Popen:
    from cchc.prefect_env import served_api_url
    from cli.serve import _free_port
    log = (work / "serve.log").open("ab")
    serve = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(_free_port())],
                             cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    home = work / "data" / "prefect"
    deadline = time.monotonic() + 240
    while not served_api_url(home):
        if serve.poll() is not None or time.monotonic() > deadline:
            _stop(serve)
            raise SystemExit(f"cchc serve did not start; see {work / 'serve.log'}")
        time.sleep(1)
    time.sleep(10)  # let it register its deployments before measuring
    return serve


def _stop(serve: subprocess.Popen) -> None:
    serve.send_signal(signal.SIGTERM)
    try:
        serve.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
        serve.wait()


if __name__ == "__main__":
    sys.exit(main())
