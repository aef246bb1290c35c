"""Which document each line of a line-aligned test set belongs to, and the source text before each line.

A news test set is articles cut into lines. A translator who met "Joseph Rychtar" two lines ago may
write "he" now, so the checks read the earlier lines of the same article (`Document.context`). The
document of each line comes from the test set's own files:

- WMT newstest SGML (`sgm/*src*.sgm`): `<doc docid="...">` around its `<seg>` lines, read line by line
  as the WMT scripts and sacrebleu read it (the files are SGML, not always well-formed XML);
- a file of one document id a line (NTREX-128's `DOCUMENT_IDS.tsv`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from eval.inputs import InputError, read_text
from service.checker import EARLIER_CHARS as CONTEXT_CHARS

_DOC = re.compile(r"<doc\b[^>]*\bdocid=\"([^\"]*)\"", re.IGNORECASE)
_SEG = re.compile(r"<seg\b", re.IGNORECASE)


def sgm_document_ids(path: Path) -> list[str]:
    """The docid of each `<seg>` of a WMT SGML file, in order; InputError naming the file and line for a
    segment outside any document."""
    ids: list[str] = []
    current: str | None = None
    for number, line in enumerate(read_text(str(path), "SGML source").split("\n"), start=1):
        match = _DOC.search(line)
        if match:
            current = match.group(1)
        for _ in _SEG.finditer(line):
            if current is None:
                raise InputError(f"{path}:{number}: <seg> outside a <doc docid=...> element")
            ids.append(current)
    return ids


def listed_document_ids(path: Path) -> list[str]:
    """One document id a line (a tab-separated file's first field); InputError for an empty line."""
    ids = []
    for number, line in enumerate(read_text(str(path), "document ids").rstrip("\n").split("\n"), start=1):
        field = line.split("\t")[0].strip()
        if not field:
            raise InputError(f"{path}:{number}: empty document id")
        ids.append(field)
    return ids


def contexts(sources: Sequence[str], documents: Sequence[str]) -> list[str]:
    """For each line, the source lines before it in its document, newline-joined, at most the last
    CONTEXT_CHARS characters (the checker reads no more: `service.checker.EARLIER_CHARS`); all empty when
    `documents` is empty (the document of each line is unknown). InputError when there are ids but not
    one per line."""
    if not documents:
        return [""] * len(sources)
    if len(documents) != len(sources):
        raise InputError(f"{len(documents)} document ids for {len(sources)} lines")
    found: list[str] = []
    text = ""
    for i, source in enumerate(sources):
        if i == 0 or documents[i] != documents[i - 1]:
            text = ""
        found.append(text)
        text = f"{text}\n{source}"[-CONTEXT_CHARS:] if text else source[-CONTEXT_CHARS:]
    return found
