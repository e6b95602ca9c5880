"""Extract records from article files and print them as JSON lines (EXPORT_FIELDS only).

usage: python scripts/extract_files.py FILE... > pred.jsonl
Feed the output to shared/gold/score.py to measure extraction quality.
"""
import hashlib
import json
import sys
from pathlib import Path

from transforms.extract.article import extract_article
from transforms.schema import EXPORT_FIELDS


def main(paths: list[str]) -> None:
    for path in map(Path, paths):
        data = path.read_bytes()
        ex = extract_article(data.decode("utf-8"), file=path.name, content_sha256=hashlib.sha256(data).hexdigest())
        for r in ex.records:
            print(json.dumps({k: r[k] for k in EXPORT_FIELDS}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
