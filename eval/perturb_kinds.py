"""The four kinds of planted errors of `eval.perturb`: where each can go in a segment, and the edit.

Every function here looks at one segment (French source, English reference) and returns the
candidate perturbations of one kind it admits, each a `Perturbation` whose planted error the
corresponding check should see and nothing else: the French holds the number, name or term the
English is made to lose, and the edit leaves no other trace of it in the English (every mention of
a name goes, every approved rendering of a term is replaced). Which candidates are kept is
`eval.perturb`'s business (the clean reference must get no flag there; a seeded sample).

- `number-changed`: a number written in digits in the English whose value the French also writes
  in digits, as often as the English does, gets another first significant digit, at least 30% away
  (more than the 20% the numbers check grants French round figures): "1,200" -> "3,200", "4.5" ->
  "7.5". Years (1900-2100), numbers beside a month name, times, ordinals, "G-20" or "9/11" are left
  alone: they are the dates check's business or not numbers at all.
- `name-replaced`: a PER, LOC or ORG name of the source (`service.checks.source_names`, spaCy's
  French recogniser) that the English holds verbatim, without accents or in a known English form
  (`service.checks.exonyms`) is replaced at every mention by a name of the same label found the same
  way in another segment, one sharing no word with this segment and not spelled like the original
  (SequenceMatcher ratio below 0.7). A one-word place or organisation that is an English common word
  ("Centre", "Chinese") is more often a slip of the recogniser than a name and is left alone.
- `name-removed`: such a name (PER or ORG: the names check calls a missing place minor) deleted at
  every mention, with a title, article or preposition before it and a possessive 's after it.
- `term-forbidden`: a glossary concept the source holds (`TermDetector.find_terms`) whose approved
  rendering the English uses is given one of the concept's forbidden renderings instead, at every
  place an approved rendering of it stands ("prosecutor" -> "attorney general"), plural and
  capital kept.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from simplemma import is_known, lemmatize

from service.checks.exonyms import english_forms
from service.checks.source_names import SourceName
from service.glossary.detector import TermDetector
from service.glossary.matcher import PhraseIndex
from service.glossary.normalize import phrase_keys, tokenize

Kind = Literal["number-changed", "name-replaced", "name-removed", "term-forbidden"]
KINDS: tuple[Kind, ...] = ("number-changed", "name-replaced", "name-removed", "term-forbidden")
CHECK_TYPE: dict[Kind, str] = {"number-changed": "number", "name-replaced": "name", "name-removed": "name",
                               "term-forbidden": "terminology"}
"""The flag type that detects each kind."""
MIN_CHANGE = 0.3  # relative distance of a changed number from the original
MAX_NAME_SIMILARITY = 0.7  # a replacement at least this close to the original could read as a misspelling


@dataclass(frozen=True)
class Perturbation:
    """One planted error: the segment, its clean reference, the perturbed translation and where the error is.

    `span` is the planted span in `perturbed` (its first mention; an empty span where a name was
    removed), `original` the reference text it replaced and `replacement` what stands there now ("" for a
    removal). `source_spans` are the spans of the French the error concerns (the number's occurrences,
    the name, the term's occurrences): a flag on one of them, or on `span`, is a flag on the error;
    `reference_spans` are the spans of the clean reference that were edited. `label` is the name's
    recogniser label or the term's concept id ("" for numbers)."""

    kind: Kind
    line: int  # 0-based index of the segment in the corpus
    source: str
    reference: str
    perturbed: str
    span: tuple[int, int]
    original: str
    replacement: str
    source_spans: tuple[tuple[int, int], ...]
    reference_spans: tuple[tuple[int, int], ...]
    label: str = ""

    @property
    def check_type(self) -> str:
        """The flag type that should see this error (number, name or terminology)."""
        return CHECK_TYPE[self.kind]


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", _plain(text)))


def _edit(text: str, spans: list[tuple[int, int]], new: str) -> tuple[str, tuple[int, int]]:
    """`text` with every span (sorted, disjoint) replaced by `new`, and the span of the first replacement."""
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], new]
        last = end
    out.append(text[last:])
    first = spans[0][0]
    return "".join(out), (first, first + len(new))


