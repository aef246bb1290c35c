"""Checker on the shipped sample with tiny models: structure, omissions, signals, signature."""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import Any

import pytest
import sacrebleu

from service.checker import Checker
from service.config import Settings
from service.translate import ModelUnavailableError
from tests.conftest import SAMPLES, read


def _settings(models: dict[str, Path], **extra: object) -> Settings:
    options: dict[str, object] = {"device": "cpu", "beam_size": 1, "max_length": 16, **extra}
    return Settings(forward_model=str(models["fr-en"]), backward_model=str(models["en-fr"]), **options)


@pytest.fixture(scope="module")
def checker(tiny_models: dict[str, Path]) -> Checker:
    return Checker.from_settings(_settings(tiny_models))


@pytest.fixture(scope="module")
def sample() -> dict[str, str]:
    return {k: read(SAMPLES / f"court-case.{k}.txt") for k in ("fr", "mt.en", "ref.en")}


def test_check_is_keyword_only(checker: Checker) -> None:
    with pytest.raises(TypeError):
        checker.check("Bonjour.", "Hello.")  # type: ignore[misc]


def test_report_covers_both_documents(checker: Checker, sample: dict[str, str]) -> None:
    report = checker.check(source=sample["fr"], translation=sample["mt.en"])
    # every character of both texts that is not whitespace belongs to exactly one segment
    for text, key in ((sample["fr"], "source"), (sample["mt.en"], "translation")):
        covered = "".join(text[getattr(s, f"{key}_start") : getattr(s, f"{key}_end")] for s in report.segments)
        assert "".join(covered.split()) == "".join(text.split())
    for seg in report.segments:
        assert sample["fr"][seg.source_start : seg.source_end] == seg.source
        assert sample["mt.en"][seg.translation_start : seg.translation_end] == seg.translation
        assert 0 <= seg.score <= 100
    assert report.flags == [f for s in report.segments for f in s.flags]
    assert report.signature == checker.signature
    assert report.reference is None


def test_dropped_sentence_is_an_omission_flag(checker: Checker, sample: dict[str, str]) -> None:
    report = checker.check(source=sample["fr"], translation=sample["mt.en"])
    omissions = [f for f in report.flags if f.type == "omission"]
    assert len(omissions) == 1
    flag = omissions[0]
    assert flag.severity == "major"
    assert sample["fr"][flag.source_start : flag.source_end] == flag.source_text
    segment = report.segments[flag.segment]
    assert segment.alignment == "1-0" and segment.translation == "" and segment.score == 0.0
    assert segment.signals is None and segment.verdict != "pass"
    assert report.verdict != "pass"


def test_added_sentence_is_an_addition_flag(checker: Checker) -> None:
    source = "Le parquet de Paris a ouvert une enquête. Trois personnes ont été interpellées."
    translation = ("The Paris prosecutor's office opened an investigation. The minister resigned on Friday "
                   "after a long and heated debate in parliament. Three people were arrested.")
    report = checker.check(source=source, translation=translation)
    additions = [f for f in report.flags if f.type == "addition"]
    assert [f.translation_text for f in additions] == [
        "The minister resigned on Friday after a long and heated debate in parliament."
    ]
    assert additions[0].source_start is None


