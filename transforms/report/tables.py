"""The tables of the half-year report, one function per sheet, as polars frames.

Pure functions of the store's frames (records with `quarantined`/`failed_rules`,
articles, rule outcomes): no Excel here, so every figure of the workbook is tested
without opening one. Columns are ids from `labels.COLUMNS`; codes (kind, unit, …)
are already translated into `lang`.

Counting rules, in one place:
- the records of a half-year are those with `report_half == half`;
- a figure counts only if its record is not quarantined, and the same fact stated by
  several articles (equal `fact_key`) counts once (`facts`);
- counts are added up only within one metric, unit, place and period, only over parts of
  a whole the catalog declares additive (`parts_additive`) and only when the text does
  not state the whole (`subtotal_parts`); percents, ranks and money are never added.
"""
from functools import lru_cache

import polars as pl

from transforms.catalog import load_catalog
from transforms.extract.periods import HalfYear
from transforms.extract.places import provinces
from transforms.report.labels import (
    NATIONWIDE, PUBLIC_SERVICE_INDEX, SCORE_POINTS, SUBTOTAL, VOCAB, pick,
)


# A place-and-thing a figure is about; the same slot in two half-years is comparable.
SLOT = ["metric_id", "kind", "unit", "breakdown", "geography"]

# Breakdowns that are the whole, not a part: never added to anything.
WHOLE_BREAKDOWNS = ("tong",)
# Breakdown vocabularies that describe the same things twice (Nghị định 42/2022 replaced
# "mức độ 3/4" by "toàn trình/một phần"): parts are added only within one family.
BREAKDOWN_FAMILY = {"muc_3": "muc", "muc_4": "muc", "toan_trinh": "nd42", "mot_phan": "nd42"}

# The indices of the rankings sheet: (name, score metric, rank metric).
INDICES = (
    (("PAR INDEX", "PAR INDEX"), "par_index_score", "par_index_rank"),
    (("SIPAS", "SIPAS"), "sipas_score", "sipas_rank"),
    (("PAPI", "PAPI"), "papi_score", "papi_rank"),
    (("PCI", "PCI"), "pci_score", "pci_rank"),
    (PUBLIC_SERVICE_INDEX, "public_service_index_score", "public_service_index_rank"),
    # Việt Nam's international rankings: a rank and its movement, a score only for GII
    (("Môi trường kinh doanh", "Business environment"), None, "business_environment_rank"),
    (("Tự do kinh tế", "Economic freedom"), None, "economic_freedom_rank"),
    (("Đổi mới sáng tạo toàn cầu (GII)", "Global Innovation Index"), "global_innovation_index_score",
     "global_innovation_index_rank"),
    (("Chính phủ điện tử (Liên hợp quốc)", "UN E-Government Development Index"), None, "e_government_rank"),
    (("Năng lực cạnh tranh toàn cầu (WEF)", "WEF Global Competitiveness Index"), None, "global_competitiveness_rank"),
    # a city's rank among the world's cities
    (("Dịch vụ trực tuyến địa phương (LOSI)", "UN Local Online Service Index"), None, "losi_rank"),
)


# -- selection ----------------------------------------------------------------------------
def half_records(records: pl.DataFrame, half: str) -> pl.DataFrame:
    return records.filter(pl.col("report_half") == half)


def facts(records: pl.DataFrame) -> pl.DataFrame:
    """One row per fact: quarantined records dropped, equal `fact_key`s merged.

    The kept row is the most confident statement of the fact; `sources` says how many
    articles stated it.
    """
    key = pl.coalesce("fact_key", "record_id")
    return (records.filter(~pl.col("quarantined").fill_null(False))
            .with_columns(_key=key, sources=pl.col("content_sha256").n_unique().over(key).cast(pl.Int64))
            .sort(["_key", "confidence", "file", "char_start"],
                  descending=[False, True, False, False], nulls_last=True)
            .unique("_key", keep="first", maintain_order=True)
            .drop("_key"))


def _one_per(frame: pl.DataFrame, keys: list[str], latest_first: list[str] = ()) -> pl.DataFrame:
    """The single figure shown where a table has room for one (conflicting facts are
    all listed on the details sheet): the newest, then the most confident."""
    order = [*latest_first, "confidence", "sources", "file"]
    return (frame.sort(order, descending=[True] * (len(order) - 1) + [False], nulls_last=True)
            .unique(keys, keep="first", maintain_order=True))


