"""Every word the half-year report shows, in Vietnamese and English.

The one place to change a heading, a sheet name or how a code (kind, unit, …) reads.
Each entry is a (vi, en) pair; metric and area names come from the metric catalog.
"""


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


SHEETS = {
    "overview": ("Tổng quan", "Overview"),
    "annex": ("Phụ lục", "Annex"),
    "by_area": ("Theo lĩnh vực", "By area"),
    "by_province": ("Theo địa phương", "By province"),
    "rankings": ("Xếp hạng chỉ số", "Index rankings"),
    "targets": ("Mục tiêu", "Targets"),
    "trends": ("Xu hướng", "Trends"),
    "details": ("Chi tiết", "Details"),
    "sources": ("Nguồn", "Sources"),
    "checks": ("Kiểm tra dữ liệu", "Data checks"),
    "technical": ("Kỹ thuật", "Technical"),
}

# Column ids of the report tables (transforms.report.tables) -> header.
COLUMNS = {
    "area": ("Lĩnh vực", "Area"),
    "metric": ("Chỉ tiêu", "Metric"),
    "breakdown": ("Phân loại", "Breakdown"),
    "geography": ("Địa bàn", "Geography"),
    "province": ("Tỉnh, thành (theo bài viết)", "Province (as in the text)"),
    "province_2025": ("Tỉnh, thành từ 1/7/2025", "Province since 1/7/2025"),
    "period": ("Kỳ số liệu", "Period"),
    "kind": ("Loại", "Kind"),
    "value": ("Giá trị", "Value"),
    "total": ("Trên tổng số", "Out of"),
    "unit": ("Đơn vị", "Unit"),
    "qualifier": ("Mức chính xác", "Qualifier"),
    "previous": ("Kỳ trước", "Previous half-year"),
    "change": ("Thay đổi", "Change"),
    "sources": ("Số bài nêu", "Articles stating it"),
    "index": ("Chỉ số", "Index"),
    "score": ("Điểm", "Score"),
    "score_unit": ("Đơn vị điểm", "Score unit"),
    "rank": ("Xếp hạng", "Rank"),
    "movement": ("Thay đổi (bậc)", "Movement (places)"),
    "target": ("Mục tiêu", "Target"),
    "due": ("Năm đến hạn", "Due year"),
    "actual": ("Thực tế mới nhất", "Latest actual"),
    "actual_half": ("Kỳ báo cáo của số thực tế", "Half-year of the actual"),
    "progress": ("Tiến độ (%)", "Progress (%)"),
    "reports": ("Số lần báo cáo", "Times reported"),
    "period_basis": ("Căn cứ xác định kỳ", "Period basis"),
    "confidence": ("Độ tin cậy", "Confidence"),
    "quarantined": ("Bị cách ly", "Quarantined"),
    "failed_rules": ("Quy tắc không đạt", "Rules failed"),
    "evidence": ("Câu trích dẫn", "Evidence"),
    "file": ("Tệp bài viết", "Article file"),
    "position": ("Vị trí", "Position"),  # paragraph (and PDF page) of the figure in its file
    "title": ("Tiêu đề", "Title"),
    "source_site": ("Trang nguồn", "Source site"),
    "article_date": ("Ngày bài viết", "Article date"),
    "date_basis": ("Căn cứ ngày", "Date basis"),
    "periods": ("Kỳ được nhắc đến", "Periods mentioned"),
    "provinces": ("Tỉnh, thành được nhắc đến", "Provinces mentioned"),
    "records": ("Số bản ghi", "Records"),
    "suite": ("Bộ kiểm tra", "Suite"),
    "rule_id": ("Mã quy tắc", "Rule id"),
    "rule_type": ("Loại quy tắc", "Rule type"),
    "description": ("Mô tả", "Description"),
    "checked": ("Số bản ghi kiểm tra", "Records checked"),
    "failed": ("Số bản ghi không đạt", "Records failed"),
    "outcome": ("Kết quả", "Outcome"),
    "reasons": ("Lý do cách ly", "Why quarantined"),
    # Tổng quan and Phụ lục
    "indicator": ("Chỉ tiêu", "Indicator"),
    "done": ("Thực hiện", "Result"),
    "same_period": ("Cùng kỳ", "Same half last year"),
    "vs_previous": ("So với kỳ trước", "Since previous half"),
    "plan": ("Kế hoạch", "Plan"),
    "rate": ("Tỷ lệ %", "% of plan"),
    "n_sources": ("Số nguồn", "Sources"),
    "source": ("Nguồn", "Source"),
}

# An index score is stored as a count; on the rankings sheet its unit reads as points.
SCORE_POINTS = ("điểm", "points")