def test_signals_equal_sacrebleu_on_segment_strings(checker: Checker, sample: dict[str, str]) -> None:
    report = checker.check(source=sample["fr"], translation=sample["mt.en"], reference=sample["ref.en"])
    scored = [s for s in report.segments if s.signals is not None]
    assert scored
    for seg in scored:
        sig = seg.signals
        assert sig.roundtrip.chrf == sacrebleu.sentence_chrf(seg.back_translation, [seg.source]).score
        assert sig.roundtrip.bleu == sacrebleu.sentence_bleu(seg.back_translation, [seg.source]).score
        assert sig.roundtrip.ter == sacrebleu.sentence_ter(seg.back_translation, [seg.source]).score
        assert sig.pseudo_reference_chrf == sacrebleu.sentence_chrf(seg.translation, [seg.pseudo_reference]).score
        assert sig.forward_logprob < 0 and sig.backward_logprob < 0
        assert seg.reference, "every sample sentence has an aligned reference"
        assert sig.reference.chrf == sacrebleu.sentence_chrf(seg.translation, [seg.reference]).score
        for span in seg.suspicious_spans:
            assert sample["mt.en"][span.start : span.end] == span.text
            assert seg.translation_start <= span.start < span.end <= seg.translation_end
    assert report.reference.bleu == sacrebleu.sentence_bleu(sample["mt.en"], [sample["ref.en"]]).score


def test_model_outputs_match_direct_translator_calls(checker: Checker) -> None:
    source = "Il a été placé en garde à vue. Le juge d'instruction a ordonné une expertise."
    translation = "He was taken into police custody. The investigating judge ordered an expert report."
    report = checker.check(source=source, translation=translation)
    assert [s.alignment for s in report.segments] == ["1-1", "1-1"]
    sources = [s.source for s in report.segments]
    mts = [s.translation for s in report.segments]
    assert [s.back_translation for s in report.segments] == checker.backward.translate(mts, beam_size=1, max_length=16)
    assert [s.pseudo_reference for s in report.segments] == checker.forward.translate(sources, beam_size=1, max_length=16)
    expected = checker.forward.score(sources=sources, targets=mts)
    assert [s.signals.forward_logprob for s in report.segments] == pytest.approx([e.mean_logprob for e in expected])


def test_empty_documents(checker: Checker) -> None:
    report = checker.check(source="", translation="")
    assert report.segments == [] and report.score == 100.0 and report.verdict == "pass"
    untranslated = checker.check(source="Trois personnes ont été interpellées.", translation="  \n")
    assert [f.type for f in untranslated.flags] == ["omission"] and untranslated.verdict == "fail"


def test_signature_is_stable_and_complete(checker: Checker, tiny_models: dict[str, Path]) -> None:
    again = Checker.from_settings(_settings(tiny_models))
    assert again.signature == checker.signature
    sig = checker.signature
    fields = dict(part.split(":", 1) for part in sig.split("|") if ":" in part and not part.startswith(("[",)))
    for key in ("contresens", "pair", "fwd", "bwd", "device", "dtype", "beam", "maxlen", "score", "glossary",
                "bleu", "chrf", "ter", "transformers", "torch"):
        assert key in fields, key
    assert fields["pair"] == "fr-en" and fields["beam"] == "1" and fields["maxlen"] == "16"
    assert fields["fwd"] == f"{tiny_models['fr-en']}@{checker.forward.resolved.revision}"
    assert "sha256:" in fields["bwd"]
    assert f"version:{sacrebleu.__version__}" in sig
    assert Checker.from_settings(_settings(tiny_models, beam_size=2)).signature != sig
    swapped = Settings(forward_model=str(tiny_models["en-fr"]), backward_model=str(tiny_models["fr-en"]),
                       device="cpu", beam_size=1, max_length=16)
    assert Checker(forward=again.backward, backward=again.forward, settings=swapped).signature != sig


def test_missing_model_error_names_role_flag_and_variable(tmp_path: Path, tiny_models: dict[str, Path]) -> None:
    settings = Settings(forward_model=str(tiny_models["fr-en"]), backward_model=str(tmp_path / "no" / "en-fr"))
    with pytest.raises(ModelUnavailableError) as info:
        Checker.from_settings(settings)
    message = str(info.value)
    assert "backward (en->fr)" in message and "--backward-model" in message
    assert "CONTRESENS_BACKWARD_MODEL" in message and "no such directory" in message


