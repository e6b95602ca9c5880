"""Latency of the everyday commands, with and without a running `cchc serve`.

    .venv/bin/python -m benchmarks.latency [--repeat 3]

In a temporary folder with the seed articles: one `cchc run` to fill the store, then
`cchc run` with nothing new and `cchc report --half 2024-H1`, each REPEAT times, first
with no server (Prefect's temporary one per command), then with `cchc serve` running on
the same Prefect home (the commands find it through serve.json). Wall-clock seconds of
the whole process, start-up included, as a user waits for it.
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
        for where in ("without cchc serve", "with cchc serve"):
            serve = _start_serve(work, env) if where.startswith("with ") else None
            try:
                for name, command in commands.items():
                    times = [_cchc(command, env) for _ in range(args.repeat)]
                    print(f"{where:20} {name:24} median {statistics.median(times):5.1f} s  "
                          f"({', '.join(f'{t:.1f}' for t in times)})")
            finally:
                if serve:
                    _stop(serve)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _cchc(args: list[str], env: dict) -> float:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"cchc {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return elapsed


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
