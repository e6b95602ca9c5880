"""Extraction on a real Dask cluster gives the records a local run gives."""
import shutil
from pathlib import Path

import pytest

from cchc.settings import Settings, active
from cchc.store import Store
from flows.pipeline import cchc_pipeline

pytestmark = pytest.mark.slow

# Columns that say when and by which run a record was written, not what it says.
RUN_COLUMNS = {"run_id", "ingested_at"}
ROOT = Path(__file__).resolve().parents[2]
SEEDS, FIXTURES = ROOT / "seeds", ROOT / "tests" / "fixtures" / "articles"


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster


def _inbox_of_articles(workspace):
    for f in [*sorted(SEEDS.glob("*.txt")), *sorted(FIXTURES.glob("*.txt"))]:
        shutil.copy2(f, workspace.inbox / f.name)


def _records(store_path):
    with Store(store_path, read_only=True) as store:
        records = store.records()
    return records.select(sorted(set(records.columns) - RUN_COLUMNS)).sort("record_id")


def test_dask_cluster_extracts_the_same_records_as_a_local_run(workspace, tmp_path, cluster):
    _inbox_of_articles(workspace)
    # batch_size 4: several batches, so the cluster's two workers both get some
    # store and dask_address are the process's settings, never a run parameter
    local = Settings(**workspace.settings(), batch_size=4, workers=1)
    on_dask = local.replace(store=tmp_path / "dask" / "cchc.duckdb",
                            dask_address=cluster.scheduler_address)
    for settings in (local, on_dask):
        with active(settings):
            cchc_pipeline(make_reports=False)

    expected = _records(local.store)
    assert expected.height > 0
    assert _records(on_dask.store).equals(expected)
    # the batches really ran on the cluster's workers
    assert "extract_records" in cluster.scheduler.task_prefixes, \
        sorted(cluster.scheduler.task_prefixes)
