"""Dates and clock times: every one in the French source must come out with the same value in English.

Both sides are parsed into `DateExpression`s: a character span and one or more `DateValue`
readings (more than one when the text is ambiguous, as "06/05/2023" or "3:30" are in English).
A value keeps only the fields the text gives (weekday, day, month, year, early/mid/late,
last/next, part of the day, hour and minute), so "en avril dernier" and "last April" compare
field by field without inventing a day or a year.

Source and translation expressions are then paired one to one, best agreement first, and each
pair or leftover becomes a flag of type "date":

- `date-changed` / `time-changed`: a source expression whose counterpart differs. Major when a
  day, month, year, weekday, early/mid/late, last/next, part of the day or clock time
  contradicts the source (a weekday the English adds must fit the calendar; a weekday one day off
  across a night is minor, "dans la nuit de dimanche" -> "Saturday night"), or the translation
  drops a day or month, or a year with the month; minor when it only drops early/mid/late, drops a
  weekday that was all that said the day, drops the year of a date whose month it keeps ("le 14 mars
  2012" -> "on March 14": news English leaves the story's own year to the dateline; no flag when the
  translation states that year elsewhere), or adds a day, month, year or early/mid/late. Dropping the weekday of a
  full date ("mardi 25 juin" -> "June 25", the project's convention), "dernier"/"prochain", or the
  part of the day ("dimanche soir vers 23 heures" -> "Sunday at around 11 p.m.") is not flagged.
- `date-missing` / `time-missing` (major): a source expression with nothing left to pair with
  (one flag for a whole range, "de 9 heures à 17 heures"; none for one copied untranslated,
  which is the untranslated check's business).
- `date-added` / `time-added` (minor): a translation expression with no source counterpart.

Years alone ("en 2022") are left to the numbers check; they only count as part of a date
("fin 2022", "avril 2023", "le 3 octobre 2023"). An English bare year is used, never flagged,
as the counterpart of last resort of a French month-and-year or early/mid/late-year expression.
Clock times need a clock cue where French also uses the words for durations ("à 15 heures" is a
time, "pendant 15 heures" and "en 2 h" are not). The patterns are written for the forms news
text uses; anything they do not recognise is simply not checked.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from service.checks.base import CheckInput, make_flag
from service.report import Flag, Severity

Part = Literal["early", "mid", "late"]
Relative = Literal["last", "next"]
Period = Literal["morning", "afternoon", "evening", "night"]
Kind = Literal["date", "time"]


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateValue:
    """A date or a clock time with only the fields its text gave (the others are None).

    `weekday` and `weekday_end` count from Monday = 0, as `datetime.date.weekday` does;
    `weekday_end` and `day_end` close a range ("nuit de mardi à mercredi", "du 3 au 5 mai").
    A clock time has `hour` (0-23, 24-hour clock) and `minute`; it never has date fields.
    `approximate` ("vers", "around") is kept for the suggestion but never compared.
    """

    weekday: int | None = None
    weekday_end: int | None = None
    day: int | None = None
    day_end: int | None = None
    month: int | None = None
    year: int | None = None
    part: Part | None = None
    relative: Relative | None = None
    period: Period | None = None
    hour: int | None = None
    minute: int | None = None
    approximate: bool = False

    @property
    def is_time(self) -> bool:
        """Whether this is a clock time rather than a date."""
        return self.hour is not None


@dataclass(frozen=True)
class DateExpression:
    """A date or time found in a text: where it is and what it can mean (first reading first)."""

    start: int
    end: int
    text: str
    readings: tuple[DateValue, ...]

    @property
    def value(self) -> DateValue:
        """The first (for French, the only) reading."""
        return self.readings[0]

    @property
    def kind(self) -> Kind:
        """"time" for a clock time, "date" otherwise."""
        return "time" if self.value.is_time else "date"


@dataclass(frozen=True)
class Difference:
    """One way a translation value departs from its source value, e.g. "day 25 → 26" (major)."""

    field: str
    severity: Severity
    text: str


# --- names -----------------------------------------------------------------------------------

FRENCH_MONTHS: dict[str, int] = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
FRENCH_MONTH_ABBREVIATIONS: dict[str, int] = {
    "janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "déc": 12, "dec": 12,
}
FRENCH_WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}
MONTH_NAMES: tuple[str, ...] = ("", "January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December")
"""English month names, index 1-12 (not `calendar.month_name`, which follows the process locale)."""
WEEKDAY_NAMES: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ENGLISH_MONTHS: dict[str, int] = {name.lower(): number for number, name in enumerate(MONTH_NAMES) if name}
ENGLISH_MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
ENGLISH_WEEKDAYS: dict[str, int] = {name.lower(): number for number, name in enumerate(WEEKDAY_NAMES)}

ENGLISH_HOLIDAYS: dict[str, tuple[int, int]] = {
    "bastille day": (14, 7), "may day": (1, 5), "armistice day": (11, 11), "ve day": (8, 5), "v-e day": (8, 5),
    "christmas day": (25, 12), "christmas eve": (24, 12), "new year's day": (1, 1), "new year's eve": (31, 12),
    "all saints' day": (1, 11), "all saints day": (1, 11),
}
"""Named days an English translation may use for a French "14 juillet", "1er mai", ... (day, month)."""
FRENCH_HOLIDAYS: dict[str, tuple[int, int]] = {
    "saint-sylvestre": (31, 12), "jour de l'an": (1, 1), "jour de noël": (25, 12),
}
"""Named days only, never "Noël" alone ("marché de Noël" is a Christmas market, not a date)."""

PARTS: dict[str, Part] = {
    "début": "early", "debut": "early", "mi": "mid", "fin": "late",
    "early": "early", "start": "early", "beginning": "early", "mid": "mid", "middle": "mid", "late": "late",
    "end": "late",
}
RELATIVES: dict[str, Relative] = {
    "dernier": "last", "passé": "last", "prochain": "next", "last": "last", "this past": "last", "next": "next",
}
PERIODS: dict[str, Period] = {
    "matin": "morning", "matinée": "morning", "après-midi": "afternoon", "apres-midi": "afternoon",
    "soir": "evening", "soirée": "evening", "soiree": "evening", "nuit": "night",
    "du matin": "morning", "de l'après-midi": "afternoon", "du soir": "evening",
    "morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night",
}
COMPATIBLE_PERIODS: frozenset[frozenset[str]] = frozenset({
    frozenset({"evening", "night"}), frozenset({"morning", "night"}), frozenset({"afternoon", "evening"}),
})
"""Parts of the day a translation may swap without changing the meaning ("mardi soir" = "Tuesday night")."""


def _alternation(words: Iterable[str], *, ignore_case: bool) -> str:
    """A regex alternation of `words`, longest first so that "March" wins over "Mar"."""
    body = "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


def _title_alternation(words: Iterable[str]) -> str:
    """Case-sensitive alternation of the title-cased `words` (English month and weekday names)."""
    return _alternation((word.title() for word in words), ignore_case=False)


# --- pattern pieces ---------------------------------------------------------------------------

_APOSTROPHE = "['’]"
_FR_WEEKDAY = _alternation(FRENCH_WEEKDAYS, ignore_case=True)
_FR_MONTH = _alternation(FRENCH_MONTHS, ignore_case=True)
_FR_MONTH_ANY = rf"(?:{_FR_MONTH}(?!\w)|{_alternation(FRENCH_MONTH_ABBREVIATIONS, ignore_case=True)}\.)"
_FR_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:er|ᵉʳ)?(?!\d)"
_FR_RELATIVE = r"(?:dernier|prochain|passé)(?!\w)"
_EN_WEEKDAY = _title_alternation(ENGLISH_WEEKDAYS)
_EN_MONTH_FULL = rf"{_title_alternation(ENGLISH_MONTHS)}(?!\w)"
_EN_MONTH_ANY = rf"(?:{_EN_MONTH_FULL}|{_title_alternation(ENGLISH_MONTH_ABBREVIATIONS)}\.?(?!\w))"
_EN_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)(?![\d,.]\d)"
_EN_AMPM = r"[aApP](?:\.\s?[mM]\.?|[mM](?![A-Za-z]))"
_EN_NIGHT = r"(?i:overnight(?:\s+(?:from|on))?|(?:(?:on|during|in)\s+)?the\s+night\s+(?:of|from))"
_EN_DATE_PREFIX = (rf"(?:(?P<night>{_EN_NIGHT})\s+"
                   r"|(?:(?i:on)\s+)?(?i:the)\s+(?P<period2>morning|afternoon|evening)\s+of\s+)?")
"""A part of the day before a date: "overnight May 3 to 4", "the evening of June 25"."""
_EN_WEEKDAY_PREFIX = (rf"(?:(?P<wd>{_EN_WEEKDAY})(?:{_APOSTROPHE}s)?(?:\s+(?P<period>morning|afternoon|evening|night))?"
                      r",?\s+(?:the\s+)?)?")
"""A weekday before a date: "Tuesday, June 25", "Tuesday evening, June 25", "Tuesday the 25th of June"."""

# French dates. Articles and cue words ("le", "du", "en") stay outside the `expr` span.
_FR_DATE = re.compile(rf"""
    (?P<expr>
      (?:(?P<night>(?i:dans\s+la\s+)?(?i:nuit))\s+(?i:du)\s+)?
      (?:(?P<wd>{_FR_WEEKDAY})(?!\w)\s*,?\s+(?:le\s+)?)?
      (?<![\w,.])(?P<day>{_FR_DAY})
      (?:\s*(?:au|-|–|et(?:\s+le)?)\s*(?P<day_end>{_FR_DAY}))?
      (?:\s+|-)(?P<month>{_FR_MONTH_ANY})
      (?:\s+(?P<year>{_YEAR}))?
      (?:\s+(?P<rel>{_FR_RELATIVE}))?
      (?:\s+au\s+(?P<period>(?i:matin|soir))(?!\w))?
    )""", re.VERBOSE)
_FR_PART = re.compile(rf"""
    (?P<expr>
      (?<![\w-])(?P<part>(?i:début|debut|mi|fin))(?:\s*-\s*|\s+)
      (?:(?i:du\s+mois\s+d(?:e\s+|{_APOSTROPHE}))|(?i:de\s+l{_APOSTROPHE}année\s+)|(?i:d(?:e\s+|{_APOSTROPHE})))?
      (?:(?P<month>{_FR_MONTH})(?!\w)(?:\s+(?P<year>{_YEAR}))?(?:\s+(?P<rel>{_FR_RELATIVE}))?
         |(?P<year2>{_YEAR}))
    )""", re.VERBOSE)
_FR_MONTH_ALONE = re.compile(rf"""
    (?:(?<![\w-])(?P<cue>(?i:en|de|d{_APOSTROPHE}|depuis|dès|jusqu{_APOSTROPHE}en|jusqu{_APOSTROPHE}à|avant|après
        |courant|mois\s+de|mois\s+d{_APOSTROPHE}))\s*)?
    (?P<expr>(?<![\w-])(?P<month>{_FR_MONTH})(?![\w-])(?:\s+(?P<year>{_YEAR}))?(?:\s+(?P<rel>{_FR_RELATIVE}))?)
    """, re.VERBOSE)
_FR_WEEKDAY_ALONE = re.compile(rf"""
    (?P<expr>(?<![\w-])(?P<wd>{_FR_WEEKDAY})(?!\w)
      (?:\s+(?P<rel>{_FR_RELATIVE}))?
      (?:\s+(?:au\s+)?(?P<period>(?i:matin|après-midi|apres-midi|soir|soirée|soiree))(?![\w-]))?
      (?:\s+(?P<rel2>{_FR_RELATIVE}))?
    )""", re.VERBOSE)
_FR_NIGHT = re.compile(rf"""
    (?P<expr>(?<![\w-])(?:(?i:dans)\s+la\s+)?(?P<night>(?i:nuit))\s+(?:de|du)\s+(?P<wd>{_FR_WEEKDAY})(?!\w)
      (?:\s+(?:à|au)\s+(?P<wd_end>{_FR_WEEKDAY})(?!\w))?)
    """, re.VERBOSE)
_FR_NUMERIC = re.compile(r"""
    (?<![\w/.,-])(?P<expr>(?P<day>[012]?\d|3[01])(?P<sep>[/.-])(?P<month>0?[1-9]|1[0-2])(?P=sep)(?P<year>\d{4}|\d{2}))
    (?![\w/-]|[.,]\d)""", re.VERBOSE)
_ISO = re.compile(
    r"(?<![\w/.-])(?P<expr>(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01]))(?![\w-])"
)

# French clock times.
_FR_TIME_PERIOD = rf"(?:\s+(?P<period>du\s+matin|de\s+l{_APOSTROPHE}après-midi|du\s+soir))?"
_FR_TIME_COMPACT = re.compile(rf"""
    (?<![\w,.:/])(?P<expr>(?P<hour>[01]?\d|2[0-3])\s*[hH](?:\s*(?P<minute>[0-5]\d))?{_FR_TIME_PERIOD})(?![\w/])
    """, re.VERBOSE)
_FR_TIME_WORDS = re.compile(rf"""
    (?<![\w,.:/])(?P<expr>(?P<hour>[01]?\d|2[0-3])\s+heures?(?:\s+(?P<minute>[0-5]\d))?{_FR_TIME_PERIOD})(?!\w)
    """, re.VERBOSE)
_FR_TIME_COLON = re.compile(r"(?<![\w,.:])(?P<expr>(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d))(?![\d:])")
_FR_TIME_RANGE = re.compile(r"""
    (?<![\w-])(?:entre|de)\s+(?P<expr>(?P<hour>[01]?\d|2[0-3])\s*(?:et|à|-|–)\s*(?P<hour2>[01]?\d|2[0-3])\s*(?:heures|h)(?!\w))
    """, re.VERBOSE)
_FR_NOON = re.compile(rf"""
    (?:(?<![\w-])(?P<cue>à|vers|dès|avant|après|jusqu{_APOSTROPHE}à|depuis|entre|et|de)\s+)?
    (?<![\w-])(?P<expr>(?P<noon>midi|minuit)(?:\s+(?P<minute>et\s+demie?|et\s+quart|trente))?)(?![\w-])
    """, re.VERBOSE)

# English dates.
_EN_MONTH_FIRST = re.compile(rf"""
    (?P<expr>
      {_EN_DATE_PREFIX}
      {_EN_WEEKDAY_PREFIX}
      (?<![\w-])(?P<month>{_EN_MONTH_ANY})\s+(?P<day>{_EN_DAY})
      (?:\s*(?:-|–|to|through|and)\s*(?P<day_end>{_EN_DAY})(?!\s*(?:{_EN_AMPM}|o{_APOSTROPHE}clock)))?
      (?:,?\s+(?P<year>{_YEAR}))?
    )""", re.VERBOSE)
_EN_DAY_FIRST = re.compile(rf"""
    (?P<expr>
      {_EN_DATE_PREFIX}
      {_EN_WEEKDAY_PREFIX}
      (?<![\w,.])(?P<day>{_EN_DAY})
      (?:\s*(?:-|–|to|and)\s*(?:the\s+)?(?P<day_end>{_EN_DAY}))?
      \s+(?:of\s+)?(?P<month>{_EN_MONTH_ANY})
      (?:,?\s+(?P<year>{_YEAR}))?
    )""", re.VERBOSE)
_EN_PART = re.compile(rf"""
    (?P<expr>
      (?:(?<![\w-])(?P<part>(?i:early|mid|late))(?:\s*-\s*|\s+)
        |(?<![\w-])(?P<part2>(?i:end))-
        |(?<![\w-])(?:(?i:the)\s+)?(?P<part3>(?i:start|beginning|middle|end))\s+of\s+(?:the\s+month\s+of\s+|the\s+year\s+)?)
      (?:(?P<month>{_EN_MONTH_FULL})(?:,?\s+(?P<year>{_YEAR}))?|(?P<year2>{_YEAR}))
    )""", re.VERBOSE)
_EN_MONTH_ALONE = re.compile(rf"""
    (?:(?<![\w-])(?P<cue>(?i:in|since|until|till|by|from|through|throughout|during|before|after|month\s+of|this))\s+)?
    (?P<expr>(?:(?P<rel>(?i:last|next))\s+)?(?<![\w-])(?P<month>{_EN_MONTH_FULL})(?:,?\s+(?P<year>{_YEAR}))?)
    """, re.VERBOSE)
_MAY_CUES = frozenset({"in", "since", "until", "till", "during", "throughout", "month of"})
"""Cues after which "May" is the month, not Theresa May ("criticised by May", "a letter from May")."""
_EN_WEEKDAY_ALONE = re.compile(rf"""
    (?P<expr>(?:(?P<rel>(?i:last|next|this\s+past))\s+)?(?<![\w-])(?P<wd>{_EN_WEEKDAY})(?:{_APOSTROPHE}s)?(?!\w)
      (?:\s+(?P<period>morning|afternoon|evening|night)(?!\w))?)
    """, re.VERBOSE)
_EN_NIGHT_WEEKDAYS = re.compile(rf"""
    (?P<expr>(?<![\w-])
      (?:(?P<night>{_EN_NIGHT})\s+(?P<wd>{_EN_WEEKDAY})(?!\w)
         (?:\s+(?:to|into|-|–|and)\s+(?P<wd_end>{_EN_WEEKDAY})(?!\w))?
        |(?:(?i:in)\s+)?(?i:the)\s+(?P<night2>early\s+hours)\s+of\s+(?P<wd_end2>{_EN_WEEKDAY})(?!\w)
        |(?P<wd2>{_EN_WEEKDAY})\s*[-–/]\s*(?P<wd_end3>{_EN_WEEKDAY})\s+(?P<night3>night)(?!\w)))
    """, re.VERBOSE)
_EN_NUMERIC = re.compile(r"""
    (?<![\w/.,-])(?P<expr>(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2}))
    (?![\w/-]|[.,]\d)""", re.VERBOSE)


def _name_pattern(names: Iterable[str]) -> str:
    """An alternation of multi-word names, any run of spaces between words and either apostrophe."""
    def one(name: str) -> str:
        return r"\s+".join(re.escape(word).replace("'", _APOSTROPHE) for word in name.split())
    return "|".join(one(name) for name in sorted(names, key=len, reverse=True))


_EN_HOLIDAY = re.compile(rf"(?<![\w-])(?P<expr>(?i:{_name_pattern(ENGLISH_HOLIDAYS)}))(?![\w-])")
_FR_HOLIDAY = re.compile(rf"(?<![\w-])(?P<expr>(?i:{_name_pattern(FRENCH_HOLIDAYS)}))(?!\w)")

# English clock times.
_EN_TIME_AMPM = re.compile(rf"""
    (?<![\w,.:])(?P<expr>(?P<hour>1[0-2]|0?[1-9])(?:[:.](?P<minute>[0-5]\d))?\s*(?P<ampm>{_EN_AMPM}))
    """, re.VERBOSE)
_EN_TIME_RANGE = re.compile(rf"""
    (?<![\w,.:])(?P<expr>(?P<hour>1[0-2]|0?[1-9])(?:[:.](?P<minute>[0-5]\d))?\s*(?:-|–|to|and)\s*
      (?P<hour2>1[0-2]|0?[1-9])(?:[:.](?P<minute2>[0-5]\d))?\s*(?P<ampm>{_EN_AMPM}))
    """, re.VERBOSE)
_EN_TIME_COLON = re.compile(r"(?<![\w,.:])(?P<expr>(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d))(?![\d:])")
_EN_TIME_OCLOCK = re.compile(rf"""
    (?<![\w,.:])(?P<expr>(?P<hour>1[0-2]|0?[1-9])\s+o{_APOSTROPHE}clock
      (?:\s+in\s+the\s+(?P<period>morning|afternoon|evening)|\s+at\s+(?P<period2>night))?)
    """, re.VERBOSE)
_EN_TIME_GMT = re.compile(r"(?<![\w,.:])(?P<expr>(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)\s*(?:GMT|UTC))(?!\w)")
_EN_TIME_COMPACT = re.compile(r"(?<![\w,.:/])(?P<expr>(?P<hour>[01]?\d|2[0-3])[hH](?P<minute>[0-5]\d)?)(?![\w/])")
_EN_NOON = re.compile(r"(?<![\w-])(?P<expr>(?:12\s+)?(?P<noon>(?i:noon|midday|midnight)))(?![\w-])")

# Context around a match.
_STREET_BEFORE = re.compile(
    r"(?i:rue|place|avenue|boulevard|bd|quai|pont|square|cours|allée|impasse|esplanade|stade|lycée|collège|école"
    r"|mouvement|parc|gare)\s+du\s*$"
)
_FR_WEEKDAY_NOT_A_DATE_AFTER = re.compile(r"^\s+(?i:gras|saint|de\s+pâques|de\s+pentecôte)(?!\w)")
_EN_WEEKDAY_NOT_A_DATE_BEFORE = re.compile(
    r"(?:Super|Black|Good|Holy|Ash|Bloody|Cyber|Easter|Palm|Maundy|Whit|Blue)\s+$"
)
_EN_WEEKDAY_NOT_A_DATE_AFTER = re.compile(r"^\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Mail|Sport)\b")
_FR_DURATION_BEFORE = re.compile(
    rf"(?<![\w-])(?i:(?P<de>de|d{_APOSTROPHE})|pendant|durant|dur(?:e|ent|ait|era|é)|en|plus\s+de|moins\s+de"
    r"|près\s+de|environ|quelque|toutes\s+les|chaque|dans|sous|les|des)\s*$"
)
_FR_CLOCK_BEFORE = re.compile(
    rf"(?<![\w-])(?i:à|vers|dès|avant|après|jusqu{_APOSTROPHE}à|depuis|entre|et|aux\s+alentours\s+de|autour\s+de)\s*$"
)
_FR_RANGE_AFTER = re.compile(rf"^\s*(?:à|-|–|et|jusqu{_APOSTROPHE})")
_FR_CLOCK_AFTER = re.compile(r"^\s+(?i:heure\s+(?:locale|de\s+paris|française)|GMT|UTC)")
_FR_QUANTITY_AFTER = re.compile(rf"^\s+(?:de\s+|d{_APOSTROPHE}\s*)(?!(?:la|le|les|l{_APOSTROPHE})(?!\w))\w")
"""Hours of something: "15 heures de garde à vue" (but "à 15 heures de la place Bellecour" is a time)."""
_RANGE_BETWEEN = re.compile(rf"^\s*(?:à|au|-|–|et|jusqu{_APOSTROPHE}(?:à|au))\s*(?:le\s+)?$")
"""What joins the two ends of a French range ("de 9 heures à 17 heures", "du 28 juin au 3 juillet")."""
_FR_APPROXIMATE_BEFORE = re.compile(r"(?<![\w-])(?i:vers|environ|aux\s+alentours\s+de|autour\s+de)\s*$")
_EN_APPROXIMATE_BEFORE = re.compile(r"(?<![\w-])(?i:around|about|approximately|roughly|circa)\s*$")

_CONTEXT = 40
"""Characters looked at either side of a match for cue words."""
_NEXT_TO = 12
"""Most characters between a weekday and the date it belongs to when written apart ("Wednesday (June 25)")."""


# --- parsing --------------------------------------------------------------------------------

Lang = Literal["fr", "en"]


def _groups(match: re.Match[str]) -> dict[str, str]:
    """The groups that matched, with the numbered aliases ("year2", "rel2") under their plain name."""
    found: dict[str, str] = {}
    for name, text in match.groupdict().items():
        if text is not None:
            found.setdefault(name.rstrip("0123456789"), text)
    return found


def _before(match: re.Match[str]) -> str:
    """The text just before the expression of `match` (cue words outside the span included)."""
    start = match.start("expr")
    return match.string[max(0, start - _CONTEXT) : start]


def _after(match: re.Match[str]) -> str:
    """The text just after the expression of `match`."""
    end = match.end("expr")
    return match.string[end : end + _CONTEXT]


def _key(text: str) -> str:
    """A name as the tables spell it: lower case, one space, a straight apostrophe."""
    return " ".join(text.lower().replace("’", "'").split()).rstrip(".")


def _month_number(text: str, lang: Lang) -> int | None:
    """1-12 for a month name, abbreviation or number."""
    if text.isdigit():
        return int(text)
    key = _key(text)
    if lang == "fr":
        return FRENCH_MONTHS.get(key) or FRENCH_MONTH_ABBREVIATIONS.get(key)
    return ENGLISH_MONTHS.get(key) or ENGLISH_MONTH_ABBREVIATIONS.get(key)


def _weekday_number(text: str, lang: Lang) -> int | None:
    """0-6 (Monday = 0) for a weekday name."""
    return (FRENCH_WEEKDAYS if lang == "fr" else ENGLISH_WEEKDAYS).get(_key(text))


def _day_number(text: str) -> int:
    """The day of "25", "1er", "3rd"."""
    return int(re.sub(r"\D.*", "", text))


def _year_number(text: str) -> int:
    """A four-digit year; two digits are read as 2000-2049 or 1950-1999."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    return year


