"""Request-scoped termbase entries laid over a detector that is built once.

Building the detector of the whole termbase takes about a second (every term is lemmatised), too slow
to redo for each HTTP request that brings a few entries of its own. A LayeredTerms keeps the shared
detector and builds a small one for the request's entries only; the request's entries win, as in
`Glossary.merged_with`: a built-in concept with the same id or one of the same French terms is set
aside, and where a request term and a built-in term overlap in a sentence, the request term is kept.
"""

from __future__ import annotations

import copy

from service.glossary.concept import Glossary, TermPolicy
from service.glossary.detector import TermDetector, TermOccurrence, check_policy
from service.report import Flag


class LayeredTerms:
    """The find_terms/check interface of TermDetector over a base detector and request entries."""

    def __init__(self, base: TermDetector | None, user: Glossary, *, source_lang: str, target_lang: str,
                 policy: TermPolicy | None = None) -> None:
        """`policy`: the term policy of both layers (default: the base detector's, else mistranslation)."""
        self.policy = check_policy(policy or (base.policy if base is not None else "mistranslation"))
        self.base = base.with_policy(self.policy) if base is not None else None
        self.user = TermDetector(user, source_lang=source_lang, target_lang=target_lang, policy=self.policy)
        merged = base.glossary.merged_with(user) if base is not None else user
        self.glossary = merged  # what the signature's checksum covers
        self._set_aside = {c.id for c in base.glossary} - {c.id for c in merged} if base is not None else set()

    def with_policy(self, policy: TermPolicy) -> LayeredTerms:
        """Both layers under another term policy (nothing rebuilt)."""
        view = copy.copy(self)
        view.policy = check_policy(policy)
        view.base = self.base.with_policy(policy) if self.base is not None else None
        view.user = self.user.with_policy(policy)
        return view

    def find_terms(self, text: str) -> list[TermOccurrence]:
        """Request terms first; built-in terms that are not set aside and do not overlap them."""
        mine = self.user.find_terms(text)
        if self.base is None:
            return mine
        theirs = [o for o in self.base.find_terms(text) if o.concept.id not in self._set_aside
                  and all(o.end <= m.start or o.start >= m.end for m in mine)]
        return sorted(mine + theirs, key=lambda o: o.start)

    def check(self, *, source: str, translation: str, back_translation: str | None = None, source_offset: int = 0,
              translation_offset: int = 0, segment: int | None = None,
              occurrences: list[TermOccurrence] | None = None) -> list[Flag]:
        """Term flags of one segment: each layer checks its own occurrences."""
        occurrences = self.find_terms(source) if occurrences is None else occurrences
        mine = [o for o in occurrences if o.concept.id in self.user.glossary
                and self.user.glossary.get(o.concept.id) is o.concept]
        theirs = [o for o in occurrences if not any(o is m for m in mine)]
        flags: list[Flag] = []
        for detector, found in ((self.user, mine), (self.base, theirs)):
            if found and detector is not None:
                flags += detector.check(source=source, translation=translation, back_translation=back_translation,
                                        source_offset=source_offset, translation_offset=translation_offset,
                                        segment=segment, occurrences=found)
        return sorted(flags, key=lambda f: (f.source_start or 0, f.rule))
