"""The runner choice and the bounded, in-order hand-off of extraction batches."""
from types import SimpleNamespace

from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from cchc.settings import Settings
from flows.runners import extract_in_order, extraction_runner, in_flight


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
    assert isinstance(extraction_runner(Settings(workers=2), batches=5), ProcessPoolTaskRunner)
    assert isinstance(extraction_runner(Settings(workers=2), batches=1), ThreadPoolTaskRunner)
    assert isinstance(extraction_runner(Settings(workers=1), batches=5), ThreadPoolTaskRunner)


def test_a_dask_address_selects_the_dask_runner():
    runner = extraction_runner(Settings(dask_address="tcp://scheduler:8786"), batches=1)
    assert type(runner).__name__ == "DaskTaskRunner"
    assert runner.address == "tcp://scheduler:8786"


def test_nothing_to_extract_starts_no_worker_and_contacts_no_cluster():
    runner = extraction_runner(Settings(dask_address="tcp://scheduler:8786"), batches=0)
    assert isinstance(runner, ThreadPoolTaskRunner)


def test_two_batches_per_local_worker_may_be_in_flight():
    assert in_flight(Settings(workers=3), ThreadPoolTaskRunner()) == 6