def _with_period(hour: int, period: Period | None) -> int:
    """The 24-hour clock hour of "8 heures du soir", "3 o'clock in the afternoon"."""
    if period in ("afternoon", "evening") and hour < 12:
        return hour + 12
    if period == "night" and 6 <= hour < 12:
        return hour + 12
    if period == "morning" and hour == 12:
        return 0
    return hour


def _with_ampm(hour: int, ampm: str) -> int:
    """The 24-hour clock hour of "3 p.m." (12 a.m. is midnight, 12 p.m. noon)."""
    return hour % 12 + (12 if ampm[0] in "pP" else 0)


def _is_valid(value: DateValue) -> bool:
    """Whether the fields make a real date or time (no 31 June, no 25:00, a range that goes forward)."""
    if value.month is not None and not 1 <= value.month <= 12:
        return False
    for day in (value.day, value.day_end):
        if day is None:
            continue
        if value.month is None:
            if not 1 <= day <= 31:
                return False
        elif not 1 <= day <= calendar.monthrange(value.year or 2000, value.month)[1]:
            return False
    if value.day is not None and value.day_end is not None and value.day_end <= value.day:
        return False
    if value.hour is not None and not 0 <= value.hour <= 23:
        return False
    return value.minute is None or 0 <= value.minute <= 59


