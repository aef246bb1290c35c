"""Markup and placeholders that a translation must carry over unchanged.

Localization strings hold code the application reads back: inline tags (HTML `<b>`, `<a href>`,
`<br/>`; XLIFF 1.2 `<g>`, `<x/>`, `<bx/>`, `<ex/>`, `<ph>`, `<bpt>`/`<ept>`, `<it>`; XLIFF 2.0
`<ph/>`, `<pc>`, `<sc/>`/`<ec/>`), printf placeholders (`%s`, `%d`, `%1$s`, `%(name)s`, `%.2f`,
`%@`, Ruby `%{name}` and `%<name>s`, Qt `%1`; `%%` is a literal percent sign), brace placeholders
(`{0}`, `{name}`, `{}`, `{0:N2}`, `{0,-10}`, ICU `{n, number}`), `{{mustache}}` and ICU
plural/select arguments (`{count, plural, one {# item} other {# items}}`). A dropped placeholder
crashes the application or shows the raw variable; a dropped tag breaks the layout or a link.

Tokens are compared as multisets of normalised keys: a tag is its kind (opening, closing, empty),
its lowercased name and its `id` attribute (`startRef` for XLIFF 2.0 `<ec/>`); a placeholder is its
text without spaces. Other attributes (a localised `href`) may change. An ICU plural/select is
compared by argument name, type and selector keywords; its branch texts are translated, so the
tokens inside them are compared as a set (a French plural has a `many` branch that English lacks).

Tags are found with a strict regular expression over the raw text, never an XML parser (fragments
are not documents and entities must stay as written): "a < b", « guillemets », `&lt;b&gt;` and
`<jean@exemple.fr>` are not tags. Bare (value-less) attributes are only accepted when they are
HTML boolean attributes on HTML elements (`<input disabled>`), so prose such as "si a<b et b>c"
does not parse as a tag either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from service.checks.base import CheckInput, make_flag
from service.report import Flag


def _word_set(words: str) -> frozenset[str]:
    """The space-separated words of `words`, as a set."""
    return frozenset(words.split())


TYPE = "markup"

_TAG = re.compile(
    r"""<(?P<close>/)?(?P<name>[A-Za-z][\w.:-]*)
    (?P<attrs>(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+))?)*)
    \s*(?P<empty>/)?>""",
    re.VERBOSE,
)
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][\w.:-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_HTML_ELEMENTS = _word_set(
    "a abbr b bdi bdo big blockquote br button caption cite code col colgroup dd del details dfn div dl dt em "
    "embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr i iframe img input ins kbd "
    "label li link mark meta nav ol optgroup option p pre q s samp section select small source span strike "
    "strong sub summary sup table tbody td textarea tfoot th thead time tr track tt u ul var video wbr"
)
_BOOLEAN_ATTRIBUTES = _word_set(
    "allowfullscreen async autofocus autoplay checked controls default defer disabled hidden ismap itemscope loop "
    "multiple muted nomodule novalidate nowrap open readonly required reversed selected"
)
_VOID_ELEMENTS = _word_set("area base br col embed hr img input link meta source track wbr")

# `%%` first so that it is consumed as a literal; no space flag: "50 % des" is prose, not `% d`.
# Also Ruby/i18n `%{name}` and `%<name>s`, and Qt/Windows `%1` (not inside a word or a number).
_PRINTF = re.compile(
    r"%%|%\{[A-Za-z_][\w.-]*\}|%<[A-Za-z_][\w.-]*>[-+0#]*\d*(?:\.\d+)?[diouxXeEfFgGs]"
    r"|%(?:\d+\$)?(?:\([A-Za-z_][\w.-]*\))?[-+0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t|I64|I32)?[diouxXeEfFgGcrsaAp@]"
    r"|(?<![\w%])%[1-9]\d?(?![\w$])"
)
_MUSTACHE = re.compile(r"\{\{\{?\s*[#/^&>!]?\s*[A-Za-z_][\w.-]*\s*\}?\}\}")
# {0} {name} {} {0:N2} {0,-10} {name!r} {user.name} {items[0]} and ICU simple arguments {n, number}.
_BRACE = re.compile(
    r"(?<!%)\{(?:\s*(?:\d+|[A-Za-z_][\w.]*(?:\[\w+\])?)\s*)?"
    r"(?:,\s*-?\d+\s*)?"
    r"(?:,\s*(?:number|date|time|spellout|ordinal|duration)\s*(?:,\s*[^{}]*)?)?"
    r"(?:![rsa])?(?::[^{}]*)?\}"
)
_ICU_HEAD = re.compile(r"\{\s*([A-Za-z_][\w.]*|\d+)\s*,\s*(plural|selectordinal|select)\s*,")
_ICU_KEY = re.compile(r"\s*(?:offset:\s*\d+\s*)?(=\s*-?\d+(?:\.\d+)?|[A-Za-z_][\w-]*)\s*\{")
_ICU_END = re.compile(r"\s*\}")
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"']+|\bwww\.[^\s<>\"']+")
_SPACES = re.compile(r"\s+")

# CLDR plural categories (cardinal, ordinal) of the languages a newsroom mostly deals with.
_CARDINAL: dict[str, frozenset[str]] = {
    "en": frozenset({"one", "other"}),
    "de": frozenset({"one", "other"}),
    "nl": frozenset({"one", "other"}),
    "fr": frozenset({"one", "many", "other"}),
    "es": frozenset({"one", "many", "other"}),
    "it": frozenset({"one", "many", "other"}),
    "pt": frozenset({"one", "many", "other"}),
    "ru": frozenset({"one", "few", "many", "other"}),
    "pl": frozenset({"one", "few", "many", "other"}),
    "ar": frozenset({"zero", "one", "two", "few", "many", "other"}),
    "ja": frozenset({"other"}),
    "zh": frozenset({"other"}),
}
_ORDINAL: dict[str, frozenset[str]] = {
    "en": frozenset({"one", "two", "few", "other"}),
    "fr": frozenset({"one", "other"}),
    "de": frozenset({"other"}),
    "es": frozenset({"other"}),
    "it": frozenset({"many", "other"}),
    "nl": frozenset({"other"}),
    "pt": frozenset({"other"}),
}

TagKey = tuple[str, str, str | None]


@dataclass(frozen=True)
class Token:
    """One tag or placeholder: `key` is what is compared, `text` what was written at [start, end)."""

    key: str | TagKey
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class IcuArgument:
    """An ICU plural/select argument: `{name, type, key {...} ...}` at [start, end)."""

    name: str
    kind: str
    keys: frozenset[str]
    start: int
    end: int


@dataclass
class Markup:
    """What a string holds: tokens outside ICU branches in order, those inside as found, ICU arguments."""

    tags: list[Token] = field(default_factory=list)
    placeholders: list[Token] = field(default_factory=list)
    inner_tags: list[Token] = field(default_factory=list)
    inner_placeholders: list[Token] = field(default_factory=list)
    icu: list[IcuArgument] = field(default_factory=list)


def _language(code: str) -> str:
    """The primary language subtag: "fr-FR" -> "fr"."""
    return code.lower().replace("_", "-").split("-")[0]


def _tag_key(match: re.Match[str]) -> TagKey | None:
    """(kind, name, id) of a tag match, or None when the match is not well-formed markup."""
    name = match.group("name").lower()
    attrs = match.group("attrs") or ""
    if match.group("close"):
        return None if attrs.strip() or match.group("empty") else ("close", name, None)
    values: dict[str, str | None] = {}
    for attribute in _ATTRIBUTE.finditer(attrs):
        value = attribute.group(2)
        if value is None and (name not in _HTML_ELEMENTS or attribute.group(1).lower() not in _BOOLEAN_ATTRIBUTES):
            return None  # "si a<b et b>c": bare words are not attributes
        values[attribute.group(1).lower()] = value.strip("\"'") if value is not None else None
    identity = values.get("id") or (values.get("startref") if name == "ec" else None)
    empty = match.group("empty") or name in _VOID_ELEMENTS
    return ("empty" if empty else "open", name, identity)


def tag_text(key: TagKey) -> str:
    """A canonical spelling of a tag key, for messages: `<g id="1">`, `</g>`, `<x id="2"/>`."""
    kind, name, identity = key
    if kind == "close":
        return f"</{name}>"
    attribute = f' id="{identity}"' if identity is not None else ""
    return f"<{name}{attribute}{'/' if kind == 'empty' else ''}>"


def _find_tags(text: str, start: int, end: int) -> Iterator[Token]:
    """Well-formed tags in text[start:end]; a near miss is retried one character further on."""
    position = start
    while True:
        match = _TAG.search(text, position, end)
        if match is None:
            return
        key = None if match.start() and text[match.start() - 1] == "%" else _tag_key(match)
        if key is None:  # malformed, or the `<name>` of a Ruby `%<name>s` placeholder
            position = match.start() + 1
            continue
        yield Token(key, match.group(), match.start(), match.end())
        position = match.end()


def _find_placeholders(text: str, start: int, end: int) -> list[Token]:
    """Mustache, brace and printf placeholders in text[start:end], outside URLs, in order."""
    taken: list[tuple[int, int]] = [m.span() for m in _URL.finditer(text, start, end)]
    found: list[Token] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for pattern in (_MUSTACHE, _BRACE, _PRINTF):
        for match in pattern.finditer(text, start, end):
            if match.group() == "%%" or not free(match.span()):
                if match.group() == "%%":
                    taken.append(match.span())
                continue
            taken.append(match.span())
            found.append(Token(_SPACES.sub("", match.group()), match.group(), match.start(), match.end()))
    return sorted(found, key=lambda token: token.start)


def _brace_pairs(text: str) -> dict[int, int]:
    """Offset of each `{` of `text` mapped to the offset of the `}` that closes it (unclosed ones absent)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            stack.append(index)
        elif char == "}" and stack:
            pairs[stack.pop()] = index
    return pairs


