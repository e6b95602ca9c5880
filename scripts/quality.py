"""Extraction quality: the pipeline's own code on labelled sets, scored against their gold.

usage: python scripts/quality.py [--set seeds|fixtures|dev|noise]... [--verbose] [--json OUT]
(`make quality` runs it on every set.)

Each article goes the way `cchc run` takes it, without Prefect: `read_document` →
`extract_batch` → the Great Expectations suites of `expectations/`; records of articles
that fail validation and quarantined records are left out, as `cchc export` leaves them
out. A file's date is its modification date in the inbox, as the pipeline has it: for
`corpus/` files the `published` date of `corpus/MANIFEST.tsv` (1 June 2017 for the undated
2017 crawl), the date an office saving the page on publication would give it; for the
seeds and fixtures their files' own modification time.

Scoring is `shared/gold/score.py` (imported from `../shared` beside the project), with the
metric catalog deciding which `outside_catalog` gold records count. Sets:

  seeds     seeds/ against shared/gold/seeds.jsonl
  fixtures  tests/fixtures/articles/ against its expected.jsonl
  dev       shared/corpus/dev/ against shared/gold/dev.jsonl
  noise     shared/corpus/noise/: unlabelled; records per 100 articles and the most frequent ones
"""
import argparse
import hashlib
import importlib.util
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc.inbox import InboxFile  # noqa: E402  (after the path set-up)
from transforms.read.decode import UnreadableFile  # noqa: E402
from transforms.read.document import Article, read_document  # noqa: E402
from transforms.schema import EXPORT_FIELDS  # noqa: E402

SHARED = ROOT.parent / "shared"
CATALOG = ROOT / "transforms" / "catalog" / "metrics.yaml"
EXPECTATIONS = ROOT / "expectations"
UNDATED_CRAWL = date(2017, 6, 1)  # MANIFEST: "none in file; crawled between 2017-02 and 2017-07"
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")
SET_NAMES = ("seeds", "fixtures", "dev", "noise")


@dataclass(frozen=True)
class LabelledSet:
    name: str
    folder: Path
    gold: Path | None  # None: unlabelled (noise)
    dated_by_manifest: bool


def sets() -> dict[str, LabelledSet]:
    corpus = SHARED / "corpus"
    return {s.name: s for s in (
        LabelledSet("seeds", ROOT / "seeds", SHARED / "gold" / "seeds.jsonl", False),
        LabelledSet("fixtures", ROOT / "tests" / "fixtures" / "articles",
                    ROOT / "tests" / "fixtures" / "articles" / "expected.jsonl", False),
        LabelledSet("dev", corpus / "dev", SHARED / "gold" / "dev.jsonl", True),
        LabelledSet("noise", corpus / "noise", None, True),
    )}


