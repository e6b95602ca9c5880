"""Bytes of an inbox file + its name → a Document: the one reader seam before cleaning.

Offices receive saved web pages, Word reports, PDFs and plain text; each becomes the
same thing here: the main text with one paragraph (or table row) per line, the title and
publication date from the file's own metadata, the source URL, and for a PDF the offset
where each page starts. Extraction sees only `Document.text`, `title` and `published`;
where the date came from is kept in `date_basis` so a record can say whether its period
rests on the document itself or only on the file's modification time (contract v2,
shared/spec/metrics.md). The format is decided by the bytes first (a PDF saved as
"bao-cao.txt" is still a PDF), then by the name (.html/.htm).

Every refusal raises transforms.read.decode.UnreadableFile with a reason in Vietnamese and
English that says what to do.
"""
import bisect
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from transforms.read.decode import UnreadableFile, decode_text, reason

# The inbox takes these (cchc/inbox.py lists anything else with a reason).
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
CONVERTED_SUFFIXES = (".doc", ".odt", ".rtf")  # through LibreOffice to .docx
ACCEPTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".docx", *CONVERTED_SUFFIXES, ".pdf")

CONVERT_TIMEOUT_S = 120


@dataclass(frozen=True)
class Document:
    text: str                       # main text, one paragraph or table row per line
    title: str | None = None        # from metadata; None when the text's first line is the title
    published: date | None = None   # from the document itself, never from the file system
    date_basis: str | None = None   # where `published` came from: "front_matter", "html_meta", "docx_properties"
    source_url: str | None = None
    format: str = "text"            # text / markdown / html / docx / pdf (a converted .doc/.odt/.rtf is "docx")
    page_starts: tuple[int, ...] = ()  # PDF: offset in `text` where each page begins (page 1 at 0)
    notes: tuple[str, ...] = ()     # what was repaired while reading ("1 invalid byte replaced …")

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding text[offset], or None for a document without pages."""
        return bisect.bisect_right(self.page_starts, offset) if self.page_starts else None


@dataclass(frozen=True)
class Article:
    """One file's document on its way from the read step to extraction (and to the
    extraction workers, pickled): what extract_batch takes."""
    file: str                       # the name in the inbox
    document: Document | str        # a plain text is taken as Document(text=…)
    content_sha256: str             # of the file's bytes: the article's identity
    file_date: date | None = None   # the file's modification date, the weakest date


# Jekyll/Hugo-style front matter: a block between two "---" lines at the very start.
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_FIELD_RE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$", re.MULTILINE)
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%a, %d %b %Y %H:%M:%S %z",
                 "%d/%m/%Y", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z")


def parse_date(value: str) -> date | None:
    """A date written by a publishing tool ("2024-04-26", "Fri, 26 Apr 2024 14:00:00 +0700")."""
    value = value.strip().strip("\"'")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def read_text_document(text: str) -> Document:
    """Plain text or Markdown; a front-matter block gives title and date and is not body."""
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        return Document(text=text)
    fields = {f.group("key").lower(): f.group("value") for f in _FIELD_RE.finditer(m.group("body"))}
    title = fields.get("title", "").strip().strip("\"'").strip() or None
    published = parse_date(fields["date"]) if fields.get("date") else None
    return Document(text=text[m.end():], title=title, published=published,
                    date_basis="front_matter" if published else None, format="markdown")


def read_document(data: bytes, name: str) -> Document:
    """The document in an inbox file; raises transforms.read.decode.UnreadableFile with a reason."""
    suffix = PurePosixPath(name).suffix.lower()
    if data.startswith(b"%PDF"):
        return read_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Word 97-2003 (.doc), also .xls/.ppt
        if suffix not in (".doc", ".txt", ""):
            raise UnreadableFile(reason(f"tài liệu Office cũ ({suffix}), không phải văn bản Word",
                                        f"an old Office document ({suffix}), not a Word text"))
        return read_docx(convert_to_docx(data, ".doc"))
    if data.lstrip()[:5] == b"{\\rtf":
        return read_docx(convert_to_docx(data, ".rtf"))
    decoded = decode_text(data)
    if suffix in HTML_SUFFIXES or _looks_like_html(decoded.text):
        doc = read_html(decoded.text)
    else:
        doc = read_text_document(decoded.text)
    return _with_notes(doc, decoded.notes)


def _with_notes(doc: Document, notes: tuple[str, ...]) -> Document:
    return replace(doc, notes=doc.notes + notes) if notes else doc


_HTML_START_RE = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype html|html)\b",
                            re.IGNORECASE | re.DOTALL)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_START_RE.match(text[:4096]))


# -- HTML --------------------------------------------------------------------------------------
_TABLE_RULE_RE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")


def read_html(html: str) -> Document:
    """A saved web page: trafilatura keeps the article's paragraphs and tables and drops
    menus, sidebars, related-link lists, comments and scripts; the page's metadata gives
    title, publication date (article:published_time, <time>, JSON-LD) and canonical URL."""
    import trafilatura  # imported here: it costs ~0.5 s, and most inboxes hold text only

    found = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, output_format="python",
        # a figure from a sidebar is worse than a lost line; it also keeps a short article's
        # paragraphs apart instead of falling back to one flattened block
        favor_precision=True,
        # the date the page says it was published, not a later update or a date in the text
        date_extraction_params={"original_date": True, "extensive_search": False})
    if found is None or not (found.text or "").strip():
        raise UnreadableFile(reason(
            "trang web không có nội dung bài viết (chỉ có menu, quảng cáo hoặc trang trống): "
            "lưu lại trang bài viết, hoặc dán nội dung vào tệp .txt",
            "web page without article text (only menus or an empty page): save the article's "
            "own page again, or paste its text into a .txt file"))
    lines = [_table_row(line) if line.lstrip().startswith("|") else line.strip()
             for line in found.text.split("\n") if not _TABLE_RULE_RE.match(line.strip())]
    lines = [line for line in lines if line]
    title = (found.title or "").strip() or None
    lines = _without_title_line(lines, title)
    published = parse_date(found.date) if found.date else None
    return Document(text="\n".join(lines), title=title, published=published,
                    date_basis="html_meta" if published else None,
                    source_url=found.url or None, format="html")


def _without_title_line(lines: list[str], title: str | None) -> list[str]:
    """A heading repeating the metadata title is the title, not body: not read twice."""
    return lines[1:] if title and lines and " ".join(lines[0].split()) == " ".join(title.split()) else lines


def _table_row(line: str) -> str:
    """trafilatura's "| a | b | " → "a | b", the shape the extractor reads as one row."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return " | ".join(c for c in cells if c)


