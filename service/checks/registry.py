"""The checks by name, imported on first use, and running a selection of them on a segment.

Names are what users switch on and off (`--checks`, `--skip-checks`, `CONTRESENS_CHECKS`, the
HTTP `checks` option): numbers, dates, names, untranslated, length, markup, typography.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from functools import cache

from service.checks.base import Check, CheckInput
from service.report import Flag

CHECKS: dict[str, str] = {
    "numbers": "service.checks.numbers:check_numbers",
    "dates": "service.checks.dates:check_dates",
    "names": "service.checks.names:check_names",
    "untranslated": "service.checks.untranslated:check_untranslated",
    "length": "service.checks.length:check_length",
    "markup": "service.checks.markup:check_markup",
    "typography": "service.checks.typography:check_typography",
}


class UnknownCheckError(ValueError):  # a ValueError, so pydantic reports it as a settings error
    """A check name that does not exist; the message lists the ones that do."""


def resolve_names(names: Iterable[str] | None = None, skip: Iterable[str] = ()) -> list[str]:
    """Validated check names: `names` (default: all) minus `skip`, in registry order."""
    wanted = list(CHECKS) if names is None else list(names)
    unknown = sorted((set(wanted) | set(skip)) - set(CHECKS))
    if unknown:
        raise UnknownCheckError(f"unknown check(s) {', '.join(map(repr, unknown))} (known: {', '.join(CHECKS)})")
    excluded = set(skip)
    return [name for name in CHECKS if name in wanted and name not in excluded]


@cache
def load_check(name: str) -> Check:
    """The check function registered under `name`."""
    module, _, function = CHECKS[name].partition(":")
    check: Check = getattr(importlib.import_module(module), function)
    return check


def _shift(flag: Flag, source_offset: int, translation_offset: int, segment: int | None) -> Flag:
    """The flag with its spans moved from the segment into the document."""

    def move(value: int | None, offset: int) -> int | None:
        return None if value is None else value + offset

    return flag.model_copy(update={
        "segment": segment,
        "source_start": move(flag.source_start, source_offset),
        "source_end": move(flag.source_end, source_offset),
        "translation_start": move(flag.translation_start, translation_offset),
        "translation_end": move(flag.translation_end, translation_offset),
    })


def run_checks(
    item: CheckInput,
    names: Sequence[str],
    *,
    source_offset: int = 0,
    translation_offset: int = 0,
    segment: int | None = None,
) -> list[Flag]:
    """Flags of the named checks on one segment, shifted into the document, in source order.

    When the translation is the source copied unchanged, that one flag says it all: the other
    checks' findings (French spacing, quotes, numbers) are left out.
    """
    found = [flag for name in names for flag in load_check(name)(item)]
    copied = [flag for flag in found if flag.rule == "copied-source"]
    flags = [_shift(flag, source_offset, translation_offset, segment) for flag in copied or found]
    return sorted(flags, key=lambda f: (f.source_start if f.source_start is not None else -1, f.type))
