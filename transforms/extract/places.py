"""Gazetteers: the 63 provinces before the 2025 merger and their districts, as articles name them.

Province names come from `catalog/provinces-2025.tsv` (old province -> new province, Nghị
quyết 202/2025/QH15). Matching is on whole words of the folded text, so a person called
"Lâm Hải Giang" is not Hà Giang; a province name right after a personal name
("Nguyễn Thái Bình") is a person too.

District-level units (huyện, quận, thị xã, thành phố thuộc tỉnh) come from
`catalog/districts-pre2025.tsv`, generated from a data package by
`scripts/build_district_gazetteer.py`; they are found only with their type word
("huyện Sơn Dương", "TP. Bà Rịa"), since a bare district name is too often a person, a
ward or a company. Communes, wards and townships come the same way from
`catalog/communes-pre2025.tsv` ("xã Tân Thành Bình" → huyện Mỏ Cày Bắc, Bến Tre).
"""
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from transforms.extract.numbers import fold
from transforms.extract.phrases import PhraseMatcher

PROVINCES_FILE = Path(__file__).parents[1] / "catalog" / "provinces-2025.tsv"
DISTRICTS_FILE = Path(__file__).parents[1] / "catalog" / "districts-pre2025.tsv"
COMMUNES_FILE = Path(__file__).parents[1] / "catalog" / "communes-pre2025.tsv"

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
_WORD_RUN_RE = re.compile(r"\w+")
_WORD_AFTER_RE = re.compile(r"[ \t]+(\w+)")


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
    return _find_names(text, fold(text) if folded is None else folded, *_matcher())


COUNTRIES_FILE = Path(__file__).parents[1] / "catalog" / "countries.txt"


@lru_cache(maxsize=1)
def _country_matcher() -> tuple[PhraseMatcher, dict[str, str]]:
    names = [line.strip() for line in COUNTRIES_FILE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    spelling = {fold(n): n for n in names}
    return PhraseMatcher(spelling), spelling


def find_countries(text: str, folded: str | None = None) -> list[Mention]:
    """Mentions of other countries (catalog/countries.txt), with the checks of provinces:
    "Mỹ Tho" or "Nguyễn Thị Mỹ" is no country."""
    return [m for m in _find_names(text, fold(text) if folded is None else folded, *_country_matcher())
            if text[m.start].isupper()]


def _find_names(text: str, folded: str, matcher: PhraseMatcher, names: dict[str, str]) -> list[Mention]:
    out = []
    for m in matcher.finditer(folded):
        w = _word_before(text, m.start())
        if w and w[0].isupper() and fold(w) in _NAME_WORDS:
            continue
        if (nxt := _WORD_AFTER_RE.match(text, m.end())) and nxt.group(1)[:1].isupper() \
                and not matcher.match(folded, nxt.start(1)):
            continue  # part of a longer name: "Thái Bình Dương", báo "Hà Nội Mới"
        out.append(Mention(m.start(), m.end(), names[m.group()]))
    return out


def _word_before(text: str, pos: int) -> str | None:
    """The word (up to 20 characters) that ends right before the white space before `pos`."""
    chunk = text[max(0, pos - 20):pos]
    stripped = chunk.rstrip()
    if len(stripped) == len(chunk):
        return None
    run = _WORD_RUN_RE.match(stripped[::-1])  # read backwards: a match, not a search from each position
    return stripped[len(stripped) - run.end():] if run else None


def new_province(old_name: str) -> str:
    """The province an old province belongs to since the 2025 merger."""
    name = old_name if old_name in provinces() else canonical_name(old_name)
    if name is None:
        raise KeyError(f"not a pre-2025 province: {old_name!r}")
    return provinces()[name].new_name


# --- districts -------------------------------------------------------------------------

# Type words as articles write them (folded), and the kind each names.
_TYPE_WORDS = {"huyện": "huyen", "quận": "quan", "thị xã": "thi_xa", "thành phố": "thanh_pho",
               "tp.": "thanh_pho", "tp": "thanh_pho", "tx.": "thi_xa", "tx": "thi_xa"}
# Apostrophes in Central Highlands names ("Cư M'gar") are typed three ways.
_APOSTROPHES = ("'", "’", "")
_FOLDED_TYPE_RE = re.compile(r"(?:huyện|quận|thị xã|thành phố|tp\.?|tx\.?)\s*")


@dataclass(frozen=True)
class District:
    code: str       # General Statistics Office code
    kind: str       # huyen, quan, thi_xa, thanh_pho (its type before the 2025 merger)
    name: str       # "Sơn Dương", without its type word
    province: str   # old province name, as in provinces-2025.tsv


@dataclass(frozen=True)
class LocalityMention:
    start: int
    end: int
    name: str             # a district as written, with its type word: "huyện Sơn Dương", "TP. Bà Rịa";
                          # a commune with its district when known: "xã Tân Thành Bình (huyện Mỏ Cày Bắc)"
    kind: str             # the kind its type word names: huyen, quan, thi_xa, thanh_pho; xa, phuong, thi_tran
    province: str | None  # old province name; None when the name is ambiguous


@lru_cache(maxsize=1)
def districts() -> tuple[District, ...]:
    with DISTRICTS_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))
    return tuple(District(r["code"], r["kind"], name, r["province"])
                 for r in rows for name in [r["name"], *filter(None, r["also"].split("|"))])


