"""Bytes of an inbox file to article text, or a reason a person understands why not.

Offices save articles from browsers, Word and old Vietnamese software, so a file may be
UTF-8 (with or without BOM), UTF-16 (with or without BOM), Windows-1258, the legacy
8-bit font encodings TCVN3 (ABC) and VNI, or UTF-8 that was decoded as Windows-1252/Latin-1
and saved again ("Cáº£i cÃ¡ch"). ftfy repairs the last kind. A few damaged bytes in UTF-8
are replaced and noted, not a reason to lose the article.
"""
import codecs
import re
import unicodedata
from dataclasses import dataclass

import ftfy

# Signatures of binary formats that are sometimes saved with a .txt name.
_MAGIC = {
    b"%PDF": ("tài liệu PDF", "a PDF document"),
    b"PK\x03\x04": ("tệp nén ZIP (hoặc .docx/.xlsx)", "a ZIP archive (or .docx/.xlsx)"),
    b"\xd0\xcf\x11\xe0": ("tài liệu Office cũ (.doc/.xls)", "an old Office document (.doc/.xls)"),
    b"\x89PNG": ("ảnh PNG", "a PNG image"),
    b"\xff\xd8\xff": ("ảnh JPEG", "a JPEG image"),
    b"GIF8": ("ảnh GIF", "a GIF image"),
    b"\x1f\x8b": ("tệp nén gzip", "a gzip archive"),
    b"Rar!": ("tệp nén RAR", "a RAR archive"),
    b"7z\xbc\xaf": ("tệp nén 7-Zip", "a 7-Zip archive"),
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

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
    """The file is not article text; str(error) is the reason shown to the user, in
    Vietnamese and English: "Vietnamese reason / English reason" (see `reason`)."""


def reason(vi: str, en: str) -> str:
    """One string a clerk can act on, Vietnamese first: the store keeps one reason column."""
    return f"{vi} / {en}"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str                    # what the bytes were read as: "utf-8", "tcvn3", "vni", …
    notes: tuple[str, ...] = ()      # what was repaired on the way ("2 invalid bytes replaced …")


def decode_article(data: bytes) -> str:
    """Decode, repair mojibake and compose to NFC; raise UnreadableFile with a reason."""
    return decode_text(data).text


def decode_text(data: bytes) -> Decoded:
    """Like decode_article, also saying which encoding was read and what was repaired."""
    if not data.strip():
        raise UnreadableFile(reason("tệp rỗng", "empty file") if not data
                             else reason("tệp chỉ có khoảng trắng", "only whitespace"))
    for magic, (vi, en) in _MAGIC.items():
        if data.startswith(magic):
            raise UnreadableFile(reason(f"tệp nhị phân: {vi}, không phải văn bản",
                                        f"binary file: {en}, not text"))
    decoded = _decode(data)
    text = decoded.text
    if not text.strip():
        raise UnreadableFile(reason("tệp chỉ có khoảng trắng", "only whitespace"))
    # Counted after the repair: doubly decoded UTF-8 is full of C1 controls until then.
    if _MOJIBAKE_HINT_RE.search(text):
        text = ftfy.fix_encoding(text)
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 100):
        raise UnreadableFile(reason(f"tệp nhị phân: {controls} ký tự điều khiển trong {len(text)}",
                                    f"binary file: {controls} control characters in {len(text)}"))
    # Windows (CRLF) and old Mac (CR) line ends: every later stage splits on "\n" only.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(unicodedata.normalize("NFC", text), decoded.encoding, decoded.notes)


