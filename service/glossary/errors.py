"""The error every termbase reader raises: it names the file, the line and the field."""

from __future__ import annotations


class GlossaryFormatError(ValueError):
    """A termbase file cannot be used as it is."""

    def __init__(self, path: str, message: str, *, line: int | None = None, field: str | None = None) -> None:
        self.path, self.line, self.field, self.problem = path, line, field, message
        where = path + (f", line {line}" if line is not None else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")
