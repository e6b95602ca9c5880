"""Bytes of an inbox file to article text, or a reason a person understands why not.

Offices save articles from browsers, Word and old Vietnamese software, so a file may be
UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1258, or UTF-8 that was decoded
as Windows-1252/Latin-1 and saved again ("Cáº£i cÃ¡ch"). ftfy repairs the last kind.
"""
import codecs
import re
import unicodedata

import ftfy

# Signatures of binary formats that are sometimes saved with a .txt name.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Letters Windows-1258 text is made of when it is Vietnamese; used to choose it over
# other single-byte guesses.
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")


# What UTF-8 read as Latin-1/cp1252 leaves behind: a lead byte (Â-ß, à-ï) followed by
# one or two continuation bytes (0x80-0xBF, or cp1252's characters for 0x80-0x9F), or a
# stray C1 control. ftfy's own check for mojibake costs ten times reading the file, so it
# runs only when one of these is present; on text without them it changes nothing. The
# pattern opens with the (rare) continuation character and looks back for the lead:
# opening with the lead, common in Vietnamese, made it five times slower.
_CONT = "\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE_HINT_RE = re.compile(
    f"[{_CONT}](?:(?<=[\xc2-\xdf].)|(?<=[\xe0-\xef][{_CONT}].)|(?<=[\x80-\x9f]))")
# Unicode category Cc is exactly U+0000-001F and U+007F-009F; tab, LF, FF and CR are text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class UnreadableFile(ValueError):
    """The file is not article text; str(error) is the reason shown to the user."""


def decode_article(data: bytes) -> str:
    """Decode, repair mojibake and compose to NFC; raise UnreadableFile with a reason."""
    if not data.strip():
        raise UnreadableFile("empty file" if not data else "only whitespace")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise UnreadableFile(f"binary file: {what}, not text")
    text = _decode(data)
    if not text.strip():
        raise UnreadableFile("only whitespace")
    # Counted after the repair: doubly decoded UTF-8 is full of C1 controls until then.
    if _MOJIBAKE_HINT_RE.search(text):
        text = ftfy.fix_encoding(text)
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 100):
        raise UnreadableFile(f"binary file: {controls} control characters in {len(text)}")
    # Windows (CRLF) and old Mac (CR) line ends: every later stage splits on "\n" only.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise UnreadableFile(f"starts with a {encoding} byte-order mark but is not "
                                     f"valid {encoding} (byte {e.start})") from None
    if b"\x00" in data:
        raise UnreadableFile("binary file: contains NUL bytes and no UTF-16 byte-order mark")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1258", errors="replace")
    if "\ufffd" in text or not (_VI_LETTERS & set(text)):
        raise UnreadableFile("not UTF-8, UTF-16 or Windows-1258 text")
    return text