def test_glossary_flags_enter_the_report(checker: Checker, sample: dict[str, str]) -> None:
    report = checker.check(source=sample["fr"], translation=sample["mt.en"])
    terms = {(f.rule, f.concept): f for f in report.flags if f.type == "terminology"}
    floor = terms[("forbidden-rendering", "parquet")]
    assert floor.severity == "critical" and floor.translation_text == "floor"
    assert sample["fr"][floor.source_start : floor.source_end] == floor.source_text
    assert sample["mt.en"][floor.translation_start : floor.translation_end] == "floor"
    assert floor.back_translation_has_term is not None  # the back-translation was consulted
    assert ("forbidden-rendering", "garde-a-vue") in terms
    segment = report.segments[floor.segment]
    assert segment.verdict == "fail" and report.verdict == "fail"


def test_signature_carries_the_glossary_checksum(checker: Checker, tiny_models: dict[str, Path]) -> None:
    from service.glossary.loading import glossary_for

    assert f"|glossary:{glossary_for(checker.settings).checksum}|" in checker.signature
    bare = Checker(forward=checker.forward, backward=checker.backward,
                   settings=_settings(tiny_models, builtin_glossary=False))
    assert "|glossary:none|" in bare.signature


def test_localization_flags_enter_the_report(checker: Checker, sample: dict[str, str]) -> None:
    report = checker.check(source=sample["fr"], translation=sample["mt.en"])
    numbers = [f for f in report.flags if f.type == "number"]
    age = next(f for f in numbers if f.rule == "number-changed")
    assert (age.source_text, age.translation_text, age.severity) == ("22", "32", "major")
    assert sample["fr"][age.source_start : age.source_end] == age.source_text
    assert sample["mt.en"][age.translation_start : age.translation_end] == age.translation_text
    assert "|checks:numbers+dates+names+untranslated+length+markup+typography|" in report.signature


def test_rule_flags_carry_the_models_evidence(checker: Checker, sample: dict[str, str]) -> None:
    from service.corroborate import span_logprob

    report = checker.check(source=sample["fr"], translation=sample["mt.en"])
    age = next(f for f in report.flags if f.rule == "number-changed")
    segment = report.segments[age.segment or 0]
    assert age.evidence is not None
    [reverse] = checker.backward.score(sources=[segment.translation], targets=[segment.source])
    expected = span_logprob(reverse, age.source_start - segment.source_start, age.source_end - segment.source_start)
    assert age.evidence.reverse_span_logprob == pytest.approx(expected, abs=1e-4)
    assert age.evidence.back_translation_has_span == ("22" in (segment.back_translation or "").split())
    assert "|corrob:-2|" in report.signature and "|ner:fr_core_news_sm@3.8.0|" in report.signature
    rules_only = Checker.rules_only(Settings(cache=False)).check(source=sample["fr"], translation=sample["mt.en"])
    assert all(f.evidence is None for f in rules_only.flags)


def test_checks_can_be_chosen_per_call(checker: Checker, sample: dict[str, str]) -> None:
    from service.checks.registry import UnknownCheckError

    report = checker.check(source=sample["fr"], translation=sample["mt.en"], checks=["markup"])
    assert not [f for f in report.flags if f.type in ("number", "date", "name", "length", "typography")]
    assert "|checks:markup|" in report.signature
    with pytest.raises(UnknownCheckError, match="spelling"):
        checker.check(source="a", translation="b", checks=["spelling"])


def test_rules_only_checker_needs_no_model(sample: dict[str, str]) -> None:
    checker = Checker.rules_only(Settings())
    report = checker.check(source=sample["fr"], translation=sample["mt.en"])
    assert "|fwd:none|bwd:none|" in report.signature
    rules = {(f.type, f.rule) for f in report.flags}
    assert {("terminology", "forbidden-rendering"), ("omission", "unaligned-source-sentence"),
            ("number", "number-changed")} <= rules
    clean = [s for s in report.segments if s.signals is None and s.translation and not s.flags]
    assert clean and all(s.score == 100.0 and s.back_translation is None for s in clean)
    with pytest.raises(ValueError, match="both models or neither"):
        Checker(forward=object(), backward=None, settings=Settings())  # type: ignore[arg-type]


