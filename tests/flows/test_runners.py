"""The runner choice, the bounded, in-order hand-off of extraction batches, and local
workers that extract what the flow's process extracts while importing no Prefect (how
they start and end: tests/cchc/test_workers.py)."""
from pathlib import Path
from types import SimpleNamespace

from prefect import flow, get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from cchc.budget import extract_within_budget
from cchc.settings import Settings
from flows.runners import LocalProcesses, extract_in_order, extraction_runner, in_flight
from transforms.read.document import Article

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


class FakeRunner:
    """Runs nothing: a future's result is its batch's items, and it counts what is open."""

    def __init__(self):
        self.open = 0
        self.most_open = 0

    def submit(self, task, parameters):
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        runner = self

        class Future:
            def result(self):
                runner.open -= 1
                return parameters["items"]
        return Future()


def test_results_come_in_input_order_with_a_bounded_number_in_flight():
    read = []

    def batches():
        for n in range(10):
            read.append(n)
            yield SimpleNamespace(items=[n])

    runner = FakeRunner()
    seen = []
    for batch, result in extract_in_order(runner, batches(), limit=3, calendar="decree09", budget_s=60):
        assert result == batch.items
        seen.append(result[0])
        assert len(read) - len(seen) <= 2  # files are read just ahead of the store, not all first
    assert seen == list(range(10))
    assert runner.most_open == 3


def test_local_runs_use_processes_only_when_there_is_work_for_several():
    assert type(extraction_runner(Settings(workers=2), batches=5)) is LocalProcesses
    assert type(extraction_runner(Settings(workers=2), batches=1)) is ThreadPoolTaskRunner
    assert type(extraction_runner(Settings(workers=1), batches=5)) is ThreadPoolTaskRunner


def test_a_dask_address_selects_the_dask_runner():
    runner = extraction_runner(Settings(dask_address="tcp://scheduler:8786"), batches=1)
    assert type(runner).__name__ == "DaskTaskRunner"
    assert runner.address == "tcp://scheduler:8786"


def test_nothing_to_extract_starts_no_worker_and_contacts_no_cluster():
    runner = extraction_runner(Settings(dask_address="tcp://scheduler:8786"), batches=0)
    assert isinstance(runner, ThreadPoolTaskRunner)


def test_two_batches_per_local_worker_may_be_in_flight():
    assert in_flight(Settings(workers=3), ThreadPoolTaskRunner()) == 6


# What a worker must not carry: Prefect's task engine, the flow and all it imports (the
# store, the reports), and the Prefect collections a flow run context loads (Dask).
NOT_IN_A_WORKER = {"prefect", "flows", "duckdb", "great_expectations", "openpyxl", "prefect_dask",
                   "distributed"}


def test_a_local_worker_extracts_the_flows_records_and_imports_no_prefect(prefect_api_url):
    items = [Article(p.name, p.read_text(encoding="utf-8"), p.name, None) for p in SEEDS]

    @flow
    def extract_locally():
        with LocalProcesses(workers=1) as runner:  # one worker: the one asked for its modules below
            [(_, result)] = extract_in_order(runner, [SimpleNamespace(items=items)], limit=2,
                                             calendar="decree09", budget_s=60)
            modules = runner.pool.submit(eval, "list(__import__('sys').modules)").result()
        return flow_run.get_id(), result, modules

    run_id, (articles, records, errors), modules = extract_locally()
    expected = extract_within_budget(items, "decree09", budget_s=60)
    assert records.height > 0 and records.equals(expected[1]) and articles.equals(expected[0])
    assert errors == expected[2]
    assert "transforms.extract.article" in modules  # this worker did the extraction
    assert sorted(m for m in modules if m.split(".")[0] in NOT_IN_A_WORKER) == []
    # the batch is still a task run of the flow run, as the UI shows it
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
    assert [(r.name.split("-")[:2], r.state.type.value) for r in runs] == [(["extract", "records"], "COMPLETED")]
