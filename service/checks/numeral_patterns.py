"""The shapes numbers take in French and English news text: one regular expression per language.

Each pattern is an alternation whose outer groups are tried left to right at each position, most
specific first, so `match.lastgroup` names what was found; `service.checks.numerals` turns a
match into `Numeral`s. The tables below say what the words of the patterns are worth.
"""

from __future__ import annotations

import re

from service.checks.number_words import ENGLISH_WORDS, FRENCH_WORDS, WordTable

SP = "[ \u00a0\u202f\u2009]"
"""Inside a number: space, no-break, narrow no-break or thin space."""
_SPH = "[ \u00a0\u202f\u2009-]"
"""The same, or a hyphen ("deux-tiers", "two-thirds")."""
_CUR_PRE = r"(?:US\$|C\$|\$|€|£|¥|(?:EUR|USD|GBP|CHF)[ \u00a0])"
_NOT_INSIDE = r"(?<!\w)(?<!\d[.,])"  # digits that do not continue a word, a code (A380) or a number


def _words_run(table: WordTable, joiner: str, prefix: str = "") -> str:
    """A run of number words joined by spaces, hyphens or the joiner ("vingt et un")."""
    word = "(?:" + "|".join(re.escape(w) for w in table.vocabulary) + r")(?!\w)"
    separator = r"[\s\u2011-]+"
    return rf"(?i:{prefix}\b{word}(?:(?:{separator}|{separator}{joiner}{separator}){word})*)"


def _phrases(phrases: tuple[str, ...]) -> str:
    """An alternation of fixed phrases, any run of spaces between words and either apostrophe."""
    return "|".join(re.escape(p).replace(r"\ ", rf"{SP}+").replace("'", "['’]") for p in phrases)


# --- tables ------------------------------------------------------------------------------------

SCALES = {"mille": 10**3, "millier": 10**3, "million": 10**6, "milliard": 10**9, "billion": 10**12,
          "trillion": 10**18, "centaine": 100, "dizaine": 10, "douzaine": 12, "md": 10**9, "mds": 10**9,
          "mrd": 10**9, "mrds": 10**9, "m": 10**6, "k": 10**3}
EN_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
             "thousand million": 10**9, "thousand billion": 10**12, "bn": 10**9, "tn": 10**12, "trn": 10**12,
             "m": 10**6, "mn": 10**6, "k": 10**3}
APPROX = {"huitaine": 8, "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
          "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000}
MAGNITUDES = {"dizaine": 10, "douzaine": 10, "centaine": 100, "millier": 1000, "million": 10**6,
              "milliard": 10**9, "siecle": 100, "decennie": 10, "ten": 10, "score": 10, "dozen": 10, "hundred": 100,
              "thousand": 1000, "billion": 10**9, "decade": 10, "centurie": 100}
"""Orders of magnitude of vague quantities, keyed on the plain singular ("centurie" for "centuries")."""
CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD",
              "c$": "CAD", "£": "GBP", "gbp": "GBP", "livre": "GBP", "pound": "GBP", "¥": "JPY", "chf": "CHF",
              "franc": "CHF", "yen": "JPY", "yens": "JPY"}
ROMAN = {"I": 1, "V": 5, "X": 10}
FRENCH_AMBIGUOUS = frozenset({"neuf", "second", "seconde"})
"""French number words as often something else: "neuf" (new), "second tour" (the runoff)."""
ENGLISH_AMBIGUOUS = frozenset({"second", "secondly"})
"""English "second" is also a unit of time, "a second time", "second of all" (for "deuxièmement")."""
DECADE_WORDS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "soixante-dix": 70,
                "septante": 70, "quatre-vingt": 80, "quatre-vingts": 80, "huitante": 80, "quatre-vingt-dix": 90,
                "nonante": 90, "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
                "seventies": 70, "eighties": 80, "nineties": 90}
DENOMINATORS = {"tiers": 3, "quart": 4, "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9,
                "dixieme": 10, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                "eighth": 8, "ninth": 9, "tenth": 10}
"""Denominators of fractions, keyed on the plain singular ("dixième" -> "dixieme", "thirds" -> "third")."""
MULTIPLES = {"doubl": 2, "tripl": 3, "trebl": 3, "quadrupl": 4, "quintupl": 5, "decupl": 10, "centupl": 100,
             "quinquenn": 5, "septenn": 7, "bienn": 2, "trienn": 3, "decenn": 10, "trio": 3, "duo": 2, "tiers": 3,
             "siecle": 100, "halv": 2, "twin": 2, "pair": 2, "decade": 10, "century": 100, "fortnight": 14,
             "secondary": 2, "tertiary": 3}
