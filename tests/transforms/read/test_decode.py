"""Inbox bytes to text, or a reason (DEVELOPERS.md: bad input gets a clear error)."""
import codecs
import unicodedata
from pathlib import Path

import pytest

from transforms.read.decode import _VNI_PAIRS, _VNI_SINGLE, UnreadableFile, decode_article, decode_text

ROOT = Path(__file__).resolve().parents[3]

VI = "Cải cách hành chính 6 tháng đầu năm 2024: hoàn thành 400/991 nhiệm vụ."


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 writes Vietnamese: base letters (ă, â, ơ …) precomposed,
    tone marks as combining characters."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for i, mark in enumerate(marks):  # the vowel mark that makes a cp1258 letter (â, ơ …)
            head = unicodedata.normalize("NFC", base + mark)
            if len(head) == 1 and head.encode("cp1258", errors="ignore"):
                base, marks = head, marks[:i] + marks[i + 1:]
                break
        out += (base + "".join(marks)).encode("cp1258")
    return out


@pytest.mark.parametrize("data", [
    VI.encode("utf-8"),
    codecs.BOM_UTF8 + VI.encode("utf-8"),
    VI.encode("utf-16"),                    # UTF-16 with BOM (Notepad "Unicode")
    cp1258(VI),                             # legacy Vietnamese Windows code page
    VI.encode("utf-8").decode("latin-1").encode("utf-8"),  # decoded twice: "Cáº£i cÃ¡ch"
])
def test_encodings_decode_to_the_same_nfc_text(data):
    assert decode_article(data) == VI


def test_nfd_becomes_nfc():
    assert decode_article(unicodedata.normalize("NFD", VI).encode("utf-8")) == VI


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\t ", "only whitespace"),
    (b"%PDF-1.7\n...", "PDF"),
    (b"PK\x03\x04\x14\x00", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"abc\x00def", "NUL"),
    (bytes(range(1, 32)) * 20, "control characters"),
])
def test_unreadable_files_say_why(data, reason):
    with pytest.raises(UnreadableFile, match=reason):
        decode_article(data)


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_become_lf(line_end):
    assert decode_article((VI + "\n" + VI).replace("\n", line_end).encode("utf-8")) == VI + "\n" + VI


def test_a_long_doubly_decoded_text_is_repaired_not_taken_for_binary():
    # Latin-1 turns the UTF-8 lead bytes of "ả", "ạ" … into C1 controls: dozens in a page
    text = "\n".join([VI] * 20)
    assert decode_article(text.encode("utf-8").decode("latin-1").encode("utf-8")) == text


# -- legacy 8-bit font encodings, damaged bytes, UTF-16 without BOM (issues 12, 16) ----------

def test_tcvn3_abc_text_is_converted():
    # "Cộng hoà xã hội chủ nghĩa Việt Nam" as a .VnTime document shows it in Windows
    data = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. C¶i c¸ch hµnh chÝnh n¨m 2024 ®¹t 98,5%.".encode("cp1252")
    decoded = decode_text(data)
    assert decoded.encoding == "tcvn3"
    assert decoded.text == "Cộng hoà xã hội chủ nghĩa Việt Nam. Cải cách hành chính năm 2024 đạt 98,5%."


def test_vni_text_is_converted():
    # VNI-Times: base letter, then a mark byte ("aø" = à)
    data = "Caûi caùch haønh chính nhaø nöôùc naêm 2024 ñaït 98,5%. ÑAÛNG BOÄ TÆNH.".encode("cp1252")
    decoded = decode_text(data)
    assert decoded.encoding == "vni"
    assert decoded.text == "Cải cách hành chính nhà nước năm 2024 đạt 98,5%. ĐẢNG BỘ TỈNH."


def test_a_whole_seed_article_in_vni_reads_back():
    seed = (ROOT / "seeds" / "001_13960fbe25726a23.txt").read_text(encoding="utf-8")
    to_vni = {v: k for k, v in {**_VNI_PAIRS, **_VNI_SINGLE}.items() if len(k) == len(max(
        (kk for kk, vv in {**_VNI_PAIRS, **_VNI_SINGLE}.items() if vv == v), key=len))}
    data = "".join(to_vni.get(ch, ch) for ch in seed).encode("cp1252")
    assert decode_text(data).text == seed


@pytest.mark.parametrize("text, codepage, named", [
    # VNI with bytes of a symbol font mixed in: named, so the clerk knows what to convert from
    ("Caûi caùch haønh chính nhaø nöôùc naêm 2024 ñaït 98,5%. Boä phaän ¤ moät cöûa ¦ ñaït 100%.", "cp1252",
     "looks like the legacy VNI"),
    ("Ceci n'est pas vietnamien: élève, garçon, déjà vu, où. " * 5, "cp1252", "not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI"),
    ("Это не вьетнамский текст, а русский. " * 5, "cp1251", "not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI"),
])
def test_an_8_bit_text_that_is_not_vietnamese_is_rejected_naming_the_encoding(text, codepage, named):
    with pytest.raises(UnreadableFile, match=named) as e:
        decode_text(text.encode(codepage))
    assert " / " in str(e.value) and "Unicode" in str(e.value)


def test_one_invalid_byte_is_replaced_and_noted_not_the_article_lost():
    data = VI.encode("utf-8") * 5
    data = data[:33] + b"\xff" + data[33:]  # byte 33: after "tháng"
    decoded = decode_text(data)
    assert decoded.text.count("\ufffd") == 1 and "400/991" in decoded.text
    assert decoded.notes and "1 invalid byte(s) replaced" in decoded.notes[0] and "byte 33" in decoded.notes[0]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text_not_binary(encoding):
    decoded = decode_text(("\n".join([VI] * 3)).encode(encoding))
    assert decoded.encoding == encoding and decoded.text == "\n".join([VI] * 3)


def test_reasons_are_vietnamese_then_english():
    with pytest.raises(UnreadableFile) as e:
        decode_article(b"")
    assert str(e.value) == "tệp rỗng / empty file"
