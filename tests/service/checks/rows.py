"""Shared test helper: run one check and turn its flags into comparable rows, checking the spans."""

from __future__ import annotations

from service.checks.base import Check, CheckInput

Row = tuple[str, str, str | None, str | None]


def flag_rows(check: Check, item: CheckInput, flag_type: str) -> list[Row]:
    """(rule, severity, source text, translation text) of each flag; every span must point at its text."""
    rows: list[Row] = []
    for flag in check(item):
        assert flag.type == flag_type
        if flag.source_start is not None:
            assert item.source[flag.source_start:flag.source_end] == flag.source_text
        if flag.translation_start is not None:
            assert item.translation[flag.translation_start:flag.translation_end] == flag.translation_text
        rows.append((flag.rule, flag.severity, flag.source_text, flag.translation_text))
    return rows