"""Words that imply a number without being one ("doubler", "quinquennal", "le trio", "threefold",
"halved", "twin attacks", "a decade"): weak numerals of that value."""

# --- French ------------------------------------------------------------------------------------

_FR_MONTH = (r"(?i:(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre"
             r"|décembre|decembre)(?!\w)|(?:janv|févr|fevr|avr|juil|sept|oct|nov|déc|dec)\.)")
_FR_SKIP = "|".join([
    rf"\b(?:\d{{1,2}}|1er|(?i:premier)){SP}+{_FR_MONTH}(?:{SP}+\d{{4}}(?!\d))?",  # 14 mars 2023
    rf"\b{_FR_MONTH}{SP}+\d{{4}}(?!\d)",  # juin 2023
    rf"\b(?i:fin|début|debut|mi|courant|été|hiver|printemps|automne)[{SP[1:-1]}-]\d{{4}}(?!\d)",  # fin 2022
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)|\b\d{4}-\d{2}-\d{2}(?!\d)",  # 25/06/2023, 2023-06-25
    rf"\b24{SP}?[hH]{SP}?/{SP}?24(?!\d)|\b7{SP}?j{SP}?/{SP}?7(?!\d)",  # 24 h/24, 7 j/7
    rf"\b\d{{1,2}}{SP}?[hH]{SP}?\d{{2}}(?!\d)|\b\d{{1,2}}:\d{{2}}(?!\d)",  # 15h30, 6 h 30, 15:30
    # à 15 heures, vers 6 h: a clock time; "pendant 72 heures", "en 2 h" are durations
    rf"\b(?i:à|vers|dès|jusqu['’]à){SP}+(?:[01]?\d|2[0-4]){SP}?"
    rf"(?:[hH]|(?i:heures?))(?:{SP}?\d{{2}}(?!\d))?(?!\w)",
])
FRENCH_IDIOMS = (  # French phrases with a number word that is not a quantity ("à deux pas" = nearby)
    "à deux pas", "en deux temps trois mouvements", "entre quatre yeux", "les quatre cents coups",
    "se mettre en quatre", "se met en quatre", "à quatre pattes", "au septième ciel", "à quatre épingles",
    "haut comme trois pommes", "un de ces quatre", "deux poids deux mesures", "couper les cheveux en quatre",
    "faire d'une pierre deux coups", "d'une pierre deux coups", "tous les trente-six du mois",
    "voir trente-six chandelles", "entre-deux-guerres", "entre-deux", "aux quatre coins", "des quatre coins",
    "les quatre coins", "sur ses deux oreilles", "sur leurs deux oreilles", "sur les deux oreilles",
    "les cent pas", "à deux doigts", "en deux mots", "trois fois rien", "de deux choses l'une",
    "jamais deux sans trois", "ses quatre vérités", "leurs quatre vérités", "ni une ni deux",
    "couper la poire en deux", "sur son trente et un", "sur son trente-et-un", "le septième art",
    "troisième âge", "troisième cycle", "quinze jours", "huit jours", "quatre pas",
)
_FR_FINALE = (rf"(?:\d+(?:es|e|èmes?)|(?i:huiti[eè]mes?|seizi[eè]mes?|trente-deuxi[eè]mes?)){SP}+"
              rf"(?i:de){SP}+(?i:finale)")  # les 8es de finale = the last 16
_FR_IDIOM = (rf"\b(?i:une?{SP}+(?:quinzaine|huitaine){SP}+de{SP}+jours|{_FR_FINALE}|{_phrases(FRENCH_IDIOMS)})"
             r"(?!\w)")
_FR_DECADE_WORDS = "|".join(sorted((w for w in DECADE_WORDS if not w.endswith("ies")), key=len, reverse=True))
_FR_DECADE = (rf"\b(?i:années?){SP}+(?P<fd_num>(?:1[5-9]|20)\d0(?!\d|[,.]\d)|\d0(?!\d|[,.]\d)|(?i:{_FR_DECADE_WORDS}))"
              rf"(?:{SP}+(?i:du){SP}+(?P<fd_century>[XVI]+(?:e|ème|°)|\d\d(?:e|ème)"
              rf"|(?i:dix[-{SP[1:-1]}](?:huit|neuv)ième|vingtième)){SP}+(?i:siècle))?(?![\w-])")