def _district_spellings(name: str) -> set[str]:
    out = set()
    for spelling in _spellings(name):
        out.update(spelling.replace("'", a) for a in _APOSTROPHES)
    return out


@lru_cache(maxsize=1)
def _district_index() -> dict[str, tuple[District, ...]]:
    """Folded spelling of a district name -> the districts so named (several when ambiguous).

    A name that is also a province's ("thành phố Cần Thơ") is the province, not a
    district; the data has none such for the centrally governed cities, but the
    province gazetteer owns those names whatever a later data release holds.
    """
    city_provinces = {fold(p.name) for p in provinces().values() if p.full_name.startswith("Thành phố")}
    index: dict[str, list[District]] = {}
    for d in districts():
        for spelling in _district_spellings(d.name):
            if spelling not in city_provinces:
                index.setdefault(spelling, []).append(d)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _locality_matcher() -> PhraseMatcher:
    phrases = []
    for type_word in _TYPE_WORDS:
        seps = ("", " ") if type_word.endswith(".") else (" ",)
        # A number names a district only after "quận" ("quận 1"): "thành phố 6 tháng" is a time.
        names = [n for n in _district_index() if type_word == "quận" or not n[0].isdigit()]
        phrases += [type_word + sep + name for name in names for sep in seps]
    return PhraseMatcher(phrases)


def _resolve(candidates: tuple[District, ...], kind: str, context: set[str]) -> str | None:
    """The one province the named district is in: among the candidates, those in a
    province named around it first (an older article's "huyện Phong Điền" in Huế, a town
    since 2024), then those of the written kind (quận Tân Phú is Hồ Chí Minh's, huyện
    Tân Phú Đồng Nai's)."""
    found = {d.province for d in candidates}
    if len(found) > 1:
        found = (found & context) or found
    if len(found) > 1:
        found &= {d.province for d in candidates if d.kind == kind}
    return found.pop() if len(found) == 1 else None


def find_localities(text: str, folded: str | None = None,
                    context_provinces: Iterable[str] = ()) -> list[LocalityMention]:
    """District-level units named with their type word in `text` (offsets into it).

    A name shared by districts of several provinces gets the province named in the same
    text or given in `context_provinces` (old names), or None when that does not decide.
    The name must start with a capital letter or a digit ("quận 1"): "thành phố thông
    minh" is no place.
    """
    folded = fold(text) if folded is None else folded
    index = _district_index()
    found = []
    for m in _locality_matcher().finditer(folded):
        type_end = _FOLDED_TYPE_RE.match(folded, m.start()).end()
        if text[type_end:type_end + 1].islower():
            continue
        type_word = folded[m.start():type_end].rstrip()
        found.append((m, _TYPE_WORDS[type_word], index[folded[type_end:m.end()]]))
    communes = _commune_candidates(text, folded)
    if not found and not communes:
        return []
    context = {p.province for p in find_provinces(text, folded)} | set(context_provinces)
    out = [LocalityMention(m.start(), m.end(), text[m.start():m.end()], kind, _resolve(cands, kind, context))
           for m, kind, cands in found]
    districts_named = {fold(d.name) for m, kind, cands in found for d in cands}
    for start, name_start, end, kind, cands in communes:
        out.append(_commune_mention(text[name_start:end], start, end, kind, cands, districts_named, context))
    return sorted(out, key=lambda m: m.start)


@dataclass(frozen=True)
class Commune:
    code: str       # General Statistics Office code
    kind: str       # xa, phuong, thi_tran
    name: str       # "Tân Thành Bình", without its type word
    district: str   # as articles write it: "huyện Mỏ Cày Bắc"
    province: str   # old province name


