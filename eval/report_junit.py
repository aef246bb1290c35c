"""JUnit XML of `contresens eval` results: one test case per unit, "fail" units fail."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

# Characters XML 1.0 cannot hold at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: object) -> str:
    return _INVALID_XML.sub("\ufffd", "" if value is None else str(value))


def _location_file(location: str) -> str:
    """The file part of "file:line" (the whole location when it has no line number)."""
    head, sep, tail = location.rpartition(":")
    return head if sep and tail.isdigit() else location


def flag_line(flag: dict[str, Any]) -> str:
    """`severity rule: message [source_text -> translation_text]`."""
    line = f"{flag.get('severity', '')} {flag.get('rule', '')}: {flag.get('message', '')}"
    source, translation = flag.get("source_text"), flag.get("translation_text")
    if source is not None or translation is not None:
        line += f" [{source or ''} -> {translation or ''}]"
    return " ".join(line.split("\n"))


def render_junit(records: Sequence[dict[str, Any]], signature: str) -> str:
    """The whole XML document, with an XML declaration."""
    failures = sum(1 for r in records if r.get("verdict") == "fail")
    suite = ET.Element("testsuite", {"name": "contresens", "tests": str(len(records)),
                                     "failures": str(failures), "errors": "0", "skipped": "0"})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "signature", "value": _clean(signature)})
    for record in records:
        case = ET.SubElement(suite, "testcase", {
            "classname": _clean(_location_file(str(record.get("location", "")))),
            "name": _clean(record.get("id", "")),
        })
        flags = record.get("flags") or []
        text = "\n".join(_clean(flag_line(f)) for f in flags)
        verdict = record.get("verdict")
        score = record.get("score", "")
        if verdict == "fail":
            failure = ET.SubElement(case, "failure", {
                "message": _clean(f"score {score}, {len(flags)} flag(s)"), "type": "fail"})
            failure.text = text
        elif verdict == "review" or flags:
            out = ET.SubElement(case, "system-out")
            out.text = f"verdict {_clean(verdict)}, score {score}\n{text}"
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