_FR_VAGUE = (rf"\b(?i:des|les|plusieurs|quelques|de|par|en|ces){SP}+"
             r"(?P<fv1>(?i:dizaines|douzaines|centaines|milliers|millions|milliards|siècles|siecles|décennies"
             r"|decennies))"
             rf"(?:{SP}+(?i:de|d['’]){SP}*(?P<fv2>(?i:milliers|millions|milliards)))?(?!\w)")
_FR_APPROX = (rf"\b(?i:une?|la|cette|l['’])(?:{SP}+(?i:petite?|bonne?|grosse?|large))?{SP}*"
              r"(?P<fa_noun>(?i:dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine"
              r"|cinquantaine|soixantaine|centaine|huitaine|millier))(?!\w)"
              rf"(?:{SP}+(?i:de|d['’]){SP}*(?P<fa_scale>(?i:milliers|millions|milliards))(?!\w))?")
_FR_DEMI = (rf"\b(?:(?i:une?){SP}+)?(?i:demi)[-{SP[1:-1]}]?"
            r"(?P<fdm_noun>(?i:millions?|milliards?|billions?|douzaines?|siècles?|siecles?|heures?))(?!\w)")
_FR_FRACTION = (rf"\b(?P<ff_num>(?i:une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)|\d+){_SPH}+"
                r"(?P<ff_den>(?i:tiers|quarts?|cinquièmes?|sixièmes?|septièmes?|huitièmes?|neuvièmes?"
                r"|dixièmes?))(?!\w)")
_FR_MULTIPLE = (r"\b(?i:(?P<fm_root>doubl|tripl|quadrupl|quintupl|décupl|decupl|centupl)(?=[eéèai])\w*"
                r"|(?P<fm_period>quinquenn|septenn|bienn|trienn|décenn|decenn)\w*"
                r"|(?P<fm_group>trio|duo|tiers|siècle|siecle)s?(?!\w))")
_FR_ROMAN = r"(?<!\w)(?P<fr_roman_num>[IVX]+)(?:ᵉʳ|ᵉ|ème|er|re|e|°)(?!\w)"  # XXIe siècle, Ve République
_FR_DIGITS = (rf"\d{{1,3}}(?:{SP}\d{{3}}(?!\d))+(?:,\d+)?"  # 1 234 567,5
              r"|\d{1,3}(?:\.\d{3}(?!\d))+(?:,\d+)?"  # 1.234.567,5
              r"|\d+(?:[,.]\d+)?")  # 1234,5  12,5  0,3  49.3
_FR_ORD = r"(?:ᵉʳ|ᵉ|ère|ere|ème|eme|ième|ieme|er|re|nde|nd|è|e)(?!\w)"
_FR_SCALE = (rf"{SP}?(?:(?i:(?:autres{SP}+)?(?:milliards?|millions?|billions?|trillions?|milliers?|milles?"
             r"|centaines?|dizaines?|douzaines?))(?!\w)"
             r"|M(?:ds?|rds?)(?!\w)|M(?=\s?(?:€|\$|£|d['’]|de\s))|k(?=\s?€))")
_FR_CUR = (rf"{SP}?(?:€|\$|£|(?:EUR|USD|GBP|CHF)(?!\w)|(?i:d['’]euros?|de{SP}dollars|d['’]dollars"
           rf"|de{SP}livres(?:{SP}sterling)?|livres{SP}sterling|euros?|dollars?|francs?|cents?|de{SP}yens?"
           r"|yens?)(?!\w))")
_FR_PCT = rf"{SP}?(?:%|(?i:pour[-{SP[1:-1]}]?cents?|pourcents?)(?!\w))"

FRENCH_PATTERN = re.compile("|".join([
    f"(?P<fr_skip>{_FR_SKIP})",
    f"(?P<fr_idiom>{_FR_IDIOM})",
    f"(?P<fr_decade>{_FR_DECADE})",
    f"(?P<fr_vague>{_FR_VAGUE})",
    f"(?P<fr_approx>{_FR_APPROX})",
    f"(?P<fr_demi>{_FR_DEMI})",
    f"(?P<fr_fraction>{_FR_FRACTION})",
    f"(?P<fr_multiple>{_FR_MULTIPLE})",
    f"(?P<fr_roman>{_FR_ROMAN})",
    r"(?P<fr_half>\b(?i:moitié|moitie|demie?)(?!\w))",
    rf"(?P<fr_num>(?P<fn_pre>{_CUR_PRE}{SP}?)?{_NOT_INSIDE}(?P<fn_digits>{_FR_DIGITS})"
    rf"(?:(?P<fn_ord>{_FR_ORD})|(?P<fn_scale>{_FR_SCALE})?(?P<fn_cur>{_FR_CUR})?(?P<fn_pct>{_FR_PCT})?))",
    rf"(?P<fr_words>(?P<fw_run>{_words_run(FRENCH_WORDS, 'et')})(?P<fw_cur>{_FR_CUR})?(?P<fw_pct>{_FR_PCT})?)",
]))
"""Every French numeral, date and time, as alternatives tried in order at each position."""