def _minute_words(text: str) -> int:
    """The minutes of "et demie", "et quart", "trente", or of digits."""
    if text.isdigit():
        return int(text)
    return 15 if "quart" in text else 30


def _value(match: re.Match[str], lang: Lang) -> DateValue | None:
    """The value of a match from any of the generic patterns, or None when it is not a real date."""
    groups = _groups(match)
    weekday = _weekday_number(groups["wd"], lang) if "wd" in groups else None
    weekday_end = _weekday_number(groups["wd_end"], lang) if "wd_end" in groups else None
    period: Period | None = PERIODS.get(_key(groups["period"])) if "period" in groups else None
    if "night" in groups:
        period = "night"
    hour: int | None = None
    minute: int | None = None
    if "noon" in groups:
        hour = 0 if _key(groups["noon"]) in ("minuit", "midnight") else 12
        minute = _minute_words(groups["minute"]) if "minute" in groups else 0
    elif "hour" in groups:
        hour = int(groups["hour"])
        minute = _minute_words(groups["minute"]) if "minute" in groups else 0
        hour = _with_ampm(hour, groups["ampm"]) if "ampm" in groups else _with_period(hour, period)
        period = None
    value = DateValue(
        weekday=weekday,
        weekday_end=weekday_end,
        day=_day_number(groups["day"]) if "day" in groups else None,
        day_end=_day_number(groups["day_end"]) if "day_end" in groups else None,
        month=_month_number(groups["month"], lang) if "month" in groups else None,
        year=_year_number(groups["year"]) if "year" in groups else None,
        part=PARTS.get(_key(groups["part"])) if "part" in groups else None,
        relative=RELATIVES.get(_key(groups["rel"])) if "rel" in groups else None,
        period=period,
        hour=hour,
        minute=minute,
        approximate=hour is not None and _is_approximate(match, lang),
    )
    return value if _is_valid(value) else None


