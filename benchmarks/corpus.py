"""A synthetic inbox of N articles in the styles of the real ones, for the benchmarks.

Each article mixes sentences of the seed articles (dates, document numbers, ordinals,
quotes: the noise the extractor must skip) with fact sentences built from the catalog's
typical wordings, in every number form of the domain (1.327; 2,34; 15,7%; x/y;
700.000 tỷ đồng; number words), about several provinces and half-years. Deterministic
for a seed: the same call writes the same bytes, so runs compare.

    python -m benchmarks.corpus OUT_DIR --n 10000 [--seed 1]
"""
import argparse
import hashlib
import os
import random
import re
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Seed articles and, once the extraction branch has them, its hand-made test fixtures.
STYLE_SOURCES = (ROOT / "seeds", ROOT / "tests" / "fixtures" / "articles", ROOT.parent / "shared" / "seeds")

PROVINCES = ("Hà Nội", "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Yên Bái",
             "Thái Nguyên", "Bắc Giang", "Quảng Ninh", "Hải Phòng", "Thanh Hóa", "Nghệ An",
             "Thừa Thiên Huế", "Đà Nẵng", "Quảng Nam", "Bình Định", "Khánh Hòa", "Đắk Lắk",
             "Lâm Đồng", "Bình Dương", "Đồng Nai", "Thành phố Hồ Chí Minh", "Long An",
             "Cần Thơ", "Hậu Giang", "Sóc Trăng", "Cà Mau", "Kiên Giang", "An Giang")
SITES = ("baochinhphu.vn", "binhdinh.gov.vn", "HGTV", "moha.gov.vn", "caicachhanhchinh.gov.vn",
         "thainguyen.gov.vn", "Cổng TTĐT tỉnh", "Báo Nhân Dân")
YEARS = (2021, 2022, 2023, 2024, 2025)
NUMBER_WORDS = ("hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười hai",
                "hai mươi", "ba mươi lăm")


def _count(r: random.Random, lo: int = 1, hi: int = 50_000) -> str:
    """A count as written: 1.327 (thousands dot), 83, or a number word."""
    if r.random() < 0.08:
        return r.choice(NUMBER_WORDS)
    return f"{r.randint(lo, hi):,}".replace(",", ".")


def _pct(r: random.Random) -> str:
    """15,7% / 99% / 85,35%."""
    whole = r.randint(10, 99)
    return f"{whole}%" if r.random() < 0.5 else f"{whole},{r.randint(1, 99)}%"


def _decimal(r: random.Random) -> str:
    return f"{r.randint(1, 99)},{r.randint(1, 99)}"


def _qual(r: random.Random) -> str:
    return r.choice(("", "", "", "hơn ", "khoảng ", "gần ", "trên ", "ít nhất "))


# One generator per kind of fact sentence; each returns the sentence's text.
FACTS = (
    lambda r: f"Đã hoàn thành {r.randint(100, 900)}/{r.randint(901, 1200)} nhiệm vụ cải cách hành chính được giao.",
    lambda r: f"Các bộ, ngành, địa phương đã ban hành {_qual(r)}{_count(r, 100, 9000)} văn bản để chỉ đạo, điều hành CCHC.",
    lambda r: f"Kiểm tra công tác CCHC tại {_count(r, 3, 80)} cơ quan, đơn vị.",
    lambda r: f"Chính phủ đã tổ chức {_count(r, 2, 12)} phiên họp chuyên đề về xây dựng pháp luật, ban hành {_count(r, 20, 150)} nghị định.",
    lambda r: f"Cắt giảm, đơn giản hóa {_count(r, 50, 3000)} quy định kinh doanh và {_count(r, 30, 900)} TTHC.",
    lambda r: f"Tiếp nhận {_qual(r)}{_count(r, 1000, 900_000)} hồ sơ, trong đó đã giải quyết {_count(r, 1000, 800_000)} hồ sơ.",
    lambda r: f"Tỷ lệ giải quyết hồ sơ đúng hạn là {_pct(r)}, tỷ lệ hồ sơ trực tuyến đạt {_pct(r)}.",
    lambda r: f"Nhận {_qual(r)}{_count(r, 100, 9000)} phản ánh, kiến nghị; {_pct(r)} phản ánh được xử lý.",
    lambda r: f"Giảm {_count(r, 5, 90)} đơn vị sự nghiệp công lập và {_count(r, 2, 40)} tổ chức cấp phòng thuộc UBND tỉnh.",
    lambda r: f"Sắp xếp {_count(r, 5, 60)} đơn vị cấp huyện, {_count(r, 100, 1500)} đơn vị cấp xã.",
    lambda r: f"Tinh giản biên chế {_count(r, 50, 5000)} người, kỷ luật {_count(r, 1, 40)} cán bộ, công chức.",
    lambda r: f"Mức lương cơ sở tăng lên {_decimal(r)} triệu đồng/tháng.",
    lambda r: f"Thu ngân sách đạt {_pct(r)} dự toán, tăng {_pct(r)} so với cùng kỳ.",
    lambda r: f"Đã tích lũy {_qual(r)}{_count(r, 100, 900)}.000 tỷ đồng để thực hiện cải cách tiền lương.",
    lambda r: f"Giải ngân vốn đầu tư công đạt {_pct(r)} kế hoạch.",
    lambda r: f"Dịch vụ công trực tuyến mức 4 đạt {_count(r, 100, 3000)} thủ tục; {r.randint(50, 90)}/{r.randint(91, 120)} dịch vụ công trực tuyến, đạt {_pct(r)}.",
    lambda r: f"Tỷ lệ văn bản ký số đạt {_pct(r)}, tỷ lệ thanh toán trực tuyến đạt {_pct(r)}.",
    lambda r: f"Thành lập {_qual(r)}{_count(r, 50, 900)} tổ công nghệ số cộng đồng với {_count(r, 500, 9000)} thành viên.",
    lambda r: f"Chỉ số PAR INDEX xếp thứ {r.randint(1, 63)}/63, tăng {r.choice(NUMBER_WORDS[:5])} hạng so với năm trước.",
    lambda r: f"Chỉ số SIPAS đạt {_pct(r)}, xếp thứ {r.randint(1, 63)}/63.",
    lambda r: f"PAPI đạt {r.randint(35, 50)},{r.randint(1, 9)} điểm; PCI xếp thứ {r.randint(1, 63)}/63, đạt {r.randint(60, 75)},{r.randint(1, 9)} điểm.",
    lambda r: f"Xếp hạng môi trường kinh doanh tăng {r.randint(1, 20)} bậc, xếp thứ {r.randint(40, 130)}/132 về chỉ số đổi mới sáng tạo toàn cầu.",
    lambda r: f"Bộ chỉ số phục vụ người dân, doanh nghiệp đạt {r.randint(70, 95)},{r.randint(10, 99)} điểm.",
    lambda r: f"Mục tiêu đến năm {r.randint(2025, 2030)}, tỷ lệ hồ sơ trực tuyến đạt {_pct(r)}; phấn đấu số hóa hồ sơ đạt {_pct(r)}.",
    lambda r: f"Cơ chế một cửa quốc gia đã có {_count(r, 20, 300)} thủ tục với {_count(r, 1000, 60000)} doanh nghiệp tham gia, kết nối {r.choice(NUMBER_WORDS)} bộ, ngành.",
)