def _parse_icu(
    text: str, match: re.Match[str], end: int, braces: dict[int, int]
) -> tuple[IcuArgument, list[tuple[int, int]]] | None:
    """The ICU argument whose head is `match` with its branch spans, or None if it is malformed."""
    keys: set[str] = set()
    branches: list[tuple[int, int]] = []
    position = match.end()
    while True:
        closing = _ICU_END.match(text, position, end)
        if closing and branches:
            argument = IcuArgument(match.group(1), match.group(2), frozenset(keys), match.start(), closing.end())
            return argument, branches
        key = _ICU_KEY.match(text, position, end)
        if key is None:
            return None
        brace = key.end() - 1
        close = braces.get(brace)
        if close is None or close >= end:
            return None
        keys.add(_SPACES.sub("", key.group(1)))
        branches.append((brace + 1, close))
        position = close + 1


def _scan(text: str, start: int, end: int, markup: Markup, braces: dict[int, int], inner: bool) -> None:
    """Collect the tokens of text[start:end] into `markup`; ICU branches are scanned as inner."""
    position = start
    pieces: list[tuple[int, int]] = []
    while True:
        match = _ICU_HEAD.search(text, position, end)
        parsed = _parse_icu(text, match, end, braces) if match else None
        if match is None:
            pieces.append((position, end))
            break
        if parsed is None:
            pieces.append((position, match.start() + 1))
            position = match.start() + 1
            continue
        argument, branches = parsed
        pieces.append((position, argument.start))
        markup.icu.append(argument)
        for branch_start, branch_end in branches:
            _scan(text, branch_start, branch_end, markup, braces, inner=True)
        position = argument.end
    tags = markup.inner_tags if inner else markup.tags
    placeholders = markup.inner_placeholders if inner else markup.placeholders
    merged: list[tuple[int, int]] = []
    for piece in pieces:  # rejoin text split at a rejected ICU head
        if merged and merged[-1][1] == piece[0]:
            merged[-1] = (merged[-1][0], piece[1])
        else:
            merged.append(piece)
    for piece_start, piece_end in merged:
        tags.extend(_find_tags(text, piece_start, piece_end))
        placeholders.extend(_find_placeholders(text, piece_start, piece_end))


