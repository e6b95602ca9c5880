"""`make preview`: PNGs of every printed page of the reports, to look at them as a reader.

    python scripts/preview_report.py [WORKBOOK.xlsx ...]   (default: every reports/*.xlsx)

Writes reports/preview/<workbook>.pdf and <workbook>-NN.png (60 dpi).
"""
import sys
from pathlib import Path

from cchc.report.render import missing_tools, to_pdf, to_pngs

ROOT = Path(__file__).resolve().parents[1]


def main(args: list[str]) -> int:
    if missing := missing_tools():
        print(f"preview: {', '.join(missing)} not found (Debian: apt-get install libreoffice-calc poppler-utils)",
              file=sys.stderr)
        return 2
    workbooks = [Path(a) for a in args] or sorted((ROOT / "reports").glob("*.xlsx"))
    if not workbooks:
        print("preview: no workbook in reports/ (run `make run` first)", file=sys.stderr)
        return 1
    out = ROOT / "reports" / "preview"
    for workbook in workbooks:
        pngs = to_pngs(to_pdf(workbook, out), out)
        print(f"preview  {workbook.name}: {len(pngs)} pages -> {out.relative_to(ROOT)}/{workbook.stem}-*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
