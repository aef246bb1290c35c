"""Score formula and verdict rules (no model involved)."""

from __future__ import annotations

import pytest

from service.report import Flag, MetricScores, Segment, Signals
from service.scoring import (
    base_score,
    document_score,
    document_verdict,
    likelihood_points,
    segment_score,
    segment_verdict,
)


def _signals(chrf: float = 80.0, lp: float = -1.0) -> Signals:
    return Signals(
        roundtrip=MetricScores(bleu=50.0, chrf=chrf, ter=30.0),
        pseudo_reference_chrf=chrf,
        forward_logprob=lp,
        backward_logprob=lp,
    )


def _flag(severity: str) -> Flag:
    return Flag(type="omission", rule="unaligned-source-sentence", severity=severity, message="m")  # type: ignore[arg-type]


def _segment(score: float, verdict: str, flags: list[Flag] | None = None, source: str = "abcd") -> Segment:
    return Segment(index=0, alignment="1-1", source_start=0, source_end=len(source), source=source, translation_start=0,
                   translation_end=1, translation="x", flags=flags or [], score=score, verdict=verdict)  # type: ignore[arg-type]


def test_likelihood_points() -> None:
    assert likelihood_points(0.0) == 100.0
    assert likelihood_points(-2.0) == 50.0
    assert likelihood_points(-4.0) == 0.0
    assert likelihood_points(-9.0) == 0.0


def test_base_and_segment_score() -> None:
    # 0.3*80 + 0.3*80 + 0.2*75 + 0.2*75
    assert base_score(_signals(80.0, -1.0)) == pytest.approx(78.0)
    assert base_score(None) == 0.0
    assert segment_score(_signals(80.0, -1.0), [_flag("minor")]) == pytest.approx(73.0)
    assert segment_score(_signals(80.0, -1.0), [_flag("major"), _flag("critical")]) == pytest.approx(3.0)
    assert segment_score(_signals(10.0, -5.0), [_flag("major")]) == 0.0


@pytest.mark.parametrize(
    ("score", "severities", "expected"),
    [
        (95.0, [], "pass"),
        (95.0, ["minor"], "pass"),
        (95.0, ["major"], "review"),
        (100.0, ["critical"], "fail"),
        (69.9, [], "review"),
        (39.9, [], "fail"),
        (70.0, [], "pass"),
    ],
)
def test_segment_verdict(score: float, severities: list[str], expected: str) -> None:
    flags = [_flag(s) for s in severities]
    assert segment_verdict(score, flags, pass_score=70.0, fail_score=40.0) == expected


def test_document_score_is_length_weighted() -> None:
    segments = [_segment(100.0, "pass", source="a" * 30), _segment(0.0, "review", source="b" * 10)]
    assert document_score(segments) == 75.0
    assert document_score([]) == 100.0


def test_document_verdict_critical_always_fails() -> None:
    critical = _segment(99.0, "fail", [_flag("critical")])
    assert document_verdict(99.0, [critical], pass_score=70.0, fail_score=40.0) == "fail"
    assert document_verdict(90.0, [_segment(90, "pass"), _segment(60, "review")], pass_score=70, fail_score=40) == "review"
    assert document_verdict(90.0, [_segment(90, "pass")], pass_score=70, fail_score=40) == "pass"
    assert document_verdict(30.0, [_segment(30, "fail")], pass_score=70, fail_score=40) == "fail"
