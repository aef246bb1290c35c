"""What every check receives and returns.

A check is a function `check(item: CheckInput) -> list[Flag]`. It looks at one aligned source
segment and its translation and returns flags whose offsets are relative to those two strings
(`service.checks.registry.run_checks` shifts them into the document). It must not import torch
or transformers, load a model, or read files at call time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from service.report import Flag, Severity


@dataclass(frozen=True)
class CheckInput:
    """One source segment and its translation, with what the checks may need besides."""

    source: str
    translation: str
    source_lang: str = "fr"
    target_lang: str = "en"
    protected: tuple[tuple[int, int], ...] = ()
    """Source spans the glossary already checks (terms it translates, e.g. "Conseil d'État"):
    the names check leaves them alone."""
    earlier: str = ""
    """Source text that comes before this segment in its document (the document's earlier sentences and
    the context its caller gave): a person or company named there may be "he" or "the company" here."""


Check = Callable[[CheckInput], list[Flag]]


def make_flag(
    item: CheckInput,
    *,
    type: str,
    rule: str,
    severity: Severity,
    message: str,
    source: tuple[int, int] | None = None,
    translation: tuple[int, int] | None = None,
    suggestion: str | None = None,
    confidence: float | None = None,
) -> Flag:
    """A Flag with both spans filled in from `item` (offsets relative to the segment)."""
    return Flag(
        type=type,
        rule=rule,
        severity=severity,
        source_start=source[0] if source else None,
        source_end=source[1] if source else None,
        source_text=item.source[source[0] : source[1]] if source else None,
        translation_start=translation[0] if translation else None,
        translation_end=translation[1] if translation else None,
        translation_text=item.translation[translation[0] : translation[1]] if translation else None,
        message=message,
        suggestion=suggestion,
        confidence=confidence,
    )


MARKUP = re.compile(r"<[^<>]*>|\{[^{}]*\}|%(?:\d+\$)?\(?\w*\)?[sdif]|(?<=[\s,{])=\d+")
"""Inline tags, placeholders ({0}, {name}, %s, %1$s, %(name)s) and ICU exact keys (=0): code, not text."""


def mask_markup(text: str, lead: str = " ") -> str:
    """`text` with markup replaced by `lead` then spaces, so offsets stay valid and no digit or
    capital inside a tag or placeholder ("<g id=\"1\">", "{0}") is read as a number or a name."""
    return MARKUP.sub(lambda m: lead + " " * (len(m.group()) - 1), text)
