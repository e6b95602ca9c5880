"""Bytes of an inbox file + its name → a Document: the one reader seam before cleaning.

Extraction sees only `Document.text`, `title` and `published`; where the date came from
is kept in `date_basis` so a record can say whether its period rests on the document
itself or only on the file's modification time (contract v2, shared/spec/metrics.md).
"""
import re
from dataclasses import dataclass
from datetime import date, datetime

from transforms.decode import decode_article


@dataclass(frozen=True)
class Document:
    text: str                       # main text, paragraphs separated by blank lines
    title: str | None = None        # from metadata; None when the text's first line is the title
    published: date | None = None   # from the document itself, never from the file system
    date_basis: str | None = None   # where `published` came from: "front_matter", "html_meta", …
    source_url: str | None = None
    format: str = "text"


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
    """The document in an inbox file; raises transforms.decode.UnreadableFile with a reason."""
    return read_text_document(decode_article(data))
