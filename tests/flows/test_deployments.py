"""The deployments `cchc serve` serves, and prefect.yaml's copy of them for work pools."""
import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from cchc.schedule import JUST_CLOSED
from cchc.settings import Settings
from flows.deployments import CONCURRENCY_LIMIT, ENTRYPOINT, FLOW_NAME, deployments, specs

ROOT = Path(__file__).resolve().parents[2]
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _by_name(settings=Settings()):
    return {d.name: d for d in deployments(settings)}


def _next_runs(deployment, after: datetime, n: int) -> list[datetime]:
    """The dates the Prefect server's scheduler gives the deployment's schedule."""
    from prefect.server.schemas.schedules import CronSchedule
    (schedule,) = deployment.schedules
    cron = CronSchedule(cron=schedule.schedule.cron, timezone=schedule.schedule.timezone)
    return [d.astimezone(VN) for d in asyncio.run(cron.get_dates(n=n, start=after))]


def test_three_deployments_of_the_pipeline_flow():
    found = _by_name()
    assert set(found) == {"daily", "half-year-close", "manual"}
    assert {d.flow_name for d in found.values()} == {FLOW_NAME}
    assert {d.concurrency_limit for d in found.values()} == {CONCURRENCY_LIMIT}
    assert found["manual"].schedules in (None, [])


def test_daily_runs_at_six_in_vietnam():
    daily = _by_name()["daily"]
    runs = _next_runs(daily, datetime(2024, 6, 20, 12, tzinfo=VN), 3)
    assert [(r.day, r.hour, r.minute) for r in runs] == [(21, 6, 0), (22, 6, 0), (23, 6, 0)]


def test_half_year_close_runs_the_day_after_each_deadline_and_closes_that_half():
    close = _by_name()["half-year-close"]
    assert close.parameters == {"half_year": JUST_CLOSED, "final": True}
    runs = _next_runs(close, datetime(2024, 1, 1, tzinfo=VN), 3)
    assert [r.date().isoformat() for r in runs] == ["2024-06-21", "2024-12-21", "2025-06-21"]
    assert all(r.hour == 7 for r in runs)


def test_schedules_and_timezone_come_from_settings():
    settings = Settings(daily_cron="30 5 * * 1-5", timezone="Asia/Bangkok")
    (schedule,) = _by_name(settings)["daily"].schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 5 * * 1-5", "Asia/Bangkok")


def test_served_runs_get_the_serving_process_settings():
    served = deployments(Settings(), {"inbox": "/srv/cchc/inbox"})
    assert all(d.parameters["settings"] == {"inbox": "/srv/cchc/inbox"} for d in served)


def test_prefect_yaml_declares_the_same_deployments(monkeypatch):
    monkeypatch.chdir(ROOT)  # entrypoints are paths from the project folder, as `prefect deploy` records
    declared = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    served = _by_name()
    assert [d["name"] for d in declared] == [s.name for s in specs(Settings())]
    for d in declared:
        s = served[d["name"]]
        assert d["entrypoint"] == ENTRYPOINT == s.entrypoint
        assert d["description"] == s.description
        assert d["parameters"] == s.parameters
        assert d["concurrency_limit"] == s.concurrency_limit
        assert d["tags"] == s.tags
        assert [(c["cron"], c["timezone"]) for c in d["schedules"]] == \
            [(c.schedule.cron, c.schedule.timezone) for c in s.schedules or []]
        assert d["work_pool"]["name"] == "cchc"


def test_manual_run_takes_half_year_folders_and_rebuild():
    schema = _by_name()["manual"]._parameter_openapi_schema.properties
    assert {"half_year", "inbox", "share_dir", "rebuild"} <= set(schema)


@pytest.mark.slow
def test_prefect_yaml_deploys_to_a_real_server(tmp_path):
    """The documented work-pool commands, against a Prefect server of the test's own."""
    import asyncio
    import os
    import subprocess
    import sys

    from prefect.client.orchestration import PrefectClient

    from cli.serve import _free_port, local_server

    async def deployed(api_url):
        async with PrefectClient(api_url) as client:
            return {d.name: d for d in await client.read_deployments()}

    prefect = [sys.executable, "-m", "prefect", "--no-prompt"]
    with local_server(tmp_path / "prefect-home", _free_port()) as api_url:
        env = {**os.environ, "PREFECT_API_URL": api_url}
        for command in (["work-pool", "create", "cchc", "--type", "process"],
                        ["work-pool", "set-concurrency-limit", "cchc", "1"], ["deploy", "--all"]):
            done = subprocess.run(prefect + command, cwd=ROOT, env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr
        found = asyncio.run(deployed(api_url))
    served = _by_name()
    assert set(found) == set(served)
    for name, d in found.items():
        assert d.entrypoint == ENTRYPOINT
        assert d.work_pool_name == "cchc"
        assert d.parameters == served[name].parameters
        assert d.global_concurrency_limit.limit == CONCURRENCY_LIMIT
        assert [(s.schedule.cron, s.schedule.timezone) for s in d.schedules] == \
            [(s.schedule.cron, s.schedule.timezone) for s in served[name].schedules or []]
        assert d.pull_steps == [{"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}]