_SENTENCE_END = re.compile(r"(?<=[.!?…”])\s+")


def style_sentences() -> list[str]:
    """Sentences of the real articles, deduplicated, in a stable order."""
    seen: dict[str, None] = {}
    for folder in STYLE_SOURCES:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            text = path.read_text(encoding="utf-8", errors="replace")
            for line in text.splitlines():
                for s in _SENTENCE_END.split(line.strip()):
                    if len(s) > 20:
                        seen.setdefault(s)
    return list(seen)


def _period(r: random.Random, year: int, half: int) -> str:
    if half == 1:
        return r.choice((f"6 tháng đầu năm {year}", f"quý II/{year}"))
    return r.choice((f"6 tháng cuối năm {year}", f"năm {year}"))


def article(r: random.Random, noise: list[str]) -> tuple[str, float]:
    """One article's text and its publication time (the file's mtime)."""
    year, half = r.choice(YEARS), r.choice((1, 2))
    month = r.randint(1, 6) + (6 if half == 2 else 0)
    day = r.randint(1, 28)
    province = r.choice(PROVINCES)
    period = _period(r, year, half)
    lines = [f"({r.choice(SITES)}) - Kết quả công tác cải cách hành chính {period} tại {province}",
             ""]
    for _ in range(r.randint(4, 8)):
        para = [r.choice(noise) for _ in range(r.randint(1, 3))]
        for _ in range(r.randint(0, 3)):
            opener = r.choice(("", "", f"Trong {period}, ", f"Tại {r.choice(PROVINCES)}, ",
                               "Theo báo cáo tại hội nghị, ", f"Ngày {day}/{month}/{year}, "))
            fact = r.choice(FACTS)(r)
            para.insert(r.randint(0, len(para)), opener + fact[0].lower() + fact[1:] if opener else fact)
        lines.append(" ".join(para))
        if r.random() < 0.2:
            lines.append(r.choice(("Quang cảnh hội nghị", f"screenshot {r.randint(10**9, 2 * 10**9)}",
                                   f"Toàn cảnh phiên họp (Ảnh: {r.choice(SITES)})")))
        lines.append("")
    published = datetime(year, month, day, r.randint(6, 20), r.randint(0, 59)).timestamp()
    return "\n".join(lines), published


def write_corpus(out: Path, n: int, seed: int = 1, start: int = 0) -> list[Path]:
    """Write articles start..start+n-1 of the seed's sequence into `out`; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    noise = style_sentences()
    paths = []
    for i in range(start, start + n):
        r = random.Random(f"{seed}:{i}")  # per-article stream: any slice is reproducible
        text, published = article(r, noise)
        data = text.encode("utf-8")
        roll = r.random()
        if roll < 0.05:
            data = text.replace("\n", "\r\n").encode("utf-8")   # written on Windows
        elif roll < 0.08:
            data = b"\xef\xbb\xbf" + data                          # Notepad's UTF-8 BOM
        path = out / f"{i:06d}_{hashlib.sha1(data).hexdigest()[:16]}.txt"
        path.write_bytes(data)
        os.utime(path, (published, published))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    write_corpus(args.out, args.n, args.seed)
    print(f"{args.n} articles in {args.out} ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