def parse_markup(text: str) -> Markup:
    """The tags, placeholders and ICU plural/select arguments of `text`."""
    markup = Markup()
    _scan(text, 0, len(text), markup, _brace_pairs(text), inner=False)
    return markup


def _occurrences(outer: Iterable[Token], inner: Iterable[Token]) -> dict[str | TagKey, list[Token]]:
    """Occurrences by key: every outer one, plus the first inner one of a key (branches repeat it)."""
    found: dict[str | TagKey, list[Token]] = {}
    for token in outer:
        found.setdefault(token.key, []).append(token)
    seen_inner: set[str | TagKey] = set()
    for token in inner:
        if token.key not in seen_inner:
            seen_inner.add(token.key)
            found.setdefault(token.key, []).append(token)
    return found


def _differences(
    source: dict[str | TagKey, list[Token]], translation: dict[str | TagKey, list[Token]]
) -> tuple[list[Token], list[Token]]:
    """Source occurrences the translation lacks and translation occurrences the source lacks."""
    missing = [t for key, tokens in source.items() for t in tokens[len(translation.get(key, [])):]]
    added = [t for key, tokens in translation.items() for t in tokens[len(source.get(key, [])):]]
    return sorted(missing, key=lambda t: t.start), sorted(added, key=lambda t: t.start)