# Codes stored in records -> what a reader sees.
VOCAB = {
    "kind": {"actual": ("Thực tế", "Actual"), "target": ("Mục tiêu", "Target"),
             "change": ("Thay đổi", "Change")},
    "unit": {"count": ("số lượng", "count"), "percent": ("%", "%"), "rank": ("hạng", "rank"),
             "vnd": ("đồng", "VND"), "places": ("bậc", "places")},
    "qualifier": {"exact": ("chính xác", "exact"), "more_than": ("hơn", "more than"),
                  "about": ("khoảng", "about"), "at_least": ("ít nhất", "at least"),
                  "at_most": ("tối đa", "at most")},
    "breakdown": {
        "ban_chi_dao": ("Ban Chỉ đạo", "Steering committee"), "bo_nganh": ("Bộ, ngành", "Ministries"),
        "dia_phuong": ("Địa phương", "Localities"), "tong": ("Tổng", "Total"),
        "cap_tinh": ("Cấp tỉnh", "Province level"), "cap_huyen": ("Cấp huyện", "District level"),
        "cap_xa": ("Cấp xã", "Commune level"), "muc_3": ("Mức độ 3", "Level 3"),
        "muc_4": ("Mức độ 4", "Level 4"), "toan_trinh": ("Toàn trình", "Fully online"),
        "mot_phan": ("Một phần", "Partly online"), "nghi_dinh": ("Nghị định", "Decrees"),
        "quyet_dinh": ("Quyết định", "Decisions"), "thong_tu": ("Thông tư", "Circulars"),
        "van_ban_qppl": ("Văn bản QPPL", "Legal documents"),
    },
    "period_basis": {"explicit": ("nêu trong câu", "stated"),
                     "article_date": ("theo ngày bài viết", "article date"),
                     "file_metadata": ("theo thông tin tệp", "file metadata"),
                     "due_year": ("năm đến hạn", "due year")},
    "date_basis": {"text": ("trong bài", "in the text"), "file_metadata": ("thông tin tệp", "file metadata"),
                   "none": ("không rõ", "unknown")},
    "status": {"met": ("Đã đạt", "Met"), "not_met": ("Chưa đạt", "Not met")},
    "outcome": {"pass": ("Đạt", "Passed"), "fail": ("Không đạt", "Failed")},
    "yes_no": {"yes": ("Có", "Yes"), "no": ("Không", "No")},
}

NATIONWIDE = ("Cả nước", "Nationwide")
SUBTOTAL = ("Cộng", "Subtotal")
PUBLIC_SERVICE_INDEX = ("Bộ chỉ số phục vụ (QĐ 766)", "Public-service index (QĐ 766)")
NO_DATA = ("Không có dữ liệu", "No data")
# What an empty table means, where "no data" would mislead (the half-year has data).
EMPTY = {
    "by_province": ("Kỳ này không có số liệu kết quả của tỉnh, thành nào (số liệu cả nước: xem Phụ lục).",
                    "No province's result this half-year (national figures: see the Annex)."),
    "rankings": ("Kỳ này không có số liệu xếp hạng chỉ số.", "No index ranking this half-year."),
    "targets": ("Chưa có mục tiêu nào đến hạn từ năm nay.", "No target due this year or later."),
    "trends": ("Chưa có chỉ tiêu nào có số liệu từ hai kỳ trở lên.",
               "No indicator has figures in two or more half-years yet."),
    "quarantined": ("Không có bản ghi nào bị cách ly.", "No record was quarantined."),
}

# The overview sheet's prose.
TEXT = {
    "title": ("Báo cáo tiến độ cải cách hành chính – {half_words} năm {year} – {unit}",
              "Public administration reform progress report – {half_words} of {year} – {unit}"),
    "annex_title": ("Phụ lục: Số liệu các chỉ tiêu cải cách hành chính – {half_words} năm {year} – {unit}",
                    "Annex: reform indicators – {half_words} of {year} – {unit}"),
    "summary_line": ("Kỳ số liệu {window}. {status}: {status_note}",
                     "Reporting window {window}. {status}: {status_note}"),
    "generated": ("Lập lúc", "Generated"),
    "quality_line": ("Chất lượng số liệu: {records} số liệu từ {articles} bài ({files} tệp); "
                     "{quarantined} bị cách ly (không tính vào số liệu).",
                     "Data quality: {records} figures from {articles} articles ({files} files); "
                     "{quarantined} quarantined (left out of the figures)."),
    "file_times_only": ("LƯU Ý: kỳ này chỉ dựa trên ngày sửa tệp, không phải ngày ghi trong bài — "
                        "cần kiểm tra trước khi sử dụng.",
                        "NOTE: this half-year rests only on file modification times, not on dates "
                        "stated in the articles — check before use."),
    "verdict_moves": ("So với kỳ trước: {up} chỉ tiêu tốt lên ▲, {down} chỉ tiêu giảm ▼.",
                      "Since the previous half-year: {up} indicators better ▲, {down} worse ▼."),
    "verdict_lag": ("Thấp nhất so với kế hoạch: {name} ({rate}).", "Furthest behind plan: {name} ({rate})."),
    "rates_chart": ("Các tỷ lệ chính qua các kỳ (%)", "Headline rates by half-year (%)"),
    "rates_table": ("Số liệu của biểu đồ", "The chart's figures"),
    "headline_empty": ("Kỳ này chưa có số liệu chính của đơn vị báo cáo; xem Phụ lục.",
                       "No headline figure of the reporting unit this half-year; see the Annex."),
    "details_capped": ("Bảng tiếp tục ở trang tính {next} (giới hạn số dòng của Excel).",
                       "Continued on sheet {next} (Excel's row limit)."),
    "half_1": ("6 tháng đầu", "first half"),
    "half_2": ("6 tháng cuối", "second half"),
    "window_value": ("từ {start} đến {end} ({calendar})", "{start} to {end} ({calendar})"),
    "calendar_decree09": ("theo Nghị định 09/2019/NĐ-CP", "per Decree 09/2019/ND-CP"),
    "calendar_calendar": ("theo năm dương lịch", "calendar half-year"),
    "status": ("Tình trạng", "Status"),
    "provisional": ("TẠM THỜI", "PROVISIONAL"),
    "final": ("CHÍNH THỨC", "FINAL"),
    "provisional_note": ("Số liệu có thể thay đổi đến hạn báo cáo {deadline}.",
                         "Figures may change until the report deadline, {deadline}."),
    "final_note": ("Đã qua hạn báo cáo {deadline}.", "The report deadline, {deadline}, has passed."),
    "quarantined_title": ("Bản ghi bị cách ly", "Quarantined records"),
    "rules_title": ("Quy tắc kiểm tra đã chạy", "Rules run"),
    "trend_chart": ("{metric} – {geography}", "{metric} – {geography}"),
    "page": ("Trang &P/&N", "Page &P of &N"),
}