# --- English -----------------------------------------------------------------------------------

_EN_MONTH = (r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
             r"(?!\w)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.)")
_EN_ORD = r"(?:st|nd|rd|th)"
_EN_SKIP = "|".join([
    rf"\b\d{{1,2}}{_EN_ORD}?{SP}+(?:of{SP}+)?{_EN_MONTH}(?:,?{SP}+\d{{4}}(?!\d))?",  # 14 March 2023
    rf"\b{_EN_MONTH},?{SP}+\d{{4}}(?!\d)",  # June 2023
    rf"\b{_EN_MONTH}{SP}+\d{{1,2}}{_EN_ORD}?(?!\d)(?:{SP}?[-–]{SP}?\d{{1,2}}{_EN_ORD}?(?!\d))?"
    rf"(?:,?{SP}+\d{{4}}(?!\d))?",  # March 14, 2023; March 14-16
    rf"\b(?i:late|early|mid|end{SP}of|the{SP}end{SP}of|summer|winter|spring|autumn|fall)"
    rf"[{SP[1:-1]}-]\d{{4}}(?![\d'’s])",  # late 2022, mid-2023 (not the decade "mid-1990s")
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)|\b\d{4}-\d{2}-\d{2}(?!\d)",
    rf"\b\d{{1,2}}(?:[:.]\d{{2}})?{SP}?(?i:a\.m\.|p\.m\.|a\.m|p\.m|am|pm)(?!\w)",  # 6.30 a.m., 3pm
    rf"\b\d{{1,2}}:\d{{2}}(?!\d)|\b\d{{1,2}}{SP}?o['’]clock(?!\w)|\b\d{{1,2}}{SP}?[hH]{SP}?\d{{2}}(?!\d)",
    rf"\b\d{{3,4}}{SP}?(?:GMT|UTC|CET|CEST|BST|EST|EDT|ET)(?!\w)|\b24/7(?!\d)",  # 1530 GMT, 24/7
    r"\b(?i:third)[\s-]+(?i:part(?:y|ies))(?!\w)",  # "a third party" is no number
])
_EN_DECADE = (r"(?<![\w'’.,])(?:['’](?P<ed_short>\d0)|(?P<ed_full>(?:1[5-9]|20)\d0)|(?P<ed_two>\d0))['’]?s(?!\w)"
              rf"|\b['’]?(?P<ed_word>(?i:{'|'.join(w for w in DECADE_WORDS if w.endswith('ies'))}))(?!\w)")
_EN_VAGUE = (rf"\b(?i:several|a{SP}few|many|a{SP}couple{SP}of){SP}+"
             r"(?P<ev_s1>(?i:dozen|hundred|thousand|million|billion))"
             rf"(?:{SP}+(?P<ev_s2>(?i:thousand|million|billion)))?(?!\w)"
             r"|\b(?P<ev_p1>(?i:(?:tens|scores)(?=\s+of\b)|dozens|hundreds|thousands|millions|billions|decades"
             r"|centuries))"
             rf"(?:{SP}+(?:of{SP}+)?(?P<ev_p2>(?i:thousands?|millions?|billions?)))?(?!\w)")
_EN_FEW = rf"\b(?i:a{SP}+few|several|a{SP}+handful(?:{SP}+of)?)(?!\w)"  # weak: a small number
_EN_DEN = "third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
_EN_FRACTION = (rf"\b(?i:(?:a|one){SP}+(?P<ef_den1>{_EN_DEN})(?={SP}+of\b)"
                rf"|one-(?P<ef_den2>{_EN_DEN})"
                rf"|(?P<ef_num>two|three|four|five|six|seven|eight|nine|\d+)(?:-(?P<ef_den3>{_EN_DEN})s?"
                rf"|{SP}+(?P<ef_den4>(?:{_EN_DEN})s)))(?!\w)")
_EN_DEMI = (rf"\b(?i:half)(?:{SP}+(?i:an?){SP}+|-)(?P<edm_noun>(?i:million|billion|trillion|dozen|century|hour))"
            r"(?!\w)")