def _describe(token: Token) -> str:
    """How a token is named in a message."""
    return tag_text(token.key) if isinstance(token.key, tuple) else token.text


def _first_unbalanced(tags: list[Token]) -> Token | None:
    """The first tag that breaks nesting (a stray or crossed closing tag, an `<ept>` before its
    `<bpt>`, an `<ec/>` before its `<sc/>`), else the first one left open; None if balanced."""
    stack: list[tuple[str, Token]] = []
    paired: dict[str, set[str | None]] = {"bpt": set(), "sc": set()}
    for tag in tags:
        assert isinstance(tag.key, tuple)
        kind, name, identity = tag.key
        if name in ("bpt", "sc") and kind != "close":
            paired[name].add(identity)
        elif name in ("ept", "ec") and kind != "close":
            opener = "bpt" if name == "ept" else "sc"
            if identity not in paired[opener]:
                return tag
            paired[opener].discard(identity)
        if kind == "open":
            stack.append((name, tag))
        elif kind == "close":
            if not stack or stack[-1][0] != name:
                return tag
            stack.pop()
    return stack[0][1] if stack else None


def _plural_keys_changed(source: IcuArgument, translation: IcuArgument, source_lang: str, target_lang: str) -> bool:
    """Whether the translation's selector keywords do not fit the source's.

    `select` keys are the program's values and must be identical. For `plural`/`selectordinal`
    the explicit `=N` keys must be identical; the category keys must be those the target
    language uses among the source's (plus `other`), and none the target lacks, beyond ones
    carried over from the source (a French `many` left in English is harmless). Unknown
    languages need the same set.
    """
    if source.kind == "select":
        return source.keys != translation.keys
    explicit = {k for k in source.keys if k.startswith("=")}
    if explicit != {k for k in translation.keys if k.startswith("=")}:
        return True
    table = _ORDINAL if source.kind == "selectordinal" else _CARDINAL
    target = table.get(_language(target_lang))
    source_categories = source.keys - explicit
    translation_categories = {k for k in translation.keys if not k.startswith("=")}
    if target is None or _language(source_lang) not in table:
        return source_categories != translation_categories
    required = (source_categories & target) | {"other"}
    allowed = target | source_categories
    return not required <= translation_categories <= allowed


