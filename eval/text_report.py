"""Render a Report as plain text for a terminal: one block per segment, flags underneath."""

from __future__ import annotations

import textwrap

from service.report import Flag, Report, Segment

MARK = {"pass": "PASS", "review": "REVIEW", "fail": "FAIL"}


def _flag_line(flag: Flag) -> str:
    line = f"  ! {flag.severity} {flag.type} ({flag.rule}): {flag.message}"
    if flag.source_text:
        line += f"\n      source: {textwrap.shorten(flag.source_text, 100)}"
    if flag.translation_text:
        line += f"\n      translation: {textwrap.shorten(flag.translation_text, 100)}"
    if flag.suggestion:
        line += f"\n      suggestion: {flag.suggestion}"
    return line


def _segment_block(segment: Segment, source_lang: str) -> str:
    src_tag = source_lang.upper()
    lines = [f"[{segment.index + 1}] {segment.alignment}  score {segment.score:5.1f}  {MARK[segment.verdict]}"]
    lines.append(f"  {src_tag:<4} {segment.source or '(nothing)'}")
    lines.append(f"  {'MT':<4} {segment.translation or '(nothing)'}")
    if segment.reference is not None:
        lines.append(f"  {'REF':<4} {segment.reference or '(no aligned reference)'}")
    if segment.back_translation is not None:
        lines.append(f"  {'BACK':<4} {segment.back_translation}")
    sig = segment.signals
    if sig is not None:
        metrics = (
            f"  round-trip chrF {sig.roundtrip.chrf:.1f} BLEU {sig.roundtrip.bleu:.1f} TER {sig.roundtrip.ter:.1f}"
            f" | pseudo-ref chrF {sig.pseudo_reference_chrf:.1f}"
            f" | logP(mt|src) {sig.forward_logprob:.2f} logP(src|mt) {sig.backward_logprob:.2f}"
        )
        if sig.reference is not None:
            metrics += f" | ref BLEU {sig.reference.bleu:.1f} chrF {sig.reference.chrf:.1f} TER {sig.reference.ter:.1f}"
        lines.append(metrics)
    if segment.suspicious_spans:
        words = ", ".join(f"{s.text!r} ({s.probability:.3f})" for s in segment.suspicious_spans[:8])
        more = len(segment.suspicious_spans) - 8
        lines.append(f"  unlikely: {words}" + (f" and {more} more" if more > 0 else ""))
    lines.extend(_flag_line(f) for f in segment.flags)
    return "\n".join(lines)


def render_text(report: Report) -> str:
    """The whole report: a header with the document score and verdict, then every segment."""
    counts: dict[str, int] = {}
    for flag in report.flags:
        counts[flag.severity] = counts.get(flag.severity, 0) + 1
    summary = ", ".join(f"{counts[s]} {s}" for s in ("critical", "major", "minor") if s in counts) or "no flags"
    head = [
        f"contresens {report.source_lang}->{report.target_lang}: score {report.score:.1f}/100, "
        f"verdict {MARK[report.verdict]} ({len(report.segments)} segments, {summary})",
    ]
    if report.reference is not None:
        r = report.reference
        head.append(f"against the reference: BLEU {r.bleu:.1f} chrF {r.chrf:.1f} TER {r.ter:.1f}")
    blocks = [_segment_block(s, report.source_lang) for s in report.segments]
    return "\n".join(head) + "\n\n" + "\n\n".join(blocks) + f"\n\nsignature: {report.signature}\n"
