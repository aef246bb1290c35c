"""French typography carried into an English translation.

French sets « guillemets » with inner spaces and puts a (narrow) no-break space before `; : ! ?`;
English does neither. Translators and MT systems often carry both over, together with double
spaces and brackets or quotes that lose their partner when a sentence is rebuilt. All of this is
cosmetic, so every flag is minor. The French decimal comma ("3,5 millions") is left to the numbers
check.

Rules, on the translation only (spans point at the offending characters):
- `french-quotes`: a « or » (or a single ‹ ›) with the spaces on its inner side, when the target
  language does not use guillemets itself;
- `space-before-punctuation`: spaces (including no-break and narrow no-break) between a word and
  `; : ! ?`, when the target is not French; ":)" and ":-(" are left alone;
- `double-space`: two or more spaces between two non-space characters;
- `unbalanced-brackets`: a bracket, parenthesis or quotation mark without its partner, when the
  source has all of its own balanced (so list markers such as "1)" that both sides share are left alone);
  a quotation mark only when the source quotes too (a news quotation often runs over several
  sentences, and a segment holds one end of it).
  Braces are the markup check's business.
"""

from __future__ import annotations

import re

from service.checks.base import CheckInput, make_flag
from service.report import Flag

TYPE = "typography"

# Languages whose own typography uses guillemets: « » there is no error.
_GUILLEMET_LANGUAGES = frozenset({"fr", "de", "it", "es", "pt", "ru", "uk", "pl", "ca", "el", "no", "nb", "nn",
                                  "da", "cs", "sk", "sl", "hu", "ro", "bg", "tr", "ar", "fa", "hy", "be", "lt"})
_SPACE = "[ \u00a0\u202f\u2009\u2007]"
_OPENING_GUILLEMET = re.compile(f"[«‹]{_SPACE}*")
_CLOSING_GUILLEMET = re.compile(f"{_SPACE}*[»›]")
# A space run after a non-space, before ; : ! ? that ends a clause (not ":30", "?lang=", ":)").
_SPACE_BEFORE = re.compile(rf"(?<=\S){_SPACE}+(?:([!?])|([;:])(?![-^]?[()\[\]DPpO3|/\\*]))(?!\w)")
_DOUBLE_SPACE = re.compile(rf"(?<=\S){_SPACE}{{2,}}(?=\S)")
_EMOTICON = re.compile(r"[:;]-?$")
_PAIRS = {"(": ")", "[": "]", "“": "”", "«": "»"}
_CLOSERS = {closer: opener for opener, closer in _PAIRS.items()}
_QUOTES = frozenset('"“”«»„')


def _language(code: str) -> str:
    """The primary language subtag: "en-GB" -> "en"."""
    return code.lower().replace("_", "-").split("-")[0]


def unbalanced(text: str, guillemets: bool = True) -> list[tuple[int, int]]:
    """Spans of the brackets and quotation marks of `text` that have no partner.

    Pairs ( ) [ ] “ ” « » must nest; a stray closer is reported where it stands, an unclosed
    opener where it was opened. Straight double quotes pair up in order, so an odd one out is the
    last; a quote right after a digit is an inch mark (12" screen) and does not count. Without
    `guillemets`, « and » are ignored (German writes »so«, Swedish »so»).
    """
    stack: list[tuple[str, int]] = []
    strays: list[tuple[int, int]] = []
    straight: list[int] = []
    for index, char in enumerate(text):
        if char in "()" and _EMOTICON.search(text, max(index - 2, 0), index):
            continue  # ":)", ";-(" are smileys, not brackets
        if char in "«»" and not guillemets:
            continue
        if char in _PAIRS:
            stack.append((char, index))
        elif char in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[char]:
                stack.pop()
            else:
                strays.append((index, index + 1))
        elif char == '"' and not (index and text[index - 1].isdigit()):
            straight.append(index)
    strays.extend((index, index + 1) for _, index in stack)
    if len(straight) % 2:
        strays.append((straight[-1], straight[-1] + 1))
    return sorted(strays)


def check_typography(item: CheckInput) -> list[Flag]:
    """Minor flags for French quotes and spacing, double spaces and unbalanced brackets in the translation."""
    text = item.translation
    target = _language(item.target_lang)
    flags: list[Flag] = []
    french_spacing_spans: list[tuple[int, int]] = []

    if target not in _GUILLEMET_LANGUAGES:
        marks = sorted((m.span(), pattern is _OPENING_GUILLEMET)
                       for pattern in (_OPENING_GUILLEMET, _CLOSING_GUILLEMET) for m in pattern.finditer(text))
        french_spacing_spans.extend(span for span, _ in marks)
        index = 0
        while index < len(marks):  # one flag per quotation: an opening mark and the closing one after it
            (start, end), opening = marks[index]
            closes = opening and index + 1 < len(marks) and not marks[index + 1][1]
            if closes:
                end = marks[index + 1][0][1]
            flags.append(make_flag(
                item, type=TYPE, rule="french-quotes", severity="minor", translation=(start, end),
                message="French guillemets in the translation: English uses quotation marks without inner spaces.",
                suggestion="“…”" if closes else ("“" if opening else "”"),
            ))
            index += 2 if closes else 1

    if target != "fr":
        for match in _SPACE_BEFORE.finditer(text):
            mark = match.group(1) or match.group(2)
            flags.append(make_flag(
                item, type=TYPE, rule="space-before-punctuation", severity="minor", translation=match.span(),
                message=f"Space before '{mark}': a French convention; English sets no space there.",
                suggestion=mark,
            ))
            french_spacing_spans.append(match.span())

    for match in _DOUBLE_SPACE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in french_spacing_spans):
            continue  # already reported as part of a French spacing
        flags.append(make_flag(
            item, type=TYPE, rule="double-space", severity="minor", translation=match.span(),
            message="Several spaces in a row.", suggestion=" ",
        ))

    if not unbalanced(item.source):
        quoted = any(mark in item.source for mark in _QUOTES)
        for span in unbalanced(text, guillemets=target == "fr" or target not in _GUILLEMET_LANGUAGES):
            if text[span[0]] in _QUOTES and not quoted:
                continue  # a quotation that opens or closes in a neighbouring sentence, as news quotes do
            flags.append(make_flag(
                item, type=TYPE, rule="unbalanced-brackets", severity="minor", translation=span,
                message=f"'{text[span[0]:span[1]]}' has no matching partner in the translation, "
                "while the source's brackets and quotes are balanced.",
            ))

    return sorted(flags, key=lambda flag: (flag.translation_start or 0, flag.rule))
