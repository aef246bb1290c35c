"""The Checker: one document in, one Report out.

It segments and aligns the two texts, runs the models once per document in batches
(back-translation, forward pseudo-reference, forced decoding both ways), turns the results
into signals, flags and scores, and signs the report. Everything specific to one stage lives in
that stage's module; this one only puts them together.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from service.cache import CachedModel, TranslationCache
from service.checks.base import CheckInput
from service.checks.registry import resolve_names, run_checks
from service.checks.source_names import prefetch as prefetch_names
from service.config import Settings
from service.corroborate import corroborate
from service.glossary.concept import Concept, Glossary, TermPolicy
from service.glossary.detector import TermDetector, check_policy
from service.glossary.layered import LayeredTerms
from service.glossary.loading import glossary_for
from service.quality_weights import load_weights
from service.report import Flag, Report, Segment, Signals
from service.report_cache import ReportCache
from service.scoring import document_score, document_verdict, segment_score, segment_verdict
from service.segment import Link, Sentence, align, split_sentences
from service.signals import pseudo_reference_chrf, roundtrip, sentence_metrics, suspicious_spans
from service.signature import build_signature
from service.translate import DraftModel, ModelUnavailableError, TokenScores, TranslationModel, Translator

EARLIER_CHARS = 4000
"""How much of the source before a segment its checks see (`CheckInput.earlier`): a news article's
last several sentences, so that the cost stays flat on long documents."""


@dataclass(frozen=True)
class Document:
    """One document to check: the source, its machine translation, maybe a human reference."""

    source: str
    translation: str
    reference: str | None = None
    context: str = ""
    """Source text that precedes this document and is not checked (the previous segments of its article):
    the names check reads it, so that a person named there and called "he" here is not a missing name."""


@dataclass(frozen=True)
class _ModelOutputs:
    """Results of the four model calls, one row per aligned pair."""

    back: list[str]
    pseudo: list[str]
    forward: list[TokenScores]
    backward: list[TokenScores]


@dataclass(frozen=True)
class _Unit:
    """An aligned unit before scoring: document spans of both sides."""

    link: Link
    source_span: tuple[int, int]
    mt_span: tuple[int, int]
    reference: str | None


def _span(sentences: Sequence[Sentence], indices: Sequence[int], fallback: int) -> tuple[int, int]:
    """Document span covering `indices` (empty span at `fallback` when there are none)."""
    if not indices:
        return (fallback, fallback)
    return (sentences[indices[0]].start, sentences[indices[-1]].end)


def _gap_position(sentences: Sequence[Sentence], links: Sequence[Link], k: int, side: str) -> int:
    """Where an empty side of link `k` sits in its document: after the previous sentence of that side."""
    for link in reversed(links[:k]):
        indices = link.source if side == "source" else link.target
        if indices:
            return sentences[indices[-1]].end
    return 0


def _decoder(model: TranslationModel, settings: Settings) -> str:
    """The decoder the checker's generations run with ("draft", "shared" or "plain"), from the model's own
    answer; a model without `decoder_for` (CTranslate2) runs the plain one, and refuses an explicit other."""
    decoder_for = getattr(model, "decoder_for", None)
    if decoder_for is None:
        if settings.decoder in ("draft", "shared"):
            raise ValueError(f"the {settings.decoder} decoder needs a torch backend (fp32, int8, bf16 or fp16), not "
                             f"{getattr(model, 'backend', 'this one')}")
        return "plain"
    return str(decoder_for(settings.decoder, settings.beam_size))


class Checker:
    """Scores translations with a forward (source->target) and a backward (target->source) model."""

    def __init__(
        self,
        *,
        forward: TranslationModel | None,
        backward: TranslationModel | None,
        settings: Settings,
        glossary: Glossary | None = None,
    ) -> None:
        """Both models, or neither (rules only: alignment, glossary and localization checks)."""
        if (forward is None) != (backward is None):
            raise ValueError("give both models or neither")
        self.forward = forward
        self.backward = backward
        self.settings = settings
        # The four model calls of a check do not depend on each other. When the models are dynamic
        # batchers shared by concurrent requests (the service), issuing them at once puts all of a
        # request's work in the queues together, so each model call merges the same stage of every
        # waiting request; with plain models they would only fight for the same cores.
        self.concurrent_model_calls = False
        # Finished reports by signature and texts (`service.report_cache`), set with the translation cache.
        self.report_cache: ReportCache | None = None
        self.check_names = settings.check_names
        self.decoder = _decoder(forward, settings) if forward is not None else "none"
        self.weights = load_weights(settings.quality_weights)  # of the quality score, read once
        self.terms = TermDetector(glossary, source_lang=settings.source_lang, target_lang=settings.target_lang,
                                  policy=settings.term_policy) if glossary is not None and len(glossary) else None
        self.signature = build_signature(
            settings=settings,
            forward=forward.describe() if forward else "none",
            backward=backward.describe() if backward else "none",
            device=forward.device if forward else "none",
            dtype=forward.dtype if forward else "none",
            backend=str(getattr(forward, "backend", "fp32")) if forward else "none",
            glossary_checksum=self.terms.glossary.checksum if self.terms else None,
            weights=self.weights,
            decoder=(f"{self.decoder}+shortlist{settings.shortlist}" if self.decoder == "draft" and settings.shortlist
                     else self.decoder) if forward else "none",
        )

    @classmethod
    def rules_only(cls, settings: Settings) -> Checker:
        """A checker without models: alignment, glossary and localization checks (`--no-model`)."""
        return cls(forward=None, backward=None, settings=settings, glossary=glossary_for(settings))

    @classmethod
    def from_settings(cls, settings: Settings) -> Checker:
        """Load the glossary and both models named by `settings`; a missing model raises
        `ModelUnavailableError` saying which one, and which flag or environment variable points to
        a local copy. The glossary is read first, so a bad termbase fails before minutes of loading."""
        glossary = glossary_for(settings)
        models: list[TranslationModel] = []
        for role, name, flag, env in (
            ("forward", settings.forward_model_name, "--forward-model", "CONTRESENS_FORWARD_MODEL"),
            ("backward", settings.backward_model_name, "--backward-model", "CONTRESENS_BACKWARD_MODEL"),
        ):
            src, tgt = (
                (settings.source_lang, settings.target_lang)
                if role == "forward"
                else (settings.target_lang, settings.source_lang)
            )
            try:
                models.append(Translator.load(name, device=settings.device, offline=settings.offline,
                                              backend=settings.backend, threads=settings.threads,
                                              compute_type=settings.ct2_compute_type
                                              if settings.backend == "ct2" else None))
            except ModelUnavailableError as exc:
                hint = (
                    f"contresens needs a {src}->{tgt} MarianMT model. Download {name} on a machine with "
                    f"internet access (`hf download {name} --local-dir DIR`), copy DIR here, then pass "
                    f"`{flag} DIR` or set {env}=DIR."
                )
                raise exc.with_role(f"{role} ({src}->{tgt})", hint) from exc
        if settings.shortlist:
            for model in models:
                why = getattr(model, "shortlist_support", lambda: "the ct2 backend has no draft decoder")()
                if why:
                    raise ValueError(f"CONTRESENS_SHORTLIST={settings.shortlist}: {why}")
                cast(Translator, model).shortlist = settings.shortlist
        checker = cls(forward=models[0], backward=models[1], settings=settings, glossary=glossary)
        if settings.cache:
            checker.use_cache(TranslationCache(settings.cache_path, memory_items=settings.cache_memory_items))
        return checker

    def use_cache(self, cache: TranslationCache) -> None:
        """Keep model results (`CachedModel` around both models) and whole reports (`ReportCache`) in
        `cache`, so unchanged texts cost lookups only."""
        if self.forward is None or self.backward is None:
            return
        self.forward, self.backward = CachedModel(self.forward, cache), CachedModel(self.backward, cache)
        self.report_cache = ReportCache(cache)

    def _rule_flags(self, source: str, translation: str, back_translation: str | None, source_offset: int,
                    translation_offset: int, segment: int, names: Sequence[str],
                    terms: TermDetector | LayeredTerms | None, earlier: str = "") -> list[Flag]:
        """Glossary and localization flags of one aligned segment, with document offsets; `earlier` is
        the source text before the segment (`CheckInput.earlier`)."""
        occurrences = terms.find_terms(source) if terms is not None else []
        flags: list[Flag] = []
        if terms is not None:
            flags += terms.check(source=source, translation=translation, back_translation=back_translation,
                                      source_offset=source_offset, translation_offset=translation_offset,
                                      segment=segment, occurrences=occurrences)
        item = CheckInput(source, translation, self.settings.source_lang, self.settings.target_lang,
                          protected=tuple((o.start, o.end) for o in occurrences), earlier=earlier)
        flags += run_checks(item, names, source_offset=source_offset,
                            translation_offset=translation_offset, segment=segment)
        return flags

    def _units(self, source: str, translation: str, reference: str | None) -> list[_Unit]:
        """Split and align the texts; attach to each unit the reference sentences aligned to its source."""
        s = self.settings
        src_sents = split_sentences(source, s.source_lang)
        mt_sents = split_sentences(translation, s.target_lang)
        links = align([x.text for x in src_sents], [x.text for x in mt_sents])
        ref_of: dict[int, list[int]] = {}
        ref_sents: list[Sentence] = []
        if reference is not None:
            ref_sents = split_sentences(reference, s.target_lang)
            for link in align([x.text for x in src_sents], [x.text for x in ref_sents]):
                for i in link.source:
                    ref_of.setdefault(i, []).extend(link.target)
        units = []
        for k, link in enumerate(links):
            ref_ids = sorted({j for i in link.source for j in ref_of.get(i, [])})
            ref_text = None
            if reference is not None:
                ref_text = reference[ref_sents[ref_ids[0]].start : ref_sents[ref_ids[-1]].end] if ref_ids else ""
            units.append(
                _Unit(
                    link=link,
                    source_span=_span(src_sents, link.source, _gap_position(src_sents, links, k, "source")),
                    mt_span=_span(mt_sents, link.target, _gap_position(mt_sents, links, k, "target")),
                    reference=ref_text,
                )
            )
        return units

    def check(
        self, *, source: str, translation: str, reference: str | None = None, checks: Sequence[str] | None = None,
        glossary: Sequence[Concept] = (), term_policy: TermPolicy | None = None, context: str = "",
    ) -> Report:
        """Check one document: `translation` is the machine translation of `source`; `context` is
        source text before it that is not checked (`Document.context`).

        `checks` picks the localization checks for this call (default: those of the settings);
        an unknown name raises `UnknownCheckError`. `glossary` adds termbase entries for this call
        only, laid over the checker's glossary (they win on the same id or French term). `term_policy`
        (mistranslation or strict; default: the settings') says what term flags mean for this call; an
        unknown one raises ValueError. All show in the report's signature.
        """
        return self.check_many([Document(source, translation, reference, context)], checks=checks,
                               glossary=glossary, term_policy=term_policy)[0]

    def check_many(
        self, documents: Sequence[Document], *, checks: Sequence[str] | None = None, glossary: Sequence[Concept] = (),
        term_policy: TermPolicy | None = None,
    ) -> list[Report]:
        """Check several documents with one set of model calls for all their segments (back-translation,
        forward translation, forced decoding both ways), so that many short units batch together; the
        reports are those `check` gives for each document alone."""
        s = self.settings
        names = self.check_names if checks is None else resolve_names(checks)
        signature = self.signature.replace(
            f"|checks:{'+'.join(self.check_names) or 'none'}|", f"|checks:{'+'.join(names) or 'none'}|"
        )
        policy = check_policy(s.term_policy if term_policy is None else term_policy)
        signature = signature.replace(f"|termpolicy:{s.term_policy}|", f"|termpolicy:{policy}|")
        terms: TermDetector | LayeredTerms | None = self.terms.with_policy(policy) if self.terms else None
        if glossary:
            terms = LayeredTerms(self.terms, Glossary(glossary, name="request"), source_lang=s.source_lang,
                                 target_lang=s.target_lang, policy=policy)
            old = self.terms.glossary.checksum if self.terms is not None else "none"
            signature = signature.replace(f"|glossary:{old}|", f"|glossary:{terms.glossary.checksum}|")
        if self.report_cache is None:
            return self._check_fresh(documents, names, terms, signature)
        keys = [ReportCache.key(signature, d.source, d.translation, d.reference, d.context) for d in documents]
        found = self.report_cache.get_many(keys)
        todo = [d for d, key in zip(documents, keys) if key not in found]
        fresh = dict(zip((k for k in keys if k not in found), self._check_fresh(todo, names, terms, signature)))
        self.report_cache.put_many(fresh)
        return [found[key] if key in found else fresh[key] for key in keys]

    def _check_fresh(self, documents: Sequence[Document], names: Sequence[str],
                     terms: TermDetector | LayeredTerms | None, signature: str) -> list[Report]:
        """`check_many` without the report cache: align, run the models once for all units, report."""
        if not documents:
            return []
        prepared = [self._units(d.source, d.translation, d.reference) for d in documents]
        # units with text on both sides go to the models, all documents in one call each;
        # rows[(document, unit)] is the unit's row in those calls
        rows: dict[tuple[int, int], int] = {}
        src_texts: list[str] = []
        mt_texts: list[str] = []
        for d, (document, units) in enumerate(zip(documents, prepared)):
            for i, unit in enumerate(units):
                if unit.link.source and unit.link.target:
                    rows[(d, i)] = len(src_texts)
                    src_texts.append(document.source[slice(*unit.source_span)])
                    mt_texts.append(document.translation[slice(*unit.mt_span)])
        if "names" in names:  # the names check asks for the entities of each source: one batch for all
            prefetch_names([document.source[slice(*u.source_span)] for document, units in zip(documents, prepared)
                            for u in units if u.link.source and u.link.target], self.settings.source_lang)
        outputs = self._run_models(src_texts, mt_texts)
        return [
            self._report(document, units, {i: rows[(d, i)] for i in range(len(units)) if (d, i) in rows}, outputs,
                         names, terms, signature)
            for d, (document, units) in enumerate(zip(documents, prepared))
        ]

    def _call_all(self, calls: dict[str, Callable[[], Any]], together: bool) -> dict[str, Any]:
        """Each call's result; issued at once from worker threads when `together` (see
        `concurrent_model_calls`), one after the other otherwise."""
        if not together:
            return {name: call() for name, call in calls.items()}
        with concurrent.futures.ThreadPoolExecutor(len(calls), thread_name_prefix="contresens-call") as pool:
            futures = {name: pool.submit(call) for name, call in calls.items()}
            return {name: future.result() for name, future in futures.items()}

    def _run_models(self, src_texts: list[str], mt_texts: list[str]) -> _ModelOutputs | None:
        """The model calls for aligned pairs (four, or one per direction with the draft and shared
        decoders), or None without models."""
        if self.forward is None or self.backward is None:
            return None
        s = self.settings
        together = self.concurrent_model_calls and bool(src_texts)
        decoding = {"beam_size": s.beam_size, "max_length": s.max_length, "batch_size": s.batch_size}
        if self.decoder in ("draft", "shared"):
            forward, backward = cast(DraftModel, self.forward), cast(DraftModel, self.backward)
            # each direction's generation has the other side as its draft, and its forced decoding is of that
            # draft: one call per direction (`Translator.translate_and_score`), each text encoded once
            done = self._call_all({
                "forward": lambda: forward.translate_and_score(src_texts, mt_texts, decoder=self.decoder, **decoding),
                "backward": lambda: backward.translate_and_score(mt_texts, src_texts, decoder=self.decoder,
                                                                 **decoding),
            }, together)
            (pseudo, forward_scores), (back, backward_scores) = done["forward"], done["backward"]
            return _ModelOutputs(back=back, pseudo=pseudo, forward=forward_scores, backward=backward_scores)
        plain_forward, plain_backward = self.forward, self.backward
        return _ModelOutputs(**self._call_all({
            "back": lambda: plain_backward.translate(mt_texts, **decoding),
            "pseudo": lambda: plain_forward.translate(src_texts, **decoding),
            "forward": lambda: plain_forward.score(sources=src_texts, targets=mt_texts, batch_size=s.batch_size),
            "backward": lambda: plain_backward.score(sources=mt_texts, targets=src_texts, batch_size=s.batch_size),
        }, together))

    def _report(self, document: Document, units: list[_Unit], model_row: dict[int, int],
                outputs: _ModelOutputs | None, names: Sequence[str], terms: TermDetector | LayeredTerms | None,
                signature: str) -> Report:
        """One document's report from its aligned units and its rows of the model outputs."""
        s = self.settings
        source, translation, reference = document.source, document.translation, document.reference
        models = outputs is not None
        segments: list[Segment] = []
        for index, unit in enumerate(units):
            (sa, sb), (ma, mb) = unit.source_span, unit.mt_span
            src_text, mt_text = source[sa:sb], translation[ma:mb]
            earlier = f"{document.context}\n{source[:sa]}"[-EARLIER_CHARS:]
            flags: list[Flag] = []
            signals = None
            spans = []
            bt = pr = None
            k = model_row.get(index)
            if k is None and not unit.link.target:
                flags.append(
                    Flag(type="omission", rule="unaligned-source-sentence", severity="major", segment=index,
                         source_start=sa, source_end=sb, source_text=src_text,
                         message="This source sentence has no counterpart in the translation: it was dropped.",
                         suggestion="Translate the missing sentence.")
                )
            elif k is None:
                flags.append(
                    Flag(type="addition", rule="unaligned-translation-sentence", severity="major", segment=index,
                         translation_start=ma, translation_end=mb, translation_text=mt_text,
                         message="This sentence of the translation has no counterpart in the source: it was added.",
                         suggestion="Remove the sentence or check that the source is complete.")
                )
            elif not models:
                flags += self._rule_flags(src_text, mt_text, None, sa, ma, index, names, terms, earlier)
            else:
                assert outputs is not None
                bt, pr = outputs.back[k], outputs.pseudo[k]
                signals = Signals(
                    roundtrip=roundtrip(source=src_text, back_translation=bt),
                    pseudo_reference_chrf=pseudo_reference_chrf(translation=mt_text, pseudo_reference=pr),
                    forward_logprob=outputs.forward[k].mean_logprob,
                    backward_logprob=outputs.backward[k].mean_logprob,
                    reference=sentence_metrics(mt_text, unit.reference) if unit.reference else None,
                )
                spans = suspicious_spans(outputs.forward[k], threshold=s.low_prob_threshold, offset=ma)
                flags += corroborate(self._rule_flags(src_text, mt_text, bt, sa, ma, index, names, terms, earlier),
                                     source_offset=sa, reverse=outputs.backward[k], back_translation=bt,
                                     threshold=s.corroboration_logprob)
            score = segment_score(signals, flags, rules_only=not models and k is not None, weights=self.weights)
            segments.append(
                Segment(
                    index=index, alignment=unit.link.kind, source_start=sa, source_end=sb, source=src_text,
                    translation_start=ma, translation_end=mb, translation=mt_text, reference=unit.reference,
                    back_translation=bt, pseudo_reference=pr, signals=signals, suspicious_spans=spans,
                    flags=flags, score=score,
                    verdict=segment_verdict(score, flags, pass_score=s.pass_score, fail_score=s.fail_score),
                )
            )
        doc_score = document_score(segments)
        return Report(
            source_lang=s.source_lang,
            target_lang=s.target_lang,
            score=doc_score,
            verdict=document_verdict(doc_score, segments, pass_score=s.pass_score, fail_score=s.fail_score),
            segments=segments,
            flags=[f for seg in segments for f in seg.flags],
            reference=sentence_metrics(translation, reference) if reference and reference.strip() else None,
            signature=signature,
        )
