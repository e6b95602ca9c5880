"""The catalog drives extraction: every metric must be findable, every cue well formed."""
from pathlib import Path

import pytest
import yaml

from transforms.catalog import CatalogError, load_catalog
from transforms.extract.cues import ROLES, CueIndex

# Labels chosen by structure, not by a phrase: a figure followed by its itemised parts.
STRUCTURAL_LABELS = {"tong"}


def test_every_metric_has_a_positional_cue():
    catalog = load_catalog()
    lacking = [m.id for m in catalog.metrics.values() if not set(m.cues) & {"after", "lead", "near", "before"}]
    assert lacking == []


def test_every_breakdown_label_has_phrases():
    catalog = load_catalog()
    labels = {b for m in catalog.metrics.values() for b in m.breakdowns} - STRUCTURAL_LABELS
    assert sorted(labels - set(catalog.breakdown_cues)) == []


def test_roles_are_known():
    assert all(set(m.cues) <= set(ROLES) for m in load_catalog().metrics.values())


def _catalog_with(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(load_catalog().path.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "metrics.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit", [
    pytest.param(lambda d: d["metrics"][0]["cues"].update(nearby=["x"]), id="cues.py: an unknown role is an error"),
    pytest.param(lambda d: d["breakdown_cues"].update(no_such_label=["x"]), id="cues.py: a label no metric lists is an error"),
])
def test_malformed_cues_are_reported(tmp_path, edit):
    with pytest.raises(CatalogError):
        CueIndex(load_catalog(_catalog_with(tmp_path, edit)))
