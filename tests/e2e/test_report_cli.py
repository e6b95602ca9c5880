"""`cchc report` end to end on the seeds: a half-year without figures, a province's report."""
import subprocess
import sys

import openpyxl
import psutil
import pytest

pytestmark = pytest.mark.slow


def test_report_of_an_empty_half_year_and_of_a_province(seeded):
    assert seeded.cchc("run").returncode == 0
    before = sorted(p.name for p in seeded.share.iterdir())

    empty = seeded.cchc("report", "--half", "2019-H1")
    assert empty.returncode == 0, empty.stderr
    assert "2019-H1: không có số liệu cho cả nước — không lập báo cáo" in empty.stdout
    assert "Traceback" not in empty.stdout + empty.stderr
    assert not list(seeded.reports.glob("*2019-H1*")) and sorted(p.name for p in seeded.share.iterdir()) == before

    # Hậu Giang has been part of Cần Thơ since 1/7/2025: its 2022-H2 figures are Cần Thơ's report
    city = seeded.cchc("report", "--half", "2022-H2", "--province", "Cần Thơ")
    assert city.returncode == 0, city.stderr
    wb = openpyxl.load_workbook(seeded.share / "bao-cao-cchc-2022-H2-can-tho.xlsx")
    overview = wb["Tổng quan"]
    assert overview["A1"].value == "Báo cáo tiến độ cải cách hành chính – 6 tháng cuối năm 2022 – Cần Thơ"
    names = [c.value for c in overview["A"] if isinstance(c.value, str)]
    assert "Xếp hạng Chỉ số CCHC (PAR INDEX) (Hậu Giang)" in names

    bad = seeded.cchc("report", "--province", "Hậu Giang")
    assert bad.returncode == 2 and "province = 'Hậu Giang'" in bad.stderr and "is not a province since 1/7/2025" in bad.stderr


def test_without_a_server_the_report_runs_on_a_temporary_one_stopped_at_exit(seeded):
    """No `cchc serve` and no PREFECT_API_URL: the command starts Prefect's temporary
    server itself (cchc.prefect_env.flow_server), runs on it and leaves no server behind."""
    assert seeded.cchc("run").returncode == 0
    (seeded.reports / "bao-cao-cchc-2024-H1.xlsx").unlink()
    env = {k: v for k, v in seeded.env().items() if k != "PREFECT_API_URL"}
    result = subprocess.run([sys.executable, "-m", "cli.main", "report", "--half", "2024-H1"], cwd=seeded.root,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nor Prefect's "Error logging to API": the server outlives the run's logs
    assert (seeded.reports / "bao-cao-cchc-2024-H1.xlsx").exists()
    servers = [p for p in psutil.process_iter(["cmdline", "environ"])  # the server has the command's environment
               if "uvicorn" in " ".join(p.info["cmdline"] or [])
               and (p.info["environ"] or {}).get("CCHC_STORE") == str(seeded.store)]
    assert not servers
