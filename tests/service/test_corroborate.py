"""The models' evidence on rule flags: cleared, lowered or kept, always with the evidence."""

from __future__ import annotations

import pytest

from service.corroborate import corroborate, holds_span, span_logprob
from service.report import Flag
from service.translate import TokenScores

SOURCE = "Le gouverneur vit en Nouvelle-Zélande."
#          tokens: "▁Le", "▁gouverneur", "▁vit", "▁en", "▁Nouvelle", "-", "Zélande", ".", "</s>"
START = SOURCE.index("Nouvelle")


def _scores(span_logprob_value: float) -> TokenScores:
    spans = ((0, 2), (2, 13), (13, 17), (17, 20), (20, 29), (29, 30), (30, 37), (37, 38), (38, 38))
    logprobs = (-0.1, -0.2, -0.3, -0.1, span_logprob_value, span_logprob_value, span_logprob_value, -0.1, -0.1)
    pieces = ("▁Le", "▁gouverneur", "▁vit", "▁en", "▁Nouvelle", "-", "Zélande", ".", "</s>")
    return TokenScores(text=SOURCE, pieces=pieces, logprobs=logprobs, spans=spans)


def _flag(rule: str = "name-missing", severity: str = "major", offset: int = 0) -> Flag:
    return Flag(type="name", rule=rule, severity=severity, message="...", source_start=START + offset,
                source_end=START + offset + len("Nouvelle-Zélande"), source_text="Nouvelle-Zélande")


def test_span_logprob_is_the_mean_over_the_span_tokens() -> None:
    assert span_logprob(_scores(-0.5), START, START + 16) == pytest.approx(-0.5)
    assert span_logprob(_scores(-0.5), 100, 110) is None
    assert holds_span("Le gouverneur vit en nouvelle zelande.", "Nouvelle-Zélande")
    assert not holds_span("Le gouverneur vit en Australie.", "Nouvelle-Zélande")


def test_both_signals_clear_the_flag() -> None:
    assert corroborate([_flag()], source_offset=0, reverse=_scores(-0.4),
                       back_translation="Le gouverneur vit en Nouvelle-Zélande.", threshold=-2.0) == []


@pytest.mark.parametrize(("logprob", "back"), [(-0.4, "Il vit en Océanie."), (-6.0, "Il vit en Nouvelle-Zélande.")])
def test_one_signal_lowers_a_major_flag_to_minor_with_the_evidence(logprob: float, back: str) -> None:
    [flag] = corroborate([_flag()], source_offset=0, reverse=_scores(logprob), back_translation=back, threshold=-2.0)
    assert flag.severity == "minor"
    assert flag.evidence is not None
    assert flag.evidence.reverse_span_logprob == pytest.approx(logprob)
    assert flag.evidence.back_translation_has_span == ("Zélande" in back)


def test_no_signal_keeps_the_flag_and_says_why() -> None:
    [flag] = corroborate([_flag(offset=100)], source_offset=100, reverse=_scores(-6.0),
                         back_translation="Il vit en Australie.", threshold=-2.0)
    assert (flag.severity, flag.source_start) == ("major", START + 100)  # document offsets are kept
    assert flag.evidence is not None and flag.evidence.reverse_span_logprob == pytest.approx(-6.0)
    assert flag.evidence.back_translation_has_span is False


def test_known_mistranslations_are_never_cleared() -> None:
    forbidden = _flag(rule="forbidden-rendering", severity="critical")
    assert corroborate([forbidden], source_offset=0, reverse=_scores(-0.1),
                       back_translation="Le gouverneur vit en Nouvelle-Zélande.", threshold=-2.0) == [forbidden]