def _is_approximate(match: re.Match[str], lang: Lang) -> bool:
    """Whether "vers" / "around" comes just before the expression."""
    pattern = _FR_APPROXIMATE_BEFORE if lang == "fr" else _EN_APPROXIMATE_BEFORE
    return pattern.search(_before(match)) is not None


def _expression(match: re.Match[str], readings: Iterable[DateValue]) -> DateExpression:
    """An expression over the `expr` group of `match`, its readings deduplicated in order."""
    start, end = match.span("expr")
    unique = tuple(dict.fromkeys(readings))
    return DateExpression(start, end, match.string[start:end], unique)


Builder = Callable[[re.Match[str]], list[DateExpression]]
Accept = Callable[[re.Match[str]], bool]


def _generic(lang: Lang) -> Builder:
    """The builder of patterns whose named groups say it all."""

    def build(match: re.Match[str]) -> list[DateExpression]:
        value = _value(match, lang)
        return [] if value is None else [_expression(match, [value])]

    return build


def _build_holiday(table: Mapping[str, tuple[int, int]]) -> Builder:
    """The builder of named days ("Bastille Day", "la Saint-Sylvestre")."""

    def build(match: re.Match[str]) -> list[DateExpression]:
        day, month = table[_key(match.group("expr"))]
        return [_expression(match, [DateValue(day=day, month=month)])]

    return build


