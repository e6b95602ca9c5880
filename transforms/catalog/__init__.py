"""The metric catalog: `metrics.yaml` beside this file, read into typed objects.

The YAML is the one place a domain expert edits; code only interprets it.
"""
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

CATALOG_FILE = Path(__file__).with_name("metrics.yaml")
UNITS = ("count", "percent", "rank", "vnd", "places")


class CatalogError(ValueError):
    """The catalog file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Metric:
    id: str
    area: str
    label_vi: str
    label_en: str
    units: tuple[str, ...]
    has_total: bool
    breakdowns: tuple[str, ...]
    ranges: dict[str, tuple[float | None, float | None]]
    example: str = ""
    parts_additive: bool = False    # the parts in `breakdowns` may be added up (report subtotals)
    headline: int | None = None     # position on the report's Tổng quan (template order)
    subnational: bool = False       # an index of provinces or ministries: never the country's figure
    total_from: str | None = None   # the metric whose count stated just before is this one's whole
    # Free-form extraction hints (cue phrases and the like), read by transforms.extract.article.
    cues: dict = field(default_factory=dict, hash=False, compare=False)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def range_for(self, unit: str) -> tuple[float | None, float | None]:
        return self.ranges.get(unit, (None, None))


@dataclass(frozen=True)
class Catalog:
    version: str
    areas: dict[str, dict[str, str]]  # area id -> {"vi": ..., "en": ...}
    metrics: dict[str, Metric]
    path: Path
    # breakdown label -> phrases that name it in a sentence, read by transforms.extract.cues.
    breakdown_cues: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    # rankings outside the catalog, read by transforms.extract.cues (metrics.yaml `other_rankings`)
    other_rankings: tuple[str, ...] = ()

    def __contains__(self, metric_id: str) -> bool:
        return metric_id in self.metrics

    def __getitem__(self, metric_id: str) -> Metric:
        return self.metrics[metric_id]

    def area_label(self, area: str, lang: str = "vi") -> str:
        return self.areas.get(area, {}).get(lang, area)


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise CatalogError(f"catalog {path} cannot be read: {e}") from None
    unit_ranges = {u: tuple(r) for u, r in (data.get("unit_ranges") or {}).items()}
    areas = data.get("areas") or {}
    metrics: dict[str, Metric] = {}
    for n, entry in enumerate(data.get("metrics") or [], 1):
        where = f"catalog {path}, metric #{n} ({entry.get('id', '?')})"
        try:
            units = tuple(entry["units"])
            metric = Metric(
                id=entry["id"], area=entry["area"],
                label_vi=entry["label"]["vi"], label_en=entry["label"]["en"],
                units=units, has_total=bool(entry.get("has_total", False)),
                breakdowns=tuple(entry.get("breakdowns") or ()),
                ranges={u: tuple((entry.get("ranges") or {}).get(u, unit_ranges.get(u, (None, None))))
                        for u in units},
                example=entry.get("example", ""), cues=entry.get("cues") or {},
                parts_additive=bool(entry.get("parts_additive", False)), headline=entry.get("headline"),
                subnational=bool(entry.get("subnational", False)), total_from=entry.get("total_from"),
            )
        except (KeyError, TypeError) as e:
            raise CatalogError(f"{where}: missing or malformed field {e}") from None
        if metric.area not in areas:
            raise CatalogError(f"{where}: unknown area {metric.area!r}")
        if bad := [u for u in units if u not in UNITS]:
            raise CatalogError(f"{where}: unknown unit(s) {bad}")
        if metric.id in metrics:
            raise CatalogError(f"{where}: duplicate id")
        metrics[metric.id] = metric
    for metric in metrics.values():
        if metric.total_from is not None and metric.total_from not in metrics:
            raise CatalogError(f"catalog {path}, metric {metric.id}: total_from names no metric ({metric.total_from!r})")
    breakdown_cues = {label: tuple(phrases or ()) for label, phrases in (data.get("breakdown_cues") or {}).items()}
    return Catalog(version=str(data["version"]), areas=areas, metrics=metrics, path=Path(path),
                   breakdown_cues=breakdown_cues, other_rankings=tuple(data.get("other_rankings") or ()))
