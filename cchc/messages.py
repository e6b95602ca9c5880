"""What the command line says, in Vietnamese (the default) and English (`--lang en`).

The one table of the CLI's messages: a key, then the Vietnamese and the English text with
`str.format` fields. Errors the program expects carry their own one-line English reason
(`str(error)`); the CLI puts a translated lead in front of it, and for rejected files a
translated fix after it (`fix_for`).
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # run and ingest summary
    "inbox": ("hộp thư  {inbox}: {seen} tệp — {new} mới, {changed} thay đổi, {unchanged} không đổi, "
              "{duplicates} trùng, {rejected} bị từ chối",
              "inbox    {inbox}: {seen} files — {new} new, {changed} changed, {unchanged} unchanged, "
              "{duplicates} duplicate, {rejected} rejected"),
    "nothing_new": ("         không có gì mới để trích xuất", "         nothing new to extract"),
    "records": ("số liệu  {records} trích từ {articles} bài, {quarantined} bị cách ly",
                "records  {records} extracted from {articles} articles, {quarantined} quarantined"),
    "quarantined_by": ("         cách ly theo {rule}: {n}", "         quarantined by {rule}: {n}"),
    "rejected": ("từ chối  {name}: {reason} — cách sửa: {fix}", "rejected {name}: {reason} — fix: {fix}"),
    "skipped": ("bỏ qua   {name}: {reason}", "skipped  {name}: {reason}"),
    # warnings of a run (RunSummary.warnings: [file, one of these keys, its fields])
    "oversized_numbers": ("cảnh báo {name}: {n} số lớn hơn 10^18 ({example}) không được lấy làm số liệu; "
                          "hãy xem bản gốc nếu có số nào là số liệu thật",
                          "warning  {name}: {n} numbers above 10^18 ({example}) are not taken as figures; "
                          "check the source if one is a real figure"),
    "renamed_gone": ("         {renamed} đổi tên, {gone} đã rời hộp thư (số liệu của chúng {kept}: cài đặt vanished_files)",
                     "         {renamed} renamed, {gone} left the inbox (their records {kept}: setting vanished_files)"),
    "gone_keep": ("được giữ", "kept"),
    "gone_retire": ("bị xóa nếu không tệp nào khác giữ", "removed unless another file holds them"),
    "no_data": ("báo cáo  {half}: không có số liệu cho {unit} — không lập báo cáo",
                "report   {half}: no figures for {unit} — no report written"),
    "whole_country": ("cả nước", "the whole country"),
    "report": ("báo cáo  {path}", "report   {path}"),
    "shared": ("đã chia sẻ {n} tệp vào {share}", "shared   {n} files to {share}"),
    "not_delivered": ("cảnh báo {name} chưa chép được vào {share}: {reason}; tệp vẫn nằm trong {reports}, "
                      "lần chạy sau sẽ chép lại",
                      "warning  {name} was not delivered to {share}: {reason}; it is kept in {reports} "
                      "and the next run delivers it"),
    "progress": ("\r  {done}/{total} tệp", "\r  {done}/{total} files"),
    "ingesting_first": ("đang nạp trước {n} tệp mới hoặc đã thay đổi của {inbox}",
                        "ingesting {n} new or changed files of {inbox} first"),
    "retired": ("đã bỏ   {name}: xóa {n} số liệu", "retired  {name}: {n} records removed"),
    "retired_pending": ("; báo cáo sẽ viết lại ở lần chạy sau: {halves}", "; reports to rewrite on the next run: {halves}"),
    "retire_still_in_inbox": ("{name} vẫn còn trong hộp thư {inbox}: chuyển tệp ra trước, nếu không lần chạy sau sẽ đọc lại",
                              "{name} is still in the inbox {inbox}: move it out first, or the next run reads it again"),
    "retire_unknown": ("{name} không phải là tệp của hộp thư {inbox} trong kho (`cchc status` liệt kê các tệp)",
                       "{name} is not a file of the inbox {inbox} in the store (`cchc status` lists them)"),
    "exported": ("đã xuất {n} bản ghi ra {out}", "exported {n} records to {out}"),
    "server": ("Prefect  chạy trên máy chủ của `cchc serve` ({url})",
               "prefect  running on the server of `cchc serve` ({url})"),
    # status
    "st_store": ("kho      {store} (lược đồ {version})", "store    {store} (schema {version})"),
    "st_files": ("tệp      {files} đã thấy, {articles} bài, {rejected} bị từ chối",
                 "files    {files} seen, {articles} articles, {rejected} rejected"),
    "st_gone": (", {n} đã rời hộp thư (`cchc retire TỆP` để quên một tệp)",
                ", {n} left the inbox (`cchc retire FILE` forgets one)"),
    "st_records": ("số liệu  {records}, {quarantined} bị cách ly", "records  {records}, {quarantined} quarantined"),
    "st_halves": ("kỳ       {halves}", "halves   {halves}"),
    "st_half": ("{half}: {n} ({q} bị cách ly)", "{half}: {n} ({q} quarantined)"),
    "st_pending": ("chờ      báo cáo chưa viết hoặc chưa chia sẻ: {halves}",
                   "pending  reports not yet written or delivered: {halves}"),
    "st_last": ("lần chạy cuối {at} {status}: {new} mới, {changed} thay đổi, {records} số liệu",
                "last run {at} {status}: {new} new, {changed} changed, {records} records"),
    "st_error": (" — lỗi: {error}", " — error: {error}"),
    "st_rejected": ("từ chối  {name}: {reason} — cách sửa: {fix}", "rejected {name}: {reason} — fix: {fix}"),
    # run statuses as the store records them
    "completed": ("hoàn thành", "completed"),
    "failed": ("thất bại", "failed"),
    "not delivered": ("chưa chia sẻ được báo cáo", "not delivered"),
    "running": ("đang chạy", "running"),
    "interrupted": ("bị ngắt", "interrupted"),
    # errors: a lead, then the error's own one-line reason
    "error": ("cchc: lỗi: {text}", "cchc: error: {text}"),
    "err_usage": ("tham số hoặc cài đặt không hợp lệ — {text}", "bad argument or setting — {text}"),
    "err_busy": ("kho dữ liệu đang bận — {text}", "the store is busy — {text}"),
    "err_failed": ("{text}", "{text}"),
    "err_unexpected": ("lỗi không lường trước ({kind}): {text}; chạy lại với -v để xem chi tiết",
                       "unexpected error ({kind}): {text}; run again with -v for the details"),
    "interrupted_by_user": ("đã dừng theo yêu cầu", "interrupted"),
    "bad_half": ("{value!r} không phải là một kỳ báo cáo; viết dạng 2024-H1, 2024-H2 hoặc just-closed",
                 "{value!r} is not a half-year; write it like 2024-H1, 2024-H2 or just-closed"),
}

# A rejection reason (English, as stored) -> how to fix it. First matching prefix wins.
FIXES: list[tuple[str, tuple[str, str]]] = [
    ("empty file", ("thêm nội dung bài viết vào tệp rồi lưu lại", "put the article's text in the file and save it")),
    ("only whitespace", ("thêm nội dung bài viết vào tệp rồi lưu lại", "put the article's text in the file and save it")),
    ("binary file", ("lưu bài viết thành tệp văn bản (.txt, UTF-8) rồi chép lại vào hộp thư",
                     "save the article as a text file (.txt, UTF-8) and copy it into the inbox again")),
    ("not UTF-8", ("mở tệp và lưu lại với mã hoá UTF-8", "open the file and save it again as UTF-8")),
    ("starts with a", ("mở tệp và lưu lại với mã hoá UTF-8", "open the file and save it again as UTF-8")),
    ("too large", ("tách bài thành các tệp nhỏ hơn, hoặc tăng cài đặt max_file_mb",
                   "split the article into smaller files, or raise the setting max_file_mb")),
    ("cannot be read", ("cho phép người dùng chạy cchc đọc tệp này",
                        "let the user that runs cchc read this file")),
    ("broken symbolic link", ("chép chính tệp bài viết vào hộp thư thay cho liên kết",
                              "copy the article file itself into the inbox instead of the link")),
    ("symbolic link", ("chép chính tệp bài viết vào hộp thư thay cho liên kết",
                       "copy the article file itself into the inbox instead of the link")),
    ("not a regular file", ("chỉ đặt tệp bài viết vào hộp thư", "put only article files in the inbox")),
    ("file name is not", ("đổi tên tệp (chỉ dùng chữ, số, dấu gạch)", "rename the file (letters, digits, dashes)")),
    ("extraction failed", ("báo lỗi cho nhóm kỹ thuật kèm tệp này", "report it to the technical team with this file")),
]
DEFAULT_FIX = ("sửa tệp rồi chép lại vào hộp thư; lần chạy sau sẽ đọc lại",
               "correct the file and copy it into the inbox again; the next run reads it")
ARTICLE_RULE_FIX = ("kiểm tra đây có phải bài viết tiếng Việt về CCHC không; sửa hoặc bỏ tệp khỏi hộp thư",
                    "check it is a Vietnamese reform article; correct the file or remove it from the inbox")


def say(key: str, lang: str = "vi", **fields) -> str:
    vi, en = MESSAGES[key]
    return (en if lang == "en" else vi).format(**fields)


def fix_for(reason: str, lang: str = "vi") -> str:
    """How a user fixes a file rejected for `reason`."""
    pick = 1 if lang == "en" else 0
    for prefix, texts in FIXES:
        if reason.startswith(prefix):
            return texts[pick]
    if "(articles." in reason:  # an article rule of the validation suites
        return ARTICLE_RULE_FIX[pick]
    return DEFAULT_FIX[pick]


def status_name(status: str, lang: str = "vi") -> str:
    return say(status, lang) if status in MESSAGES else status
