"""scripts/quality.py's noise listing: with --verbose every noise record is printed, so each
can be looked at (issue 11); without it only the most frequent."""
import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "quality.py"


def _quality():
    spec = importlib.util.spec_from_file_location("quality", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _result():
    record = {"file": "n001.txt", "metric_id": "budget_revenue_growth", "kind": "actual", "value": 12.0,
              "geography": "Đồng Nai", "period": "2017-H1", "evidence": "Tổng thu ngân sách tăng 12%."}
    top = [{"metric_id": "budget_revenue_growth", "snippet": "tăng #%", "count": 2, "example": "n001.txt: …"}]
    return {"quarantined": 0, "predictions": [record, record | {"file": "n002.txt"}],
            "noise": {"records": 2, "articles": 10, "per_100_articles": 20.0, "top": top}}


def test_verbose_lists_every_noise_record(capsys):
    _quality().print_noise(_result(), verbose=True)
    out = capsys.readouterr().out
    assert "20.0 per 100 articles" in out
    assert [line.split()[1] for line in out.splitlines() if line.startswith("  record")] == ["n001.txt", "n002.txt"]


def test_without_verbose_only_the_most_frequent(capsys):
    _quality().print_noise(_result(), verbose=False)
    assert "  record" not in capsys.readouterr().out