class _MeetingModel:
    """A real Translator whose model calls wait at a shared barrier first: they only get past it when
    all the model calls of a check are in flight at once (four with the plain decoder, two with the
    draft decoder, one `translate_and_score` per direction)."""

    def __init__(self, translator: object, barrier: threading.Barrier) -> None:
        self._translator, self._barrier = translator, barrier

    def translate(self, *args: object, **kwargs: object) -> object:
        self._barrier.wait()
        return self._translator.translate(*args, **kwargs)  # type: ignore[attr-defined]

    def score(self, *args: object, **kwargs: object) -> object:
        self._barrier.wait()
        return self._translator.score(*args, **kwargs)  # type: ignore[attr-defined]

    def translate_and_score(self, *args: object, **kwargs: object) -> object:
        self._barrier.wait()
        return self._translator.translate_and_score(*args, **kwargs)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._translator, name)


def _meeting(checker: Checker, barrier: threading.Barrier) -> Checker:
    """`checker` (same glossary, settings and signature) with models that meet at `barrier`."""
    meeting = copy.copy(checker)
    meeting.forward = _MeetingModel(checker.forward, barrier)  # type: ignore[assignment]
    meeting.backward = _MeetingModel(checker.backward, barrier)  # type: ignore[assignment]
    return meeting


@pytest.mark.parametrize(("decoder", "calls"), [("plain", 4), ("draft", 2)])
def test_concurrent_model_calls_run_together_and_change_nothing(tiny_models: dict[str, Path],
                                                                sample: dict[str, str], decoder: str,
                                                                calls: int) -> None:
    sequential = Checker.from_settings(_settings(tiny_models, cache=False, decoder=decoder))
    assert f"|decoder:{decoder}|" in sequential.signature
    expected = sequential.check(source=sample["fr"], translation=sample["mt.en"])
    barrier = threading.Barrier(calls, timeout=30)  # broken (and the check fails) if the calls come one by one
    concurrent = _meeting(sequential, barrier)
    concurrent.concurrent_model_calls = True
    report = concurrent.check(source=sample["fr"], translation=sample["mt.en"])
    assert report.model_dump() == expected.model_dump()

    barrier = threading.Barrier(calls, timeout=0.5)  # by default (the CLI) the calls come one by one
    one_by_one = _meeting(sequential, barrier)
    with pytest.raises(threading.BrokenBarrierError):
        one_by_one.check(source=sample["fr"], translation=sample["mt.en"])


def test_document_context_and_earlier_sentences_reach_the_names_check() -> None:
    # WMT12 reference (development split): the article named Peter Englund one line before
    from service.checker import Checker, Document
    from service.config import Settings

    checker = Checker.rules_only(Settings(cache=False))
    earlier = "Le nouveau livre de Peter Englund offre profondeur et générosité."
    source = "En racontant l'histoire d'une écolière allemande, Peter Englund écrit: \"Ersatz, partout ersatz.\""
    translation = "In telling a German schoolgirl's story he says: \"Ersatz, everywhere ersatz.\""

    def missing(report: Any) -> list[str]:
        return [f.severity for f in report.flags if f.rule == "name-missing"]

    alone, with_context = checker.check_many([Document(source, translation), Document(source, translation, None, earlier)])
    assert missing(alone) == ["major"] and missing(with_context) == ["minor"]
    # the same sentence after the earlier one inside one document: its first sentence is its context
    whole = checker.check(source=f"{earlier} {source}",
                          translation=f"Peter Englund's new book is deep and generous. {translation}")
    assert missing(whole) == ["minor"]
    assert missing(checker.check(source=source, translation=translation, context=earlier)) == ["minor"]
