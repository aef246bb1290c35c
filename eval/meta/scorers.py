"""The scorers the meta-evaluation compares with human judgments: one number per (source, hypothesis).

Every scorer returns HIGHER = BETTER, so that agreement with people always reads the same way; TER
and flag counts are negated.

Reference-based baselines (sacrebleu, to check the harness against the published WMT tables):

* `sentbleu`: the WMT14 "BLEU+1" sentence-BLEU baseline: add-one smoothing of the matches and totals
  of 2- to 4-grams (Lin and Och 2004; sacrebleu `smooth_method="add-k"`, k=1), effective order,
  lowercased, `13a` tokenisation. Of the variants tried, this is the one whose segment-level Kendall
  tau on WMT14 fr-en is closest to the published .378 (see the README's meta-evaluation section);
* `chrf`: sacrebleu sentence chrF (chrF2) against the reference;
* `ter`: minus sacrebleu sentence TER against the reference.

Reference-free contresens signals:

* `flags`: minus the number of flags of the rules-only checker (glossary and localization checks);
* with the forward and backward models (`Checker.check_many`): `roundtrip-chrf`, `roundtrip-bleu`,
  `roundtrip-ter` (minus TER), `pseudo-chrf`, `forward-logprob`, `backward-logprob`, and `quality`,
  the combined 0-100 score of the report.

The model runs once per distinct (source, hypothesis) however many model-based scorers ask for it:
all those made by one `get_scorers` call share an in-memory cache of signals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sacrebleu.metrics import BLEU, CHRF, TER

from service.checker import Checker, Document
from service.config import Settings
from service.report import Report, Signals

BATCH_DOCUMENTS = 32
SENTBLEU_OPTIONS: dict[str, Any] = {
    "smooth_method": "add-k", "smooth_value": 1, "effective_order": True, "lowercase": True, "tokenize": "13a",
}
# Values given to a hypothesis with no segment the models could score (an empty translation):
# the worst a sentence can plausibly get on each signal.
FLOOR = {"roundtrip-chrf": 0.0, "roundtrip-bleu": 0.0, "roundtrip-ter": -100.0, "pseudo-chrf": 0.0,
         "forward-logprob": -20.0, "backward-logprob": -20.0}
MODEL_FREE = ("sentbleu", "chrf", "ter", "flags")
MODEL_BASED = ("roundtrip-chrf", "roundtrip-bleu", "roundtrip-ter", "pseudo-chrf", "forward-logprob",
               "backward-logprob", "quality")
SCORER_NAMES = MODEL_FREE + MODEL_BASED

ScoreFunction = Callable[[Sequence[str], Sequence[str], Sequence[str] | None], list[float]]


class ScorerError(ValueError):
    """A scorer cannot be built or run as asked (unknown name, models missing, no references)."""


@dataclass(frozen=True)
class Scorer:
    """A named metric over (source, hypothesis[, reference]) triples; higher = better."""

    name: str
    needs_models: bool
    needs_reference: bool
    description: str
    function: ScoreFunction = field(repr=False, compare=False)

    def score(self, sources: Sequence[str], hypotheses: Sequence[str],
              references: Sequence[str] | None = None) -> list[float]:
        """One score per hypothesis (higher = better); the three lists are aligned item by item."""
        if len(sources) != len(hypotheses):
            raise ScorerError(f"{self.name}: {len(sources)} sources but {len(hypotheses)} hypotheses")
        if self.needs_reference:
            if references is None:
                raise ScorerError(f"{self.name} compares with a human reference: give the references")
            if len(references) != len(hypotheses):
                raise ScorerError(f"{self.name}: {len(references)} references but {len(hypotheses)} hypotheses")
        return self.function(sources, hypotheses, references)


@lru_cache(maxsize=1)
def sentbleu_metric() -> BLEU:
    """The BLEU+1 sentence metric (options in SENTBLEU_OPTIONS)."""
    return BLEU(**SENTBLEU_OPTIONS)


@lru_cache(maxsize=1)
def _chrf() -> CHRF:
    return CHRF()


@lru_cache(maxsize=1)
def _ter() -> TER:
    return TER()


def _references(name: str, references: Sequence[str] | None) -> Sequence[str]:
    if references is None:
        raise ScorerError(f"{name} compares with a human reference: give the references")
    return references


def _sentbleu(sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str] | None) -> list[float]:
    metric = sentbleu_metric()
    return [metric.sentence_score(h, [r]).score for h, r in zip(hypotheses, _references("sentbleu", references))]


def _chrf_scores(sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str] | None) -> list[float]:
    metric = _chrf()
    return [metric.sentence_score(h, [r]).score for h, r in zip(hypotheses, _references("chrf", references))]


def _minus_ter(sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str] | None) -> list[float]:
    metric = _ter()
    return [-metric.sentence_score(h, [r]).score for h, r in zip(hypotheses, _references("ter", references))]


def _batches(n: int, size: int = BATCH_DOCUMENTS) -> list[range]:
    return [range(start, min(start + size, n)) for start in range(0, n, size)]


def _minus_flags(sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str] | None) -> list[float]:
    """Minus the number of flags the rules-only checker raises on each (source, hypothesis)."""
    checker = Checker.rules_only(Settings())
    scores: list[float] = []
    for batch in _batches(len(sources)):
        reports = checker.check_many([Document(sources[i], hypotheses[i]) for i in batch])
        scores += [float(-len(report.flags)) for report in reports]
    return scores


class SignalCache:
    """Model signals per (source, hypothesis), computed on first request by `Checker.check_many` in
    batches of BATCH_DOCUMENTS documents (one document = one source segment and its hypothesis).

    A report can hold several aligned segments when the checker splits a line into sentences; each
    signal is then their mean weighted by source length in characters (the weighting the report's
    document score uses), taken over the segments that have signals.
    """

    def __init__(self, forward_model: str, backward_model: str, *, settings: Mapping[str, Any] | None = None) -> None:
        """Models are loaded on first use, so building scorers stays cheap. `settings` are further
        `service.config.Settings` fields (device, beam_size, cache...); the rest come from the
        environment (CONTRESENS_*) and the defaults, as for every contresens command."""
        self.forward_model = forward_model
        self.backward_model = backward_model
        self.settings = dict(settings or {})
        self.values: dict[tuple[str, str], dict[str, float]] = {}
        self._checker: Checker | None = None

    def checker(self) -> Checker:
        """The model checker, loaded on the first call (a missing model raises ModelUnavailableError)."""
        if self._checker is None:
            self._checker = Checker.from_settings(Settings(**{**self.settings, "forward_model": self.forward_model,
                                                               "backward_model": self.backward_model}))
        return self._checker

    @staticmethod
    def read(report: Report) -> dict[str, float]:
        """The signals of one report, as scorer name -> value (higher = better)."""
        scored = [(s.signals, max(1, len(s.source))) for s in report.segments if s.signals is not None]
        values = dict(FLOOR)
        if scored:
            total = float(sum(w for _, w in scored))

            def mean(get: Callable[[Signals], float]) -> float:
                return sum(w * get(signals) for signals, w in scored) / total

            values = {
                "roundtrip-chrf": mean(lambda x: x.roundtrip.chrf),
                "roundtrip-bleu": mean(lambda x: x.roundtrip.bleu),
                "roundtrip-ter": -mean(lambda x: x.roundtrip.ter),
                "pseudo-chrf": mean(lambda x: x.pseudo_reference_chrf),
                "forward-logprob": mean(lambda x: x.forward_logprob),
                "backward-logprob": mean(lambda x: x.backward_logprob),
            }
        values["quality"] = float(report.score)
        return values

    def signals(self, sources: Sequence[str], hypotheses: Sequence[str]) -> list[dict[str, float]]:
        """The signals of every (source, hypothesis), running the models only on pairs not seen before."""
        keys = list(zip(sources, hypotheses))
        todo = list(dict.fromkeys(k for k in keys if k not in self.values))
        if todo:
            checker = self.checker()
            for batch in _batches(len(todo)):
                reports = checker.check_many([Document(*todo[i]) for i in batch])
                for i, report in zip(batch, reports):
                    self.values[todo[i]] = self.read(report)
        return [self.values[k] for k in keys]


def _signal_function(name: str, cache: SignalCache) -> ScoreFunction:
    def function(sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str] | None) -> list[float]:
        return [values[name] for values in cache.signals(sources, hypotheses)]

    return function


_DESCRIPTIONS = {
    "sentbleu": "sentence BLEU+1 against the reference (WMT14 baseline: add-one smoothing, lowercased, 13a)",
    "chrf": "sentence chrF against the reference (sacrebleu)",
    "ter": "minus sentence TER against the reference (sacrebleu)",
    "flags": "minus the number of rules-only contresens flags (glossary and localization checks)",
    "roundtrip-chrf": "chrF of the back-translation against the source",
    "roundtrip-bleu": "sentence BLEU of the back-translation against the source",
    "roundtrip-ter": "minus TER of the back-translation against the source",
    "pseudo-chrf": "chrF of the hypothesis against the forward model's own translation",
    "forward-logprob": "mean log P(hypothesis | source) under the forward model",
    "backward-logprob": "mean log P(source | hypothesis) under the backward model",
    "quality": "contresens' combined 0-100 quality score",
}
_MODEL_FREE_FUNCTIONS: dict[str, tuple[ScoreFunction, bool]] = {
    "sentbleu": (_sentbleu, True), "chrf": (_chrf_scores, True), "ter": (_minus_ter, True),
    "flags": (_minus_flags, False),
}


def get_scorers(names: Sequence[str], *, forward_model: str | None = None, backward_model: str | None = None,
                settings: Mapping[str, Any] | None = None) -> list[Scorer]:
    """Scorers by name, in the order given. Model-based ones need both models (a hub id or a local
    directory) and share one SignalCache; `settings` are further checker settings for them (see SignalCache).
    Raises ScorerError for an unknown name or a model-based scorer without models."""
    unknown = [n for n in names if n not in SCORER_NAMES]
    if unknown:
        raise ScorerError(f"unknown scorer {', '.join(map(repr, unknown))}: choose from {', '.join(SCORER_NAMES)}")
    needing = [n for n in names if n in MODEL_BASED]
    if needing and (not forward_model or not backward_model):
        raise ScorerError(f"scorer {', '.join(needing)} runs the translation models: give both --forward-model "
                          "and --backward-model (local model directories)")
    signals = SignalCache(forward_model, backward_model, settings=settings) if forward_model and backward_model \
        else None
    scorers = []
    for name in dict.fromkeys(names):
        if name in _MODEL_FREE_FUNCTIONS:
            function, reference = _MODEL_FREE_FUNCTIONS[name]
            scorers.append(Scorer(name, False, reference, _DESCRIPTIONS[name], function))
        else:
            assert signals is not None
            scorers.append(Scorer(name, True, False, _DESCRIPTIONS[name], _signal_function(name, signals)))
    return scorers