def _is_ph(token: Token) -> bool:
    return isinstance(token.key, tuple) and token.key[1] == "ph"


def _is_close(token: Token) -> bool:
    return isinstance(token.key, tuple) and token.key[0] == "close"


def _pairs(tokens: list[Token]) -> list[tuple[Token, Token]]:
    """Tokens grouped so that an opening tag and its closing tag count once: (first, last) each."""
    ordered = sorted(tokens, key=lambda t: t.start)
    groups: list[tuple[Token, Token]] = []
    used: set[int] = set()
    for i, token in enumerate(ordered):
        if i in used:
            continue
        partner = None
        if isinstance(token.key, tuple) and token.key[0] == "open":
            partner = next((j for j in range(i + 1, len(ordered)) if j not in used
                            and isinstance(ordered[j].key, tuple) and ordered[j].key[0] == "close"
                            and ordered[j].key[1] == token.key[1]), None)
        if partner is not None:
            used.add(partner)
            groups.append((token, ordered[partner]))
        else:
            groups.append((token, token))
    return groups


def check_markup(item: CheckInput) -> list[Flag]:
    """Flags for tags, placeholders and ICU arguments the translation drops, adds, unbalances or alters."""
    source, translation = parse_markup(item.source), parse_markup(item.translation)
    flags: list[Flag] = []

    missing, added = _differences(
        _occurrences(source.placeholders, source.inner_placeholders),
        _occurrences(translation.placeholders, translation.inner_placeholders),
    )
    for token in missing:
        flags.append(make_flag(
            item, type=TYPE, rule="placeholder-missing", severity="critical", source=(token.start, token.end),
            message=f"Placeholder {token.text} is missing from the translation: the application may crash "
            "or show the raw variable.",
            suggestion=token.text,
        ))
    for token in added:
        flags.append(make_flag(
            item, type=TYPE, rule="placeholder-added", severity="major", translation=(token.start, token.end),
            message=f"Placeholder {token.text} is not in the source: the application has no value for it.",
        ))

    tag_missing, tag_added = _differences(
        _occurrences(source.tags, source.inner_tags), _occurrences(translation.tags, translation.inner_tags)
    )
    # XLIFF <ph> elements are placeholders (XLIFF 1.2 and 2.0 both say so): losing one loses a value
    for first, last in _pairs([t for t in tag_missing if _is_ph(t)]):
        flags.append(make_flag(
            item, type=TYPE, rule="placeholder-missing", severity="critical", source=(first.start, last.end),
            message=f"Placeholder element {_describe(first)} is missing from the translation.",
            suggestion=item.source[first.start : last.end],
        ))
    for first, last in _pairs([t for t in tag_added if _is_ph(t)]):
        flags.append(make_flag(
            item, type=TYPE, rule="placeholder-added", severity="major", translation=(first.start, last.end),
            message=f"Placeholder element {_describe(first)} is not in the source.",
        ))
    tag_missing = [t for t in tag_missing if not _is_ph(t)]
    tag_added = [t for t in tag_added if not _is_ph(t)]
    if (tag_missing or tag_added) and all(_is_close(t) for t in tag_missing + tag_added):
        # only closing tags differ ("<i>Edit</b>", "<b>Warning" with </b> dropped): broken structure
        where = (tag_added or tag_missing)[0]
        flags.append(make_flag(
            item, type=TYPE, rule="tag-unbalanced", severity="major",
            translation=(where.start, where.end) if tag_added else None,
            source=None if tag_added else (where.start, where.end),
            message=f"Closing tag {_describe(where)} {'does not match' if tag_added else 'is missing'}: "
            "the tags of the translation do not nest as in the source.",
        ))
        flags.extend(_merge_icu(_icu_flags(item, source.icu, translation.icu)))
        return flags
    for first, last in _pairs(tag_missing):
        flags.append(make_flag(
            item, type=TYPE, rule="tag-missing", severity="major", source=(first.start, last.end),
            message=f"Tag {_describe(first)} is missing from the translation.",
            suggestion=item.source[first.start : last.end] if first is not last else first.text,
        ))
    for first, last in _pairs(tag_added):
        flags.append(make_flag(
            item, type=TYPE, rule="tag-added", severity="major", translation=(first.start, last.end),
            message=f"Tag {_describe(first)} is not in the source.",
        ))
    if not tag_missing and not tag_added and _first_unbalanced(source.tags) is None:
        # Only an order or nesting problem is left to report; a dropped tag is reported above.
        broken = _first_unbalanced(translation.tags)
        if broken is not None:
            flags.append(make_flag(
                item, type=TYPE, rule="tag-unbalanced", severity="major", translation=(broken.start, broken.end),
                message=f"Tag {_describe(broken)} does not nest in the translation as it does in the source.",
            ))

    flags.extend(_merge_icu(_icu_flags(item, source.icu, translation.icu)))
    return flags


