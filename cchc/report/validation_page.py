"""The validation page: one self-contained HTML file (inline CSS, no scripts, no links out)
that lists every rule run with its outcome and every quarantined record with the rules it
failed and its evidence, so it can be read offline or mailed as it is.
"""
from html import escape
from pathlib import Path

import polars as pl

from cchc.delivery import atomic_output
from transforms.report.labels import VALIDATION_PAGE, pick

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; }
.pass { color: #176b1d; } .fail { color: #b00020; font-weight: bold; } .none { color: #777; }
mark { background: #ffe08a; }
code { font-size: 0.85rem; }
"""


def write_validation_page(path: Path, outcomes: pl.DataFrame, quarantined: pl.DataFrame,
                          title: str, lang: str = "vi") -> Path:
    """Write the page to `path` atomically and return `path`.

    `outcomes`: an OUTCOME_SCHEMA frame (transforms.validate.rules); `quarantined`: quarantined records
    (RECORD_SCHEMA columns plus `failed_rules`).
    """
    lang = "en" if lang == "en" else "vi"
    labels = {key: pick(pair, lang) for key, pair in VALIDATION_PAGE.items()}
    descriptions = dict(zip(outcomes["rule_id"], outcomes[f"description_{lang}"]))
    page = "\n".join([
        "<!DOCTYPE html>", f'<html lang="{escape(lang)}">', "<head>", '<meta charset="utf-8">',
        f"<title>{escape(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{escape(title)}</h1>",
        f"<h2>{labels['rules']}</h2>", _rules_table(outcomes, descriptions, labels),
        f"<h2>{labels['quarantined']} ({quarantined.height})</h2>",
        _quarantine_table(quarantined, descriptions, labels),
        "</body>", "</html>", "",
    ])
    return _write_atomically(Path(path), page)


def _rules_table(outcomes: pl.DataFrame, descriptions: dict[str, str], labels: dict) -> str:
    head = _row("th", [labels[k] for k in ("suite", "rule", "description", "checked", "failed", "outcome")])
    body = []
    for r in outcomes.iter_rows(named=True):
        state = "none" if not r["checked"] else "fail" if r["failed"] else "pass"
        body.append(
            f"<tr><td>{escape(r['suite'])}</td><td><code>{escape(r['rule_id'])}</code></td>"
            f"<td>{escape(descriptions[r['rule_id']])}</td><td class=\"num\">{r['checked']}</td>"
            f"<td class=\"num\">{r['failed']}</td><td class=\"{state}\">{labels[state]}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _quarantine_table(records: pl.DataFrame, descriptions: dict[str, str], labels: dict) -> str:
    if records.height == 0:
        return f"<p>{labels['no_quarantine']}</p>"
    head = _row("th", [labels[k] for k in ("file", "metric", "value", "period", "geography",
                                           "failed_rules", "evidence")])
    body = []
    for r in records.iter_rows(named=True):
        rules = "<br>".join(f"<code>{escape(rule)}</code>: {escape(descriptions.get(rule, ''))}"
                            for rule in r["failed_rules"] or [])
        body.append(
            f"<tr><td>{escape(r['file'] or '')}</td><td>{escape(r['metric_id'] or '')}</td>"
            f"<td>{escape(_value(r))}</td><td>{escape(r['period'] or '')}</td>"
            f"<td>{escape(r['geography'] or '')}</td><td>{rules}</td>"
            f"<td>{_evidence(r['evidence'], r['value_text'])}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _row(cell: str, texts: list[str]) -> str:
    return "<tr>" + "".join(f"<{cell}>{escape(t)}</{cell}>" for t in texts) + "</tr>"


def _value(record: dict) -> str:
    value = record["value_text"] or ("" if record["value"] is None else f"{record['value']:g}")
    return f"{value} ({record['unit']})" if record["unit"] else value


def _evidence(evidence: str | None, figure: str | None) -> str:
    """The evidence, escaped, with its first occurrence of the figure marked."""
    evidence = evidence or ""
    at = evidence.find(figure) if figure else -1
    if at < 0:
        return escape(evidence)
    end = at + len(figure)
    return f"{escape(evidence[:at])}<mark>{escape(evidence[at:end])}</mark>{escape(evidence[end:])}"


def _write_atomically(path: Path, text: str) -> Path:
    """A reader never sees half a page; a killed run's leftover is the reports folder's
    usual partial file, which the next run removes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
