"""One self-contained HTML page of `contresens eval` results (inline CSS and JS, nothing fetched)."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

SEVERITIES = ("critical", "major", "minor")
BINS = 10

_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
th.sortable{cursor:pointer;background:#f3f3f3}
th.sortable:after{content:" \\2195";color:#999}
td.num{text-align:right}
td.back{color:#555;font-style:italic}
mark{padding:0 .1em;border-radius:2px}
mark.sev-critical{background:#f8a5a5}
mark.sev-major{background:#fbd38d}
mark.sev-minor{background:#fef3a0}
.verdict-fail{color:#b00020;font-weight:bold}
.verdict-review{color:#a15c00;font-weight:bold}
.verdict-pass{color:#1b7f3b}
.hist{display:flex;align-items:flex-end;gap:4px;height:120px}
.hist div{flex:1;text-align:center;font-size:.75em}
.hist .bar{background:#4a7bd0;width:100%}
ul.flags{margin:0;padding-left:1.2em;font-size:.9em}
footer{margin-top:2em;font-size:.8em;color:#555}
footer code{word-break:break-all}
"""

_JS = """
document.querySelectorAll("th.sortable").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var col = th.cellIndex, numeric = th.dataset.type === "num";
    var asc = th.dataset.dir !== "asc";
    th.dataset.dir = asc ? "asc" : "desc";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.key || a.cells[col].textContent;
      var y = b.cells[col].dataset.key || b.cells[col].textContent;
      var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, undefined, {numeric: true});
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

_VERDICT_ORDER = {"fail": "0", "review": "1", "pass": "2"}


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _title(flag: dict[str, Any]) -> str:
    parts = [f"{flag.get('severity', '')} {flag.get('rule', '')}: {flag.get('message', '')}"]
    if flag.get("suggestion"):
        parts.append(f"suggestion: {flag['suggestion']}")
    return " | ".join(parts)


def _spans(text: str, flags: Sequence[dict[str, Any]], side: str) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, flag) of the flags on one side, checked against the text; overlaps dropped."""
    found: list[tuple[int, int, dict[str, Any]]] = []
    for flag in flags:
        start, end, want = flag.get(f"{side}_start"), flag.get(f"{side}_end"), flag.get(f"{side}_text")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text) and (
                not want or text[start:end] == want):
            found.append((start, end, flag))
        elif want and want in text:  # offsets missing or off: fall back to the first occurrence
            index = text.index(want)
            found.append((index, index + len(want), flag))
    found.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int, dict[str, Any]]] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def highlight(text: str, flags: Sequence[dict[str, Any]], side: str) -> str:
    """Escaped text with the flagged spans of one side ("source" or "translation") in <mark>."""
    out: list[str] = []
    position = 0
    for start, end, flag in _spans(text, flags, side):
        severity = flag.get("severity") if flag.get("severity") in SEVERITIES else "minor"
        out.append(_esc(text[position:start]))
        out.append(f'<mark class="sev-{severity}" title="{_esc(_title(flag))}">{_esc(text[start:end])}</mark>')
        position = end
    out.append(_esc(text[position:]))
    return "".join(out)


def _flag_texts(flags: Sequence[dict[str, Any]], side: str) -> str:
    """Without the unit's text: each flag's own text on that side, highlighted whole."""
    pieces = []
    for flag in flags:
        text = flag.get(f"{side}_text")
        if text:
            local = {**flag, f"{side}_start": 0, f"{side}_end": len(text)}
            pieces.append(highlight(text, [local], side))
    return " … ".join(pieces)


def _histogram(records: Sequence[dict[str, Any]]) -> str:
    counts = [0] * BINS
    for record in records:
        score = min(max(float(record.get("score", 0.0)), 0.0), 100.0)
        counts[min(int(score // (100 / BINS)), BINS - 1)] += 1
    top = max(counts) or 1
    cells = []
    for index, count in enumerate(counts):
        low = index * 100 // BINS
        high = (index + 1) * 100 // BINS
        cells.append(f'<div title="{low}-{high}: {count}"><span>{count}</span>'
                     f'<div class="bar" style="height:{round(90 * count / top)}px"></div>{low}</div>')
    return '<div class="hist">' + "".join(cells) + "</div>"


def _rule_table(records: Sequence[dict[str, Any]]) -> str:
    by_rule: dict[str, Counter[str]] = {}
    for record in records:
        for flag in record.get("flags") or []:
            by_rule.setdefault(str(flag.get("rule", "")), Counter())[str(flag.get("severity", ""))] += 1
    if not by_rule:
        return "<p>No flags.</p>"
    head = "".join(f"<th>{s}</th>" for s in SEVERITIES)
    rows = []
    for rule, sev in sorted(by_rule.items(), key=lambda item: (-sum(item[1].values()), item[0])):
        cells = "".join(f'<td class="num">{sev.get(s, 0)}</td>' for s in SEVERITIES)
        rows.append(f"<tr><td>{_esc(rule)}</td>{cells}<td class=\"num\">{sum(sev.values())}</td></tr>")
    return f"<table><thead><tr><th>Rule</th>{head}<th>Total</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_html(records: Sequence[dict[str, Any]], signature: str,
                texts: Mapping[str, tuple[str, str]] | None = None) -> str:
    """The page; `texts` maps unit id -> (source, translation) to show whole texts with highlights."""
    counts = Counter(str(r.get("verdict", "")) for r in records)
    mean = sum(float(r.get("score", 0.0)) for r in records) / len(records) if records else 0.0
    rows = []
    for record in records:
        flags = record.get("flags") or []
        unit_id = str(record.get("id", ""))
        if texts is not None and unit_id in texts:
            source, translation = texts[unit_id]
            source_html, translation_html = highlight(source, flags, "source"), highlight(
                translation, flags, "translation")
        else:
            source_html, translation_html = _flag_texts(flags, "source"), _flag_texts(flags, "translation")
        back = " ".join(str(seg.get("back_translation") or "") for seg in record.get("segments") or []).strip()
        items = "".join(f'<li class="sev-{_esc(f.get("severity"))}">{_esc(_title(f))}</li>' for f in flags)
        verdict = str(record.get("verdict", ""))
        score = float(record.get("score", 0.0))
        rows.append(
            f"<tr><td>{_esc(unit_id)}</td><td>{_esc(record.get('location'))}</td>"
            f'<td class="num" data-key="{score}">{score:.1f}</td>'
            f'<td class="verdict-{_esc(verdict)}" data-key="{_VERDICT_ORDER.get(verdict, "3")}">{_esc(verdict)}</td>'
            f'<td>{source_html}</td><td>{translation_html}</td><td class="back">{_esc(back)}</td>'
            f'<td>{"<ul class=flags>" + items + "</ul>" if items else ""}</td></tr>'
        )
    summary = ", ".join(f"{counts.get(v, 0)} {v}" for v in ("fail", "review", "pass"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>contresens report</title>
<style>{_CSS}</style>
</head>
<body>
<h1>contresens: {len(records)} units</h1>
<p>{summary}; mean score <strong>{mean:.1f}</strong> / 100</p>
<h2>Score histogram</h2>
{_histogram(records)}
<h2>Flags by rule</h2>
{_rule_table(records)}
<h2>Units</h2>
<table id="units">
<thead><tr><th class="sortable">Id</th><th>Location</th><th class="sortable" data-type="num">Score</th>
<th class="sortable">Verdict</th><th>Source</th><th>Translation</th><th>Back-translation</th><th>Flags</th>
</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<footer>Signature: <code>{_esc(signature)}</code></footer>
<script>{_JS}</script>
</body>
</html>
"""