def _decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as e:
                raise UnreadableFile(reason(
                    f"có dấu BOM {encoding} nhưng nội dung không phải {encoding} (byte {e.start})",
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {e.start})")) from None
    if b"\x00" in data:  # never in UTF-8 or 8-bit text: UTF-16 without its BOM, or binary
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
        raise UnreadableFile(reason("tệp nhị phân: có byte NUL và không có dấu BOM UTF-16",
                                    "binary file: contains NUL bytes and no UTF-16 byte-order mark"))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        first_bad = e.start
    utf8 = _mostly_utf8(data, first_bad)
    if utf8:
        return utf8
    return _legacy_vietnamese(data)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 saved without a byte-order mark: in Vietnamese text most code units are
    ASCII or U+1Exx, so one byte of each pair is NUL (or 0x1E) far more often than the other."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for encoding, high in (("utf-16-le", odd), ("utf-16-be", even)):
        low = even if high is odd else odd
        if high.count(0) >= len(high) * 0.3 and low.count(0) <= len(low) * 0.05:
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    return None


def _mostly_utf8(data: bytes, first_bad: int) -> Decoded | None:
    """UTF-8 with a few damaged bytes (a bad copy, a cut download): the bytes are
    replaced with U+FFFD and noted rather than the whole article rejected."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    # Real UTF-8 has many valid multi-byte letters around the damage; a legacy 8-bit
    # file has (almost) none, every high byte being an error.
    if multibyte < 20 * bad:
        return None
    note = reason(f"{bad} byte hỏng đã được thay bằng \ufffd (byte đầu tiên ở vị trí {first_bad})",
                  f"{bad} invalid byte(s) replaced with \ufffd (first at byte {first_bad})")
    return Decoded(text, "utf-8", (note,))


# -- legacy Vietnamese 8-bit encodings -------------------------------------------------------
# Before Unicode, Vietnamese text was typed with 8-bit fonts whose byte codes are letters:
# TCVN3 (ABC, fonts ".VnTime") puts each toned lower-case letter in one byte (upper-case
# letters are the same codes in a ".VnTimeH" font, so their case is lost); VNI (fonts
# "VNI-Times") writes a base letter followed by one mark byte, read as Windows-1252.

# TCVN3 bytes 0xA1-0xFF (TCVN 5712:1993 VN3, with VN1's upper-case letters and combining
# marks in the slots VN3 leaves empty, as iconv's TCVN5712-1 reads them).
_TCVN3_HIGH = ("ĂÂÊÔƠƯĐăâêôơưđẶ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒ"
               "ĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ")
_TCVN3 = {0xA1 + i: ch for i, ch in enumerate(_TCVN3_HIGH)}

# VNI: base letter + mark (as Windows-1252 characters) -> the Vietnamese letter.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}


def _vni_pairs() -> dict[str, str]:
    pairs = {}
    for upper in (False, True):
        case = str.upper if upper else str.lower
        for base in "aeouy":
            for mark, tone in _VNI_TONES.items():
                pairs[case(base) + case(mark)] = case(unicodedata.normalize("NFC", base + tone))
        for base, marks, shape in (("a", _VNI_CIRCUMFLEX, "\u0302"), ("e", _VNI_CIRCUMFLEX, "\u0302"),
                                   ("o", _VNI_CIRCUMFLEX, "\u0302"), ("a", _VNI_BREVE, "\u0306")):
            for mark, tone in marks.items():
                pairs[case(base) + case(mark)] = case(unicodedata.normalize("NFC", base + shape + tone))
        for horn_byte, base in (("ô", "ơ"), ("ö", "ư")):  # ơ, ư are one byte, their tone a second
            for mark, tone in _VNI_TONES.items():
                pairs[case(horn_byte) + case(mark)] = case(unicodedata.normalize("NFC", base + tone))
    return pairs


_VNI_PAIRS = _vni_pairs()
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI_SINGLE |= {k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}
_VNI_RE = re.compile("|".join(sorted(map(re.escape, [*_VNI_PAIRS, *_VNI_SINGLE]), key=len, reverse=True)))

# Vietnamese letters: what a correctly decoded text is made of.
_VI_ALPHABET = set(unicodedata.normalize("NFC", "".join(
    base + tone for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")))) | set("đĐ")
_WORD_RE = re.compile(r"[^\W\d_]+")

_LEGACY_NAMES = {"cp1258": ("Windows-1258", "Windows-1258"),
                 "tcvn3": ("TCVN3 (ABC, phông .VnTime)", "TCVN3 (ABC, .VnTime fonts)"),
                 "vni": ("VNI (phông VNI-Times)", "VNI (VNI-Times fonts)")}


def _read_tcvn3(data: bytes) -> str:
    return "".join(_TCVN3.get(b) or chr(b) if b >= 0x80 else chr(b) for b in data)


def _read_vni(data: bytes) -> str:
    text = data.decode("cp1252", errors="replace")
    return _VNI_RE.sub(lambda m: _VNI_PAIRS.get(m.group()) or _VNI_SINGLE[m.group()], text)


def _read_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


_LEGACY_READERS = {"cp1258": _read_cp1258, "tcvn3": _read_tcvn3, "vni": _read_vni}


def vietnamese_share(text: str) -> float:
    """Of the words with a non-ASCII letter, the share that look like Vietnamese: only
    Vietnamese letters, one case shape (xyz, Xyz, XYZ). A wrong 8-bit guess leaves
    symbols (¸ µ ¶), stray marks or upper-case letters inside lower-case words."""
    words = [w for w in _WORD_RE.findall(text) if not w.isascii()]
    symbols = sum(1 for ch in text if ord(ch) > 0x7F and not ch.isalpha() and not ch.isspace()
                  and ch not in "–—‘’“”…•°€")
    if not words:
        return 0.0
    good = sum(1 for w in words if _syllable_like(w))
    return good / (len(words) + symbols)


_TONES = set("\u0300\u0301\u0303\u0309\u0323")
_THREE_MARKED_RE = re.compile(r"[^\x00-\x7f]{3}")


def _syllable_like(word: str) -> bool:
    """Vietnamese letters, one case shape, at most one tone mark, and no three marked
    letters in a row: a word of another script read as Vietnamese fails one of these."""
    return (all(ch.isascii() or ch in _VI_ALPHABET for ch in word)
            and (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower()))
            and sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONES) <= 1
            and not _THREE_MARKED_RE.search(word))


def _legacy_vietnamese(data: bytes) -> Decoded:
    """Windows-1258, TCVN3 or VNI, whichever reads as Vietnamese; else a reason that
    names the closest guess."""
    scored = sorted(((vietnamese_share(read(data)), name) for name, read in _LEGACY_READERS.items()),
                    reverse=True)
    share, best = scored[0]
    if share >= 0.9:
        return Decoded(_LEGACY_READERS[best](data), best)
    vi, en = _LEGACY_NAMES[best]
    if share >= 0.7:
        raise UnreadableFile(reason(
            f"có vẻ là bảng mã cũ {vi} nhưng không chuyển được chắc chắn ({share:.0%} số từ đọc được): "
            "mở bằng Word hoặc Unikey Toolkit, chuyển sang Unicode rồi lưu lại",
            f"looks like the legacy {en} encoding but does not convert cleanly ({share:.0%} of words "
            "readable): convert it to Unicode (Word, Unikey Toolkit) and save again"))
    raise UnreadableFile(reason(
        "không phải văn bản UTF-8, UTF-16, Windows-1258, TCVN3 hay VNI: lưu lại tệp với bảng mã Unicode (UTF-8)",
        "not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI text: save the file again as Unicode (UTF-8)"))
