"""Extraction time grows linearly with the article on input built to make regexes
backtrack (issue 16, item 4): a 2 MB article of it costs about 32x a 64 kB one, never
the 1000x of a quadratic pattern or the hours of an exponential one. About 5 s."""
import time

from transforms.extract.article import extract_article

# Each line aims at one pattern family; "ước đạt" repeated made cues._LEAD_GAP exponential,
# "(ảnh:" without a closing bracket made clean._DROP_RE quadratic.
LINES = [
    "Tỉnh " + "ước đạt " * 30 + "x 98% hồ sơ.",
    "Thủ tướng " + "(ảnh: " * 40 + "Baochinhphu.vn",
    "Số hồ sơ là " + "hai " * 60 + "nghìn.",
    "Tỷ lệ " + "1.327/" * 30 + "3.009 hồ sơ.",
    "Chỉ số " + ". " * 50 + "86,5%.",
    "Bình luận",
    "Năm 2024, tỉnh đã giải quyết 1.327 hồ sơ trực tuyến, đạt 98,5% so với kế hoạch đề ra.",
]


def _article(size: int) -> str:
    # a quarter of the article is one line of captions: per-line patterns see it whole
    out = ["Thủ tướng " + "(ảnh: " * (size // 4 // 8)]
    n, i = size // 4, 0
    while n < size:
        line = f"{LINES[i % len(LINES)]} (đoạn {i})"  # distinct: repeated lines are dropped
        out.append(line)
        n += len(line.encode("utf-8")) + 1
        i += 1
    return "\n".join(out)


def _seconds(size: int) -> float:
    text = _article(size)
    start = time.perf_counter()
    extract_article(text, file="adversarial.txt", content_sha256="x")
    return time.perf_counter() - start


def test_extraction_time_grows_linearly_from_1_kb_to_2_mb():
    sizes = [1_000, 64_000, 256_000, 2_000_000]
    times = [_seconds(n) for n in sizes]
    per_byte = [t / n for t, n in zip(times, sizes)]
    # linear: the cost per byte at 2 MB stays near the one at 256 kB (x3 slack for a busy
    # machine); a quadratic pattern multiplies it by 8 between these two sizes
    assert per_byte[3] < 3 * per_byte[2], dict(zip(sizes, times))