# The validation page beside each workbook (cchc/report/validation_page.py).
VALIDATION_PAGE = {
    "rules": ("Quy tắc kiểm tra", "Rules run"),
    "quarantined": ("Bản ghi bị cách ly", "Quarantined records"),
    "suite": ("Bộ quy tắc", "Suite"),
    "rule": ("Quy tắc", "Rule"),
    "description": ("Nội dung kiểm tra", "What it checks"),
    "checked": ("Đã kiểm tra", "Checked"),
    "failed": ("Không đạt", "Failed"),
    "outcome": ("Kết quả", "Outcome"),
    "pass": ("Đạt", "Pass"),
    "fail": ("Không đạt", "Fail"),
    "none": ("Không có dữ liệu", "Nothing to check"),
    "file": ("Tệp", "File"),
    "metric": ("Chỉ tiêu", "Metric"),
    "value": ("Giá trị", "Value"),
    "period": ("Kỳ", "Period"),
    "geography": ("Địa bàn", "Geography"),
    "failed_rules": ("Quy tắc không đạt", "Failed rules"),
    "evidence": ("Trích dẫn", "Evidence"),
    "no_quarantine": ("Không có bản ghi nào bị cách ly.", "No record was quarantined."),
}


# -- figures as a reader writes them ------------------------------------------------------
# Money is shown in the largest of these that keeps a whole number in front: 700.000 tỷ đồng.
MONEY_SCALES = ((1e9, ("tỷ đồng", "billion VND")), (1e6, ("triệu đồng", "million VND")), (1, ("đồng", "VND")))
QUALIFIER_WORDS = {"more_than": ("hơn", "more than"), "about": ("khoảng", "about"),
                   "at_least": ("ít nhất", "at least"), "at_most": ("tối đa", "at most")}


def number_text(x: float, lang: str = "vi", decimals: int = 2) -> str:
    """1327 -> "1.327", 15.7 -> "15,7" (vi); "1,327", "15.7" (en)."""
    text = f"{x:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{x:,.0f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def money_scale(value: float) -> tuple[float, tuple[str, str]]:
    """The divisor and unit words a sum of money reads best in."""
    return next((d, words) for d, words in MONEY_SCALES if abs(value) >= d or d == 1)


def figure_text(value: float | None, unit: str, lang: str = "vi", qualifier: str | None = None,
                total: float | None = None) -> str:
    """A figure as a report sentence writes it: "hơn 1.800", "400/991", "15,7%",
    "700.000 tỷ đồng", "hạng 27/63", "+12 bậc"."""
    if value is None:
        return ""
    if unit == "vnd":
        divisor, words = money_scale(value)
        text = f"{number_text(value / divisor, lang)} {pick(words, lang)}"
    elif unit == "places":
        text = f"{'+' if value > 0 else ''}{number_text(value, lang)} {pick(VOCAB['unit']['places'], lang)}"
    else:
        text = number_text(value, lang)
        if total is not None:
            text += f"/{number_text(total, lang)}"
        if unit == "percent":
            text += "%"
        elif unit == "rank":
            text = f"{pick(VOCAB['unit']['rank'], lang)} {text}"
    if qualifier in QUALIFIER_WORDS:
        text = f"{pick(QUALIFIER_WORDS[qualifier], lang)} {text}"
    return text
