"""The models corroborate or clear the rule flags on a source span.

A rule that says "the English lost this French name, term, number or date" can be wrong when the
English conveys it in a way the rule does not know ("New Zealand" for "Nouvelle-Zélande", "fell
victim to" for "victime"). The models already computed two things that say whether it did:

- the reverse forced decoding, P(source | translation) under the target->source model: the mean
  log-probability of the tokens of the flagged French span (`reverse_span_logprob`). A span the
  English conveys is likely given the English; a span it dropped or changed is not;
- the back-translation of the English: whether it holds the flagged French span again
  (`back_translation_has_span`, compared case-, accent- and apostrophe-insensitively, word by word).

Both agree that the span came through: the flag is dropped. One of them does: a major flag becomes
minor. Neither: the flag stays as it was. Every flag that stays carries the evidence
(`Flag.evidence`), so a reader sees why it was kept or lowered. Known mistranslations
(`forbidden-rendering`, `acronym-altered`, `term-left-in-french`), markup, typography and language flags are never
cleared: their evidence is in the English itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from service.report import Flag, FlagEvidence
from service.translate import TokenScores

CORROBORATED_RULES = frozenset({
    "name-missing", "name-changed", "name-misspelled",
    "missing-approved-rendering", "do-not-translate-violated",
    "number-missing", "number-changed", "date-missing", "date-changed", "time-missing", "time-changed",
})
"""Rules about a source span the English may convey in a way the rule does not recognise."""

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").casefold())
    return _WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c)))


def span_logprob(scores: TokenScores, start: int, end: int) -> float | None:
    """Mean log-probability of the tokens of `scores.text` that overlap [start, end), or None when
    no token does (the span lies outside the scored text)."""
    found = [lp for lp, (a, b) in zip(scores.logprobs, scores.spans) if a < end and start < b]
    return sum(found) / len(found) if found else None


def holds_span(text: str, span: str) -> bool:
    """Whether `text` holds the words of `span` in a row (case, accents and apostrophes ignored)."""
    wanted, words = _words(span), _words(text)
    n = len(wanted)
    return n > 0 and any(words[i : i + n] == wanted for i in range(len(words) - n + 1))


def corroborate(
    flags: Sequence[Flag], *, source_offset: int, reverse: TokenScores, back_translation: str,
    threshold: float,
) -> list[Flag]:
    """`flags` of one segment with the models' evidence: cleared, lowered or kept (see module doc).

    `reverse` scores the segment's source given its translation (offsets relative to the segment:
    `source_offset` is where the segment starts in the document); `threshold` is the mean token
    log-probability from which the English counts as conveying the span."""
    kept: list[Flag] = []
    for flag in flags:
        if flag.rule not in CORROBORATED_RULES or flag.source_start is None or flag.source_end is None:
            kept.append(flag)
            continue
        logprob = span_logprob(reverse, flag.source_start - source_offset, flag.source_end - source_offset)
        has_span = holds_span(back_translation, flag.source_text or "")
        likely = logprob is not None and logprob >= threshold
        if has_span and likely:
            continue
        evidence = FlagEvidence(reverse_span_logprob=None if logprob is None else round(logprob, 4),
                                back_translation_has_span=has_span)
        update: dict[str, object] = {"evidence": evidence}
        if (has_span or likely) and flag.severity == "major":
            update["severity"] = "minor"
        kept.append(flag.model_copy(update=update))
    return kept
