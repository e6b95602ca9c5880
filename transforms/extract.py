"""Stand-in until the extraction branch lands: articles without records."""
import polars as pl
from transforms.schema import articles_frame, records_frame


def extract_batch(items, calendar="decree09"):
    arts = [{"content_sha256": sha, "file": name, "text": text, "char_count": len(text),
             "periods": [], "provinces": []} for name, text, sha, _ in items]
    return articles_frame(arts), records_frame([]), []
