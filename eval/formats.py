"""Reading translation units from corpus files: TSV, JSON Lines, XLIFF 1.2/2.0, TMX, gettext PO and parallel
plain-text files (XLIFF, TMX and PO through translate-toolkit).

Every unit keeps where it came from (`file:line`, or `file#id` where no line is known) so that each result points
back to the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException
from translate.storage import po, tmx, xliff, xliff2

from eval.inputs import InputError, Unit, read_lines, read_text, read_tsv_units

FORMATS = ("auto", "tsv", "jsonl", "xliff", "tmx", "po", "parallel")


def detect_format(path: str) -> str:
    """The format of a file from its extension (.tsv, .jsonl, .xlf/.xliff/.sdlxliff, .tmx, .po/.pot)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "tsv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in XLIFF_SUFFIXES:
        return "xliff"
    if suffix == ".tmx":
        return "tmx"
    if suffix in (".po", ".pot"):
        return "po"
    raise InputError(f"input file {path}: cannot tell the format from the extension {suffix or '(none)'!r}; "
                     "use --format tsv or --format jsonl (or xliff, tmx, po, parallel)")


def read_jsonl_units(path: str) -> Iterator[Unit]:
    """Units of a JSON Lines file: one object per line with `id`, `source`, `translation`, optional
    `reference` and `context` (source text before the unit in its article)."""
    seen: dict[str, int] = {}
    for number, line in enumerate(read_lines(path, "input"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON ({exc.msg} at column {exc.colno})"
            raise InputError(f"input file {path}, line {number}: {problem}") from exc
        if not isinstance(record, dict):
            raise InputError(f"input file {path}, line {number}: expected a JSON object")
        for key in ("id", "source", "translation"):
            if not isinstance(record.get(key), str if key != "id" else (str, int)):
                raise InputError(f"input file {path}, line {number}, field {key!r}: missing or not a string")
        unit_id = str(record["id"])
        if unit_id in seen:
            raise InputError(f"input file {path}, line {number}, field 'id': {unit_id!r} already used on line "
                             f"{seen[unit_id]}")
        seen[unit_id] = number
        for key in ("reference", "context"):
            if record.get(key) is not None and not isinstance(record[key], str):
                raise InputError(f"input file {path}, line {number}, field {key!r}: not a string")
        yield Unit(unit_id, record["source"], record["translation"], record.get("reference") or None,
                   f"{path}:{number}", record.get("context") or "")


def read_units(paths: Sequence[str], fmt: str = "auto", source_lang: str = "fr",
               target_lang: str = "en") -> Iterator[Unit]:
    """Units of all the files, in order; `fmt` forces one format for all of them. With `parallel`, the paths
    come in pairs: SOURCE_FILE TRANSLATION_FILE. `source_lang`/`target_lang` pick the TMX languages."""
    if fmt == "parallel":
        if len(paths) % 2:
            raise InputError(f"input file {paths[-1]}: --format parallel takes pairs of files "
                             "(SOURCE_FILE TRANSLATION_FILE), this one has no translation file")
        for i in range(0, len(paths), 2):
            yield from read_parallel_units(paths[i], paths[i + 1])
        return
    for path in paths:
        kind = detect_format(path) if fmt == "auto" else fmt
        if kind == "tsv":
            yield from read_tsv_units(path)
        elif kind == "jsonl":
            yield from read_jsonl_units(path)
        elif kind == "xliff":
            yield from read_xliff_units(path)
        elif kind == "tmx":
            yield from read_tmx_units(path, source_lang, target_lang)
        elif kind == "po":
            yield from read_po_units(path)
        else:
            raise InputError(f"input file {path}: unknown format {kind!r}")


# --- translation-industry formats, read through translate-toolkit ---------------------------------------------------

XLIFF_SUFFIXES = (".xlf", ".xliff", ".sdlxliff")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TMX_CODES = ("bpt", "ept", "it", "ph", "ut")  # native codes inside a TMX <seg>: not translatable text


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"input file {path}: {exc.strerror or exc}") from exc


def _xml_root(path: str, data: bytes) -> Any:
    """Check well-formedness with defusedxml (no DTD entities, no external references) and return the root."""
    try:
        return DefusedET.fromstring(data)
    except DefusedET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise InputError(f"input file {path}, line {line}: not well-formed XML ({reason} at column {column})") from exc
    except DefusedXmlException as exc:
        raise InputError(f"input file {path}: refused XML ({exc})") from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_id(path: str, unit_id: str, line: int | None, seen: dict[str, int | None]) -> None:
    if unit_id in seen:
        where = f", line {line}" if line else ""
        first = f" on line {seen[unit_id]}" if seen[unit_id] else ""
        raise InputError(f"input file {path}{where}, field 'id': {unit_id!r} already used{first}")
    seen[unit_id] = line


def _location(path: str, line: int | None, unit_id: str) -> str:
    return f"{path}:{line}" if line else f"{path}#{unit_id}"


def read_xliff_units(path: str) -> Iterator[Unit]:
    """Units of an XLIFF 1.2 or 2.0 file (trans-unit/unit id); units without a target are skipped."""
    data = _read_bytes(path)
    root = _xml_root(path, data)
    if _local(root.tag) != "xliff":
        raise InputError(f"input file {path}, line 1: root element is <{_local(root.tag)}>, expected <xliff>")
    version = root.get("version", "1.2")
    store_class: Any = xliff2.Xliff2File if version.startswith("2") else xliff.xlifffile
    try:
        store = store_class.parsestring(data)
    except Exception as exc:  # translate-toolkit raises lxml and assertion errors alike
        raise InputError(f"input file {path}: not a usable XLIFF {version} file ({exc})") from exc
    seen: dict[str, int | None] = {}
    for tu in store.units:
        element = tu.xmlelement
        line = element.sourceline
        unit_id = element.get("id") or ""
        if _local(element.tag) == "segment":  # XLIFF 2.0: the id is the <unit>'s; several segments get [n]
            parent = element.getparent()
            segments = [c for c in parent if isinstance(c.tag, str) and _local(c.tag) == "segment"]
            unit_id = parent.get("id") or ""
            if len(segments) > 1 and unit_id:
                unit_id = f"{unit_id}[{segments.index(element) + 1}]"
        if not unit_id:
            raise InputError(f"input file {path}, line {line}, field 'id': missing")
        source, target = tu.source, tu.target
        if not target:
            continue
        _check_id(path, unit_id, line, seen)
        yield Unit(unit_id, str(source or ""), str(target), None, _location(path, line, unit_id))


def _seg_text(seg: Any) -> str:
    """The text of a TMX <seg>, leaving out native codes (bpt, ept, it, ph, ut) but keeping <hi> text."""
    parts = [seg.text or ""]
    for child in seg:
        if _local(child.tag) not in _TMX_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx_units(path: str, source_lang: str = "fr", target_lang: str = "en") -> Iterator[Unit]:
    """Units of a TMX file: the tuv whose xml:lang starts with `source_lang`, the one with `target_lang`;
    the id is the tuid or, failing that, the tu's position (1-based); a tu without the target is skipped."""
    data = _read_bytes(path)
    root = _xml_root(path, data)
    if _local(root.tag) != "tmx":
        raise InputError(f"input file {path}, line 1: root element is <{_local(root.tag)}>, expected <tmx>")
    try:
        store = tmx.tmxfile.parsestring(data)
    except Exception as exc:
        raise InputError(f"input file {path}: not a usable TMX file ({exc})") from exc
    seen: dict[str, int | None] = {}
    for index, tu in enumerate(store.units, start=1):
        element = tu.xmlelement
        line = element.sourceline
        unit_id = element.get("tuid") or str(index)
        texts: dict[str, str] = {}
        for tuv in element:
            if not isinstance(tuv.tag, str) or _local(tuv.tag) != "tuv":
                continue
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()
            seg = next((c for c in tuv if isinstance(c.tag, str) and _local(c.tag) == "seg"), None)
            if seg is None:
                raise InputError(f"input file {path}, line {tuv.sourceline}: <tuv> without <seg>")
            for wanted in (source_lang.lower(), target_lang.lower()):
                if (lang == wanted or lang.startswith(wanted + "-") or lang.startswith(wanted + "_")) \
                        and wanted not in texts:
                    texts[wanted] = _seg_text(seg)
        source, target = texts.get(source_lang.lower()), texts.get(target_lang.lower())
        if not target:
            continue
        if source is None:
            raise InputError(f"input file {path}, line {line}, tu {unit_id!r}: no <tuv> in language {source_lang}")
        _check_id(path, unit_id, line, seen)
        yield Unit(unit_id, source, target, None, _location(path, line, unit_id))


def _po_strings(value: Any) -> list[str]:
    """The plain `str` forms of a translate-toolkit (multi)string: one per plural form."""
    return [str.__str__(text) for text in getattr(value, "strings", [value])]


def read_po_units(path: str) -> Iterator[Unit]:
    """Units of a gettext PO file: id msgctxt + U+0004 + msgid (or msgid alone); a plural entry gives msgstr[0]
    under the id and msgstr[n] under `id[n]`; untranslated and fuzzy entries (drafts gettext does not use)
    are skipped."""
    data = _read_bytes(path)
    try:
        store = po.pofile.parsestring(data)
    except Exception as exc:
        match = re.search(r"\bline (\d+)", str(exc))
        where = f", line {match.group(1)}" if match else ""
        raise InputError(f"input file {path}{where}: not a valid PO file ({exc})") from exc
    seen: dict[str, int | None] = {}
    for entry in store.units:
        if entry.isheader() or entry.isobsolete() or entry.isfuzzy() or not entry.istranslated():
            continue
        line = getattr(entry, "line_number", None) or None
        context = entry.getcontext()
        sources, targets = _po_strings(entry.source), _po_strings(entry.target)
        base = f"{context}\u0004{sources[0]}" if context else sources[0]
        for n, target in enumerate(targets):
            if not target:
                continue
            unit_id = base if n == 0 else f"{base}[{n}]"
            _check_id(path, unit_id, line, seen)
            source = sources[min(n, len(sources) - 1)]
            yield Unit(unit_id, source, target, None, _location(path, line, unit_id))


def read_parallel_units(source_path: str, translation_path: str) -> Iterator[Unit]:
    """Units of two aligned plain-text files, one segment per line: id = line number, location translation:line
    (the text under review, where a CI annotation should point).
    Lines empty on both sides are skipped; the files must have as many lines."""
    sources = read_text(source_path, "input").splitlines()
    targets = read_text(translation_path, "input").splitlines()
    if len(sources) != len(targets):
        raise InputError(f"input file {translation_path}: {len(targets)} lines, but {source_path} has "
                         f"{len(sources)}; parallel files must be aligned line by line")
    for number, (source, target) in enumerate(zip(sources, targets, strict=True), start=1):
        if not source.strip() and not target.strip():
            continue
        if not target.strip():
            continue  # untranslated segment
        if not source.strip():
            raise InputError(f"input file {source_path}, line {number}: empty source for a non-empty translation")
        yield Unit(str(number), source, target, None, f"{translation_path}:{number}")
