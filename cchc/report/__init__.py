"""The half-year Excel report: `load_report_data` from the store, then `write_report`."""
from cchc.report.data import ReportData, load_report_data, report_filename

__all__ = ["ReportData", "load_report_data", "report_filename", "write_report"]


def __getattr__(name: str):
    # The workbook module imports openpyxl (about half a second): only a process that
    # writes a workbook pays for it, not every one that needs a report's file name.
    if name == "write_report":
        from cchc.report.workbook import write_report
        return write_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