# -- Word ----------------------------------------------------------------------------------------
# python-docx's own template carries these stamps: a file generated with it and never given
# its own properties says nothing about when it was written.
_TEMPLATE_STAMP = datetime(2013, 12, 23, 23, 15)


def read_docx(data: bytes) -> Document:
    """Paragraphs and tables in body order; each table row one line of cells joined with
    " | ", so "Chỉ tiêu | Kế hoạch | Thực hiện | Tỷ lệ" stays readable.

    Date: the core property `modified` (when the author last saved), else `created`.
    `created` alone is not trusted first: reports are commonly made by copying last
    period's file, which keeps its creation date (see docs/extraction.md)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise UnreadableFile(reason(f"tệp Word .docx hỏng, không mở được ({e})",
                                    f"damaged Word .docx file, cannot be opened ({e})")) from None
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_docx_rows(block))
        else:
            lines.append(block.text.strip())
    if not any(lines):
        raise UnreadableFile(reason("tệp Word không có chữ (chỉ có hình ảnh?): chưa hỗ trợ nhận dạng chữ OCR",
                                    "Word file without text (only images?): OCR not supported"))
    props = document.core_properties
    stamp = next((d for d in (props.modified, props.created)
                  if d and d.replace(tzinfo=None) != _TEMPLATE_STAMP), None)
    title = (props.title or "").strip() or None
    return Document(text="\n".join(_without_title_line([line for line in lines if line], title)),
                    title=title,
                    published=stamp.date() if stamp else None,
                    date_basis="docx_properties" if stamp else None, format="docx")


def _docx_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _read_zip(data: bytes) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except zipfile.BadZipFile as e:
        raise UnreadableFile(reason(f"tệp nén ZIP hỏng ({e})", f"a damaged ZIP archive ({e})")) from None
    if "word/document.xml" in names:
        return read_docx(data)
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return read_docx(convert_to_docx(data, ".odt"))
    raise UnreadableFile(reason(
        "tệp nén ZIP (hoặc Excel/PowerPoint), không phải bài viết: giải nén và đưa từng tệp vào",
        "a ZIP archive (or Excel/PowerPoint file), not an article: unpack it and drop the files in"))


_HOW_VI = "mở bằng Word và lưu thành .docx"
_HOW_EN = "open in Word and save as .docx"


def convert_to_docx(data: bytes, suffix: str) -> bytes:
    """A legacy .doc, .odt or .rtf converted with LibreOffice headless in a temporary
    folder (its own profile, so it runs beside an open LibreOffice), or a reason that
    says how to convert it by hand."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise UnreadableFile(reason(
            f"không đọc được tệp {suffix} trên máy này (chưa cài LibreOffice): {_HOW_VI}",
            f"cannot read {suffix} files on this machine (LibreOffice is not installed): {_HOW_EN}"))
    with tempfile.TemporaryDirectory(prefix="cchc-convert-") as tmp:
        src = Path(tmp) / f"document{suffix}"
        src.write_bytes(data)
        try:
            subprocess.run([soffice, "--headless", "--norestore",
                            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
                            "--convert-to", "docx", "--outdir", str(Path(tmp) / "out"), str(src)],
                           capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise UnreadableFile(reason(
                f"LibreOffice không chuyển xong tệp {suffix} trong {CONVERT_TIMEOUT_S} giây: {_HOW_VI}",
                f"LibreOffice did not convert the {suffix} file within {CONVERT_TIMEOUT_S} s: {_HOW_EN}")
            ) from None
        out = Path(tmp) / "out" / "document.docx"
        if not out.exists():
            raise UnreadableFile(reason(f"LibreOffice không chuyển được tệp {suffix} (tệp hỏng?): {_HOW_VI}",
                                        f"LibreOffice could not convert the {suffix} file (damaged?): {_HOW_EN}"))
        return out.read_bytes()


# -- PDF -----------------------------------------------------------------------------------------
SCANNED_PDF = reason("PDF scan: không có lớp chữ (chưa hỗ trợ nhận dạng chữ OCR)",
                     "scanned PDF: no text layer (OCR not supported)")


def read_pdf(data: bytes) -> Document:
    """The text layer of each page, lines rejoined into paragraphs (pdf_lines), pages kept
    as offsets. pypdfium2 (Apache-2.0/BSD) reads it; PyMuPDF would be AGPL."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise UnreadableFile(reason(f"tài liệu PDF hỏng hoặc có mật khẩu ({e})",
                                    f"a PDF document that cannot be opened: damaged or password-protected "
                                    f"({e})")) from None
    try:
        pages = [pdf_lines(pdf[i]) for i in range(len(pdf))]
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
    finally:
        pdf.close()
    if not any(pages):
        raise UnreadableFile(SCANNED_PDF)
    if title and pages[0] and " ".join(pages[0][0].split()) == " ".join(title.split()):
        pages[0] = pages[0][1:]  # the heading repeating the metadata title
    for before, after in zip(pages, pages[1:]):
        # A paragraph running on to the next page: joined, and counted on the page it starts
        if before and after and not _CLOSED_RE.search(before[-1]) and " | " not in before[-1] + after[0]:
            before[-1] += " " + after.pop(0)
    text, starts = "", []
    for lines in pages:
        starts.append(len(text) + (1 if text else 0))
        text = "\n".join([text, *lines]) if text else "\n".join(lines)
    return Document(text=text, title=title, format="pdf", page_starts=tuple(starts))


_CLOSED_RE = re.compile(r"[.:;!?…]['\"”’)]*$")


def pdf_lines(page) -> list[str]:
    """One page's text as paragraphs and table rows.

    pdfium returns the text in content order with one rectangle per run of text on a line.
    Runs at the same height are one line (a table cell wrapped onto two lines still puts
    its other cells on its first line); a wide gap between runs is a table's column,
    joined with " | ". A line joins the paragraph above it unless the gap above is taller
    than the usual line spacing, the font size changes (a heading), or the line above
    ended short of the right margin."""
    textpage = page.get_textpage()
    try:
        lines: list[dict] = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = " ".join(textpage.get_text_bounded(left, bottom, right, top).split())
            if not text:
                continue
            size = _font_size(textpage, left, bottom, top)
            same = next((line for line in reversed(lines[-8:]) if min(top, line["top"]) - max(
                bottom, line["bottom"]) > 0.5 * min(top - bottom, line["top"] - line["bottom"])), None)
            if same:
                same["runs"].append((left, right, text))
                same["bottom"], same["top"] = min(same["bottom"], bottom), max(same["top"], top)
            else:
                lines.append({"bottom": bottom, "top": top, "size": size, "runs": [(left, right, text)]})
    finally:
        textpage.close()
    if not lines:
        return []
    for line in lines:
        runs = sorted(line["runs"])
        line["left"], line["right"] = runs[0][0], max(r for _, r, _ in runs)
        line["text"], height = runs[0][2], line["top"] - line["bottom"]
        for (_, prev_right, _), (left, _, text) in zip(runs, runs[1:]):
            line["text"] += (" | " if left - prev_right > 2 * height else " ") + text
    spacings = sorted(a["bottom"] - b["top"] for a, b in zip(lines, lines[1:]) if a["bottom"] >= b["top"])
    usual = spacings[len(spacings) // 4] if spacings else 0.0  # most gaps are inside paragraphs
    left_margin, right_margin = min(line["left"] for line in lines), max(line["right"] for line in lines)
    paragraphs = [lines[0]["text"]]
    for above, line in zip(lines, lines[1:]):
        height = line["top"] - line["bottom"]
        gap = above["bottom"] - line["top"]
        # Ragged-right text ends lines short anywhere: short AND closed by a full stop, or
        # shorter than most of the width, ends a paragraph.
        ended = (above["right"] < right_margin - 3 * height and _CLOSED_RE.search(above["text"])) \
            or above["right"] < left_margin + 0.6 * (right_margin - left_margin)
        if (" | " in above["text"] or " | " in line["text"] or ended
                or abs(line["size"] - above["size"]) > 0.1 * max(line["size"], above["size"])
                or gap > usual + 0.5 * height or gap < -height):
            paragraphs.append(line["text"])
        else:
            paragraphs[-1] += " " + line["text"]
    return paragraphs


def _font_size(textpage, left: float, bottom: float, top: float) -> float:
    """The font size of the character starting a run: a heading's differs from its text."""
    import pypdfium2.raw as pdfium_c

    index = textpage.get_index(left + 1, (bottom + top) / 2, 3, 3)
    return pdfium_c.FPDFText_GetFontSize(textpage.raw, index) if index is not None and index >= 0 else 0.0


def paragraph_pages(doc: Document, paragraphs: list[str]) -> list[int | None]:
    """The page of each cleaned paragraph (transforms.read.clean keeps lines whole, dropping or
    normalising some): found in order among the document's lines. None when the document
    has no pages or the paragraph is not one of its lines (the title from metadata)."""
    if not doc.page_starts:
        return [None] * len(paragraphs)
    from transforms.read.clean import normalize

    lines, offset = [], 0
    for line in doc.text.split("\n"):
        lines.append((" ".join(normalize(line).split()), doc.page_at(offset)))
        offset += len(line) + 1
    pages, cursor = [], 0
    for paragraph in paragraphs:
        found = next((i for i in range(cursor, len(lines)) if lines[i][0] == paragraph), None)
        if found is None:
            pages.append(None)
        else:
            pages.append(lines[found][1])
            cursor = found + 1
    return pages