def _build_english_numeric(match: re.Match[str]) -> list[DateExpression]:
    """06/25/2023 (US) or 25/06/2023 (UK): every reading that is a real date."""
    first, second, year = int(match.group("first")), int(match.group("second")), _year_number(match.group("year"))
    readings = [DateValue(day=second, month=first, year=year), DateValue(day=first, month=second, year=year)]
    valid = [reading for reading in readings if _is_valid(reading)]
    return [_expression(match, valid)] if valid else []


def _clock_readings(hour: int, minute: int, *, twenty_four_hour: bool) -> list[DateValue]:
    """An English time without a.m./p.m.: "15:30" is one time, "3:30" and "6 o'clock" two."""
    if twenty_four_hour or hour == 0 or hour > 12:
        return [DateValue(hour=hour, minute=minute)]
    return [DateValue(hour=hour, minute=minute), DateValue(hour=(hour + 12) % 24, minute=minute)]


def _build_english_clock(match: re.Match[str]) -> list[DateExpression]:
    """"15:30", "3:30", "6 o'clock" (readings on both halves of the day unless the text settles it)."""
    value = _value(match, "en")
    if value is None or value.hour is None or value.minute is None:
        return []
    settled = match.group("hour").startswith("0") or match.groupdict().get("period") is not None \
        or match.groupdict().get("period2") is not None
    readings = _clock_readings(value.hour, value.minute, twenty_four_hour=settled)
    return [_expression(match, [replace(reading, approximate=value.approximate) for reading in readings])]


def _build_time_range(lang: Lang) -> Builder:
    """"entre 14 et 16 heures", "2 to 4 p.m.": two times, the first taking the second's clock."""

    def build(match: re.Match[str]) -> list[DateExpression]:
        groups = {name: text for name, text in match.groupdict().items() if text is not None}
        first, second = int(groups["hour"]), int(groups["hour2"])
        if lang == "fr":
            hours = (first, second)
        else:
            second = _with_ampm(second, groups["ampm"])
            first = first % 12 + second - second % 12
            if first > second:
                first -= 12
            hours = (first % 24, second)
        first_minute = int(groups["minute"]) if "minute" in groups else 0
        second_minute = int(groups["minute2"]) if "minute2" in groups else 0
        approximate = _is_approximate(match, lang)
        start = match.start("hour")
        first_end = match.end("minute") if "minute" in groups else match.end("hour")
        second_start = match.start("hour2")
        text = match.string
        return [
            DateExpression(start, first_end, text[start:first_end],
                           (DateValue(hour=hours[0], minute=first_minute, approximate=approximate),)),
            DateExpression(second_start, match.end("expr"), text[second_start:match.end("expr")],
                           (DateValue(hour=hours[1], minute=second_minute, approximate=approximate),)),
        ]

    return build


def _not_a_street(match: re.Match[str]) -> bool:
    """"rue du 4-Septembre", "place du 8-Mai-1945" name a place, not a date."""
    return _STREET_BEFORE.search(_before(match)) is None


def _french_month_alone(match: re.Match[str]) -> bool:
    """A French month on its own counts when lower case, as French months are ("la surface de Mars" is the
    planet), or with a year or "dernier"/"prochain"."""
    return bool(match.group("year") or match.group("rel")) or match.group("month")[0].islower()


def _english_month_alone(match: re.Match[str]) -> bool:
    """An English month on its own counts only with a cue word, "last"/"next" or a year ("March organisers",
    "Theresa May" are not dates); "May" takes only the cues a name does not ("in May", not "by May")."""
    if match.group("rel") or match.group("year"):
        return True
    cue = match.group("cue")
    if cue is None:
        return False
    return match.group("month") != "May" or _key(cue) in _MAY_CUES


def _french_weekday(match: re.Match[str]) -> bool:
    """"Mardi gras", "vendredi saint", "lundi de Pâques" are feasts, not weekdays to check."""
    return _FR_WEEKDAY_NOT_A_DATE_AFTER.search(_after(match)) is None


def _english_weekday(match: re.Match[str]) -> bool:
    """"Super Tuesday", "Good Friday", "the Sunday Times" are names, not weekdays to check."""
    return _EN_WEEKDAY_NOT_A_DATE_BEFORE.search(_before(match)) is None \
        and _EN_WEEKDAY_NOT_A_DATE_AFTER.search(_after(match)) is None


def _starts_a_range(match: re.Match[str]) -> bool:
    """"de 14h à 16h": after "de", a time followed by "à" starts a span of clock time, not a duration."""
    duration = _FR_DURATION_BEFORE.search(_before(match))
    return duration is not None and duration.group("de") is not None \
        and _FR_RANGE_AFTER.search(_after(match)) is not None


def _french_compact_time(match: re.Match[str]) -> bool:
    """"15h30" is a time unless a duration word comes first ("pendant 2 h", "un film de 1h30")."""
    return _FR_DURATION_BEFORE.search(_before(match)) is None or _starts_a_range(match)


def _french_hours_in_words(match: re.Match[str]) -> bool:
    """"15 heures" is a time after a clock cue ("à", "vers", ...) or with minutes, "du soir", "heure locale"."""
    if match.group("minute") or match.group("period") or _FR_CLOCK_AFTER.search(_after(match)):
        return True
    if _FR_QUANTITY_AFTER.search(_after(match)):
        return False  # "après 15 heures de garde à vue"
    return _FR_CLOCK_BEFORE.search(_before(match)) is not None or _starts_a_range(match)


def _not_hours_of_something(match: re.Match[str]) -> bool:
    """"entre 14 et 16 heures" is a span of clock time; "de 3 à 5 heures de route" is a duration."""
    return _FR_QUANTITY_AFTER.search(_after(match)) is None


def _french_noon(match: re.Match[str]) -> bool:
    """"à midi", "vers minuit"; not "le repas de midi" ("de midi" only as in "de midi à 14 h")."""
    cue = match.group("cue")
    if cue is None:
        return False
    return cue != "de" or _FR_RANGE_AFTER.search(_after(match)) is not None


@dataclass(frozen=True)
class _Rule:
    """One pattern, how to turn its matches into expressions, and when to believe a match."""

    pattern: re.Pattern[str]
    build: Builder
    accept: Accept | None = None