_COMMUNE_KINDS = {"xã": "xa", "phường": "phuong", "thị trấn": "thi_tran", "tt.": "thi_tran"}
_COMMUNE_TYPE_WORD = {"xa": "xã", "phuong": "phường", "thi_tran": "thị trấn"}
# The type word, not the end of "thị xã", then up to four words of a name.
_COMMUNE_RE = re.compile(r"(?<!\w)(?<!thị )(?P<type>xã|phường|thị trấn|tt\.)\s*(?P<name>\w+(?:[ \t]\w+){0,3})")


# A type word in the folded text, then (checked in the text) a capital. Opening with
# literals of the folded text, it scans about six times faster than one pattern of both cases.
_COMMUNE_TYPE_RE = re.compile(r"(?:xã|phường|thị trấn|tt\.)\s*")


@lru_cache(maxsize=1)
def _commune_index() -> dict[str, tuple[Commune, ...]]:
    """Folded commune name -> the communes so named (most names are one commune; a few hundred
    are shared, often by a xã and a phường of one town)."""
    with COMMUNES_FILE.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        index: dict[str, list[Commune]] = {}
        for r in rows:
            if not r["name"][:1].isdigit():  # "phường 1" is in every other town
                index.setdefault(fold(r["name"]), []).append(
                    Commune(r["code"], r["kind"], r["name"], r["district"], r["province"]))
    return {k: tuple(v) for k, v in index.items()}


def _commune_candidates(text: str, folded: str) -> list[tuple[int, int, int, str, tuple[Commune, ...]]]:
    """(start, name start, end, kind, communes) of each "xã|phường|thị trấn Name" with a capitalised name
    that the gazetteer knows, the longest known name first."""
    if not any(text[m.end():m.end() + 1].isupper() for m in _COMMUNE_TYPE_RE.finditer(folded)):
        return []  # "xã hội", "các xã": most sentences have a type word and no name after it
    index, out = _commune_index(), []
    for m in _COMMUNE_RE.finditer(folded):
        if not text[m.start("name")].isupper():
            continue  # "UBND xã đã …", "phường, xã"
        words = m.group("name").split()
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            if name in index:
                end = m.start("name") + len(name)
                out.append((m.start(), m.start("name"), end, _COMMUNE_KINDS[m.group("type")], index[name]))
                break
    return out


def _commune_mention(written: str, start: int, end: int, kind: str, candidates: tuple[Commune, ...],
                     districts_named: set[str], context: set[str]) -> LocalityMention:
    """A commune's mention, resolved by its written kind, then by a district or province the
    text names; named with its district when that is certain ("xã Tân Thành Bình (huyện Mỏ
    Cày Bắc)"), since a commune's name alone is often shared. `written` is its name as the
    text writes it, without the type word."""
    found = [c for c in candidates if c.kind == kind] or list(candidates)
    for narrower in ([c for c in found if _plain_district(c) in districts_named],
                     [c for c in found if c.province in context]):
        if len(found) > 1 and narrower:
            found = narrower
    provinces_found = {c.province for c in found}
    province = provinces_found.pop() if len(provinces_found) == 1 else None
    name = f"{_COMMUNE_TYPE_WORD[kind]} {written}"
    if len(found) == 1:
        name += f" ({found[0].district})"
    return LocalityMention(start, end, name, kind, province)


def _plain_district(c: Commune) -> str:
    """The folded name of a commune's district without its type word: "mỏ cày bắc"."""
    district = fold(c.district)
    return district[_FOLDED_TYPE_RE.match(district).end():]


def province_of_locality(name: str) -> str | None:
    """The old province of a district given with or without its type word ("huyện Sơn
    Dương" or "Sơn Dương"); None when unknown or when several provinces have one so named."""
    name = name.strip()
    whole = [m for m in find_localities(name) if (m.start, m.end) == (0, len(name))]
    if whole:
        return whole[0].province
    found = {d.province for d in _district_index().get(fold(name), ())}
    return found.pop() if len(found) == 1 else None


AGENCIES_FILE = Path(__file__).parents[1] / "catalog" / "agencies.txt"


@lru_cache(maxsize=1)
def _agency_matcher() -> tuple[PhraseMatcher, dict[str, str]]:
    spelling = {}
    for line in AGENCIES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, *aliases = (part.strip() for part in line.split("|"))
            for n in (name, *aliases):
                spelling[fold(n)] = name
                if " - " in n:
                    spelling[fold(n).replace(" - ", ", ")] = name
    return PhraseMatcher(spelling), spelling


def find_agencies(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the ministries and national agencies named in a folded text."""
    matcher, names = _agency_matcher()
    return [(m.start(), m.end(), names[m.group()]) for m in matcher.finditer(folded)]
