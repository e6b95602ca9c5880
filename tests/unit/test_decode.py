"""Inbox bytes to text, or a reason (DEVELOPERS.md: bad input gets a clear error)."""
import codecs
import unicodedata

import pytest

from transforms.decode import UnreadableFile, decode_article

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