_FRENCH_RULES: tuple[_Rule, ...] = (
    _Rule(_FR_DATE, _generic("fr"), _not_a_street),
    _Rule(_FR_PART, _generic("fr")),
    _Rule(_FR_MONTH_ALONE, _generic("fr"), _french_month_alone),
    _Rule(_FR_WEEKDAY_ALONE, _generic("fr"), _french_weekday),
    _Rule(_FR_NIGHT, _generic("fr")),
    _Rule(_FR_NUMERIC, _generic("fr")),
    _Rule(_ISO, _generic("fr")),
    _Rule(_FR_HOLIDAY, _build_holiday(FRENCH_HOLIDAYS)),
    _Rule(_FR_TIME_COMPACT, _generic("fr"), _french_compact_time),
    _Rule(_FR_TIME_WORDS, _generic("fr"), _french_hours_in_words),
    _Rule(_FR_TIME_COLON, _generic("fr")),
    _Rule(_FR_TIME_RANGE, _build_time_range("fr"), _not_hours_of_something),
    _Rule(_FR_NOON, _generic("fr"), _french_noon),
)
_ENGLISH_RULES: tuple[_Rule, ...] = (
    _Rule(_EN_MONTH_FIRST, _generic("en")),
    _Rule(_EN_DAY_FIRST, _generic("en")),
    _Rule(_EN_PART, _generic("en")),
    _Rule(_EN_MONTH_ALONE, _generic("en"), _english_month_alone),
    _Rule(_EN_WEEKDAY_ALONE, _generic("en"), _english_weekday),
    _Rule(_EN_NIGHT_WEEKDAYS, _generic("en")),
    _Rule(_EN_NUMERIC, _build_english_numeric),
    _Rule(_ISO, _generic("en")),
    _Rule(_EN_HOLIDAY, _build_holiday(ENGLISH_HOLIDAYS)),
    _Rule(_EN_TIME_AMPM, _generic("en")),
    _Rule(_EN_TIME_RANGE, _build_time_range("en")),
    _Rule(_EN_TIME_COLON, _build_english_clock),
    _Rule(_EN_TIME_OCLOCK, _build_english_clock),
    _Rule(_EN_TIME_GMT, _generic("en")),
    _Rule(_EN_TIME_COMPACT, _generic("en")),
    _Rule(_EN_NOON, _generic("en")),
)


def _parse(text: str, rules: Iterable[_Rule]) -> list[DateExpression]:
    """Every expression the rules find, the longest winning where two overlap, in text order."""
    found: list[DateExpression] = []
    for rule in rules:
        for match in rule.pattern.finditer(text):
            if rule.accept is None or rule.accept(match):
                found.extend(rule.build(match))
    chosen: list[DateExpression] = []
    for expression in sorted(found, key=lambda e: (e.start - e.end, e.start)):
        if all(expression.end <= other.start or other.end <= expression.start for other in chosen):
            chosen.append(expression)
    return sorted(chosen, key=lambda e: e.start)


def parse_french(text: str) -> list[DateExpression]:
    """The dates and clock times of a French text, in order ("mardi 25 juin", "fin 2022", "15h30", ...)."""
    return _parse(text, _FRENCH_RULES)


_LOWER_MONTH = re.compile(
    r"\b(?P<cue>(?i:in|of|since|until|till|early|late|mid|from|through|last|next|this)[ -])"
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december)\b")


def _cased_months(text: str) -> str:
    """`text` with month names capitalised after a preposition ("in may" -> "in May"): MT lowercases
    them, and the month patterns want a capital so that "may" the verb is never a date. Same length,
    so every offset still points into the original text."""
    return _LOWER_MONTH.sub(lambda m: m.group("cue") + m.group("month").capitalize(), text)


def parse_english(text: str) -> list[DateExpression]:
    """The dates and clock times of an English text, in order ("Tuesday, June 25", "late 2022", "3:30 p.m.")."""
    cased = _cased_months(text)
    found = _parse(cased, _ENGLISH_RULES)
    if cased == text:
        return found
    return [replace(e, text=text[e.start:e.end]) for e in found]


def _bare_years(text: str, taken: Iterable[DateExpression]) -> list[DateExpression]:
    """Four-digit years of an English text outside its date expressions ("in 2022")."""
    spans = [(e.start, e.end) for e in taken]
    years = []
    for match in re.finditer(rf"(?<![\w,.-])(?P<expr>{_YEAR})(?![\w-])", text):
        if all(match.end() <= start or end <= match.start() for start, end in spans):
            years.append(_expression(match, [DateValue(year=int(match.group("expr")))]))
    return years


_BARE_MONTH = re.compile(
    rf"(?<![\w-])(?P<expr>(?:(?P<day1>[12]?\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<month>{_EN_MONTH_FULL})"
    r"(?:\s+(?:the\s+)?(?P<day2>[12]?\d|3[01])(?:st|nd|rd|th)?(?![\w:.,]\d))?)")
_BARE_WEEKDAY = re.compile(rf"(?<![\w-])(?P<expr>(?P<weekday>{_EN_WEEKDAY}))(?!\w)")


def _bare_months(text: str, taken: Iterable[DateExpression]) -> list[DateExpression]:
    """English month and weekday names outside the text's date expressions, with a day number beside a
    month ("the February elections", "from April to June", "July the 22nd", "Black Friday"). Never
    flagged: used only as the counterpart of last resort of a French date the patterns left unpaired,
    since an English month without a cue word ("in", a year) is not read as a date on its own."""
    spans = [(e.start, e.end) for e in taken]
    found = []
    for match in [*_BARE_MONTH.finditer(text), *_BARE_WEEKDAY.finditer(text)]:
        if not all(match.end() <= start or end <= match.start() for start, end in spans):
            continue
        groups = match.groupdict()
        if groups.get("weekday"):
            value = DateValue(weekday=ENGLISH_WEEKDAYS[groups["weekday"].lower()])
        else:
            day = groups.get("day1") or groups.get("day2")
            value = DateValue(month=ENGLISH_MONTHS[groups["month"].lower()], day=int(day) if day else None)
        found.append(_expression(match, [value]))
    return found


# --- rendering ------------------------------------------------------------------------------


def render_time(value: DateValue) -> str:
    """"3:30 p.m.", "3 p.m.", "noon", "midnight", "around 6 a.m."."""
    hour, minute = value.hour or 0, value.minute or 0
    if (hour, minute) == (12, 0):
        text = "noon"
    elif (hour, minute) == (0, 0):
        text = "midnight"
    else:
        clock = str(hour % 12 or 12) + (f":{minute:02d}" if minute else "")
        text = f"{clock} {'p.m.' if hour >= 12 else 'a.m.'}"
    return f"around {text}" if value.approximate else text


def render_english(value: DateValue) -> str:
    """An English rendering of a value, as a suggestion: "Tuesday, June 25", "early October", "3 p.m."."""
    if value.is_time:
        return render_time(value)
    weekday = WEEKDAY_NAMES[value.weekday] if value.weekday is not None else None
    if value.period == "night" and value.weekday_end is not None and value.day is None:
        end = WEEKDAY_NAMES[value.weekday_end]
        return f"overnight {weekday} to {end}" if weekday else f"the early hours of {end}"
    core = _render_calendar(value)
    if weekday is None:
        return f"the {value.period} of {core}" if value.period and core else core
    day_part = f"{weekday} {value.period}" if value.period else weekday
    if core:
        return f"{day_part}, {core}"
    return f"{value.relative} {day_part}" if value.relative else day_part


def _render_calendar(value: DateValue) -> str:
    """The calendar part of a date in English: "June 25-27, 2023", "mid-March", "late 2022", "last April"."""
    if value.month is not None and value.day is not None:
        days = f"{value.day}-{value.day_end}" if value.day_end is not None else str(value.day)
        return f"{MONTH_NAMES[value.month]} {days}" + (f", {value.year}" if value.year is not None else "")
    words = " ".join(str(w) for w in (MONTH_NAMES[value.month] if value.month else None, value.year) if w)
    if not words:
        return ""
    if value.part is not None:
        words = f"mid-{words}" if value.part == "mid" else f"{value.part} {words}"
    if value.relative is not None and value.month is not None:
        words = f"{value.relative} {words}"
    return words


