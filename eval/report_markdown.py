"""A Markdown summary of `contresens eval` results, for pull-request comments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

SEVERITIES = ("critical", "major", "minor")
MAX_ROWS = 50
TOP_FLAGS = 3


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, newlines folded to spaces."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def md_code(value: object) -> str:
    """Inline code safe in a table cell (backticks in the text get a longer fence)."""
    text = md_cell(value)
    if not text:
        return "``"
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _verdict_counts(records: Sequence[dict[str, Any]]) -> Counter[str]:
    return Counter(str(r.get("verdict", "")) for r in records)


def _flag_line(flag: dict[str, Any]) -> str:
    parts = [f"**{md_cell(flag.get('severity'))}** {md_cell(flag.get('rule'))}"]
    source, translation = flag.get("source_text"), flag.get("translation_text")
    if source or translation:
        parts.append(f"{md_code(source or '')} → {md_code(translation or '')}")
    if flag.get("suggestion"):
        parts.append(f"(suggest {md_code(flag['suggestion'])})")
    return " ".join(parts)


def _rank(flag: dict[str, Any]) -> int:
    severity = flag.get("severity")
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def render_markdown(records: Sequence[dict[str, Any]], signature: str) -> str:
    """The whole comment: title with verdict counts, mean score, flags by rule, units to look at."""
    counts = _verdict_counts(records)
    lines: list[str] = []
    summary = ", ".join(f"{counts.get(v, 0)} {v}" for v in ("fail", "review", "pass"))
    lines.append(f"## contresens: {len(records)} units — {summary}")
    lines.append("")
    if records:
        mean = sum(float(r.get("score", 0.0)) for r in records) / len(records)
        lines.append(f"Mean score: **{mean:.1f}** / 100")
    else:
        lines.append("No units were evaluated.")
    lines.append("")

    by_rule: dict[str, Counter[str]] = {}
    for record in records:
        for flag in record.get("flags") or []:
            by_rule.setdefault(str(flag.get("rule", "")), Counter())[str(flag.get("severity", ""))] += 1
    if by_rule:
        lines.append("### Flags by rule")
        lines.append("")
        lines.append("| Rule | " + " | ".join(SEVERITIES) + " | Total |")
        lines.append("|---|" + "---:|" * (len(SEVERITIES) + 1))
        ordered = sorted(by_rule.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        for rule, sev in ordered:
            cells = [str(sev.get(s, 0)) for s in SEVERITIES]
            lines.append(f"| {md_cell(rule)} | " + " | ".join(cells) + f" | {sum(sev.values())} |")
        lines.append("")

    flagged = [r for r in records if r.get("verdict") in ("fail", "review")]
    flagged.sort(key=lambda r: (r.get("verdict") != "fail", float(r.get("score", 0.0))))
    if flagged:
        lines.append("### Units to review")
        lines.append("")
        lines.append("| Location | Id | Score | Verdict | Top flags |")
        lines.append("|---|---|---:|---|---|")
        for record in flagged[:MAX_ROWS]:
            flags = sorted(record.get("flags") or [], key=_rank)
            shown = "<br>".join(_flag_line(f) for f in flags[:TOP_FLAGS])
            if len(flags) > TOP_FLAGS:
                shown += f"<br>… {len(flags) - TOP_FLAGS} more"
            lines.append(
                f"| {md_cell(record.get('location'))} | {md_cell(record.get('id'))} "
                f"| {float(record.get('score', 0.0)):.1f} | {md_cell(record.get('verdict'))} | {shown} |"
            )
        if len(flagged) > MAX_ROWS:
            lines.append("")
            lines.append(f"… and {len(flagged) - MAX_ROWS} more")
        lines.append("")

    fence = "``" if "`" in signature else "`"
    lines.append(f"Signature: {fence} {signature} {fence}" if "`" in signature else f"Signature: `{signature}`")
    return "\n".join(lines) + "\n"
