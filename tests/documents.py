"""Real files of the forms offices receive, made in the test run from one seed article:
a .docx written with python-docx, the same converted to PDF and .odt by LibreOffice, a
saved web page with page furniture, a front-matter Markdown post, legacy 8-bit text and
an image-only ("scanned") PDF. Shared by tests/transforms/read/test_document.py and tests/e2e/test_formats.py."""
import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from datetime import datetime
from html import escape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "001_13960fbe25726a23.txt"
# A "related articles" sidebar: figures that belong to other articles, which must not be read.
SIDEBAR = ["Hà Nội đạt 99,5% hồ sơ trực tuyến toàn trình trong 6 tháng đầu năm 2024",
           "Đà Nẵng hoàn thành 120/125 nhiệm vụ cải cách hành chính năm 2024"]
# The table offices put in their reports, read as one line per row.
TABLE = [["Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ"],
         ["Nhiệm vụ", "12", "10", "83,3%"]]


def seed_article() -> tuple[str, list[str]]:
    """(title, body paragraphs) of the seed: a plain-text article's first line is its title."""
    lines = [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]
    return lines[0], lines[1:]


def soffice() -> str:
    """LibreOffice's binary, or skip (CI installs it: .ci/run)."""
    found = shutil.which("soffice")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("soffice (LibreOffice) is required in CI: apt-get install libreoffice-writer")
        pytest.skip("soffice (LibreOffice) is not installed: the .pdf/.odt/.doc cases need it")
    return found


def write_docx(path: Path, title: str, paragraphs: list[str], *, modified: datetime,
               table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for i, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if table and i == 0:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    props = document.core_properties
    props.title = title
    props.created = datetime(2019, 1, 2, 8, 0)  # a copy of an old report keeps its creation date
    props.modified = modified
    document.save(path)
    return path


def convert(src: Path, fmt: str, outdir: Path) -> Path:
    """`soffice --headless --convert-to fmt`, with its own profile, as offices' tools would."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice(), "--headless", "--norestore",
                    f"-env:UserInstallation={(outdir / 'lo-profile').as_uri()}",
                    "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.exists(), f"LibreOffice did not write {out}"
    return out


def write_html(path: Path, title: str, paragraphs: list[str], *, published: str,
               url: str = "https://baochinhphu.vn/cchc-6-thang-2024-102240310.htm") -> Path:
    """A page as a browser saves it ("Web page, complete"): menu, sidebar of related
    articles, comments, footer and scripts around the article."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    related = "\n".join(f'<li><a href="/tin-{i}.htm">{escape(t)}</a></li>' for i, t in enumerate(SIDEBAR))
    path.write_text(f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{escape(title)} | Báo Chính phủ</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}">
<script>window.dataLayer = [{{"page": "article", "views": 12345}}];</script>
<style>.menu {{ color: red; }}</style>
</head><body>
<header><nav class="menu"><ul>
<li><a href="/">Trang chủ</a></li><li><a href="/chinh-tri">Chính trị</a></li>
<li><a href="/kinh-te">Kinh tế</a></li><li><a href="/xa-hoi">Xã hội</a></li></ul></nav></header>
<main><article>
<h1>{escape(title)}</h1>
<div class="meta">Thứ Hai, <time datetime="{published}">{published[:10]}</time></div>
{body}
</article>
<aside class="related"><h3>Tin liên quan</h3><ul>{related}</ul></aside>
<section id="comments"><h3>Bình luận</h3><div class="comment"><p>Bạn đọc Nguyễn Văn A: tỉnh tôi
đạt 95% hồ sơ đúng hạn năm 2024.</p></div></section>
</main>
<footer><p>© Báo điện tử Chính phủ. Giấy phép số 250/GP-BTTTT.</p></footer>
<script src="/static/app.js"></script><script>track("view");</script>
</body></html>""", encoding="utf-8")
    return path


def write_markdown(path: Path, title: str, paragraphs: list[str], *, published: str) -> Path:
    path.write_text(f'---\ntitle: "{title}"\ndate: {published}\ntags: [cchc]\n---\n\n'
                    + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def png(width: int, height: int) -> bytes:
    """A grey image with dark bars like lines of print: a page photographed or scanned."""
    rows = b"".join(b"\x00" + bytes(0 if (y // 8) % 3 == 0 and 20 < x < width - 20 else 200
                                     for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def write_scanned_pdf(path: Path) -> Path:
    """An image-only PDF, as a scanner makes: a Word file holding one page image, converted
    to PDF by LibreOffice (in a folder of its own, so only the PDF lands at `path`)."""
    import docx

    with tempfile.TemporaryDirectory(prefix="scan-") as tmp:
        image = Path(tmp) / "page.png"
        image.write_bytes(png(400, 560))
        document = docx.Document()
        document.add_picture(str(image))
        document.save(Path(tmp) / "scan.docx")
        return Path(shutil.move(convert(Path(tmp) / "scan.docx", "pdf", Path(tmp) / "out"), path))
