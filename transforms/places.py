"""Province gazetteer: the 63 provinces before the 2025 merger, as articles name them.

Names come from `catalog/provinces-2025.tsv` (old province -> new province, Nghị quyết
202/2025/QH15). Matching is on whole words of the folded text, so a person called
"Lâm Hải Giang" is not Hà Giang; a province name right after a personal name
("Nguyễn Thái Bình") is a person too.
"""
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from transforms.numbers import fold
from transforms.phrases import PhraseMatcher

PROVINCES_FILE = Path(__file__).with_name("catalog") / "provinces-2025.tsv"

# Other spellings in use, keyed by the TSV's old_name. Tone placement ("Hoà"/"Hòa") and
# case are folded away, and " - " in a name matches any dash or none.
ALIASES = {
    "Hồ Chí Minh": ["TP.HCM", "TP. HCM", "TP HCM", "TPHCM", "Thành phố Hồ Chí Minh", "HCMC"],
    "Huế": ["Thừa Thiên Huế", "Thừa Thiên - Huế"],
    "Bà Rịa - Vũng Tàu": ["BR-VT", "BRVT", "Bà Rịa Vũng Tàu"],
    "Đắk Lắk": ["Đắc Lắc", "Đắk Lắc", "Đăk Lăk", "Đắc Lắk", "Daklak", "Dak Lak"],
    "Đắk Nông": ["Đăk Nông", "Đắc Nông", "Dak Nong"],
    "Kon Tum": ["Kontum"],
    "Bắc Kạn": ["Bắc Cạn"],
    "Hà Nội": ["Thủ đô Hà Nội"],
}
# Words that precede a personal name's last part: surnames and common middle names.
_NAME_WORDS = frozenset(fold(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lâm Đinh Trương "
    "Mai Tô Đoàn Lương Cao Trịnh Văn Thị Hữu Đức Công Quốc Thanh Minh Ngọc Thu Kim").split())
_WORD_BEFORE_RE = re.compile(r"(\w+)\s+$")


@dataclass(frozen=True)
class Province:
    name: str        # as before the 2025 merger (the TSV's old_name)
    full_name: str   # "Tỉnh Bắc Kạn"
    new_name: str    # the province it belongs to since 1/7/2025
    new_full_name: str


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    province: str  # old name


@lru_cache(maxsize=1)
def provinces() -> dict[str, Province]:
    with PROVINCES_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return {r["old_name"]: Province(r["old_name"], r["old_full_name"], r["new_name"], r["new_full_name"])
            for r in rows}


def _spellings(name: str) -> list[str]:
    """A folded spelling and its dash variants: "bà rịa - vũng tàu", "bà rịa-vũng tàu", ..."""
    parts = fold(name).split(" - ")
    return [sep.join(parts) for sep in (" - ", "-", " – ", "–", " ")] if len(parts) > 1 else [parts[0]]


@lru_cache(maxsize=1)
def _matcher() -> tuple[PhraseMatcher, dict[str, str]]:
    spelling_to_name = {}
    for name in provinces():
        for spelling in [name, *ALIASES.get(name, ())]:
            for variant in _spellings(spelling):
                spelling_to_name[variant] = name
    return PhraseMatcher(spelling_to_name), spelling_to_name


def canonical_name(spelling: str) -> str | None:
    """The old province name for any accepted spelling ("TP.HCM" -> "Hồ Chí Minh")."""
    spelling = spelling.strip()
    found = find_provinces(spelling)
    whole = len(found) == 1 and (found[0].start, found[0].end) == (0, len(spelling))
    return found[0].province if whole else None


def find_provinces(text: str, folded: str | None = None) -> list[Mention]:
    """Province mentions in `text` (offsets into it), skipping personal names."""
    folded = fold(text) if folded is None else folded
    matcher, names = _matcher()
    out = []
    for m in matcher.finditer(folded):
        w = _WORD_BEFORE_RE.search(text, max(0, m.start() - 20), m.start())
        if w and w.group(1)[:1].isupper() and fold(w.group(1)) in _NAME_WORDS:
            continue
        out.append(Mention(m.start(), m.end(), names[m.group()]))
    return out


def new_province(old_name: str) -> str:
    """The province an old province belongs to since the 2025 merger."""
    name = old_name if old_name in provinces() else canonical_name(old_name)
    if name is None:
        raise KeyError(f"not a pre-2025 province: {old_name!r}")
    return provinces()[name].new_name