# -- numbers ------------------------------------------------------------------------------

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_EN_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_FOLLOW_OK = re.compile(r"(?:$|[\s%)\]}\"”’!?;]|[.,](?!\d)|-(?=[a-z])|(?:m|bn|k)\b)")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"^(?:\s+of)?\s+(?:{_MONTHS})\b", re.IGNORECASE)
_TIME_AFTER = re.compile(r"^\s*(?:a\.?m\b|p\.?m\b|o'clock|h\b|hrs?\b|gmt\b)", re.IGNORECASE)
_FR_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:[  \u202f]\d{3})+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
                        r"|\d+[.,]\d+|\d+)(?![\d])")


def _english_value(text: str) -> float:
    return float(text.replace(",", ""))


def french_values(text: str) -> list[tuple[float, tuple[int, int]]]:
    """Numbers the French writes in digits, with their spans: "1 200", "4,5", "1.200" (read both as
    1200 and 1.2, the checks' ambiguity too), "35"."""
    found = []
    for match in _FR_NUMBER.finditer(text):
        raw = re.sub(r"[  \u202f]", "", match.group())
        values = set()
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
            values.add(float(raw.replace(".", "").replace(",", ".")))
        values.add(float(raw.replace(",", ".")) if raw.count(",") + raw.count(".") <= 1 else float("nan"))
        found += [(v, match.span()) for v in values if v == v]
    return found


def english_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of the English numbers in digits that a number change may touch (see the module doc)."""
    spans = []
    for match in _EN_NUMBER.finditer(text):
        start, end = match.span()
        before, after = text[:start], text[end:]
        if before[-1:].isalnum() or before[-1:] in ".,:/-'" or not _FOLLOW_OK.match(after):
            continue
        value = _english_value(match.group())
        if re.fullmatch(r"\d{4}", match.group()) and 1900 <= value <= 2100:
            continue  # a year
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after) or _TIME_AFTER.match(after):
            continue  # a date or a time
        spans.append((start, end))
    return spans


def changed_number(text: str, rng: random.Random) -> str | None:
    """`text` ("1,200", "35", "4.5") with its first significant digit changed so that the value moves by
    at least MIN_CHANGE of itself; None when no digit does (never the same value)."""
    position = next((i for i, c in enumerate(text) if c in "123456789"), None)
    if position is None:
        return None
    old = _english_value(text)
    options = []
    for digit in "123456789":
        candidate = text[:position] + digit + text[position + 1:]
        if abs(_english_value(candidate) - old) >= MIN_CHANGE * old:
            options.append(candidate)
    return rng.choice(options) if options else None


def plant_numbers(line: int, source: str, reference: str, rng: random.Random) -> list[Perturbation]:
    """Number changes this segment admits (one per eligible English number)."""
    fr = french_values(source)
    en_values = [_english_value(m.group()) for m in _EN_NUMBER.finditer(reference)]
    found = []
    for start, end in english_numbers(reference):
        text = reference[start:end]
        value = _english_value(text)
        where = tuple(sorted({span for v, span in fr if v == value}))
        if not where or en_values.count(value) > len(where):
            continue  # the French does not write it in digits, or the English repeats it
        new = changed_number(text, rng)
        if new is None or _english_value(new) in {v for v, _ in fr} | set(en_values):
            continue  # a value the segment holds already could pair with another number
        perturbed, span = _edit(reference, [(start, end)], new)
        found.append(Perturbation("number-changed", line, source, reference, perturbed, span, text, new, where,
                                  ((start, end),)))
    return found


# -- names --------------------------------------------------------------------------------

_TITLES = r"(?:(?:Mr|Mrs|Ms|Dr|Miss|Prof)\.?\s+)"
_BEFORE = re.compile(rf"(?:\b(?:of|in|at|from|by|for|to|with|on)\s+)?(?:\b[Tt]he\s+)?{_TITLES}?$")
_POSSESSIVE = re.compile(r"^['’](?:s\b|(?=\s))")


def _mentions(text: str, form: str) -> list[tuple[int, int]]:
    """Spans where `form` stands in `text` as whole words (a possessive 's may follow)."""
    return [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text)]


