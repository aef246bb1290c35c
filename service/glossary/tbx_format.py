"""Termbases as TBX (TermBase eXchange): TBX-Basic 2 (`martif`) read and written, TBX v3 (`tbx`) read.

XML is parsed with defusedxml: entity declarations and external references are refused before
anything is expanded, so a "billion laughs" file fails at once.

Mapping (per termEntry / conceptEntry):
- `id` attribute -> concept id; `<descrip type="subjectField">` -> domain; `<note>` -> note;
- French terms: the langSet/langSec whose xml:lang starts with "fr", in order;
- English terms: administrativeStatus `deprecatedTerm-admn-sts` or `supersededTerm-admn-sts`
  -> forbidden, any other status (preferred, admitted, none) -> approved;
- contresens fields that TBX-Basic has no data category for travel as notes with a
  `contresens:` prefix: `contresens:severity=major`, `contresens:do-not-translate=yes`,
  `contresens:context-exclude=chêne`, `contresens:context-require=juge`,
  `contresens:reference=IATE`, `contresens:check=mistranslation` (how strictly the concept is
  checked; absent means `rendering`, so TBX files from other tools keep today's behaviour). TBX-Basic
  has a closed set of `descrip` and `termNote` types, so a custom type would make the file invalid
  TBX-Basic; other tools keep these notes as ordinary notes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from pydantic import ValidationError

from service.glossary.concept import Concept
from service.glossary.errors import GlossaryFormatError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FORBIDDEN_STATUS = {"deprecatedTerm-admn-sts", "supersededTerm-admn-sts", "deprecatedTerm", "supersededTerm"}
PREFIX = "contresens:"


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber if self.parser else 0
        return element


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, *names: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) in names]


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _parse(path: Path) -> tuple[ET.Element, dict[int, int]]:
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryFormatError(str(path), exc.strerror or str(exc)) from exc
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        problem = f"refused: {exc} (entities and external references are not allowed)"
        raise GlossaryFormatError(str(path), problem) from exc
    except ET.ParseError as exc:
        raise GlossaryFormatError(str(path), f"not well-formed XML: {exc}", line=exc.position[0]) from exc
    return root, builder.lines


def _entry(entry: ET.Element, line: int, path: str) -> Concept:
    data: dict[str, Any] = {"id": entry.get("id", ""), "french": [], "approved": [], "forbidden": [],
                            "context_exclude": [], "context_require": []}
    notes: list[str] = []
    for element in entry.iter():
        name = _local(element.tag)
        if name == "descrip" and element.get("type") == "subjectField":
            data["domain"] = _text(element)
        elif name == "note":
            text = _text(element)
            if not text.startswith(PREFIX):
                notes.append(text)
                continue
            key, _, value = text[len(PREFIX):].partition("=")
            if key == "severity":
                data["severity"] = value.strip()
            elif key == "check":
                data["check"] = value.strip()
            elif key == "do-not-translate":
                data["do_not_translate"] = value.strip().lower() in {"yes", "true", "1"}
            elif key in ("context-exclude", "context-require"):
                data[key.replace("-", "_")].append(value.strip())
            elif key == "reference":
                data["reference"] = value.strip()
    for lang_set in _children(entry, "langSet", "langSec"):
        lang = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower()
        for holder in lang_set.iter():
            if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                continue
            terms = [t for t in holder.iter() if _local(t.tag) == "term"]
            if not terms:
                continue
            status = next((_text(n) for n in holder.iter() if _local(n.tag) == "termNote"
                           and n.get("type") == "administrativeStatus"), "")
            term = _text(terms[0])
            if lang.startswith("fr"):
                data["french"].append(term)
            elif lang.startswith("en"):
                data["forbidden" if status in FORBIDDEN_STATUS else "approved"].append(term)
    data["note"] = " ".join(notes)
    try:
        return Concept(**data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or None
        raise GlossaryFormatError(path, f"termEntry {data['id']!r}: {error['msg']}", line=line, field=field) from exc


def read_tbx(path: str | Path) -> list[Concept]:
    """Concepts of a TBX file (TBX-Basic `martif` or TBX v3 `tbx`)."""
    source = Path(path)
    root, lines = _parse(source)
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryFormatError(str(path), f"root element is <{_local(root.tag)}>, not <martif> or <tbx>", line=1)
    entries = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
    concepts, seen = [], set()
    for entry in entries:
        concept = _entry(entry, lines.get(id(entry), 0), str(path))
        if concept.id in seen:
            line = lines.get(id(entry))
            raise GlossaryFormatError(str(path), f"id {concept.id!r} appears twice", line=line, field="id")
        seen.add(concept.id)
        concepts.append(concept)
    return concepts


def _tig(parent: ET.Element, term: str, status: str) -> None:
    tig = ET.SubElement(parent, "tig")
    ET.SubElement(tig, "term").text = term
    ET.SubElement(tig, "termNote", type="administrativeStatus").text = status


def to_tbx(concepts: Iterable[Concept], title: str = "contresens termbase") -> bytes:
    """TBX-Basic XML of the concepts (UTF-8 bytes), readable back by `read_tbx`."""
    martif = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: "fr"})
    ET.SubElement(ET.SubElement(ET.SubElement(ET.SubElement(martif, "martifHeader"), "fileDesc"), "sourceDesc"),
                  "p").text = title
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for c in concepts:
        entry = ET.SubElement(body, "termEntry", id=c.id)
        ET.SubElement(entry, "descrip", type="subjectField").text = c.domain
        if c.note:
            ET.SubElement(entry, "note").text = c.note
        extras = [f"severity={c.severity}", f"do-not-translate={'yes' if c.do_not_translate else 'no'}",
                  f"check={c.check}"]
        extras += [f"context-exclude={v}" for v in c.context_exclude]
        extras += [f"context-require={v}" for v in c.context_require]
        if c.reference:
            extras.append(f"reference={c.reference}")
        for extra in extras:
            ET.SubElement(entry, "note").text = PREFIX + extra
        french = ET.SubElement(entry, "langSet", {XML_LANG: "fr"})
        for i, term in enumerate(c.french):
            _tig(french, term, "preferredTerm-admn-sts" if i == 0 else "admittedTerm-admn-sts")
        english = ET.SubElement(entry, "langSet", {XML_LANG: "en"})
        for i, term in enumerate(c.approved):
            _tig(english, term, "preferredTerm-admn-sts" if i == 0 else "admittedTerm-admn-sts")
        for term in c.forbidden:
            _tig(english, term, "deprecatedTerm-admn-sts")
    ET.indent(martif)
    body_xml = ET.tostring(martif, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body_xml + b"\n"


def write_tbx(concepts: Iterable[Concept], path: str | Path) -> None:
    """Write concepts as a TBX-Basic file."""
    Path(path).write_bytes(to_tbx(concepts))