def _merge_icu(flags: list[Flag]) -> list[Flag]:
    """An argument missing on one side and another added on the other is one change, not two:
    "{nombre, plural" -> "{number, plural" (renamed), "{count, plural" -> "{count, select" (retyped)."""
    gone = [f for f in flags if f.source_start is not None and f.translation_start is None]
    new = [f for f in flags if f.translation_start is not None and f.source_start is None]
    merged = [f for f in flags if f not in gone and f not in new]
    for before, after in zip(gone, new):
        merged.append(before.model_copy(update={
            "translation_start": after.translation_start, "translation_end": after.translation_end,
            "translation_text": after.translation_text,
            "message": f"ICU argument changed: {before.source_text!r} became {after.translation_text!r}; the "
            "argument name, type and keys must stay as in the source.",
        }))
    merged.extend(gone[len(new):] + new[len(gone):])
    return sorted(merged, key=lambda f: (f.source_start if f.source_start is not None else -1))


def _icu_flags(item: CheckInput, source: list[IcuArgument], translation: list[IcuArgument]) -> list[Flag]:
    """icu-structure-changed flags: an argument dropped, added, retyped or with other selector keys."""
    def by_identity(arguments: list[IcuArgument]) -> dict[tuple[str, str], list[IcuArgument]]:
        grouped: dict[tuple[str, str], list[IcuArgument]] = {}
        for argument in arguments:
            grouped.setdefault((argument.name, argument.kind), []).append(argument)
        return grouped

    source_groups, translation_groups = by_identity(source), by_identity(translation)
    flags: list[Flag] = []
    for identity, arguments in source_groups.items():
        first = arguments[0]
        counterpart = translation_groups.get(identity)
        if counterpart is None:
            flags.append(make_flag(
                item, type=TYPE, rule="icu-structure-changed", severity="critical", source=(first.start, first.end),
                message=f"ICU {first.kind} argument '{first.name}' is missing or malformed in the translation.",
            ))
            continue
        merged_source = IcuArgument(first.name, first.kind, frozenset().union(*(a.keys for a in arguments)), 0, 0)
        merged_translation = IcuArgument(
            first.name, first.kind, frozenset().union(*(a.keys for a in counterpart)), 0, 0
        )
        if _plural_keys_changed(merged_source, merged_translation, item.source_lang, item.target_lang):
            flags.append(make_flag(
                item, type=TYPE, rule="icu-structure-changed", severity="critical",
                source=(first.start, first.end), translation=(counterpart[0].start, counterpart[0].end),
                message=f"ICU {first.kind} argument '{first.name}' has keys "
                f"{', '.join(sorted(merged_translation.keys))} in the translation, "
                f"{', '.join(sorted(merged_source.keys))} in the source.",
            ))
    for identity, arguments in translation_groups.items():
        if identity not in source_groups:
            extra = arguments[0]
            flags.append(make_flag(
                item, type=TYPE, rule="icu-structure-changed", severity="critical",
                translation=(extra.start, extra.end),
                message=f"ICU {extra.kind} argument '{extra.name}' is not in the source.",
            ))
    return flags
