"""Term errors: French glossary terms found in the source, their English renderings checked.

For every concept found in the source sentence (after its context rules), the translation must
hold one approved rendering per occurrence. Occurrences left over are flagged, most specific
rule first:

- `acronym-altered` (do-not-translate names): a word close to the name stands in its place
  ("Junta" for "Junalco"); severity at least major;
- `forbidden-rendering`: a known mistranslation is there ("the Paris floor"); always critical;
- `do-not-translate-violated`: the name or acronym is missing, whether or not it was expanded;
  the concept's severity;
- `missing-approved-rendering`: nothing approved is there; the concept's severity.

Confidence: 0.9 forbidden, 0.85 altered, 0.7 not kept, 0.6 missing. With a back-translation,
a flag whose French term survives the round trip is less sure (x 0.5: the meaning came back),
one whose term is lost is surer (halfway to 1).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from service.glossary.concept import Concept, Glossary
from service.glossary.matcher import Match, PhraseIndex
from service.glossary.normalize import Token, fold, phrase_keys, tokenize
from service.report import Flag, Severity

BASE_CONFIDENCE = {
    "forbidden-rendering": 0.9,
    "acronym-altered": 0.85,
    "do-not-translate-violated": 0.7,
    "missing-approved-rendering": 0.6,
}
_RANK = {"minor": 0, "major": 1, "critical": 2}
_ALTERED_RATIO = 0.6
APPROVED_GAP = 2  # words allowed between the words of an approved rendering ("brought on Friday before")


@dataclass(frozen=True)
class TermOccurrence:
    """A concept found in French text: where, and whether this form is a name to keep as is."""

    concept: Concept
    start: int
    end: int
    text: str
    keep: bool


@dataclass(frozen=True)
class _Rendering:
    concept: str
    kind: str  # "approved", "forbidden" or "keep"
    text: str


def _keep_forms(concept: Concept) -> list[str]:
    """French forms of a do-not-translate concept that the English must show unchanged."""
    if not concept.do_not_translate:
        return []
    approved = {fold(a) for a in concept.approved}
    forms = [f for f in concept.french if fold(f) in approved]
    return forms or [f for f in concept.french if " " not in f and any(ch.isupper() for ch in f)]


def _at_least(severity: Severity, floor: Severity) -> Severity:
    return severity if _RANK[severity] >= _RANK[floor] else floor


def _settle(
    approved: list[Match[_Rendering]], forbidden: list[Match[_Rendering]]
) -> tuple[list[Match[_Rendering]], list[Match[_Rendering]]]:
    """Resolve overlaps: a longer forbidden phrase beats the approved word inside it ("custody
    watch" is not "custody"); otherwise an approved rendering beats a forbidden one it overlaps."""

    def inside(a: Match[_Rendering], f: Match[_Rendering]) -> bool:
        return f.first <= a.first and a.last <= f.last and f.last - f.first > a.last - a.first

    kept = [a for a in approved if not any(inside(a, f) for f in forbidden)]
    wrong = [f for f in forbidden if all(f.last < a.first or f.first > a.last for a in kept)]
    return kept, wrong


class TermDetector:
    """Finds glossary terms in French and checks their English renderings; built once per glossary."""

    def __init__(self, glossary: Glossary, *, source_lang: str = "fr", target_lang: str = "en") -> None:
        self.glossary = glossary
        self.source_lang, self.target_lang = source_lang, target_lang
        self._terms: PhraseIndex[str] = PhraseIndex()
        self._context: PhraseIndex[tuple[str, str]] = PhraseIndex()
        self._english: PhraseIndex[_Rendering] = PhraseIndex()  # forbidden and kept names: exact phrases
        self._approved: PhraseIndex[_Rendering] = PhraseIndex()  # approved: small gaps allowed
        self._keep: dict[str, set[str]] = {}
        self._requires: set[str] = set()
        for concept in glossary:
            for form in concept.french:
                self._terms.add(phrase_keys(form, source_lang), concept.id)
            for phrase in concept.context_exclude:
                self._context.add(phrase_keys(phrase, source_lang), (concept.id, "exclude"))
            for phrase in concept.context_require:
                self._context.add(phrase_keys(phrase, source_lang), (concept.id, "require"))
            if concept.context_require:
                self._requires.add(concept.id)
            for kind, renderings in (("approved", concept.approved), ("forbidden", concept.forbidden),
                                     ("keep", _keep_forms(concept))):
                index = self._approved if kind == "approved" else self._english
                for text in renderings:
                    index.add(phrase_keys(text, target_lang), _Rendering(concept.id, kind, text))
            self._keep[concept.id] = {fold(f) for f in _keep_forms(concept)}

    # -- French side -----------------------------------------------------------------------

    def find_terms(self, text: str) -> list[TermOccurrence]:
        """Concepts in `text` (one sentence or segment), longest match first, context rules applied."""
        tokens = tokenize(text, self.source_lang)
        excluded: set[str] = set()
        required: set[str] = set()
        for context in self._context.find_all(tokens):
            for concept_id, kind in context.payloads:
                (excluded if kind == "exclude" else required).add(concept_id)
        blocked = excluded | (self._requires - required)
        occurrences = []
        for match in self._terms.find_longest(tokens, accept=None if not blocked else self._allowed(blocked)):
            concept = self.glossary.get(match.payloads[0])
            surface = text[match.start : match.end]
            occurrences.append(
                TermOccurrence(concept, match.start, match.end, surface, fold(surface) in self._keep[concept.id])
            )
        return occurrences

    def _allowed(self, blocked: set[str]) -> list[str]:
        return [c.id for c in self.glossary if c.id not in blocked]

    # -- English side ----------------------------------------------------------------------

    def _renderings(self, tokens: list[Token]) -> dict[tuple[str, str], list[Match[_Rendering]]]:
        """Non-overlapping renderings in the translation per (concept, kind), longest first."""
        per: dict[tuple[str, str], list[Match[_Rendering]]] = defaultdict(list)
        matches = self._english.find_all(tokens) + self._approved.find_all(tokens, max_gap=APPROVED_GAP)
        for match in matches:
            for rendering in match.payloads:
                per[(rendering.concept, rendering.kind)].append(match)
        chosen: dict[tuple[str, str], list[Match[_Rendering]]] = {}
        for key, matches in per.items():
            taken: list[Match[_Rendering]] = []
            for m in sorted(matches, key=lambda m: (m.first - m.last, m.first)):
                if all(m.last < t.first or m.first > t.last for t in taken):
                    taken.append(m)
            chosen[key] = sorted(taken, key=lambda m: m.first)
        return chosen

    def check(
        self,
        *,
        source: str,
        translation: str,
        back_translation: str | None = None,
        source_offset: int = 0,
        translation_offset: int = 0,
        segment: int | None = None,
    ) -> list[Flag]:
        """Term flags for one source segment and its translation (offsets shift spans into a document)."""
        occurrences = self.find_terms(source)
        if not occurrences:
            return []
        tokens = tokenize(translation, self.target_lang)
        found = self._renderings(tokens)
        survived = None
        if back_translation is not None:
            survived = {o.concept.id for o in self.find_terms(back_translation)}
        by_concept: dict[str, list[TermOccurrence]] = defaultdict(list)
        for occurrence in occurrences:
            by_concept[occurrence.concept.id].append(occurrence)

        flags: list[Flag] = []
        for concept_id, occs in by_concept.items():
            concept = self.glossary.get(concept_id)
            approved, forbidden = _settle(found.get((concept_id, "approved"), []),
                                          found.get((concept_id, "forbidden"), []))
            keep = found.get((concept_id, "keep"), [])
            keep_occs = [o for o in occs if o.keep]
            other_occs = [o for o in occs if not o.keep]
            spare_approved = len(approved) - min(len(keep_occs), len(keep))
            unsatisfied = keep_occs[len(keep):] + other_occs[max(0, spare_approved):]
            covered = {(m.first, m.last) for m in approved}
            for occurrence in sorted(unsatisfied, key=lambda o: o.start):
                rule, severity, where, suggestion = self._diagnose(
                    occurrence, concept, tokens, translation, forbidden, approved, covered
                )
                flags.append(self._flag(
                    occurrence, concept, rule, severity, where, suggestion, translation,
                    source_offset, translation_offset, segment,
                    None if survived is None else concept_id in survived,
                ))
        return sorted(flags, key=lambda f: (f.source_start or 0, f.rule))

    def _diagnose(
        self,
        occurrence: TermOccurrence,
        concept: Concept,
        tokens: list[Token],
        translation: str,
        forbidden: list[Match[_Rendering]],
        approved: list[Match[_Rendering]],
        covered: set[tuple[int, int]],
    ) -> tuple[str, Severity, tuple[int, int] | None, str]:
        """Which rule an unsatisfied occurrence breaks, its severity, the MT span and the suggestion."""
        preferred = concept.approved[0]
        if occurrence.keep:
            keep_text = occurrence.text
            expansion = next((a for a in concept.approved if fold(a) != fold(keep_text)), None)
            suggestion = f"keep {keep_text!r} as is" + (f" (e.g. '{expansion} ({keep_text})')" if expansion else "")
            altered = self._altered(keep_text, tokens, translation, covered)
            if altered is not None:
                return "acronym-altered", _at_least(concept.severity, "major"), altered, suggestion
            if forbidden:
                return "forbidden-rendering", "critical", (forbidden[0].start, forbidden[0].end), suggestion
            span = (approved[0].start, approved[0].end) if approved else None
            return "do-not-translate-violated", concept.severity, span, suggestion
        if forbidden:
            return "forbidden-rendering", "critical", (forbidden[0].start, forbidden[0].end), preferred
        return "missing-approved-rendering", concept.severity, None, preferred

    @staticmethod
    def _altered(
        name: str, tokens: list[Token], translation: str, covered: set[tuple[int, int]]
    ) -> tuple[int, int] | None:
        """Span of a translation word that looks like a mangled `name` ("Junta" for "Junalco")."""
        target = fold(name)
        best, best_ratio = None, _ALTERED_RATIO
        for token in tokens:
            word = fold(translation[token.start : token.end])
            if len(word) < 3 or word == target or word[0] != target[0]:
                continue
            ratio = SequenceMatcher(None, word, target).ratio()
            if ratio >= best_ratio:
                best, best_ratio = (token.start, token.end), ratio
        return best

    @staticmethod
    def _flag(
        occurrence: TermOccurrence,
        concept: Concept,
        rule: str,
        severity: Severity,
        where: tuple[int, int] | None,
        suggestion: str,
        translation: str,
        source_offset: int,
        translation_offset: int,
        segment: int | None,
        survived: bool | None,
    ) -> Flag:
        base = BASE_CONFIDENCE[rule]
        confidence = base if survived is None else (base * 0.5 if survived else base + (1 - base) * 0.5)
        mt_text = translation[where[0] : where[1]] if where else None
        messages = {
            "forbidden-rendering": f"{occurrence.text!r} is rendered as {mt_text!r}, a known mistranslation "
            f"({concept.id}).",
            "missing-approved-rendering": f"No approved rendering of {occurrence.text!r} in the translation "
            f"(expected: {', '.join(concept.approved[:3])}).",
            "acronym-altered": f"The name {occurrence.text!r} appears altered as {mt_text!r}.",
            "do-not-translate-violated": f"The name {occurrence.text!r} should appear unchanged in the translation.",
        }
        return Flag(
            type="terminology",
            rule=rule,
            severity=severity,
            segment=segment,
            source_start=occurrence.start + source_offset,
            source_end=occurrence.end + source_offset,
            source_text=occurrence.text,
            translation_start=where[0] + translation_offset if where else None,
            translation_end=where[1] + translation_offset if where else None,
            translation_text=mt_text,
            message=messages[rule],
            suggestion=suggestion,
            concept=concept.id,
            confidence=round(confidence, 3),
            back_translation_has_term=survived,
        )