_EN_AND_HALF = rf"\b(?i:an?|one){SP}+(?P<eah_noun>[^\W\d]+){SP}+(?i:and){SP}+(?i:a){SP}+(?i:half)(?!\w)"
_EN_MULTIPLE = (r"\b(?i:(?P<emu_root>doubl|tripl|trebl|quadrupl|quintupl)(?:e|ed|es|ing)"
                r"|(?P<emu_fold>two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand|\d+)-?fold"
                r"|(?P<emu_half>halv)(?:e|ed|es|ing)"
                r"|(?P<emu_word>twin|pair|decade|century|fortnight|secondary|tertiary|trio|duo)s?)(?!\w)")
_EN_WAR = r"\b(?i:world\s+war)\s+(?P<ew_num>III|II|I)(?!\w)"
_EN_ROMAN = r"(?<!\w)(?P<er_num>[IVX]+)(?:th|st|nd|rd)(?!\w)"  # the XXth century
_EN_FEET = r"(?<![\w.,])(?P<eft>\d)['’′](?P<ein>\d{1,2})(?:\"|”|″|''|’’)?(?![\w'’])"  # 6'7" tall
_EN_WEAK = rf"\b(?i:both|twice|couple{SP}+of|a{SP}+pair{SP}+of|half)(?!\w)"  # 2, or 0.5
_EN_DIGITS = (r"\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?"  # 1,234,567.5
              r"|\d{1,3}(?:\.\d{3}(?!\d))+,\d+|\d{1,3}(?:\.\d{3}(?!\d)){2,}"  # 10.365,45  5.143.312 (continental)
              rf"|\d{{1,3}}(?:{SP}\d{{3}}(?!\d))+(?:[.,]\d+)?"  # 1 234 567 (French grouping left in)
              r"|\d+(?:[.,]\d+)?")  # 1234.5, 12,5 (French decimal comma left in)
_EN_SCALE = (rf"(?:(?:{SP}|-)?(?i:thousand{SP}+(?:millions?|billions?)|trillions?|billions?|millions?|thousands?"
             rf"|hundreds?)(?!\w)|{SP}?(?:bn|tn|trn)(?!\w)|(?:mn|m|k)(?!\w))")
# "m" and "k" are a scale with a currency ("€3m", "$50k", "3m euros"); alone, "1.7m people" or "a 5m wall".
_EN_CUR = (rf"(?:{SP}|-)?(?:€|(?:EUR|USD|GBP|CHF)(?!\w)|(?i:euros?|dollars?|pounds?(?:{SP}sterling)?"
           rf"|(?:swiss{SP})?francs?|of{SP}euros|yen)(?!\w))")
_EN_PCT = rf"{SP}?(?:%|(?i:percent|per{SP}cent)(?!\w))"
_EN_A = rf"(?:\b(?:an?){SP}+(?=(?:hundred|thousand|million|billion|trillion|dozen)(?!\w)))?"

ENGLISH_PATTERN = re.compile("|".join([
    f"(?P<en_skip>{_EN_SKIP})",
    f"(?P<en_decade>{_EN_DECADE})",
    f"(?P<en_vague>{_EN_VAGUE})",
    f"(?P<en_fraction>{_EN_FRACTION})",
    f"(?P<en_demi>{_EN_DEMI})",
    f"(?P<en_and_half>{_EN_AND_HALF})",
    f"(?P<en_multiple>{_EN_MULTIPLE})",
    f"(?P<en_few>{_EN_FEW})",
    f"(?P<en_war>{_EN_WAR})",
    f"(?P<en_roman>{_EN_ROMAN})",
    f"(?P<en_feet>{_EN_FEET})",
    f"(?P<en_weak>{_EN_WEAK})",
    rf"(?P<en_num>(?P<en_pre>{_CUR_PRE}{SP}?)?{_NOT_INSIDE}(?P<en_digits>{_EN_DIGITS})"
    rf"(?:(?P<en_ord>{_EN_ORD})(?!\w)|(?P<en_scale>{_EN_SCALE})?(?P<en_cur>{_EN_CUR})?(?P<en_pct>{_EN_PCT})?))",
    rf"(?P<en_words>(?P<ew_run>{_words_run(ENGLISH_WORDS, 'and', _EN_A)})(?P<ew_cur>{_EN_CUR})?"
    rf"(?P<ew_pct>{_EN_PCT})?)",
]))
"""Every English numeral, date and time, as alternatives tried in order at each position."""