def english_name(name: SourceName, reference: str) -> tuple[str, list[tuple[int, int]]] | None:
    """How the English writes a source name (itself, without accents, or a known English form starting with a
    capital) and all its mentions; None when the English holds none of them."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.text) if not unicodedata.combining(c))
    for form in dict.fromkeys([name.text, plain, *sorted(english_forms(name.text))]):
        if form[:1].isupper() and (spans := _mentions(reference, form)):
            return form, spans
    return None


_LINKS = {"of", "the", "for", "and", "on", "in", "de", "du", "des", "la", "le", "et"}


def _spelled_out(acronym: str, text: str) -> bool:
    """Whether `text` spells out the acronym: a run of capitalised words whose initials are its letters
    in any order ("European Central Bank" for "BCE" or "ECB"; "of", "the"... skipped)."""
    letters = sorted(acronym.upper())
    initials = [w[0] if w[0].isupper() else "" for w in re.findall(r"[^\W\d_]+", text) if w.casefold() not in _LINKS]
    n = len(letters)
    return any(all(initials[i:i + n]) and sorted(initials[i:i + n]) == letters for i in range(len(initials) - n + 1))


def _loses_name(name: SourceName, source: str, perturbed: str) -> bool:
    """Whether the perturbed English has lost the name: none of its core words, none of its English forms
    (a plural -s allowed) and, for an acronym, no spelled-out form is left."""
    if not name.core:
        return False
    left = _words(perturbed)
    if any(_plain(source[a:b]) in left for a, b in name.core):
        return False
    plain = _plain(perturbed)
    for form in {name.text, *english_forms(name.text)}:
        if re.search(rf"(?<![^\W_]){re.escape(_plain(form))}(?:s|es)?(?![^\W_])", plain):  # "anti-German"
            return False
    letters = [c for c in name.text if c.isalpha()]
    return not (len(letters) >= 2 and all(c.isupper() for c in letters) and _spelled_out("".join(letters), perturbed))


def common_word(form: str, label: str) -> bool:
    """A one-word place or organisation that is an English common word ("Centre", "Chinese", "Turkey"):
    more often a recogniser's slip than a name, so none to plant (a person's name may be one: "Martin")."""
    lower = form.casefold()
    return (label != "PER" and " " not in form and is_known(lower, lang="en")
            and lemmatize(lower, lang="en").islower())


def replace_name(line: int, source: str, reference: str, name: SourceName, pool: list[tuple[str, str, int]],
                 rng: random.Random) -> Perturbation | None:
    """The name replaced at every mention by a name of the same label from another segment of `pool`
    (label, English form, line); None when the English lacks the name or no replacement fits."""
    found = english_name(name, reference)
    if found is None or common_word(found[0], name.label):
        return None
    form, spans = found
    taken = _words(source) | _words(reference)
    options = [other for label, other, where in pool
               if label == name.label and where != line and not _words(other) & taken
               and SequenceMatcher(None, _plain(other), _plain(form)).ratio() < MAX_NAME_SIMILARITY]
    same_length = [o for o in options if len(o.split()) == len(form.split())]
    if not options:
        return None
    new = rng.choice(sorted(set(same_length or options)))
    perturbed, span = _edit(reference, spans, new)
    if not _loses_name(name, source, perturbed):
        return None
    return Perturbation("name-replaced", line, source, reference, perturbed, span, form, new,
                        ((name.start, name.end),), tuple(spans), name.label)


def _join(left: str, right: str) -> str:
    """Two pieces of a sentence around a deleted name, with one space (none before punctuation) and a
    capital where the sentence now starts."""
    left, right = left.rstrip(), right.lstrip()
    if not left.strip(" ,;:"):
        right = right.lstrip(" ,;:")
        return right[:1].upper() + right[1:]
    if left.endswith((",", ";", ":")) and right[:1] in (",", ";", ":", "."):
        left = left[:-1]
    return left + ("" if not right or right[0] in ",.;:!?)'’" else " ") + right


def remove_name(line: int, source: str, reference: str, name: SourceName) -> Perturbation | None:
    """The name deleted at every mention (with a title, "the" or a preposition before it, a possessive
    after it); None when the English lacks it or keeps one of its core words."""
    found = english_name(name, reference)
    if found is None or name.label not in ("PER", "ORG") or common_word(found[0], name.label):
        return None
    form, spans = found
    cuts = []
    for start, end in spans:
        before = _BEFORE.search(reference[:start])
        after = _POSSESSIVE.match(reference[end:])
        cuts.append((before.start() if before else start, end + (after.end() if after else 0)))
    pieces = [reference[:cuts[0][0]]] + [reference[a:b] for (_, a), (b, _) in zip(cuts, cuts[1:])]
    pieces.append(reference[cuts[-1][1]:])
    perturbed, at = pieces[0], -1
    for piece in pieces[1:]:
        if at < 0:
            at = len(perturbed.rstrip()) if perturbed.strip(" ,;:") else 0
        perturbed = _join(perturbed, piece)
    if len(perturbed.split()) < 3 or not _loses_name(name, source, perturbed):
        return None
    return Perturbation("name-removed", line, source, reference, perturbed, (at, at), form, "",
                        ((name.start, name.end),), tuple(spans), name.label)


# -- terms --------------------------------------------------------------------------------

def _shaped(rendering: str, surface: str, approved: str) -> str:
    """The forbidden `rendering` in the shape of the English it replaces: plural and initial capital."""
    last, approved_last = surface.split()[-1].casefold(), approved.split()[-1].casefold()
    if last.endswith("s") and not approved_last.endswith("s") and not rendering.endswith("s"):
        if re.search(r"[^aeiou]y$", rendering):
            rendering = rendering[:-1] + "ies"
        else:
            rendering += "es" if rendering.endswith(("x", "ch", "sh")) else "s"
    if surface[:1].isupper():
        rendering = rendering[:1].upper() + rendering[1:]
    return rendering


def plant_terms(line: int, source: str, reference: str, terms: TermDetector,
                rng: random.Random) -> list[Perturbation]:
    """Forbidden renderings this segment admits: one per concept of the source with forbidden renderings
    whose approved rendering the English uses."""
    found = []
    occurrences = [o for o in terms.find_terms(source) if o.concept.forbidden and not o.keep]
    tokens = tokenize(reference, "en")
    for concept_id in dict.fromkeys(o.concept.id for o in occurrences):
        concept = terms.glossary.get(concept_id)
        index: PhraseIndex[str] = PhraseIndex()
        for approved in concept.approved:
            index.add(phrase_keys(approved, "en"), approved)
        spans: list[tuple[int, int, str]] = []
        for match in sorted(index.find_all(tokens), key=lambda m: (m.first - m.last, m.first)):
            if all(match.end <= a or match.start >= b for a, b, _ in spans):
                spans.append((match.start, match.end, match.payloads[0]))
        if not spans:
            continue
        spans.sort()
        forbidden = rng.choice(concept.forbidden)
        first = reference[spans[0][0]:spans[0][1]]
        out, last, span = [], 0, (0, 0)
        for start, end, approved in spans:
            new = _shaped(forbidden, reference[start:end], approved)
            out.append(reference[last:start])
            if not span[1]:
                at = len("".join(out))
                span = (at, at + len(new))
            out.append(new)
            last = end
        out.append(reference[last:])
        where = tuple((o.start, o.end) for o in occurrences if o.concept.id == concept_id)
        found.append(Perturbation("term-forbidden", line, source, reference, "".join(out), span, first,
                                  forbidden, where, tuple((a, b) for a, b, _ in spans), concept_id))
    return found
