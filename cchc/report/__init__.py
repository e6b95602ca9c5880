"""The half-year Excel report: `load_report_data` from the store, then `write_report`."""
from cchc.report.data import ReportData, load_report_data, report_filename
from cchc.report.workbook import write_report

__all__ = ["ReportData", "load_report_data", "report_filename", "write_report"]
