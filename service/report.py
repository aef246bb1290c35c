"""The Report: what a check says about one document, as pydantic models (JSON-ready).

Offsets (`*_start`, `*_end`) are character offsets into the original source and translation
strings given to `Checker.check`, so a flag can be highlighted where the text lives.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["minor", "major", "critical"]
Verdict = Literal["pass", "review", "fail"]


class FlagEvidence(BaseModel):
    """What the models say about a rule flag's source span (`service.corroborate`), when they ran."""

    reverse_span_logprob: float | None = Field(
        description="Mean log-probability of the span's tokens given the translation (target->source model).")
    back_translation_has_span: bool = Field(description="Whether the back-translation holds the span again.")


class Flag(BaseModel):
    """One problem found in the translation."""

    type: str = Field(description="Kind of problem: omission, addition, terminology, number, ...")
    rule: str = Field(description="The specific rule that fired, e.g. unaligned-source-sentence.")
    severity: Severity
    segment: int | None = Field(default=None, description="Index of the segment the flag belongs to.")
    source_start: int | None = None
    source_end: int | None = None
    source_text: str | None = None
    translation_start: int | None = None
    translation_end: int | None = None
    translation_text: str | None = None
    message: str
    suggestion: str | None = None
    concept: str | None = Field(default=None, description="Glossary concept id, for terminology flags.")
    confidence: float | None = Field(default=None, ge=0.0, le=1.0, description="How sure the rule is, 0-1.")
    back_translation_has_term: bool | None = Field(
        default=None, description="Whether the back-translation still holds the French term (when one was made)."
    )
    evidence: FlagEvidence | None = Field(
        default=None, description="The models' evidence on the flagged source span (when models were loaded).")


class MetricScores(BaseModel):
    """sacrebleu sentence scores of a hypothesis against one reference (TER: lower is better)."""

    bleu: float
    chrf: float
    ter: float


class SuspiciousSpan(BaseModel):
    """A stretch of the translation the forward model finds unlikely given the source."""

    start: int
    end: int
    text: str
    probability: float = Field(description="Lowest token probability inside the span.")


class Signals(BaseModel):
    """Model-based signals for one aligned segment."""

    roundtrip: MetricScores = Field(description="Back-translation scored against the source.")
    pseudo_reference_chrf: float = Field(description="chrF of the translation against the forward model's own.")
    forward_logprob: float = Field(description="Mean log P(translation | source) under the forward model.")
    backward_logprob: float = Field(description="Mean log P(source | translation) under the backward model.")
    reference: MetricScores | None = Field(default=None, description="Translation against the human reference.")


class Segment(BaseModel):
    """One aligned unit: one or two source sentences with their translation (either side may be empty)."""

    index: int
    alignment: str = Field(description='Sentences linked: "1-1", "2-1", "1-2", "3-1", "1-0" (omitted), "0-1" (added).')
    source_start: int
    source_end: int
    source: str
    translation_start: int
    translation_end: int
    translation: str
    reference: str | None = None
    back_translation: str | None = None
    pseudo_reference: str | None = None
    signals: Signals | None = None
    suspicious_spans: list[SuspiciousSpan] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    score: float = Field(ge=0.0, le=100.0)
    verdict: Verdict


class Report(BaseModel):
    """Result of checking one document."""

    source_lang: str
    target_lang: str
    score: float = Field(ge=0.0, le=100.0, description="Document quality score, 0-100.")
    verdict: Verdict
    segments: list[Segment]
    flags: list[Flag] = Field(description="All flags of all segments, in document order.")
    reference: MetricScores | None = Field(default=None, description="Whole translation against the reference.")
    signature: str