def load_scorer():
    """shared/gold/score.py as a module; exits with a clear message when shared/ is absent."""
    path = SHARED / "gold" / "score.py"
    if not path.is_file():
        sys.exit(f"quality: the scorer {path} is missing; clone the project beside the shared/ folder "
                 f"(expected at {SHARED})")
    spec = importlib.util.spec_from_file_location("gold_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def manifest_dates() -> dict[str, date]:
    """corpus file name -> the date its file would carry when saved on publication."""
    path = SHARED / "corpus" / "MANIFEST.tsv"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        name, _set, published = line.split("\t")[:3]
        out[name] = date.fromisoformat(published) if _ISO_DATE_RE.match(published) else UNDATED_CRAWL
    return out


def _file_date(path: Path, dates: dict[str, date] | None) -> date:
    if dates is not None:
        return dates[path.name]
    st = path.stat()
    return InboxFile(path.name, str(path), st.st_size, st.st_mtime_ns).file_date  # as the inbox reads it


# -- predicting -----------------------------------------------------------------------------

@dataclass
class Predictions:
    records: list[dict]                 # EXPORT_FIELDS, what `cchc export` would write
    full: list[dict]                    # the same records with every column (offsets, text)
    files: int = 0
    quarantined: int = 0                # records left out by validation
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


class Pipeline:
    """The pipeline's read → extract → validate path, with the suites loaded once."""

    def __init__(self, calendar: str = "decree09"):
        from transforms.validate.validation import load_suites
        self.suites = load_suites(EXPECTATIONS)
        self.calendar = calendar

    def predict(self, paths: list[Path], dates: dict[str, date] | None) -> Predictions:
        import polars as pl

        from transforms.extract.article import extract_batch
        from transforms.validate.validation import validate

        items, rejected = [], []
        for path in paths:
            data = path.read_bytes()
            try:
                doc = read_document(data, path.name)
            except UnreadableFile as e:
                rejected.append((path.name, str(e)))
                continue
            items.append(Article(path.name, doc, hashlib.sha256(data).hexdigest(), _file_date(path, dates)))
        articles, records, errors = extract_batch(items, calendar=self.calendar)
        rejected += [(name, f"extraction failed: {reason}") for name, reason in errors]
        result = validate(articles, records, self.suites)
        failed = list(result.article_failures)
        rejected += [(name, "failed validation: " + ", ".join(rules)) for sha, rules in result.article_failures.items()
                     for name in articles.filter(pl.col("content_sha256") == sha)["file"]]
        # as flows/pipeline.py stores them and `cchc export` exports them
        kept = (result.records.filter(~pl.col("content_sha256").is_in(failed))
                .unique("record_id", keep="first", maintain_order=True))
        valid = kept.filter(~pl.col("quarantined")).sort("file", "char_start", "metric_id", "kind")
        texts = dict(zip(articles["content_sha256"], articles["text"]))
        full = [{**r, "text": texts.get(r["content_sha256"])} for r in valid.iter_rows(named=True)]
        return Predictions(records=[{k: r[k] for k in EXPORT_FIELDS} for r in full], full=full,
                           files=len(paths), quarantined=kept["quarantined"].sum(), rejected=rejected)


# -- scoring --------------------------------------------------------------------------------

def _prf(scorer, gold, pred, match) -> dict:
    precision, recall, f1, missed, extra = scorer.score(gold, pred, match)
    return {"precision": precision, "recall": recall, "f1": f1, "missed": missed, "extra": extra}


def differing_fields(scorer, g: dict, p: dict) -> list[tuple[str, object, object]]:
    """(field, gold, predicted) for each field that keeps `p` from strictly matching `g`
    (the clauses of score.strict_match, one by one)."""
    out = []
    if g["kind"] != p.get("kind"):
        out.append(("kind", g["kind"], p.get("kind")))
    if g.get("total") is not None and not scorer.close(p.get("total"), g["total"]):
        out.append(("total", g["total"], p.get("total")))
    if g.get("breakdown") is not None and g["breakdown"] != p.get("breakdown"):
        out.append(("breakdown", g["breakdown"], p.get("breakdown")))
    if scorer.norm(g["geography"]) != scorer.norm(p.get("geography")):
        out.append(("geography", g["geography"], p.get("geography")))
    if "locality" in g and not scorer.same_locality(g["locality"], p.get("locality")):
        out.append(("locality", g["locality"], p.get("locality")))
    periods = g["period"] if isinstance(g["period"], list) else [g["period"]]
    if str(p.get("period")) not in periods:
        out.append(("period", "|".join(periods), p.get("period")))
    if g.get("qualifier", "exact") != p.get("qualifier", "exact"):
        out.append(("qualifier", g.get("qualifier", "exact"), p.get("qualifier", "exact")))
    return out


def near_misses(scorer, missed: list[dict], extra: list[dict]) -> list[dict]:
    """Missed gold records that a prediction has right in file, metric and value."""
    out, used = [], set()
    for g in missed:
        for i, p in enumerate(extra):
            if (i not in used and scorer.norm(g["file"]) == scorer.norm(p.get("file"))
                    and g["metric_id"] == p.get("metric_id") and scorer.close(p.get("value"), g["value"])):
                used.add(i)
                out.append({"file": g["file"], "metric_id": g["metric_id"], "value": g["value"],
                            "fields": [{"field": f, "gold": a, "predicted": b}
                                       for f, a, b in differing_fields(scorer, g, p)]})
                break
    return out


def score_set(scorer, gold: list[dict], pred: list[dict], files: list[str]) -> dict:
    labelled = {scorer.norm(g["file"]) for g in gold}
    catalog = scorer.catalog_ids(CATALOG)
    gold = [g for g in gold if not g.get("outside_catalog") or g.get("metric_id") in catalog]
    strict, core = _prf(scorer, gold, pred, scorer.strict_match), _prf(scorer, gold, pred, scorer.core_match)
    per_file = []
    for name in files:
        g = [r for r in gold if scorer.norm(r["file"]) == scorer.norm(name)]
        p = [r for r in pred if scorer.norm(r["file"]) == scorer.norm(name)]
        s, c = _prf(scorer, g, p, scorer.strict_match), _prf(scorer, g, p, scorer.core_match)
        per_file.append({
            "file": name, "gold": sum(1 for r in g if not r.get("no_facts") and not r.get("optional")),
            "predicted": len(p), "strict_f1": s["f1"], "core_f1": c["f1"],
            "strict_missed": len(s["missed"]), "strict_extra": len(s["extra"]), "labelled": scorer.norm(name) in labelled,
        })
    return {"strict": strict, "core": core, "per_file": per_file,
            "near_misses": near_misses(scorer, strict["missed"], strict["extra"])}


def snippet(record: dict, words: int = 5) -> str:
    """The figure with the words before it, digits masked, so like readings group together."""
    text = record.get("text") or record["evidence"]
    before = text[:record["char_start"]].split()[-words:] if record.get("text") else []
    phrase = " ".join(before + [text[record["char_start"]:record["char_end"]]]) if before else record["evidence"][:60]
    return _DIGITS_RE.sub("#", phrase)


def _around(record: dict, before: int = 70, after: int = 40) -> str:
    """The figure in its sentence, cut to a line: "…đã tiếp nhận 1.200 hồ sơ, đạt…"."""
    text = record.get("text")
    if not text:
        return record["evidence"][:before + after]
    start = max(record["sentence_start"], record["char_start"] - before)
    end = min(record["sentence_end"], record["char_end"] + after)
    return ("…" if start > record["sentence_start"] else "") + " ".join(text[start:end].split()) + \
        ("…" if end < record["sentence_end"] else "")


def noise_summary(pred: Predictions, top: int = 10) -> dict:
    counts = Counter((r["metric_id"], snippet(r)) for r in pred.full)
    examples = {}
    for r in pred.full:
        examples.setdefault((r["metric_id"], snippet(r)), f'{r["file"]}: {_around(r)}')
    return {"articles": pred.files, "records": len(pred.records),
            "per_100_articles": 100 * len(pred.records) / pred.files if pred.files else 0.0,
            "top": [{"metric_id": m, "snippet": s, "count": n, "example": examples[(m, s)]}
                    for (m, s), n in counts.most_common(top)]}


def run_set(name: str, pipeline: Pipeline | None = None, scorer=None) -> dict:
    """Predict and score one set; the dict is what --json writes for it."""
    spec = sets()[name]
    if not spec.folder.is_dir():
        sys.exit(f"quality: {spec.folder} does not exist")
    pipeline = pipeline or Pipeline()
    paths = sorted(p for p in spec.folder.iterdir() if p.suffix == ".txt")
    pred = pipeline.predict(paths, manifest_dates() if spec.dated_by_manifest else None)
    out = {"set": name, "files": pred.files, "records": len(pred.records), "quarantined": pred.quarantined,
           "rejected": pred.rejected, "predictions": pred.records}
    if spec.gold is None:
        out["noise"] = noise_summary(pred)
        return out
    scorer = scorer or load_scorer()
    out.update(score_set(scorer, scorer.load(spec.gold), pred.records, [p.name for p in paths]))
    return out


# -- printing -------------------------------------------------------------------------------

def _fmt(x) -> str:
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def print_scores(results: list[dict]) -> None:
    scored = [r for r in results if "strict" in r]
    if scored:
        print(f"{'set':<9} {'files':>5} {'records':>7} {'quar.':>5}   "
              f"{'strict P':>8} {'R':>5} {'F1':>5}   {'core P':>6} {'R':>5} {'F1':>5}")
        for r in scored:
            s, c = r["strict"], r["core"]
            print(f"{r['set']:<9} {r['files']:>5} {r['records']:>7} {r['quarantined']:>5}   "
                  f"{s['precision']:>8.3f} {s['recall']:>5.3f} {s['f1']:>5.3f}   "
                  f"{c['precision']:>6.3f} {c['recall']:>5.3f} {c['f1']:>5.3f}")
    for r in results:
        for name, reason in r["rejected"]:
            print(f"rejected {r['set']}/{name}: {reason}")


def print_per_file(r: dict, verbose: bool) -> None:
    print(f"\n{r['set']}: per file (gold = records to find; strict/core F1; '-' = nothing to find or found)")
    rows = [f for f in r["per_file"] if verbose or f["gold"] or f["predicted"]]
    width = max([len(f["file"]) for f in rows] + [4])
    print(f"  {'file':<{width}} {'gold':>4} {'pred':>4} {'miss':>4} {'extra':>5} {'strict':>6} {'core':>5}")
    for f in rows:
        empty = not f["gold"] and not f["predicted"]
        strict, core = ("-", "-") if empty else (f"{f['strict_f1']:.2f}", f"{f['core_f1']:.2f}")
        print(f"  {f['file']:<{width}} {f['gold']:>4} {f['predicted']:>4} {f['strict_missed']:>4} "
              f"{f['strict_extra']:>5} {strict:>6} {core:>5}" + ("" if f["labelled"] else "  (not in gold)"))
    if verbose:
        for g in r["strict"]["missed"]:
            print(f"  missed  {g['file']} {g['metric_id']} {g['kind']} {g['value']} {g['geography']} {g['period']}")
        for p in r["strict"]["extra"]:
            print(f"  extra   {p['file']} {p['metric_id']} {p['kind']} {p['value']} {p['geography']} {p['period']}"
                  f"  «{p['evidence'][:100]}»")


def print_near_misses(r: dict) -> None:
    if not r["near_misses"]:
        return
    print(f"\n{r['set']}: near misses ({len(r['near_misses'])}: file, metric and value right; field: gold → predicted)")
    for m in r["near_misses"]:
        diffs = "; ".join(f"{d['field']}: {_fmt(d['gold'])} → {_fmt(d['predicted'])}" for d in m["fields"])
        print(f"  {m['file']} {m['metric_id']} {_fmt(m['value'])}  {diffs}")


def print_noise(r: dict, verbose: bool) -> None:
    n = r["noise"]
    print(f"\nnoise: {n['records']} records from {n['articles']} articles = "
          f"{n['per_100_articles']:.1f} per 100 articles ({r['quarantined']} more quarantined)")
    for t in n["top"]:
        print(f"  {t['count']:>3}  {t['metric_id']:<32} {t['snippet']}")
        print(f"       e.g. {t['example']}")
    if verbose:  # every record: each one has to be looked at (issue 11)
        for p in r["predictions"]:
            print(f"  record  {p['file']} {p['metric_id']} {p['kind']} {p['value']} {p['geography']} {p['period']}"
                  f"  «{p['evidence']}»")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score extraction on the labelled sets (see the module docstring).")
    ap.add_argument("--set", dest="sets", action="append", choices=SET_NAMES,
                    help="only this set (repeatable); default: all")
    ap.add_argument("--verbose", action="store_true", help="every file, each missed and extra record, and every noise record")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write the scores as JSON to OUT")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    scorer = load_scorer()
    pipeline = Pipeline()
    results = [run_set(name, pipeline, scorer) for name in (args.sets or SET_NAMES)]
    print_scores(results)
    for r in results:
        if "strict" in r:
            print_per_file(r, args.verbose)
            print_near_misses(r)
        else:
            print_noise(r, args.verbose)
    seconds = time.perf_counter() - started
    print(f"\nquality: {', '.join(r['set'] for r in results)} in {seconds:.1f} s")
    if args.json:
        from cchc.delivery import atomic_output
        with atomic_output(args.json) as tmp:
            tmp.write_text(json.dumps({"seconds": seconds, "sets": {r["set"]: _public(r) for r in results}},
                                      ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        print(f"quality: scores written to {args.json}")
    return 0


def _public(r: dict) -> dict:
    """A set's result for --json: scores and counts, missed/extra as counts (they are in --verbose)."""
    out = {k: v for k, v in r.items() if k != "predictions"}
    for name in ("strict", "core"):
        if name in out:
            out[name] = {k: (len(v) if isinstance(v, list) else v) for k, v in out[name].items()}
    return out


if __name__ == "__main__":
    sys.exit(main())
