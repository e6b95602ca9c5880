"""Compare transforms.read.clean's regex sentence splitter with underthesea's sent_tokenize.

usage: python scripts/compare_sentence_splitters.py [ARTICLE_DIR...]
Prints, for hand-checked tricky cases, how many each splitter gets exactly right; how
often the two disagree on real articles; and the time each takes. The numbers and the
decision are recorded in docs/extraction.md.
"""
import sys
import time
from pathlib import Path

from underthesea import sent_tokenize

from transforms.read.clean import clean_text

# (paragraph, the sentences a reader expects)
CASES = [
    ("Tại TP. Quy Nhơn, tỉnh họp. Kết quả tốt.", ["Tại TP. Quy Nhơn, tỉnh họp.", "Kết quả tốt."]),
    ("PGS.TS. Nguyễn Văn A phát biểu. Hội nghị kết thúc.", ["PGS.TS. Nguyễn Văn A phát biểu.", "Hội nghị kết thúc."]),
    ("Các địa phương hoàn thành 1.327/3.009 nhiệm vụ. Tốt.", ["Các địa phương hoàn thành 1.327/3.009 nhiệm vụ.", "Tốt."]),
    ("Đạt 15,7%. Tăng 2 bậc.", ["Đạt 15,7%.", "Tăng 2 bậc."]),
    ("Gồm: 1. Rà soát. 2. Đối thoại.", ["Gồm: 1. Rà soát.", "2. Đối thoại."]),
    ("Ở TP. Hồ Chí Minh, thành phố tiếp nhận 1.254.300 hồ sơ. Tỷ lệ đạt 76,8%.",
     ["Ở TP. Hồ Chí Minh, thành phố tiếp nhận 1.254.300 hồ sơ.", "Tỷ lệ đạt 76,8%."]),
    ("ThS. Lê Văn B, Phó Giám đốc Sở, cho biết. Sau đó họp.", ["ThS. Lê Văn B, Phó Giám đốc Sở, cho biết.", "Sau đó họp."]),
    ('Ông nói: "Làm ngay." Sau đó họp.', ['Ông nói: "Làm ngay."', "Sau đó họp."]),
    ("(1)Rà soát quy định; (2)đối thoại với doanh nghiệp.", ["(1)Rà soát quy định; (2)đối thoại với doanh nghiệp."]),
    ("Chỉ số PAR INDEX xếp thứ 27/63 tăng 1 hạng. Chỉ số PCI xếp thứ 38/63.",
     ["Chỉ số PAR INDEX xếp thứ 27/63 tăng 1 hạng.", "Chỉ số PCI xếp thứ 38/63."]),
]


def regex_split(paragraph: str) -> list[str]:
    ct = clean_text(paragraph)
    return [ct.text[s:e] for s, e, _ in ct.sentences]


def main(dirs: list[str]) -> None:
    for name, split in (("regex", regex_split), ("underthesea", sent_tokenize)):
        right = sum(split(p) == want for p, want in CASES)
        print(f"{name:12s} tricky cases right: {right}/{len(CASES)}")
    paragraphs = []
    for d in dirs:
        for path in sorted(Path(d).glob("*.txt")):
            ct = clean_text(path.read_text(encoding="utf-8"))
            paragraphs += [ct.text[s:e] for s, e in ct.paragraphs]
    differ = sum(regex_split(p) != [s.strip() for s in sent_tokenize(p)] for p in paragraphs)
    print(f"paragraphs from {len(dirs)} folder(s): {len(paragraphs)}, splitters disagree on {differ}")
    text = "\n".join(paragraphs) * 20
    for name, split in (("regex", regex_split), ("underthesea", sent_tokenize)):
        t = time.perf_counter()
        for p in text.split("\n"):
            split(p)
        dt = time.perf_counter() - t
        print(f"{name:12s} {len(text) / dt / 1e6:.2f} MB/s ({dt:.3f} s for {len(text) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
