"""A workbook as a person sees it: LibreOffice prints it to PDF, poppler reads the pages.

Used by `make preview` (PNGs of every page, to look at) and by the test that checks the
printed pages (page count per sheet, no chart cut by a page break). Needs `soffice`
(Debian: libreoffice-calc) and poppler's `pdftotext`/`pdftoppm` (poppler-utils).
"""
import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

TOOLS = ("soffice", "pdftotext", "pdftoppm")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if not shutil.which(t)]


def to_pdf(workbook: Path, out_dir: Path) -> Path:
    """Print `workbook` to `out_dir/<stem>.pdf` with a throw-away LibreOffice profile (a
    running LibreOffice or a locked profile would otherwise make soffice do nothing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(workbook)],
                       check=True, capture_output=True, timeout=300)
    pdf = out_dir / f"{Path(workbook).stem}.pdf"
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not print {workbook}")
    return pdf


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in reading order."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


_PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD_RE = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="[\d.-]+" yMax="([\d.-]+)">(.*?)</word>')


def page_words(pdf: Path) -> list[tuple[float, list[tuple[float, float, float, str]]]]:
    """Per page: its height and its words as (x, top, bottom, text), in points from the
    top. A drawing cut by a page break is also emitted, clipped, on the neighbouring
    page, so where a word sits matters more than whether it is there."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return [(float(height), [(float(x), float(top), float(bottom), html.unescape(word))
                             for x, top, bottom, word in _WORD_RE.findall(body)])
            for _, height, body in _PAGE_RE.findall(out)]


def to_pngs(pdf: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """One PNG per page: out_dir/<stem>-01.png, …"""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out_dir / pdf.stem)],
                   check=True, capture_output=True, timeout=300)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))