# --- comparing ------------------------------------------------------------------------------

_DATE_FIELDS: tuple[tuple[str, str], ...] = (("day", "day"), ("day_end", "end day"), ("month", "month"),
                                             ("year", "year"))


def _field_text(field: str, number: int) -> str:
    """A field value as a reader says it ("June" for month 6)."""
    return MONTH_NAMES[number] if field == "month" else str(number)


def _calendar_weekday(value: DateValue) -> int | None:
    """The weekday a full date falls on, when day, month and year are all known."""
    if value.day is None or value.month is None or value.year is None:
        return None
    return datetime.date(value.year, value.month, value.day).weekday()


def _clock(value: DateValue) -> str:
    """24-hour clock text, as "15:30"."""
    return f"{value.hour or 0:02d}:{value.minute or 0:02d}"


def differences(source: DateValue, translation: DateValue) -> list[Difference]:
    """How `translation` departs from `source`, field by field (empty when it says the same)."""
    if source.is_time or translation.is_time:
        if (source.hour, source.minute) == (translation.hour, translation.minute):
            return []
        return [Difference("time", "major", f"{_clock(source)} → {_clock(translation)}")]
    found: list[Difference] = []
    found.extend(_weekday_differences(source, translation))
    for field, label in _DATE_FIELDS:
        mine, theirs = getattr(source, field), getattr(translation, field)
        if mine is not None and theirs is None:
            # A year left out of a date whose month is kept is minor: news English drops the year of
            # the story's own time ("le 14 mars 2012" -> "on March 14"), the dateline gives it.
            kept_month = field == "year" and translation.month is not None
            found.append(Difference(field, "minor" if kept_month else "major",
                                    f"{label} {_field_text(field, mine)} dropped"))
        elif mine is None and theirs is not None:
            found.append(Difference(field, "minor", f"adds {label} {_field_text(field, theirs)}"))
        elif mine != theirs:
            found.append(Difference(field, "major",
                                    f"{label} {_field_text(field, mine)} → {_field_text(field, theirs)}"))
    if source.part != translation.part:
        if source.part is None:
            found.append(Difference("part", "minor", f"adds {translation.part}"))
        elif translation.part is None:
            found.append(Difference("part", "minor", f"{source.part} dropped"))
        else:
            found.append(Difference("part", "major", f"{source.part} → {translation.part}"))
    if source.relative and translation.relative and source.relative != translation.relative:
        found.append(Difference("relative", "major", f"{source.relative} → {translation.relative}"))
    if source.period is not None and translation.period is not None and source.period != translation.period \
            and frozenset({source.period, translation.period}) not in COMPATIBLE_PERIODS:
        found.append(Difference("period", "major", f"{source.period} → {translation.period}"))
    return found


def _weekday_differences(source: DateValue, translation: DateValue) -> list[Difference]:
    """Weekdays: a contradiction is major, a dropped one minor, an added one must fit the calendar."""
    found: list[Difference] = []
    if source.weekday is not None:
        if translation.weekday is not None and translation.weekday != source.weekday:
            # a night straddles two days: "dans la nuit de dimanche", "les premières heures de dimanche"
            # -> "Saturday night" (WMT12 references); one day apart across a night is minor
            periods = {source.period, translation.period}
            night = "night" in periods and periods <= {None, "night"} and (
                translation.weekday - source.weekday) % 7 in (1, 6)
            found.append(Difference("weekday", "minor" if night else "major",
                                    f"{WEEKDAY_NAMES[source.weekday]} → {WEEKDAY_NAMES[translation.weekday]}"
                                    + (" (a night across two days)" if night else "")))
        elif translation.weekday is None and not _weekday_implied(source, translation):
            found.append(Difference("weekday", "minor", f"weekday {WEEKDAY_NAMES[source.weekday]} dropped"))
    elif translation.weekday is not None:
        actual = _calendar_weekday(source)
        if actual is not None and actual != translation.weekday:
            found.append(Difference("weekday", "major", f"{render_english(source)} is a {WEEKDAY_NAMES[actual]}, "
                                                        f"not a {WEEKDAY_NAMES[translation.weekday]}"))
    if source.weekday_end is not None and translation.weekday_end is not None \
            and source.weekday_end != translation.weekday_end:
        found.append(Difference("weekday_end", "major", f"{WEEKDAY_NAMES[source.weekday_end]} → "
                                                        f"{WEEKDAY_NAMES[translation.weekday_end]}"))
    return found


def _weekday_implied(source: DateValue, translation: DateValue) -> bool:
    """Whether a translation without the weekday still says the day: it keeps the day and month
    ("mardi 25 juin" -> "June 25", the project's convention), or the end of a night ("nuit de lundi
    à mardi" -> "the early hours of Tuesday")."""
    if source.day is not None and translation.day == source.day and translation.month == source.month:
        return True
    return translation.weekday_end is not None and translation.weekday_end == source.weekday_end


def _cost(found: Iterable[Difference]) -> tuple[int, int]:
    """(major, minor) counts: lower is a better match."""
    severities = [d.severity for d in found]
    return sum(s != "minor" for s in severities), severities.count("minor")


def _best_differences(source: DateExpression, translation: DateExpression) -> tuple[Difference, ...]:
    """The differences under the pair of readings that agree best."""
    options = [tuple(differences(a, b)) for a in source.readings for b in translation.readings]
    return min(options, key=_cost)


def _shared(source: DateValue, translation: DateValue) -> int:
    """How many fields both values give with the same value (a tie-breaker between equal costs)."""
    names = ("weekday", "weekday_end", "day", "day_end", "month", "year", "part", "relative", "period", "hour",
             "minute")
    return sum(getattr(source, n) is not None and getattr(source, n) == getattr(translation, n) for n in names)


@dataclass(frozen=True)
class _Pair:
    """A source expression and the translation expression taken as its rendering."""

    source: DateExpression
    translation: DateExpression
    differences: tuple[Difference, ...]


def _pair(sources: list[DateExpression], translations: list[DateExpression], source_length: int,
          translation_length: int) -> tuple[list[_Pair], list[DateExpression], list[DateExpression]]:
    """One-to-one pairs, best agreement first (then nearest relative position); and what is left on each side."""
    candidates = []
    for i, s in enumerate(sources):
        for j, t in enumerate(translations):
            if s.kind != t.kind:
                continue
            found = _best_differences(s, t)
            distance = abs(s.start / max(source_length, 1) - t.start / max(translation_length, 1))
            candidates.append(((*_cost(found), -_shared(s.value, t.value), distance, i, j), i, j, found))
    candidates.sort(key=lambda c: c[0])
    used_sources: set[int] = set()
    used_translations: set[int] = set()
    pairs = []
    for _, i, j, found in candidates:
        if i not in used_sources and j not in used_translations:
            used_sources.add(i)
            used_translations.add(j)
            pairs.append(_Pair(sources[i], translations[j], found))
    left_sources = [s for i, s in enumerate(sources) if i not in used_sources]
    left_translations = [t for j, t in enumerate(translations) if j not in used_translations]
    return pairs, left_sources, left_translations


def _weekday_only(value: DateValue) -> bool:
    """A weekday with nothing of a calendar date ("mardi", "Tuesday evening")."""
    return value.weekday is not None and value.day is None and value.month is None and value.year is None \
        and value.part is None and not value.is_time


