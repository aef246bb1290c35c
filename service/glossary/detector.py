"""Term errors: French glossary terms found in the source, their English renderings checked.

For every concept found in the source sentence (after its context rules), the translation must
hold one approved rendering per occurrence; each English span accounts for one French
occurrence (a bipartite matching guided by word order), and an approved word far from the
term's place does not count when a known mistranslation stands at that place. Occurrences left
over are flagged, most specific rule first:

- `acronym-altered` (do-not-translate names): a word close to the name stands in its place
  ("Junta" for "Junalco"); severity at least major;
- `forbidden-rendering`: a known mistranslation is there ("the Paris floor"); always critical;
- `do-not-translate-violated`: the name or acronym is missing, whether or not it was expanded;
  the concept's severity;
- `missing-approved-rendering`: nothing approved is there; the concept's severity;
- `term-left-in-french`: the French term stands untranslated in the English ("the délit"); major.

Which rules apply depends on the concept's `check` and the term policy. Concepts checked for their
rendering (institutions, courts, agencies, named bodies, acronyms), and every concept under the
`strict` policy, go through the first four rules. Under the default `mistranslation` policy a concept
checked for mistranslation (general legal vocabulary: victime, délit, procès) is flagged only when a
known mistranslation stands there (`forbidden-rendering`) or when its French surface is left in the
English (`term-left-in-french`); any other English wording passes, since translators restructure
("fell victim to", "the ambush of a gay man").

Confidence: 0.9 forbidden, 0.85 altered, 0.8 left in French, 0.7 not kept, 0.6 missing. With a
back-translation, a flag whose French term survives the round trip is less sure (x 0.5: the meaning
came back), one whose term is lost is surer (halfway to 1); a term left in French survives the round
trip by itself, so that flag keeps its confidence.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from simplemma import is_known

from service.glossary.concept import TERM_POLICIES, Concept, Glossary, TermPolicy
from service.glossary.matcher import Match, PhraseIndex, select_longest
from service.glossary.normalize import Token, fold, phrase_keys, surface_words, tokenize
from service.report import Flag, Severity

BASE_CONFIDENCE = {
    "forbidden-rendering": 0.9,
    "acronym-altered": 0.85,
    "term-left-in-french": 0.8,
    "do-not-translate-violated": 0.7,
    "missing-approved-rendering": 0.6,
}
_RANK = {"minor": 0, "major": 1, "critical": 2}
_ALTERED_RATIO = 0.6
NEAR_FORBIDDEN = 0.25  # relative distance within which a forbidden rendering "stands in" for the term
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
    words: int  # words of the rendering; a match spanning more tokens skipped some (a gap)


def _keep_forms(concept: Concept) -> list[str]:
    """French forms of a do-not-translate concept that the English must show unchanged."""
    if not concept.do_not_translate:
        return []
    approved = {fold(a) for a in concept.approved}
    forms = [f for f in concept.french if fold(f) in approved]
    return forms or [f for f in concept.french if " " not in f and any(ch.isupper() for ch in f)]


def _at_least(severity: Severity, floor: Severity) -> Severity:
    return severity if _RANK[severity] >= _RANK[floor] else floor


def _gapped(match: Match[_Rendering]) -> bool:
    """Whether the match skipped words between the words of its rendering."""
    return match.last - match.first + 1 > min(r.words for r in match.payloads)


def _overlap(a: Match[_Rendering], b: Match[_Rendering]) -> bool:
    return not (a.last < b.first or a.first > b.last)


def _settle(
    approved: list[Match[_Rendering]], forbidden: list[Match[_Rendering]]
) -> tuple[list[Match[_Rendering]], list[Match[_Rendering]]]:
    """Resolve overlaps between one concept's approved and forbidden renderings.

    A forbidden phrase beats an approved match it overlaps when it is longer ("custody watch"
    holds "custody") or when the approved match only formed by skipping words ("identity
    usurpation and fraud" is not "identity fraud"); otherwise the approved rendering wins.
    """

    def beaten(a: Match[_Rendering]) -> bool:
        return any(
            _overlap(a, f) and (_gapped(a) or (f.first <= a.first and a.last <= f.last and f.last - f.first >
                                               a.last - a.first))
            for f in forbidden
        )

    kept = [a for a in approved if not beaten(a)]
    wrong = [f for f in forbidden if not any(_overlap(f, a) for a in kept)]
    return kept, wrong


def _assign(
    occurrences: list[TermOccurrence],
    candidates: list[list[Match[_Rendering]]],
    source_length: int,
    translation_length: int,
) -> set[int]:
    """Which occurrences an English rendering accounts for, each rendering used once.

    A maximum bipartite matching (augmenting paths) between source occurrences and translation
    spans, so one "prosecutor" cannot vouch both for "procureur" and for "parquet" in the same
    sentence. Word order is a tie-breaker: occurrences with fewer candidates, then with a
    nearer one (by relative position in the sentence), choose first, nearest span first.
    """
    owner: dict[tuple[int, int], int] = {}

    def distance(i: int, match: Match[_Rendering]) -> float:
        return abs(match.start / max(1, translation_length) - occurrences[i].start / max(1, source_length))

    def place(i: int, tried: set[tuple[int, int]]) -> bool:
        for match in sorted(candidates[i], key=lambda m: distance(i, m)):
            key = (match.first, match.last)
            if key in tried:
                continue
            tried.add(key)
            if key not in owner or place(owner[key], tried):
                owner[key] = i
                return True
        return False

    def priority(i: int) -> tuple[int, float]:
        return len(candidates[i]), min((distance(i, m) for m in candidates[i]), default=1.0)

    for i in sorted(range(len(occurrences)), key=priority):
        place(i, set())
    return set(owner.values())


def _nearer_forbidden(
    occurrence: TermOccurrence,
    approved: list[Match[_Rendering]],
    forbidden: list[Match[_Rendering]],
    source_length: int,
    translation_length: int,
) -> list[Match[_Rendering]]:
    """The approved candidates left once a forbidden rendering stands where the term should be.

    When a known mistranslation sits at about the term's place in the sentence (within
    NEAR_FORBIDDEN of relative position) and every approved rendering is farther away, the
    approved words translate something else ("the decision" of another noun) and do not count.
    """
    where = occurrence.start / max(1, source_length)

    def distance(m: Match[_Rendering]) -> float:
        return abs(m.start / max(1, translation_length) - where)

    near = min((distance(f) for f in forbidden), default=None)
    if near is None or near > NEAR_FORBIDDEN:
        return approved
    return [a for a in approved if distance(a) <= near]


def check_policy(policy: str) -> TermPolicy:
    """`policy` if it is a term policy; otherwise a ValueError naming the policies."""
    if policy not in TERM_POLICIES:
        raise ValueError(f"unknown term policy {policy!r} (one of {', '.join(TERM_POLICIES)})")
    return policy


def _same_word(french: str, english: str, *, last: bool) -> bool:
    """Whether an English word spells a French one: same letters ignoring case, apostrophes unified,
    accents as written or all dropped; the last word of a phrase may differ by a plural -s or -x."""
    a, b = french.casefold().replace("’", "'"), english.casefold().replace("’", "'")
    spellings = {a, fold(a)}
    if last:
        spellings |= {w + end for w in (a, fold(a)) for end in "sx"} | {w[:-1] for w in (a, fold(a)) if w[-1:] in "sx"}
    return b in spellings


def _english_word(word: str) -> bool:
    """Whether `word` is also an English word (simplemma's English dictionary)."""
    return word.isdigit() or is_known(word, lang="en") or is_known(word.casefold(), lang="en")


class TermDetector:
    """Finds glossary terms in French and checks their English renderings; built once per glossary.

    `policy` is the term policy `check` applies (see the module docstring); `with_policy` gives a view
    with another one that shares the indices, so a request can change it without a rebuild."""

    def __init__(self, glossary: Glossary, *, source_lang: str = "fr", target_lang: str = "en",
                 policy: TermPolicy = "mistranslation") -> None:
        self.glossary = glossary
        self.source_lang, self.target_lang = source_lang, target_lang
        self.policy = check_policy(policy)
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
                    keys = phrase_keys(text, target_lang)
                    index.add(keys, _Rendering(concept.id, kind, text, len(keys)))
            self._keep[concept.id] = {fold(f) for f in _keep_forms(concept)}

    def with_policy(self, policy: TermPolicy) -> TermDetector:
        """This detector under another term policy (the same indices, nothing rebuilt)."""
        if policy == self.policy:
            return self
        view = copy.copy(self)
        view.policy = check_policy(policy)
        return view

    def checks_rendering(self, concept: Concept) -> bool:
        """Whether an approved rendering of `concept` is required under this detector's policy."""
        return self.policy == "strict" or concept.check == "rendering"

    # -- French side -----------------------------------------------------------------------

    def find_terms(self, text: str) -> list[TermOccurrence]:
        """Concepts in `text` (one sentence or segment), longest match first, context rules applied.

        A context phrase that overlaps an occurrence of its concept ("maison d'arrêt" for arrêt,
        "un arrêté" for arrêté) speaks for that occurrence only; any other context phrase speaks
        for the whole sentence.
        """
        tokens = tokenize(text, self.source_lang)
        candidates = self._terms.find_all(tokens)
        sentence: dict[str, set[str]] = {"exclude": set(), "require": set()}
        local: dict[str, set[tuple[int, str]]] = {"exclude": set(), "require": set()}  # (candidate, concept)
        for context in self._context.find_all(tokens):
            for concept_id, kind in context.payloads:
                hits = [i for i, c in enumerate(candidates)
                        if concept_id in c.payloads and not (c.last < context.first or c.first > context.last)]
                if hits:
                    local[kind].update((i, concept_id) for i in hits)
                else:
                    sentence[kind].add(concept_id)

        def allowed(i: int, concept_id: str) -> bool:
            if concept_id in sentence["exclude"] or (i, concept_id) in local["exclude"]:
                return False
            return (concept_id not in self._requires or concept_id in sentence["require"]
                    or (i, concept_id) in local["require"])

        occurrences = []
        for match in select_longest(candidates, allowed):
            concept = self.glossary.get(match.payloads[0])
            surface = text[match.start : match.end]
            occurrences.append(
                TermOccurrence(concept, match.start, match.end, surface, fold(surface) in self._keep[concept.id])
            )
        return occurrences

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
        occurrences: list[TermOccurrence] | None = None,
    ) -> list[Flag]:
        """Term flags for one source segment and its translation (offsets shift spans into a document).

        `occurrences` are the source's terms when the caller has found them already."""
        occurrences = self.find_terms(source) if occurrences is None else occurrences
        if not occurrences:
            return []
        tokens = tokenize(translation, self.target_lang)
        found = self._renderings(tokens)
        survived = None
        if back_translation is not None:
            survived = {o.concept.id for o in self.find_terms(back_translation)}
        settled = {
            cid: _settle(found.get((cid, "approved"), []), found.get((cid, "forbidden"), []))
            for cid in {o.concept.id for o in occurrences}
        }
        candidates = [
            found.get((o.concept.id, "keep"), []) if o.keep
            else _nearer_forbidden(o, *settled[o.concept.id], len(source), len(translation))
            for o in occurrences
        ]
        satisfied = _assign(occurrences, candidates, len(source), len(translation))
        left: set[tuple[int, int]] = set()  # English spans already reported as a term left in French

        flags: list[Flag] = []
        for i, occurrence in enumerate(occurrences):
            if i in satisfied:
                continue
            concept = occurrence.concept
            approved, forbidden = settled[concept.id]
            covered = {(m.first, m.last) for m in approved}
            diagnosis = self._diagnose(occurrence, concept, tokens, translation, forbidden, approved, covered, left)
            if diagnosis is None:
                continue
            rule, severity, where, suggestion = diagnosis
            flags.append(self._flag(
                occurrence, concept, rule, severity, where, suggestion, translation,
                source_offset, translation_offset, segment,
                None if survived is None else concept.id in survived,
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
        left: set[tuple[int, int]],
    ) -> tuple[str, Severity, tuple[int, int] | None, str] | None:
        """Which rule an unsatisfied occurrence breaks, its severity, the MT span and the suggestion;
        None when it breaks none under the policy (a concept checked for mistranslation, worded freely)."""
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
        if self.checks_rendering(concept):
            return "missing-approved-rendering", concept.severity, None, preferred
        span = self._left_in_french(occurrence, concept, translation, left)
        if span is None:
            return None
        left.add(span)
        return "term-left-in-french", "major", span, preferred

    def _left_in_french(self, occurrence: TermOccurrence, concept: Concept, translation: str,
                        taken: set[tuple[int, int]]) -> tuple[int, int] | None:
        """Span of the translation where the French term stands untranslated, if it does.

        The English words must spell one of the concept's French forms (or the surface found in the
        source; a final -s or -x may come or go), case- and apostrophe-insensitive, accents either
        written as in French or dropped. Words that are English as well do not count: a span counts
        only when one of its words is not an English word (the dictionary of simplemma), so "crime",
        "verdict" or "accuse" (for accusé) are English, while "délit", "plainte", "accusé" with its
        accent, or "garde à vue" are French. A form that is itself an approved rendering is English
        by the termbase's say-so. Words are compared as token sequences, never as patterns."""
        approved = {fold(a) for a in concept.approved}
        forms = [f for f in dict.fromkeys((occurrence.text, *concept.french)) if fold(f) not in approved]
        english = surface_words(translation)
        for form in forms:
            wanted = [w for _, _, w in surface_words(form)]
            n = len(wanted)
            for i in range(len(english) - n + 1):
                window = english[i:i + n]
                span = (window[0][0], window[-1][1])
                if span in taken or not all(_same_word(w, x, last=j == n - 1)
                                            for j, (w, (_, _, x)) in enumerate(zip(wanted, window))):
                    continue
                if any(not _english_word(x) for _, _, x in window):
                    return span
        return None

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
        confidence = base if survived is None or rule == "term-left-in-french" else (
            base * 0.5 if survived else base + (1 - base) * 0.5)
        mt_text = translation[where[0] : where[1]] if where else None
        messages = {
            "forbidden-rendering": f"{occurrence.text!r} is rendered as {mt_text!r}, a known mistranslation "
            f"({concept.id}).",
            "missing-approved-rendering": f"No approved rendering of {occurrence.text!r} in the translation "
            f"(expected: {', '.join(concept.approved[:3])}).",
            "acronym-altered": f"The name {occurrence.text!r} appears altered as {mt_text!r}.",
            "do-not-translate-violated": f"The name {occurrence.text!r} should appear unchanged in the translation.",
            "term-left-in-french": f"The French term {occurrence.text!r} is left untranslated as {mt_text!r} "
            f"({concept.id}).",
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