# -- labels -------------------------------------------------------------------------------
def _vocab(column: str, vocab: str, lang: str) -> pl.Expr:
    mapping = {code: pick(pair, lang) for code, pair in VOCAB[vocab].items()}
    return pl.col(column).replace_strict(mapping, default=pl.col(column), return_dtype=pl.String)


def _labelled(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Adds the display columns shared by the sheets, plus sort keys in catalog order.
    `place_label` is where a figure is from: the province (or Toàn quốc), and for a
    district's, commune's or agency's own figure that place too ("Bến Tre – xã Tân Thành
    Bình (huyện Mỏ Cày Bắc)"), so that no sheet shows it as the province's."""
    frame = _with_locality(frame)
    catalog = load_catalog()
    metric_order = {m: i for i, m in enumerate(catalog.metrics)}
    area_order = {a: i for i, a in enumerate(catalog.areas)}
    metric_area = {m.id: m.area for m in catalog.metrics.values()}
    area = pl.coalesce("area", pl.col("metric_id").replace_strict(metric_area, default=None))
    return frame.with_columns(area_id=area).with_columns(
        area=pl.col("area_id").replace_strict({a: catalog.area_label(a, lang) for a in catalog.areas},
                                              default=pl.col("area_id")),
        metric=pl.col("metric_id").replace_strict(
            {m.id: m.label(lang) for m in catalog.metrics.values()}, default=pl.col("metric_id")),
        breakdown_label=_vocab("breakdown", "breakdown", lang),
        geography_label=pl.when(pl.col("geography") == "VN").then(pl.lit(pick(NATIONWIDE, lang)))
        .otherwise(pl.col("geography")),
        place_label=pl.when(pl.col("locality").is_not_null()).then(
            pl.when(pl.col("geography") == "VN").then(pl.col("locality"))
            .otherwise(pl.col("geography") + " – " + pl.col("locality")))
        .when(pl.col("geography") == "VN").then(pl.lit(pick(NATIONWIDE, lang)))
        .otherwise(pl.col("geography")),
        kind_label=_vocab("kind", "kind", lang),
        unit_label=_vocab("unit", "unit", lang),
        qualifier_label=_vocab("qualifier", "qualifier", lang),
        _area_order=pl.col("area_id").replace_strict(area_order, default=len(area_order), return_dtype=pl.Int64),
        _metric_order=pl.col("metric_id").replace_strict(metric_order, default=len(metric_order),
                                                         return_dtype=pl.Int64),
    )


_ORDER = ["_area_order", "_metric_order", "metric_id", "geography", "period", "kind", "unit", "breakdown"]


def _shown(frame: pl.DataFrame, columns: dict[str, str | pl.Expr]) -> pl.DataFrame:
    """Select and rename to report column ids: {id: source column or expression}."""
    return frame.select([(pl.col(src) if isinstance(src, str) else src).alias(cid)
                         for cid, src in columns.items()])


# -- Tổng quan ----------------------------------------------------------------------------
def overview_counts(records: pl.DataFrame, articles: pl.DataFrame, files: pl.DataFrame,
                    half: str) -> dict[str, int]:
    rows = half_records(records, half)
    shas = _half_shas(records, articles, half)
    return {
        "articles": articles.filter(pl.col("content_sha256").is_in(shas)).height,
        "files": files.filter(pl.col("content_sha256").is_in(shas)).height,
        "provinces": rows.filter(pl.col("geography") != "VN")["geography"].n_unique(),
        "records": rows.height,
        "quarantined": rows.filter(pl.col("quarantined").fill_null(False)).height,
    }


# -- reporting unit -----------------------------------------------------------------------
def unit_places(province: str | None) -> list[str] | None:
    """The place names (as records write them) a report for `province` covers: the
    pre-2025 provinces merged into it, short and full names. None = the whole country."""
    if province is None:
        return None
    olds = [p for p in provinces().values() if p.new_name == province]
    if not olds:
        known = sorted({p.new_name for p in provinces().values()})
        raise ValueError(f"province: {province!r} is not a province since 1/7/2025 "
                         f"(one of {', '.join(known[:5])}, …)")
    return sorted({province, *(p.name for p in olds), *(p.full_name for p in olds)})


def scoped(records: pl.DataFrame, province: str | None) -> pl.DataFrame:
    """The records a report for the reporting unit shows: everything for the whole
    country, the province's own (and its merged provinces') figures for a province."""
    places = unit_places(province)
    return records if places is None else records.filter(pl.col("geography").is_in(places))


# -- indicators: Tổng quan and Phụ lục ----------------------------------------------------
# An indicator: one figure of a metric, unit, part and place (a district's or agency's
# figure is its own indicator under its province, never merged into it).
INDICATOR = ["metric_id", "unit", "breakdown", "geography", "locality"]
SUM_PREFIX = "+"  # breakdown of a computed sum row: "+" then the family of its parts
HEADLINE_ROWS = 12


def _with_locality(frame: pl.DataFrame) -> pl.DataFrame:
    return frame if "locality" in frame.columns else frame.with_columns(locality=pl.lit(None, pl.String))


def _results(records: pl.DataFrame, half: str) -> pl.DataFrame:
    """One actual figure per indicator of `half`, plus the sum of parts where the catalog
    declares them additive and the whole is not stated."""
    stated = facts(_with_locality(half_records(records, half)))
    rows = _one_per(stated.filter(pl.col("kind") == "actual"), INDICATOR, ["period"])
    parts = subtotal_parts(rows)
    # a rank's movement stated without the rank itself ("tăng 12 bậc") is its own row
    ranked = rows.filter(pl.col("unit") == "rank").select("metric_id", "breakdown", "geography", "locality")
    moves = (_one_per(stated.filter((pl.col("kind") == "change") & (pl.col("unit") == "places")),
                      INDICATOR, ["period"])
             .join(ranked, on=["metric_id", "breakdown", "geography", "locality"], how="anti", nulls_equal=True))
    rows = pl.concat([rows, moves], how="diagonal_relaxed")
    sums = (parts.group_by("metric_id", "unit", "geography", "locality", "_family", maintain_order=True)
            .agg(value=pl.col("value").sum(),
                 total=pl.when(pl.col("total").is_not_null().all()).then(pl.col("total").sum()),
                 qualifier=pl.when(pl.col("qualifier").n_unique() == 1).then(pl.col("qualifier").first())
                 .otherwise(pl.lit("about")),
                 sources=pl.col("sources").max(), n=pl.len(),
                 parts=pl.col("breakdown").sort_by(pl.col("breakdown").replace_strict(
                     {b: i for i, b in enumerate(VOCAB["breakdown"])}, default=99, return_dtype=pl.Int64)),
                 area=pl.col("area").first(), period=pl.col("period").first())
            .filter(pl.col("n") >= 2)
            .with_columns(breakdown=SUM_PREFIX + pl.col("_family"))
            .drop("n", "_family"))
    return pl.concat([rows, sums], how="diagonal_relaxed")


def _source_sites(records: pl.DataFrame, articles: pl.DataFrame, half: str) -> pl.DataFrame:
    """Per fact (`_key`), the sites of the articles that stated it."""
    # an article without a known site (a file dropped in the inbox) is named by its title
    sites = articles.select("content_sha256", source_site=pl.coalesce("source_site", "title", "file"))
    return (half_records(records, half).filter(~pl.col("quarantined").fill_null(False))
            .select(_key=pl.coalesce("fact_key", "record_id"), content_sha256="content_sha256")
            .join(sites, on="content_sha256", how="left")
            .group_by("_key").agg(sites=pl.col("source_site").drop_nulls().unique().sort().str.join(", ")))


def indicators(records: pl.DataFrame, articles: pl.DataFrame, half: str, lang: str = "vi") -> pl.DataFrame:
    """Every indicator with a result in `half`: value, the previous half-year's and the
    same half of the year before (cùng kỳ), the change since the previous half-year (for
    ranks the places gained, as stated or as computed), the plan (a stated target due
    this year or later, else the "of" of an x/y count) with the rate achieved, and how
    many articles and which sites stated it. In catalog order."""
    h = HalfYear.parse(half)
    now = _results(records, half)
    keys = [c for c in INDICATOR]

    def other(half_: str, name: str) -> pl.DataFrame:
        return _results(records, half_).select(*keys, pl.col("value").alias(name))

    stated_moves = (_one_per(facts(_with_locality(half_records(records, half)))
                             .filter((pl.col("kind") == "change") & (pl.col("unit") == "places")),
                             ["metric_id", "breakdown", "geography", "locality"])
                    .select("metric_id", "breakdown", "geography", "locality", moved="value"))
    goals = (_one_per(_with_locality(facts(records.filter(pl.col("report_half") <= half)))
                      .filter((pl.col("kind") == "target")
                              & (pl.col("period").str.slice(0, 4).cast(pl.Int64, strict=False) >= h.year)),
                      keys, ["report_half"])
             .select(*keys, target="value", target_qualifier="qualifier"))
    catalog = load_catalog()
    with_total = [m.id for m in catalog.metrics.values() if m.has_total]
    rows = (now.with_columns(_key=pl.coalesce("fact_key", "record_id"))
            .join(other(str(h.previous()), "previous"), on=keys, how="left", nulls_equal=True)
            .join(other(f"{h.year - 1}-H{h.half}", "same_period"), on=keys, how="left", nulls_equal=True)
            .join(stated_moves, on=["metric_id", "breakdown", "geography", "locality"], how="left",
                  nulls_equal=True)
            .join(goals, on=keys, how="left", nulls_equal=True)
            .join(_source_sites(records, articles, half), on="_key", how="left"))
    is_rank = pl.col("unit") == "rank"
    plan = (pl.when(pl.col("target").is_not_null() & (pl.col("target_qualifier") != "at_most")).then("target")
            .when(pl.col("metric_id").is_in(with_total) & (pl.col("unit") == "count")).then("total"))
    change = (pl.when(is_rank).then(pl.coalesce("moved", pl.col("previous") - pl.col("value")))
              .when(pl.col("unit") == "places").then("value")
              .otherwise(pl.col("value") - pl.col("previous")))
    rows = rows.with_columns(plan=plan, change=change).with_columns(
        rate=pl.when(pl.col("unit").is_in(["count", "vnd"]) & (pl.col("plan") > 0))
        .then((pl.col("value") / pl.col("plan") * 100).round(1)))
    breakdown_order = {m.id: {b: i for i, b in enumerate(m.breakdowns)} for m in catalog.metrics.values()}
    part_order = pl.struct("metric_id", "breakdown").map_elements(
        lambda r: -1 if r["breakdown"] in (None, *WHOLE_BREAKDOWNS) else
        breakdown_order.get(r["metric_id"], {}).get(r["breakdown"], 99), return_dtype=pl.Int64)
    headline_rank = {m.id: m.headline for m in catalog.metrics.values() if m.headline}
    sum_label = pl.lit(pick(SUBTOTAL, lang) + ": ") + pl.col("parts").list.eval(
        pl.element().replace_strict({c: pick(p, lang) for c, p in VOCAB["breakdown"].items()},
                                    default=pl.element())).list.join(" + ")
    labelled = _labelled(rows, lang).with_columns(
        breakdown_label=pl.when(pl.col("breakdown").str.starts_with(SUM_PREFIX)).then(sum_label)
        .otherwise(pl.col("breakdown_label")),
        is_sum=pl.col("breakdown").str.starts_with(SUM_PREFIX).fill_null(False),
        headline=pl.col("metric_id").replace_strict(headline_rank, default=None, return_dtype=pl.Int64),
        _part_order=pl.when(pl.col("breakdown").str.starts_with(SUM_PREFIX)).then(pl.lit(100))
        .otherwise(part_order),
        _national=pl.col("geography") != "VN")
    return (labelled.sort(["_area_order", "_metric_order", "_national", "geography", "locality", "unit",
                           "_part_order", "breakdown"], nulls_last=False)
            .select("area_id", "area", "metric_id", "metric", "breakdown", "breakdown_label", "geography",
                    "geography_label", "locality", "unit", "unit_label", "qualifier", "value", "total",
                    "plan", "rate", "previous", "same_period", "change", "target", "sources",
                    pl.col("sites").fill_null(""), "headline", "is_sum"))


def headline_indicators(indicators_: pl.DataFrame, province: str | None) -> pl.DataFrame:
    """The Tổng quan rows: the reporting unit's own figures (no district's, agency's or
    other province's) of the catalog's headline metrics, in the template order, at most
    HEADLINE_ROWS: first one row per metric, then the metrics' other parts."""
    places = unit_places(province) or ["VN"]
    rows = (indicators_.filter(pl.col("headline").is_not_null() & pl.col("geography").is_in(places)
                               & pl.col("locality").is_null() & (pl.col("unit") != "places"))
            .with_row_index("_pos")
            .with_columns(_first=pl.col("_pos") == pl.col("_pos").min().over("metric_id")))
    keep = (rows.sort(["_first", "headline", "_pos"], descending=[True, False, False])
            .head(HEADLINE_ROWS)["_pos"])
    return rows.filter(pl.col("_pos").is_in(keep)).sort("headline", "_pos").drop("_pos", "_first")




def consecutive_halves(half: str, n: int) -> list[str]:
    """The `n` half-years up to `half`, oldest first, none skipped (a gap stays a gap)."""
    out = [HalfYear.parse(half)]
    while len(out) < n:
        out.insert(0, out[0].previous())
    return [str(h) for h in out]


RATE_SERIES = 5   # headline rates drawn on the Tổng quan chart
RATE_HALVES = 6   # half-years on its axis


def rate_history(records: pl.DataFrame, half: str, province: str | None, lang: str = "vi") -> pl.DataFrame:
    """The reporting unit's headline percent figures in the last RATE_HALVES half-years
    (one column each, consecutive): the Tổng quan chart's data."""
    halves = consecutive_halves(half, RATE_HALVES)
    places = unit_places(province) or ["VN"]
    catalog = load_catalog()
    rates = [m for m in sorted(catalog.metrics.values(), key=lambda m: m.headline or 999)
             if m.headline and "percent" in m.units]
    per_half = pl.concat([_results(records, h).with_columns(_half=pl.lit(h)) for h in halves], how="diagonal_relaxed")
    rows = (per_half.filter(pl.col("metric_id").is_in([m.id for m in rates]) & (pl.col("unit") == "percent")
                            & pl.col("geography").is_in(places) & pl.col("locality").is_null()
                            & pl.col("breakdown").is_null()))
    if rows.is_empty():
        return pl.DataFrame(schema={"metric": pl.String, **{h: pl.Float64 for h in halves}})
    order = {m.id: i for i, m in enumerate(rates)}
    wide = (rows.pivot(on="_half", index="metric_id", values="value", aggregate_function="first")
            .with_columns(_o=pl.col("metric_id").replace_strict(order, return_dtype=pl.Int64)).sort("_o")
            .head(RATE_SERIES))
    labels = {m.id: m.label(lang) for m in rates}
    return wide.select(metric=pl.col("metric_id").replace_strict(labels),
                       **{h: (pl.col(h) if h in wide.columns else pl.lit(None)).cast(pl.Float64) for h in halves})


def rests_on_file_times(records: pl.DataFrame, half: str) -> bool:
    """Every figure of the half-year took its period from a file's modification time
    (contract v2: such a half-year must not pass for an ordinary report)."""
    rows = half_records(records, half).filter(~pl.col("quarantined").fill_null(False))
    return rows.height > 0 and (rows["period_basis"] == "file_metadata").all()


# -- Theo lĩnh vực ------------------------------------------------------------------------
def by_area(records: pl.DataFrame, half: str, lang: str = "vi") -> pl.DataFrame:
    """Every fact of the half-year by area, each group of addable parts followed by its
    subtotal (`is_subtotal`)."""
    rows = facts(half_records(records, half)).with_columns(is_subtotal=pl.lit(False))
    sums = subtotal_parts(rows)
    parts = (sums.group_by("metric_id", "kind", "unit", "geography", "locality", "period", "_family",
                           maintain_order=True)
             .agg(value=pl.col("value").sum(),
                  total=pl.when(pl.col("total").is_not_null().all()).then(pl.col("total").sum()),
                  qualifier=pl.when(pl.col("qualifier").n_unique() == 1).then(pl.col("qualifier").first())
                  .otherwise(pl.lit("about")),
                  area=pl.col("area").first(), n=pl.len(),
                  breakdowns=pl.col("breakdown").sort()))
    subtotals = parts.filter(pl.col("n") >= 2).with_columns(is_subtotal=pl.lit(True), sources=None)
    labelled = _labelled(pl.concat([rows, subtotals], how="diagonal_relaxed"), lang).with_columns(
        _family=pl.coalesce("_family", pl.col("breakdown").replace_strict(BREAKDOWN_FAMILY, default=""), pl.lit("")))
    part_names = pl.col("breakdowns").list.eval(
        pl.element().replace_strict({c: pick(p, lang) for c, p in VOCAB["breakdown"].items()},
                                    default=pl.element())).list.join(" + ")
    labelled = labelled.with_columns(breakdown_label=pl.when(pl.col("is_subtotal"))
                                     .then(pl.lit(pick(SUBTOTAL, lang) + ": ") + part_names)
                                     .otherwise(pl.col("breakdown_label")))
    order = ["_area_order", "_metric_order", "metric_id", "geography", "locality", "period", "kind", "unit",
             "_family", "is_subtotal", "breakdown"]
    return _shown(labelled.sort(order, nulls_last=True), {
        "area": "area", "metric": "metric", "kind": "kind_label", "breakdown": "breakdown_label",
        "geography": "place_label", "period": "period", "value": "value", "total": "total",
        "unit": "unit_label", "qualifier": "qualifier_label", "sources": "sources",
        "is_subtotal": "is_subtotal",
    })


def subtotal_parts(rows: pl.DataFrame) -> pl.DataFrame:
    """The facts that may be added up: actual counts that are one part of a whole, of a
    metric whose catalog entry says `parts_additive: true`, where the text does not state
    the whole itself (a stated whole is shown as stated, never recomputed). Tagged with
    the `_family` of parts they add up with."""
    additive = [m.id for m in load_catalog().metrics.values() if m.parts_additive]
    place = ["metric_id", "unit", "geography", "locality", "period"]
    stated_whole = (pl.col("breakdown").is_null() | pl.col("breakdown").is_in(WHOLE_BREAKDOWNS)).any().over(place)
    return (_with_locality(rows).filter((pl.col("kind") == "actual") & (pl.col("unit") == "count"))
            .filter(~stated_whole)
            .filter(pl.col("metric_id").is_in(additive) & pl.col("breakdown").is_not_null())
            .with_columns(_family=pl.col("breakdown").replace_strict(BREAKDOWN_FAMILY, default="")))


# -- Theo địa phương ----------------------------------------------------------------------
@lru_cache(maxsize=1)
def provinces_2025() -> dict[str, str]:
    """Province name before the 2025 merger (short or full) -> the province it is in now."""
    return {**{p.full_name: p.new_name for p in provinces().values()},
            **{p.name: p.new_name for p in provinces().values()}}


def by_province(records: pl.DataFrame, half: str, lang: str = "vi") -> pl.DataFrame:
    """One row per province named in the text, one column per metric (results only)."""
    rows = facts(_with_locality(half_records(records, half))).filter(
        (pl.col("geography") != "VN") & (pl.col("kind") != "target")
        & pl.col("locality").is_null())  # a district's or commune's figure is not its province's
    if rows.is_empty():
        return pl.DataFrame(schema={"province": pl.String, "province_2025": pl.String})
    rows = _labelled(_one_per(rows, [*SLOT], ["period"]), lang).with_columns(
        column=pl.col("metric")
        + pl.when(pl.col("breakdown").is_not_null()).then(" – " + pl.col("breakdown_label")).otherwise(pl.lit(""))
        + " (" + pl.col("unit_label") + ")")
    wide = (rows.sort(["_metric_order", "breakdown", "kind"], nulls_last=True)
            .pivot(on="column", index="geography", values="value", aggregate_function="first"))
    mapping = provinces_2025()
    return (wide.with_columns(province_2025=pl.col("geography").replace_strict(mapping, default=None))
            .rename({"geography": "province"})
            .select("province", "province_2025", pl.exclude("province", "province_2025"))
            .sort("province"))


# -- Xếp hạng chỉ số ----------------------------------------------------------------------
def rankings(records: pl.DataFrame, half: str, lang: str = "vi") -> pl.DataFrame:
    """Score, rank out of the field ("27/63") and movement per index, place and period."""
    field_of = {}
    index_of = {}
    for name, score, rank in INDICES:
        index_of |= {m: pick(name, lang) for m in (score, rank) if m}
        field_of |= {m: f for m, f in ((score, "score"), (rank, "rank")) if m}
    rows = (facts(half_records(records, half))
            .filter(pl.col("metric_id").is_in(list(index_of)) & (pl.col("kind") != "target"))
            .with_columns(index=pl.col("metric_id").replace_strict(index_of),
                          field=pl.when(pl.col("unit") == "places").then(pl.lit("movement"))
                          .otherwise(pl.col("metric_id").replace_strict(field_of))))
    rows = _labelled(_one_per(_with_locality(rows), ["index", "geography", "locality", "period", "field"]), lang)
    rank_text = (pl.col("value").round(0).cast(pl.Int64).cast(pl.String)
                 + pl.when(pl.col("total").is_not_null())
                 .then("/" + pl.col("total").round(0).cast(pl.Int64).cast(pl.String)).otherwise(pl.lit("")))
    keys = ["index", "place_label", "period"]
    order = {pick(name, lang): i for i, (name, _, _) in enumerate(INDICES)}
    out = rows.group_by(keys, maintain_order=True).agg(
        score=pl.col("value").filter(pl.col("field") == "score").first(),
        score_unit=pl.when(pl.col("unit") == "count").then(pl.lit(pick(SCORE_POINTS, lang)))
        .otherwise(pl.col("unit_label")).filter(pl.col("field") == "score").first(),
        rank=rank_text.filter(pl.col("field") == "rank").first(),
        movement=pl.col("value").filter(pl.col("field") == "movement").first(),
    )
    return (out.with_columns(_o=pl.col("index").replace_strict(order, return_dtype=pl.Int64))
            .sort("_o", "place_label", "period").drop("_o")
            .rename({"place_label": "geography"}))


# -- Mục tiêu -----------------------------------------------------------------------------
def targets(records: pl.DataFrame, half: str, lang: str = "vi") -> pl.DataFrame:
    """Targets known by this half-year and not yet due before its year, each with the
    latest actual of the same metric, unit, breakdown and place and the progress to it.

    Progress (actual ÷ target) is computed for counts, money and percents aimed at from
    below; whether a target is met also covers "at most" targets and ranks (lower is better).
    """
    year = HalfYear.parse(half).year
    known = facts(records.filter(pl.col("report_half") <= half))
    goal = known.filter((pl.col("kind") == "target")
                        & (pl.col("period").str.slice(0, 4).cast(pl.Int64, strict=False) >= year))
    keys = ["metric_id", "unit", "breakdown", "geography", "locality"]
    known = _with_locality(known)
    goal = _with_locality(goal)
    latest = (_one_per(known.filter(pl.col("kind") == "actual"), keys, ["report_half", "period"])
              .select(*keys, actual=pl.col("value"), actual_half=pl.col("report_half")))
    rows = goal.join(latest, on=keys, how="left", nulls_equal=True)
    lower_is_better = (pl.col("unit") == "rank") | (pl.col("qualifier") == "at_most")
    met = (pl.when(pl.col("actual").is_null()).then(None)
           .when(lower_is_better).then(pl.col("actual") <= pl.col("value"))
           .otherwise(pl.col("actual") >= pl.col("value")))
    progress = (pl.when(~lower_is_better & pl.col("unit").is_in(["count", "vnd", "percent"])
                        & (pl.col("value") > 0))
                .then((pl.col("actual") / pl.col("value") * 100).round(1)))
    status = {True: pick(VOCAB["status"]["met"], lang), False: pick(VOCAB["status"]["not_met"], lang)}
    rows = _labelled(rows.with_columns(progress=progress, _met=met), lang)
    return _shown(rows.sort(_ORDER, nulls_last=True), {
        "area": "area", "metric": "metric", "breakdown": "breakdown_label", "geography": "place_label",
        "qualifier": "qualifier_label", "target": "value", "unit": "unit_label", "due": "period",
        "actual": "actual", "actual_half": "actual_half", "progress": "progress",
        "status": pl.col("_met").replace_strict(status, default=None, return_dtype=pl.String),
    })


# -- Xu hướng -----------------------------------------------------------------------------
def trends(records: pl.DataFrame, half: str, lang: str = "vi") -> pl.DataFrame:
    """Results with values in two or more half-years up to this one: one column per
    half-year, most reported first (`reports` = facts behind the row)."""
    known = _with_locality(facts(records.filter(pl.col("report_half") <= half)).filter(pl.col("kind") == "actual"))
    keys = ["metric_id", "unit", "breakdown", "geography", "locality"]
    per_half = _one_per(known, [*keys, "report_half"], ["period"]).with_columns(
        halves=pl.col("report_half").n_unique().over(keys)).filter(pl.col("halves") >= 2)
    seen = sorted(per_half["report_half"].unique().to_list())
    if not seen:
        return pl.DataFrame(schema={c: pl.String for c in ("metric", "breakdown", "geography", "unit")}
                            | {"reports": pl.Int64})
    reports = known.group_by(keys).agg(reports=pl.len().cast(pl.Int64))
    wide = (_labelled(per_half, lang)
            .pivot(on="report_half", index=[*keys, "metric", "breakdown_label", "place_label",
                                            "unit_label", "_metric_order"],
                   values="value", aggregate_function="first", sort_columns=True)
            .join(reports, on=keys, how="left", nulls_equal=True)
            .sort(["reports", "_metric_order", "geography", "breakdown"], descending=[True, False, False, False],
                  nulls_last=True))
    # every half-year from the first with data, none skipped: a chart's gap is a real gap
    columns = [h for h in consecutive_halves(half, 2 * (HalfYear.parse(half).year - int(seen[0][:4])) + 2)
               if h >= seen[0]]
    return wide.select(pl.col("metric"), pl.col("breakdown_label").alias("breakdown"),
                       pl.col("place_label").alias("geography"), pl.col("unit_label").alias("unit"),
                       pl.col("reports"),
                       *[(pl.col(h) if h in wide.columns else pl.lit(None, pl.Float64)).alias(h) for h in columns])


# -- Chi tiết -----------------------------------------------------------------------------
def details(records: pl.DataFrame, half: str, lang: str = "vi") -> pl.DataFrame:
    """Every record of the half-year, quarantined ones included and marked."""
    yes_no = {True: pick(VOCAB["yes_no"]["yes"], lang), False: pick(VOCAB["yes_no"]["no"], lang)}
    rows = _labelled(half_records(records, half), lang)
    return _shown(rows.sort("file", "char_start", "metric_id", "kind", nulls_last=True), {
        "area": "area", "metric": "metric", "kind": "kind_label", "value": "value", "total": "total",
        "unit": "unit_label", "qualifier": "qualifier_label", "breakdown": "breakdown_label",
        "geography": "place_label", "period": "period",
        "period_basis": _vocab("period_basis", "period_basis", lang), "confidence": "confidence",
        "quarantined": pl.col("quarantined").fill_null(False).replace_strict(yes_no, return_dtype=pl.String),
        "evidence": "evidence", "file": "file", "position": _position(lang),
    })


def _position(lang: str) -> pl.Expr:
    """Where the figure is in its file: "đoạn 5, tr. 2" (paragraph, and page for a PDF)."""
    para, page = ("đoạn ", ", tr. ") if lang == "vi" else ("para. ", ", p. ")
    paragraph = pl.lit(para) + pl.col("paragraph").cast(pl.String)
    return (pl.when(pl.col("page").is_null()).then(paragraph)
            .otherwise(paragraph + pl.lit(page) + pl.col("page").cast(pl.String)))


# -- Nguồn --------------------------------------------------------------------------------
def _half_shas(records: pl.DataFrame, articles: pl.DataFrame, half: str) -> pl.Series:
    """The article versions behind the half-year: those with records in it, and those
    written in it even when they yielded nothing."""
    return pl.concat([half_records(records, half)["content_sha256"],
                      articles.filter(pl.col("article_half") == half)["content_sha256"]]).unique()


def sources(records: pl.DataFrame, articles: pl.DataFrame, half: str, lang: str = "vi") -> pl.DataFrame:
    rows = half_records(records, half)
    per_article = rows.group_by("content_sha256").agg(
        records=pl.len().cast(pl.Int64),
        period_basis=_vocab("period_basis", "period_basis", lang).unique().sort().str.join(", "))
    shown = (articles.filter(pl.col("content_sha256").is_in(_half_shas(records, articles, half)))
             .join(per_article, on="content_sha256", how="left")
             .sort("article_date", "file", nulls_last=True))
    return _shown(shown, {
        "title": "title", "source_site": "source_site", "article_date": "article_date",
        "date_basis": _vocab("date_basis", "date_basis", lang),
        "periods": pl.col("periods").list.join(", "), "period_basis": "period_basis",
        "provinces": pl.col("provinces").list.join(", "),
        "records": pl.col("records").fill_null(0), "file": "file",
    })


# -- Kiểm tra dữ liệu ---------------------------------------------------------------------
def rule_checks(outcomes: pl.DataFrame, lang: str = "vi", technical: bool = False) -> pl.DataFrame:
    """Each rule's outcome; the suite, rule id and Great Expectations type only for the
    technical sheet (`technical=True`), a reader sees the description."""
    outcome = {True: pick(VOCAB["outcome"]["pass"], lang), False: pick(VOCAB["outcome"]["fail"], lang)}
    ids = {"suite": "suite", "rule_id": "rule_id", "rule_type": "rule_type"} if technical else {}
    return _shown(outcomes.sort("suite", "rule_id"), {
        **ids, "description": "description_en" if lang == "en" else "description_vi",
        "checked": "checked", "failed": "failed",
        "outcome": (pl.col("failed").fill_null(0) == 0).replace_strict(outcome, return_dtype=pl.String),
    })


def quarantined(records: pl.DataFrame, half: str, lang: str = "vi", outcomes: pl.DataFrame | None = None
                ) -> pl.DataFrame:
    """The quarantined records of the half-year; with `outcomes`, why in words (the
    rules' descriptions), else the rule ids (technical sheet)."""
    rows = _labelled(half_records(records, half).filter(pl.col("quarantined").fill_null(False)), lang)
    if outcomes is None:
        why = {"failed_rules": pl.col("failed_rules").list.join(", ")}
    else:
        words = dict(zip(outcomes["rule_id"], outcomes["description_en" if lang == "en" else "description_vi"]))
        why = {"reasons": pl.col("failed_rules").list.eval(
            pl.element().replace_strict(words, default=pl.element())).list.join("; ")}
    return _shown(rows.sort("file", "char_start", nulls_last=True), {
        "metric": "metric", "kind": "kind_label", "value": "value", "unit": "unit_label",
        "geography": "place_label", "period": "period", **why, "evidence": "evidence", "file": "file",
    })