def _lend_weekday(expression: DateExpression, weekday: DateValue) -> DateExpression:
    """`expression` with the weekday (and part of the day) of a separate weekday expression added."""
    readings = tuple(
        replace(r, weekday=weekday.weekday, period=r.period or weekday.period) if r.weekday is None else r
        for r in expression.readings
    )
    return replace(expression, readings=readings)


def _next_to(first: DateExpression, second: DateExpression, text: str) -> bool:
    """Whether two expressions of `text` stand a few characters apart in one clause ("Wednesday (June 25)")."""
    before, after = sorted((first, second), key=lambda e: e.start)
    gap = text[before.end : after.start]
    return len(gap) <= _NEXT_TO and not re.search(r"[.;!?]", gap)


def _absorb_weekdays(pairs: list[_Pair], left_sources: list[DateExpression],
                     left_translations: list[DateExpression], item_text: str) -> None:
    """A weekday said apart from its date on one side ("mardi (25 juin)" / "Tuesday, June 25") joins it.

    First a leftover weekday joins a pair whose other side has that weekday; then a leftover English
    weekday standing next to the English date of a pair whose French date has a different weekday
    joins it ("mardi 25 juin" / "Wednesday (June 25)"), so the contradiction is reported on the date.
    `item_text` is the translation. Mutates the three lists: the weekday leaves its
    leftover list and the pair is compared again with it.
    """
    for same_weekday in (True, False):
        leftovers = [(t, False) for t in left_translations]
        if same_weekday:
            leftovers += [(s, True) for s in left_sources]
        for leftover, on_source in leftovers:
            if not _weekday_only(leftover.value):
                continue
            for index, pair in enumerate(pairs):
                partner, other = (pair.source, pair.translation) if on_source else (pair.translation, pair.source)
                if partner.value.weekday is not None or other.value.weekday is None:
                    continue
                if same_weekday and leftover.value.weekday not in (other.value.weekday, other.value.weekday_end):
                    continue
                if not same_weekday and not _next_to(leftover, partner, item_text):
                    continue
                widened = _lend_weekday(partner, leftover.value)
                source, translation = (widened, pair.translation) if on_source else (pair.source, widened)
                pairs[index] = _Pair(source, translation, _best_differences(source, translation))
                (left_sources if on_source else left_translations).remove(leftover)
                break


# --- the check ------------------------------------------------------------------------------


def _changed_flag(item: CheckInput, pair: _Pair) -> Flag:
    """date-changed / time-changed for a pair that does not say the same thing."""
    severity: Severity = "major" if any(d.severity != "minor" for d in pair.differences) else "minor"
    details = "; ".join(d.text for d in pair.differences)
    return make_flag(
        item, type="date", rule=f"{pair.source.kind}-changed", severity=severity,
        message=f"{pair.source.text} became {pair.translation.text} ({details})",
        source=(pair.source.start, pair.source.end),
        translation=(pair.translation.start, pair.translation.end),
        suggestion=render_english(pair.source.value),
    )


def _ranges(text: str, expressions: list[DateExpression]) -> list[list[DateExpression]]:
    """The expressions of `text` in runs: the two ends of a range ("de 9 heures à 17 heures") share a run."""
    runs: list[list[DateExpression]] = []
    for expression in expressions:
        previous = runs[-1][-1] if runs else None
        if previous is not None and previous.kind == expression.kind \
                and _RANGE_BETWEEN.match(text[previous.end : expression.start]):
            runs[-1].append(expression)
        else:
            runs.append([expression])
    return runs


def _left_in_french(expression: DateExpression, translation: str) -> bool:
    """Whether the French words of the expression were copied into the translation as they are (the
    untranslated check's business). Digits alone ("14" of "entre 14 et 16 heures") never count."""
    if not any(character.isalpha() for character in expression.text):
        return False
    return re.search(rf"(?<!\w){re.escape(expression.text)}(?!\w)", translation, re.IGNORECASE) is not None


def _missing_flags(item: CheckInput, sources: list[DateExpression], left: list[DateExpression]) -> list[Flag]:
    """date-missing / time-missing, one for a whole range the translation drops ("de 9 heures à 17 heures")."""
    flags = []
    for run in _ranges(item.source, sources):
        dropped = [e for e in run if e in left and not _left_in_french(e, item.translation)]
        groups = [dropped] if len(dropped) == len(run) > 1 else [[e] for e in dropped]
        for group in groups:
            start, end = group[0].start, group[-1].end
            rendering = " to ".join(render_english(e.value) for e in group)
            flags.append(make_flag(
                item, type="date", rule=f"{group[0].kind}-missing", severity="major",
                message=f"{item.source[start:end]} ({rendering}) is not in the translation",
                source=(start, end), suggestion=rendering,
            ))
    return flags


def _year_given_elsewhere(pair: _Pair, stated: set[int | None]) -> bool:
    """Whether the only difference is a year left out that the translation states elsewhere ("le 3
    mars 2012 et le 5 avril 2012" -> "on March 3 and April 5, 2012")."""
    if [d.field for d in pair.differences] != ["year"] or pair.translation.value.year is not None:
        return False
    return any(r.year in stated for r in pair.source.readings)


def check_dates(item: CheckInput) -> list[Flag]:
    """Flags for source dates and times the translation drops or changes, and for ones it adds.

    Only French to English is checked; any other pair gives no flags.
    """
    if item.source_lang != "fr" or item.target_lang != "en":
        return []
    sources = parse_french(item.source)
    translations = parse_english(item.translation)
    pairs, left_sources, left_translations = _pair(sources, translations, len(item.source), len(item.translation))
    _absorb_weekdays(pairs, left_sources, left_translations, item.translation)

    years = _bare_years(item.translation, translations)
    for source in list(left_sources):
        if source.kind != "date" or source.value.year is None or source.value.day is not None:
            continue
        year = next((y for y in years if y.value.year == source.value.year), None)
        if year is not None:
            years.remove(year)
            left_sources.remove(source)
            pairs.append(_Pair(source, year, _best_differences(source, year)))

    bare = _bare_months(item.translation, translations)
    for source in list(left_sources):
        if source.kind != "date":
            continue
        matching = [b for b in bare if (source.value.month is not None and b.value.month == source.value.month)
                    or (source.value.month is None and source.value.weekday is not None
                        and b.value.weekday == source.value.weekday)]
        if matching:
            counterpart = min(matching, key=lambda b: _cost(_best_differences(source, b)))
            bare.remove(counterpart)
            left_sources.remove(source)
            pairs.append(_Pair(source, counterpart, _best_differences(source, counterpart)))

    stated = {y.value.year for y in _bare_years(item.translation, [])} | {
        r.year for t in translations for r in t.readings if r.year is not None}
    flags = [_changed_flag(item, pair) for pair in pairs
             if pair.differences and not _year_given_elsewhere(pair, stated)]
    flags.extend(_missing_flags(item, sources, left_sources))
    for translation in left_translations:
        flags.append(make_flag(
            item, type="date", rule=f"{translation.kind}-added", severity="minor",
            message=f"{translation.text} has no {translation.kind} in the source",
            translation=(translation.start, translation.end),
        ))
    return sorted(flags, key=lambda f: (f.source_start if f.source_start is not None else len(item.source),
                                        f.translation_start if f.translation_start is not None else -1))
