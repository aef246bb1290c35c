"""Tests of the dates check (service.checks.dates): parsing both languages, comparing, flagging."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.checks.base import CheckInput
from service.checks.dates import (
    DateExpression,
    DateValue,
    check_dates,
    differences,
    parse_english,
    parse_french,
    render_english,
    render_time,
)
from service.report import Flag

FRENCH_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
FRENCH_MONTHS = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"]
ENGLISH_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ENGLISH_MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]
AP_MONTHS = ["", "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


def fields(value: DateValue) -> dict[str, object]:
    """The fields a value gives (None and False left out), for short expectations."""
    return {name: v for name, v in asdict(value).items() if v is not None and v is not False}


def only(expressions: list[DateExpression]) -> DateExpression:
    """The single expression found."""
    assert len(expressions) == 1, expressions
    return expressions[0]


def check(source: str, translation: str) -> list[Flag]:
    """The dates check on one fr->en segment, with every flag's texts checked against its offsets."""
    flags = check_dates(CheckInput(source, translation))
    for flag in flags:
        assert flag.type == "date"
        if flag.source_start is not None:
            assert source[flag.source_start:flag.source_end] == flag.source_text
        if flag.translation_start is not None:
            assert translation[flag.translation_start:flag.translation_end] == flag.translation_text
    return flags


def rules(source: str, translation: str) -> list[tuple[str, str]]:
    """(rule, severity) of each flag, in order."""
    return [(flag.rule, flag.severity) for flag in check(source, translation)]


def ordinal(day: int) -> str:
    """English ordinal suffix: 1st, 2nd, 3rd, 11th, 21st."""
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


# --- French parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "span", "expected"), [
    ("Le procès s'ouvrira mardi 25 juin devant la cour d'assises du Rhône.", "mardi 25 juin",
     {"weekday": 1, "day": 25, "month": 6}),
    ("Mardi 25 juin, le conseil municipal a voté le budget.", "Mardi 25 juin", {"weekday": 1, "day": 25, "month": 6}),
    ("L'usine a fermé ses portes le 3 octobre 2023, laissant 200 salariés sans emploi.", "3 octobre 2023",
     {"day": 3, "month": 10, "year": 2023}),
    ("Les syndicats défileront le 1er mai entre République et Nation.", "1er mai", {"day": 1, "month": 5}),
    ("Le défilé du 14 juillet a été annulé à Carcassonne en raison du vent.", "14 juillet", {"day": 14, "month": 7}),
    ("Le cortège du 1er-Mai partira de la place de la République.", "1er-Mai", {"day": 1, "month": 5}),
    ("La vente de l'immeuble a été conclue le 25/06/2023 chez le notaire.", "25/06/2023",
     {"day": 25, "month": 6, "year": 2023}),
    ("Le jugement du 12.06.2023 a été confirmé en appel.", "12.06.2023", {"day": 12, "month": 6, "year": 2023}),
    ("Le décret du 2023-06-25 est paru au Journal officiel.", "2023-06-25", {"day": 25, "month": 6, "year": 2023}),
    ("La saison de chasse s'ouvrira début octobre dans le Loiret.", "début octobre", {"month": 10, "part": "early"}),
    ("Les résultats du concours seront publiés mi-mars.", "mi-mars", {"month": 3, "part": "mid"}),
    ("Le tunnel du Lioran devrait rouvrir fin 2022.", "fin 2022", {"year": 2022, "part": "late"}),
    ("La réforme entrera en vigueur mi-2024, selon le ministère.", "mi-2024", {"year": 2024, "part": "mid"}),
    ("Le verdict sera rendu au début du mois de mars.", "début du mois de mars", {"month": 3, "part": "early"}),
    ("Le chantier sera achevé à la fin de l'année 2024.", "fin de l'année 2024", {"year": 2024, "part": "late"}),
    ("Les travaux reprendront à la fin mars 2025.", "fin mars 2025", {"month": 3, "year": 2025, "part": "late"}),
    ("Le rapport avait été remis au ministre en avril dernier.", "avril dernier", {"month": 4, "relative": "last"}),
    ("Les travaux commenceront en mai prochain, a indiqué la mairie.", "mai prochain",
     {"month": 5, "relative": "next"}),
    ("La commune a été inondée en août.", "août", {"month": 8}),
    ("L'enquête a été ouverte en avril 2023 par le parquet de Lille.", "avril 2023", {"month": 4, "year": 2023}),
    ("L'incendie s'est déclaré mardi soir dans un entrepôt de Vénissieux.", "mardi soir",
     {"weekday": 1, "period": "evening"}),
    ("Le corps a été découvert lundi par des promeneurs.", "lundi", {"weekday": 0}),
    ("Le suspect a été relâché mardi dernier.", "mardi dernier", {"weekday": 1, "relative": "last"}),
    ("Le ministre se rendra à Brest jeudi prochain.", "jeudi prochain", {"weekday": 3, "relative": "next"}),
    ("Il a été interpellé dans la nuit de mardi à mercredi à Lyon.", "dans la nuit de mardi à mercredi",
     {"weekday": 1, "weekday_end": 2, "period": "night"}),
    ("Trois voitures ont brûlé dans la nuit de samedi.", "dans la nuit de samedi", {"weekday": 5, "period": "night"}),
    ("Le festival de photographie se tiendra du 4 au 7 juillet à Arles.", "4 au 7 juillet",
     {"day": 4, "day_end": 7, "month": 7}),
    ("Les 3 et 4 mai, la grève a paralysé le pays.", "3 et 4 mai", {"day": 3, "day_end": 4, "month": 5}),
    ("Un couvre-feu a été instauré dans la nuit du 3 au 4 mai.", "dans la nuit du 3 au 4 mai",
     {"day": 3, "day_end": 4, "month": 5, "period": "night"}),
    ("La réunion s'est tenue le mardi 25 juin au soir.", "mardi 25 juin au soir",
     {"weekday": 1, "day": 25, "month": 6, "period": "evening"}),
    ("Le scrutin aura lieu le 12 nov. 2023.", "12 nov. 2023", {"day": 12, "month": 11, "year": 2023}),
    ("La loi du 9 décembre 1905 sépare les Églises et l'État.", "9 décembre 1905",
     {"day": 9, "month": 12, "year": 1905}),
    ("Les commerces resteront fermés jusqu'à la Saint-Sylvestre.", "Saint-Sylvestre", {"day": 31, "month": 12}),
])
def test_french_dates(sentence: str, span: str, expected: dict[str, object]) -> None:
    expression = only(parse_french(sentence))
    assert expression.text == span
    assert sentence[expression.start:expression.end] == span
    assert expression.kind == "date"
    assert fields(expression.value) == expected


@pytest.mark.parametrize(("sentence", "span", "hour", "minute", "approximate"), [
    ("Le braquage a eu lieu vers 15h30 dans une bijouterie du centre-ville.", "15h30", 15, 30, True),
    ("Le prévenu est arrivé à 15 h 30 au palais de justice.", "15 h 30", 15, 30, False),
    ("Le prévenu est arrivé à 15\u00a0h\u00a030 au palais de justice.", "15\u00a0h\u00a030", 15, 30, False),
    ("La manifestation partira à 15 heures de la place Bellecour.", "15 heures", 15, 0, False),
    ("La séance reprendra à 14 heures 30.", "14 heures 30", 14, 30, False),
    ("L'accusé comparaîtra à 14 heures devant le tribunal.", "14 heures", 14, 0, False),
    ("Les bureaux de vote ouvrent à 8h dans toute la ville.", "8h", 8, 0, False),
    ("L'avion a atterri à 15H00 heure locale.", "15H00", 15, 0, False),
    ("Les cloches de la cathédrale sonneront à midi.", "midi", 12, 0, False),
    ("Le couvre-feu commence à minuit dans tout le département.", "minuit", 0, 0, False),
    ("Le déjeuner sera servi vers midi et demi.", "midi et demi", 12, 30, True),
    ("Les gendarmes sont intervenus vers 6 h au domicile du suspect.", "6 h", 6, 0, True),
    ("Il est rentré chez lui à 8 heures du soir.", "8 heures du soir", 20, 0, False),
    ("Les faits se sont produits à 2 h du matin.", "2 h du matin", 2, 0, False),
    ("Le vol décolle à 07:45 de Roissy.", "07:45", 7, 45, False),
    ("Le dernier métro part à 0 h 30.", "0 h 30", 0, 30, False),
    ("Les secours sont sur place depuis 6 heures ce matin.", "6 heures", 6, 0, False),
])
def test_french_times(sentence: str, span: str, hour: int, minute: int, approximate: bool) -> None:
    expression = only(parse_french(sentence))
    assert expression.text == span
    assert expression.kind == "time"
    assert expression.readings == (DateValue(hour=hour, minute=minute, approximate=approximate),)


@pytest.mark.parametrize(("sentence", "spans", "hours"), [
    ("La ligne de métro sera fermée de 22 heures à 6 heures.", ["22 heures", "6 heures"], [22, 6]),
    ("La grève aura lieu entre 14 et 16 heures.", ["14", "16 heures"], [14, 16]),
    ("Le magasin ouvre de 9h à 17h pendant les soldes.", ["9h", "17h"], [9, 17]),
    ("Une coupure d'eau est prévue de midi à 14 heures.", ["midi", "14 heures"], [12, 14]),
])
def test_french_time_ranges_give_both_ends(sentence: str, spans: list[str], hours: list[int]) -> None:
    expressions = parse_french(sentence)
    assert [e.text for e in expressions] == spans
    assert [e.value.hour for e in expressions] == hours


@pytest.mark.parametrize("sentence", [
    "La loi, votée en 2021, n'a jamais été appliquée.",
    "Le suspect a été entendu pendant 15 heures par les enquêteurs.",
    "Après 48 heures de garde à vue, il a été déféré au parquet.",
    "Après 15 heures de garde à vue, il a été remis en liberté.",
    "Il y a 3 heures, un incendie s'est déclaré dans l'usine.",
    "Le village se trouve à 3 heures de route de Paris.",
    "Le film dure 1h30 et a été tourné en Bretagne.",
    "Le trajet se fait en 2 h depuis Lyon.",
    "Il roulait à 130 km/h sur l'autoroute A7.",
    "La boutique est ouverte 24h/24 et 7j/7.",
    "Les salariés travaillent 35 heures par semaine.",
    "Le repas de midi a été servi aux détenus.",
    "Le quotidien Midi libre a révélé l'affaire.",
    "La sonde doit atteindre Mars l'an prochain.",
    "Des milliers de personnes ont célébré le Mardi gras à Dunkerque.",
    "Les offices du vendredi saint ont attiré les fidèles.",
    "Il habite rue du 4-Septembre, dans le 2e arrondissement.",
    "La commémoration a eu lieu place du 8-Mai-1945.",
    "Selon l'article 3 du code pénal, la peine encourue est de 5 ans.",
    "Le budget s'élève à 25 millions d'euros.",
    "L'après-midi, les manifestants se sont dispersés.",
    "Le rover a photographié la surface de Mars.",
    "Le village se trouve de 3 à 5 heures de route de la côte.",
])
def test_french_sentences_without_dates(sentence: str) -> None:
    assert parse_french(sentence) == []


# --- English parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "span", "expected"), [
    ("The trial will open on Tuesday, June 25, before the assize court.", "Tuesday, June 25",
     {"weekday": 1, "day": 25, "month": 6}),
    ("The verdict is expected on June 25.", "June 25", {"day": 25, "month": 6}),
    ("The verdict is expected on 25 June.", "25 June", {"day": 25, "month": 6}),
    ("The trial opens on Tuesday 25 June in Lyon.", "Tuesday 25 June", {"weekday": 1, "day": 25, "month": 6}),
    ("The site was inaugurated on October 3, 2023, in the presence of the minister.", "October 3, 2023",
     {"day": 3, "month": 10, "year": 2023}),
    ("The company was placed in liquidation on 3 October 2023.", "3 October 2023",
     {"day": 3, "month": 10, "year": 2023}),
    ("Unions will march on May 1st across the country.", "May 1st", {"day": 1, "month": 5}),
    ("The fireworks on the 14th of July were cancelled.", "14th of July", {"day": 14, "month": 7}),
    ("On Jan. 5, 2024, the court ruled against the city.", "Jan. 5, 2024", {"day": 5, "month": 1, "year": 2024}),
    ("The Bastille Day parade was cancelled because of the wind.", "Bastille Day", {"day": 14, "month": 7}),
    ("Unions held May Day rallies in 200 towns.", "May Day", {"day": 1, "month": 5}),
    ("The hunting season opens in early October in the Loiret.", "early October", {"month": 10, "part": "early"}),
    ("The results will be published in mid-March.", "mid-March", {"month": 3, "part": "mid"}),
    ("The tunnel should reopen in late 2022.", "late 2022", {"year": 2022, "part": "late"}),
    ("The shop will stay closed until the end of June.", "the end of June", {"month": 6, "part": "late"}),
    ("Work will resume at the beginning of 2025.", "the beginning of 2025", {"year": 2025, "part": "early"}),
    ("The report was handed to the minister last April.", "last April", {"month": 4, "relative": "last"}),
    ("Work will begin next May, the town hall said.", "next May", {"month": 5, "relative": "next"}),
    ("The investigation was opened in April 2023.", "April 2023", {"month": 4, "year": 2023}),
    ("Sales have fallen since January.", "January", {"month": 1}),
    ("The fire broke out on Tuesday evening in a warehouse.", "Tuesday evening",
     {"weekday": 1, "period": "evening"}),
    ("The body was found on Monday by walkers.", "Monday", {"weekday": 0}),
    ("Tuesday's vote was postponed.", "Tuesday's", {"weekday": 1}),
    ("He was arrested overnight Tuesday to Wednesday in Lyon.", "overnight Tuesday to Wednesday",
     {"weekday": 1, "weekday_end": 2, "period": "night"}),
    ("He was arrested on the night of Tuesday to Wednesday.", "on the night of Tuesday to Wednesday",
     {"weekday": 1, "weekday_end": 2, "period": "night"}),
    ("Three cars were torched on Tuesday-Wednesday night.", "Tuesday-Wednesday night",
     {"weekday": 1, "weekday_end": 2, "period": "night"}),
    ("He was arrested in the early hours of Wednesday.", "in the early hours of Wednesday",
     {"weekday_end": 2, "period": "night"}),
    ("The festival runs from July 4 to 7 in Arles.", "July 4 to 7", {"day": 4, "day_end": 7, "month": 7}),
    ("The festival runs from 4 to 7 July in Arles.", "4 to 7 July", {"day": 4, "day_end": 7, "month": 7}),
    ("The festival runs on July 4-7 in Arles.", "July 4-7", {"day": 4, "day_end": 7, "month": 7}),
    ("A curfew was imposed overnight May 3 to 4.", "overnight May 3 to 4",
     {"day": 3, "day_end": 4, "month": 5, "period": "night"}),
    ("The meeting was held on Tuesday evening, June 25.", "Tuesday evening, June 25",
     {"weekday": 1, "day": 25, "month": 6, "period": "evening"}),
    ("The lease ended on 25/06/2023.", "25/06/2023", {"day": 25, "month": 6, "year": 2023}),
    ("The sale was concluded on 06/25/2023.", "06/25/2023", {"day": 25, "month": 6, "year": 2023}),
])
def test_english_dates(sentence: str, span: str, expected: dict[str, object]) -> None:
    expression = only(parse_english(sentence))
    assert expression.text == span
    assert expression.kind == "date"
    assert fields(expression.value) == expected
    assert len(expression.readings) == 1


def test_ambiguous_numeric_english_date_has_both_readings() -> None:
    expression = only(parse_english("The hearing of 05/06/2023 was adjourned."))
    assert {(r.day, r.month) for r in expression.readings} == {(6, 5), (5, 6)}
    assert only(parse_english("The hearing of 13/06/2023 was adjourned.")).readings == (
        DateValue(day=13, month=6, year=2023),)


@pytest.mark.parametrize(("sentence", "span", "clock"), [
    ("The robbery took place at around 3:30 p.m. in a jewellery shop.", "3:30 p.m.", {(15, 30)}),
    ("He arrived at the courthouse at 3.30pm.", "3.30pm", {(15, 30)}),
    ("Polls close at 15:30 in the city.", "15:30", {(15, 30)}),
    ("The flight leaves at 07:45 from Roissy.", "07:45", {(7, 45)}),
    ("The flight leaves at 7:45 from Roissy.", "7:45", {(7, 45), (19, 45)}),
    ("The march sets off at 3 p.m. from Place Bellecour.", "3 p.m.", {(15, 0)}),
    ("The march sets off at 3PM from Place Bellecour.", "3PM", {(15, 0)}),
    ("The cathedral bells will ring at noon.", "noon", {(12, 0)}),
    ("The cathedral bells will ring at 12 noon.", "12 noon", {(12, 0)}),
    ("The curfew starts at midnight across the department.", "midnight", {(0, 0)}),
    ("Police intervened at around 6 a.m. at the suspect's home.", "6 a.m.", {(6, 0)}),
    ("The plane landed at 1530 GMT.", "1530 GMT", {(15, 30)}),
    ("The train leaves at 6 o'clock.", "6 o'clock", {(6, 0), (18, 0)}),
    ("The train leaves at 6 o'clock in the evening.", "6 o'clock in the evening", {(18, 0)}),
    ("The meeting was moved to 12 a.m.", "12 a.m.", {(0, 0)}),
    ("The meeting was moved to 12 p.m.", "12 p.m.", {(12, 0)}),
])
def test_english_times(sentence: str, span: str, clock: set[tuple[int, int]]) -> None:
    expression = only(parse_english(sentence))
    assert expression.text == span
    assert expression.kind == "time"
    assert {(r.hour, r.minute) for r in expression.readings} == clock


def test_english_approximate_times() -> None:
    assert only(parse_english("at around 6 a.m.")).value.approximate
    assert not only(parse_english("at 6 a.m.")).value.approximate


@pytest.mark.parametrize(("sentence", "hours"), [
    ("Voting runs from 8 a.m. to 6 p.m. in every town.", [8, 18]),
    ("The line will be closed between 10 and 11 p.m.", [22, 23]),
    ("The session runs from 11 to 1 p.m. on weekdays.", [11, 13]),
    ("The shop opens from 9 to 5.30pm.", [9, 17]),
])
def test_english_time_ranges_give_both_ends(sentence: str, hours: list[int]) -> None:
    assert [e.value.hour for e in parse_english(sentence)] == hours


@pytest.mark.parametrize("sentence", [
    "Theresa May met Emmanuel Macron in Brussels.",
    "Prices may rise again, the minister said.",
    "Thousands will march against the pension reform.",
    "March organisers said 20,000 people took part.",
    "The Sunday Times revealed the affair.",
    "Super Tuesday primaries are under way.",
    "Good Friday services drew large crowds.",
    "The law, passed in 2021, was never applied.",
    "Unemployment fell by 2.30 percent.",
    "He was questioned for 15 hours.",
    "The speed limit is 130 km/h on the motorway.",
    "The results came in the morning.",
    "The budget amounts to 25 million euros.",
    "The rover photographed the surface of Mars.",
    "The plan was criticised by May and her ministers.",
    "He received a letter from May last week.",
])
def test_english_sentences_without_dates(sentence: str) -> None:
    assert parse_english(sentence) == []


# --- rendering and comparing ------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [
    (DateValue(weekday=1, day=25, month=6), "Tuesday, June 25"),
    (DateValue(day=3, month=10, year=2023), "October 3, 2023"),
    (DateValue(day=4, day_end=7, month=7), "July 4-7"),
    (DateValue(month=10, part="early"), "early October"),
    (DateValue(month=3, part="mid"), "mid-March"),
    (DateValue(year=2022, part="late"), "late 2022"),
    (DateValue(month=4, relative="last"), "last April"),
    (DateValue(weekday=1, relative="last"), "last Tuesday"),
    (DateValue(weekday=1, period="evening"), "Tuesday evening"),
    (DateValue(weekday=1, weekday_end=2, period="night"), "overnight Tuesday to Wednesday"),
    (DateValue(day=3, day_end=4, month=5, period="night"), "the night of May 3-4"),
    (DateValue(hour=15, minute=30), "3:30 p.m."),
    (DateValue(hour=15, minute=0), "3 p.m."),
    (DateValue(hour=12, minute=0), "noon"),
    (DateValue(hour=0, minute=0), "midnight"),
    (DateValue(hour=0, minute=30), "12:30 a.m."),
    (DateValue(hour=6, minute=0, approximate=True), "around 6 a.m."),
])
def test_render_english(value: DateValue, text: str) -> None:
    assert render_english(value) == text


def test_render_time_is_render_english_for_times() -> None:
    assert render_time(DateValue(hour=9, minute=45)) == render_english(DateValue(hour=9, minute=45)) == "9:45 a.m."


@pytest.mark.parametrize(("source", "translation", "expected"), [
    (DateValue(day=25, month=6), DateValue(day=25, month=6), []),
    (DateValue(weekday=1, day=25, month=6), DateValue(day=25, month=6), []),
    (DateValue(weekday=1, day=25, month=6), DateValue(weekday=2, day=25, month=6), [("weekday", "major")]),
    (DateValue(day=25, month=6), DateValue(day=26, month=6), [("day", "major")]),
    (DateValue(day=25, month=6, year=2023), DateValue(day=25, month=6), [("year", "minor")]),
    (DateValue(month=6, year=2023), DateValue(year=2023), [("month", "major")]),
    (DateValue(day=25, month=6), DateValue(day=25, month=6, year=2023), [("year", "minor")]),
    (DateValue(month=6, part="late"), DateValue(month=6), [("part", "minor")]),
    (DateValue(month=6, part="late"), DateValue(month=6, part="early"), [("part", "major")]),
    (DateValue(month=4, relative="last"), DateValue(month=4), []),
    (DateValue(month=4, relative="last"), DateValue(month=4, relative="next"), [("relative", "major")]),
    (DateValue(weekday=1, period="evening"), DateValue(weekday=1, period="night"), []),
    (DateValue(weekday=1, period="evening"), DateValue(weekday=1, period="morning"), [("period", "major")]),
    (DateValue(weekday=1, period="evening"), DateValue(weekday=1), []),
    (DateValue(weekday=0, weekday_end=1, period="night"), DateValue(weekday_end=1, period="night"), []),
    (DateValue(day=25, month=6, year=2024), DateValue(weekday=1, day=25, month=6, year=2024), []),
    (DateValue(day=25, month=6, year=2024), DateValue(weekday=2, day=25, month=6, year=2024), [("weekday", "major")]),
    (DateValue(hour=15, minute=0), DateValue(hour=15, minute=0), []),
    (DateValue(hour=15, minute=0), DateValue(hour=3, minute=0), [("time", "major")]),
])
def test_differences(source: DateValue, translation: DateValue, expected: list[tuple[str, str]]) -> None:
    assert [(d.field, d.severity) for d in differences(source, translation)] == expected


# --- the check: translations that keep every date --------------------------------------------------


@pytest.mark.parametrize(("source", "translation"), [
    ("Le procès s'ouvrira mardi 25 juin devant la cour d'assises.",
     "The trial will open on Tuesday, June 25 before the assize court."),
    ("Le procès s'ouvrira mardi 25 juin devant la cour d'assises.",
     "The trial will open on Tuesday 25 June before the assize court."),
    ("Le verdict est attendu mardi 25 juin.", "The verdict is expected on June 25."),
    ("Le scrutin se tiendra samedi 12 novembre, de 8 heures à 18 heures.",
     "Voting will take place on Saturday, November 12, from 8 a.m. to 6 p.m."),
    ("Lundi 4 mars, vers 7 h 15, un bus scolaire a quitté la route près de Gap.",
     "On Monday, March 4, at around 7:15 a.m., a school bus left the road near Gap."),
    ("L'incendie s'est déclaré dimanche soir vers 23 heures.", "The fire broke out on Sunday at around 11 p.m."),
    ("Il a été interpellé dans la nuit de mardi à mercredi vers 3 h.",
     "He was arrested overnight Tuesday to Wednesday at around 3 a.m."),
    ("Il a été interpellé dans la nuit de mardi à mercredi.", "He was arrested in the early hours of Wednesday."),
    ("La réunion est prévue à 15 heures.", "The meeting is scheduled for 3 p.m."),
    ("La réunion est prévue à 15 heures.", "The meeting is scheduled for 15:00."),
    ("Les cloches sonneront à midi.", "The bells will ring at noon."),
    ("Le couvre-feu commence à minuit.", "The curfew starts at midnight."),
    ("Il est arrivé à 8 heures du soir.", "He arrived at 8 o'clock in the evening."),
    ("Le magasin ouvre de 9h à 17h30.", "The shop opens from 9 to 5.30pm."),
    ("La ligne sera fermée entre 22 heures et minuit.", "The line will be closed between 10 p.m. and midnight."),
    ("Le site a été inauguré le 3 octobre 2023.", "The site was inaugurated on 3 October 2023."),
    ("Les syndicats défileront le 1er mai.", "The unions will march on May 1st."),
    ("Le défilé du 14 juillet a été annulé.", "The Bastille Day parade has been cancelled."),
    ("La vente a été conclue le 25/06/2023.", "The sale was concluded on 06/25/2023."),
    ("La vente a été conclue le 05/06/2023.", "The sale was concluded on 06/05/2023."),
    ("La vente a été conclue le 05/06/2023.", "The sale was concluded on 05/06/2023."),
    ("La saison s'ouvrira début octobre.", "The season will open in early October."),
    ("Les résultats seront publiés mi-mars.", "The results will be published in mid-March."),
    ("Le tunnel devrait rouvrir fin 2022.", "The tunnel should reopen at the end of 2022."),
    ("Le rapport a été remis en avril dernier.", "The report was handed over last April."),
    ("Le rapport a été remis en avril dernier.", "The report was handed over in April."),
    ("Les travaux commenceront en mai prochain.", "Work will begin next May."),
    ("L'incendie s'est déclaré mardi soir.", "The fire broke out on Tuesday night."),
    ("Le festival se tiendra du 4 au 7 juillet à Arles.", "The festival will take place from July 4 to 7 in Arles."),
    ("Les 3 et 4 mai, la grève a paralysé le pays.", "On May 3 and 4, the strike paralysed the country."),
    ("Le festival se tiendra du 28 juin au 3 juillet.", "The festival will run from June 28 to July 3."),
    ("Mardi, le ministre a annoncé que le texte serait examiné le 25 juin.",
     "On Tuesday, the minister announced that the bill would be examined on June 25."),
    ("Les manifestants se sont réunis mardi, le 25 juin, devant la préfecture.",
     "Protesters gathered on Tuesday, June 25, outside the prefecture."),
    ("Le suspect a été entendu pendant 15 heures.", "The suspect was questioned for 15 hours."),
    ("La loi, votée en 2021, n'a jamais été appliquée.", "The law, passed in 2021, has never been applied."),
    ("Le procès s'ouvrira le 25 juin 2024.", "The trial will open on Tuesday, June 25, 2024."),
    ("Le juge a été saisi mardi dernier.", "The judge took up the case last Tuesday."),
    ("Le juge a été saisi mardi dernier.", "The judge took up the case on Tuesday."),
])
def test_translations_that_keep_the_dates_are_not_flagged(source: str, translation: str) -> None:
    assert check(source, translation) == []


# --- the check: errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "translation", "expected"), [
    ("Le procès s'ouvrira mardi 25 juin devant le tribunal de Nanterre.",
     "The trial will open on Wednesday, June 25, at the Nanterre court.", [("date-changed", "major")]),
    ("Le conseil se réunira mardi 25 juin.", "The council will meet on Tuesday, June 26.",
     [("date-changed", "major")]),
    ("Le site a été inauguré le 3 octobre 2023.", "The site was inaugurated on October 13, 2023.",
     [("date-changed", "major")]),
    ("L'entreprise a été liquidée le 3 octobre 2023.", "The company was liquidated on October 3, 2022.",
     [("date-changed", "major")]),
    # the year of a date whose month is kept: minor, news English leaves it to the dateline
    ("L'entreprise a été liquidée le 3 octobre 2023.", "The company was liquidated on October 3.",
     [("date-changed", "minor")]),
    ("Liquidée le 3 octobre 2023 et radiée le 5 novembre 2023.",
     "Liquidated on October 3 and struck off on November 5, 2023.", []),
    ("L'entreprise a été liquidée en octobre 2023.", "The company was liquidated in 2023.",
     [("date-changed", "major")]),
    ("Les syndicats appellent à manifester le 1er mai.", "The unions are calling for a day of action.",
     [("date-missing", "major")]),
    ("La vente a été conclue le 12/06/2023.", "The sale was concluded on December 6, 2023.",
     [("date-changed", "major")]),
    ("La saison s'ouvrira début octobre dans le Loiret.", "The season will open in late October in the Loiret.",
     [("date-changed", "major")]),
    ("La saison s'ouvrira début octobre dans le Loiret.", "The season will open in October in the Loiret.",
     [("date-changed", "minor")]),
    ("Les résultats seront publiés mi-mars.", "The results will be published in mid-May.",
     [("date-changed", "major")]),
    ("Le tunnel devrait rouvrir fin 2022.", "The tunnel should reopen in early 2022.", [("date-changed", "major")]),
    ("Le tunnel devrait rouvrir fin 2022.", "The tunnel should reopen in 2022.", [("date-changed", "minor")]),
    ("L'enquête a été ouverte en avril 2023.", "The investigation was opened in 2023.",
     [("date-changed", "major")]),
    ("Le rapport avait été remis en avril dernier.", "The report will be handed over next April.",
     [("date-changed", "major")]),
    ("Le braquage a eu lieu vers 15h30.", "The robbery took place at around 5:30 p.m.", [("time-changed", "major")]),
    ("Le braquage a eu lieu vers 15h30.", "The robbery took place at around 3:30 a.m.", [("time-changed", "major")]),
    ("La manifestation partira à 15 heures de la place Bellecour.",
     "The march will set off from Place Bellecour at 5 p.m.", [("time-changed", "major")]),
    ("Les cloches sonneront à midi.", "The bells will ring at midnight.", [("time-changed", "major")]),
    ("L'alerte a été donnée samedi vers 21 heures.", "The alarm was raised on Saturday.", [("time-missing", "major")]),
    ("Le ministre s'est rendu à Brest.", "The minister travelled to Brest on Monday.", [("date-added", "minor")]),
    ("La cour rendra son arrêt prochainement.", "The court will rule in early April.", [("date-added", "minor")]),
    ("Le ministre a démissionné.", "The minister resigned at 3 p.m.", [("time-added", "minor")]),
    ("Le corps a été découvert lundi.", "The body was found on Sunday.", [("date-changed", "major")]),
    ("La direction recevra les syndicats jeudi.", "Management will meet the unions.", [("date-missing", "major")]),
    ("Le conseil se réunira jeudi 7 mars à 18 heures.", "The council will meet.",
     [("date-missing", "major"), ("time-missing", "major")]),
    ("Le feu d'artifice du 14 juillet a été annulé.", "The July 4 fireworks have been cancelled.",
     [("date-changed", "major")]),
    ("Le scrutin ouvrira samedi 12 novembre à 9 h 45.", "Polls will open on Saturday, November 12, at 9:15 a.m.",
     [("time-changed", "major")]),
    ("Le festival se tiendra du 4 au 7 juillet.", "The festival will take place from July 4 to 17.",
     [("date-changed", "major")]),
    ("Le festival se tiendra du 4 au 7 juillet.", "The festival will take place on July 4.",
     [("date-changed", "major")]),
    ("La ligne sera fermée de 22 heures à 6 heures.", "The line will be closed from 10 p.m.",
     [("time-missing", "major")]),
    ("L'incendie s'est déclaré mardi soir.", "The fire broke out on Tuesday morning.", [("date-changed", "major")]),
    ("Il a été interpellé dans la nuit de mardi à mercredi.", "He was arrested overnight Monday to Tuesday.",
     [("date-changed", "major")]),
    ("Le procès s'ouvrira le 25 juin 2024.", "The trial will open on Wednesday, June 25, 2024.",
     [("date-changed", "major")]),
    ("Le juge a été saisi mardi.", "The judge took up the case on Tuesday, June 25.", [("date-changed", "minor")]),
    ("Le couvre-feu a été instauré dans la nuit du 3 au 4 mai.", "The curfew was imposed on the night of May 4 to 5.",
     [("date-changed", "major")]),
])
def test_translation_errors_are_flagged(source: str, translation: str, expected: list[tuple[str, str]]) -> None:
    assert rules(source, translation) == expected


def test_changed_date_flag_has_both_spans_a_message_and_a_suggestion() -> None:
    source = "Le procès s'ouvrira mardi 25 juin devant la cour d'assises."
    translation = "The trial will open on Tuesday 26 June before the assize court."
    (flag,) = check(source, translation)
    assert (flag.type, flag.rule, flag.severity) == ("date", "date-changed", "major")
    assert flag.source_text == "mardi 25 juin"
    assert flag.translation_text == "Tuesday 26 June"
    assert flag.message.startswith("mardi 25 juin became Tuesday 26 June")
    assert "25 → 26" in flag.message
    assert flag.suggestion == "Tuesday, June 25"


def test_changed_time_flag_says_both_clocks() -> None:
    (flag,) = check("Le suspect a été interpellé vers 22 heures à son domicile.",
                    "The suspect was arrested at around 10 a.m. at his home.")
    assert flag.rule == "time-changed"
    assert (flag.source_text, flag.translation_text) == ("22 heures", "10 a.m.")
    assert "22:00 → 10:00" in flag.message
    assert flag.suggestion == "around 10 p.m."


def test_missing_date_flag_has_no_translation_span() -> None:
    (flag,) = check("Les syndicats appellent à manifester le 1er mai.", "The unions are calling for a day of action.")
    assert (flag.rule, flag.severity) == ("date-missing", "major")
    assert flag.source_text == "1er mai"
    assert flag.translation_start is None and flag.translation_text is None
    assert flag.suggestion == "May 1"


def test_added_date_flag_has_no_source_span() -> None:
    (flag,) = check("Le ministre s'est rendu à Brest.", "The minister travelled to Brest on Monday.")
    assert (flag.rule, flag.severity) == ("date-added", "minor")
    assert flag.translation_text == "Monday"
    assert flag.source_start is None and flag.source_text is None


def test_a_dropped_time_range_is_one_flag() -> None:
    source = "Une coupure d'eau est prévue mercredi de 9 heures à 17 heures dans tout le quartier."
    flags = check(source, "A water cut is planned on Wednesday.")
    assert [(f.rule, f.source_text) for f in flags] == [("time-missing", "9 heures à 17 heures")]
    assert flags[0].suggestion == "9 a.m. to 5 p.m."


def test_a_dropped_date_range_is_one_flag() -> None:
    flags = check("Le festival se tiendra du 28 juin au 3 juillet.", "The festival will take place this summer.")
    assert [(f.rule, f.source_text) for f in flags] == [("date-missing", "28 juin au 3 juillet")]


def test_weekday_said_apart_from_its_date_still_matches() -> None:
    assert check("Mardi, les élus ont voté. Le 25 juin, ils ont publié le texte.",
                 "On Tuesday, the councillors voted. On June 25, they published the text.") == []
    assert check("Le procès s'ouvrira mardi (25 juin) à Lyon.", "The trial will open on Tuesday, June 25 in Lyon.") == []
    assert check("Le procès s'ouvrira mardi 25 juin à Lyon.", "The trial will open on Tuesday (June 25) in Lyon.") == []
    assert rules("Le procès s'ouvrira mardi 25 juin à Lyon.", "The trial will open on Wednesday (June 25) in Lyon.") \
        == [("date-changed", "major")]


def test_a_far_weekday_is_not_taken_for_the_date_s_own() -> None:
    assert rules("Le procès s'ouvrira mardi 25 juin, a annoncé le parquet.",
                 "The trial will open on June 25, the prosecutor's office announced on Wednesday.") \
        == [("date-added", "minor")]


def test_a_dropped_range_of_hours_is_one_flag() -> None:
    flags = check("La grève aura lieu entre 14 et 16 heures devant la mairie.", "The strike will take place at the town hall.")
    assert [(f.rule, f.source_text, f.suggestion) for f in flags] == [("time-missing", "14 et 16 heures", "2 p.m. to 4 p.m.")]


def test_source_copied_untranslated_is_left_to_the_untranslated_check() -> None:
    text = "Amandine Roche sera jugée en septembre par le tribunal correctionnel de Metz."
    assert check(text, text) == []


def test_swapped_dates_pair_with_their_own_counterparts() -> None:
    source = "L'audience, prévue le 3 mai, a été reportée au 10 juin."
    translation = "The hearing, scheduled for May 3, has been postponed to June 11."
    flags = check(source, translation)
    assert [(f.rule, f.source_text, f.translation_text) for f in flags] == [("date-changed", "10 juin", "June 11")]


def test_only_french_to_english_is_checked() -> None:
    item = CheckInput("Le procès s'ouvrira mardi 25 juin.", "Der Prozess beginnt am Mittwoch.", target_lang="de")
    assert check_dates(item) == []


def test_importing_the_check_stays_cheap() -> None:
    code = "import sys, service.checks.dates; print(any(m in sys.modules for m in ('torch', 'transformers')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- properties ------------------------------------------------------------------------------------

DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))


def french_day(day: int) -> str:
    """"1er" for the first of the month, the number otherwise."""
    return "1er" if day == 1 else str(day)


FRENCH_DATE_STYLES = {
    "weekday day month year": lambda d: f"{FRENCH_WEEKDAYS[d.weekday()]} {french_day(d.day)} "
                                        f"{FRENCH_MONTHS[d.month]} {d.year}",
    "day month year": lambda d: f"{french_day(d.day)} {FRENCH_MONTHS[d.month]} {d.year}",
    "weekday day month": lambda d: f"{FRENCH_WEEKDAYS[d.weekday()]} {french_day(d.day)} {FRENCH_MONTHS[d.month]}",
    "day month": lambda d: f"{french_day(d.day)} {FRENCH_MONTHS[d.month]}",
    "dd/mm/yyyy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "d.mm.yyyy": lambda d: f"{d.day}.{d.month:02d}.{d.year}",
}


def expected_value(d: date, style: str) -> DateValue:
    """The value a date written in `style` gives: only the fields the style writes."""
    return DateValue(
        weekday=d.weekday() if "weekday" in style else None,
        day=d.day,
        month=d.month,
        year=d.year if "year" in style or "yy" in style else None,
    )


@settings(max_examples=300, deadline=None)
@given(DATES, st.sampled_from(sorted(FRENCH_DATE_STYLES)))
def test_french_dates_parse_back_to_their_value(d: date, style: str) -> None:
    text = FRENCH_DATE_STYLES[style](d)
    expression = only(parse_french(f"Les faits remontent au {text}, selon le parquet."))
    assert expression.text == text
    assert expression.readings == (expected_value(d, style),)


ENGLISH_DATE_STYLES = {
    "weekday, month day, year": lambda d: f"{ENGLISH_WEEKDAYS[d.weekday()]}, {ENGLISH_MONTHS[d.month]} {d.day}, "
                                          f"{d.year}",
    "day month year": lambda d: f"{d.day} {ENGLISH_MONTHS[d.month]} {d.year}",
    "weekday day month year": lambda d: f"{ENGLISH_WEEKDAYS[d.weekday()]} {d.day} {ENGLISH_MONTHS[d.month]} {d.year}",
    "month dayth": lambda d: f"{ENGLISH_MONTHS[d.month]} {d.day}{ordinal(d.day)}",
    "dayth of month": lambda d: f"{d.day}{ordinal(d.day)} of {ENGLISH_MONTHS[d.month]}",
    "AP month day, year": lambda d: f"{AP_MONTHS[d.month]} {d.day}, {d.year}",
    "mm/dd/yyyy": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "dd/mm/yyyy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
}


@settings(max_examples=300, deadline=None)
@given(DATES, st.sampled_from(sorted(ENGLISH_DATE_STYLES)))
def test_english_dates_parse_back_to_their_value(d: date, style: str) -> None:
    text = ENGLISH_DATE_STYLES[style](d)
    expression = only(parse_english(f"The events took place on {text}, the prosecutor said."))
    assert expression.text == text
    assert expected_value(d, style) in expression.readings


CLOCK = st.tuples(st.integers(0, 23), st.integers(0, 59))


def french_times(hour: int, minute: int) -> list[str]:
    """Every way the check reads a French clock time, after "à"."""
    styles = [f"{hour}h{minute:02d}", f"{hour} h {minute:02d}", f"{hour:02d}h{minute:02d}",
              f"{hour} heure{'s' if hour > 1 else ''} {minute:02d}", f"{hour}:{minute:02d}"]
    if minute == 0:
        styles += [f"{hour}h", f"{hour} h", f"{hour} heure{'s' if hour > 1 else ''}"]
    if (hour, minute) in ((12, 0), (0, 0)):
        styles.append("midi" if hour else "minuit")
    return styles


def english_times(hour: int, minute: int) -> list[str]:
    """Every way the check reads an English clock time (some of them with two readings)."""
    clock, half = hour % 12 or 12, "p.m." if hour >= 12 else "a.m."
    styles = [f"{clock}:{minute:02d} {half}", f"{clock}.{minute:02d}{half.replace('.', '')}",
              f"{hour:02d}:{minute:02d}", f"{hour}:{minute:02d}"]
    if minute == 0:
        styles += [f"{clock} {half}", f"{clock}{half.replace('.', '').upper()}"]
    if (hour, minute) in ((12, 0), (0, 0)):
        styles.append("noon" if hour else "midnight")
    return styles


@settings(max_examples=200, deadline=None)
@given(CLOCK, st.data())
def test_french_times_parse_back_to_their_value(clock: tuple[int, int], data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(french_times(*clock)))
    expression = only(parse_french(f"Les policiers sont intervenus à {text} dans le quartier."))
    assert expression.text == text
    assert expression.readings == (DateValue(hour=clock[0], minute=clock[1]),)


@settings(max_examples=200, deadline=None)
@given(CLOCK, st.data())
def test_english_times_parse_back_to_their_value(clock: tuple[int, int], data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(english_times(*clock)))
    expression = only(parse_english(f"Police intervened at {text} in the district."))
    assert expression.text == text
    assert DateValue(hour=clock[0], minute=clock[1]) in expression.readings


FRENCH_PARTS = {"early": "début", "mid": "mi-", "late": "fin"}


@st.composite
def french_expressions(draw: st.DrawFn) -> str:
    """A French date or time phrase of any supported form, as it would follow a verb."""
    d = draw(DATES)
    form = draw(st.sampled_from(["date", "part", "relative month", "weekday", "night", "range", "time"]))
    if form == "date":
        return "le " + FRENCH_DATE_STYLES[draw(st.sampled_from(sorted(FRENCH_DATE_STYLES)))](d)
    if form == "part":
        part = FRENCH_PARTS[draw(st.sampled_from(sorted(FRENCH_PARTS)))]
        what = draw(st.sampled_from([FRENCH_MONTHS[d.month], f"{FRENCH_MONTHS[d.month]} {d.year}", str(d.year)]))
        return f"{part}{'' if part.endswith('-') else ' '}{what}"
    if form == "relative month":
        return f"en {FRENCH_MONTHS[d.month]} {draw(st.sampled_from(['dernier', 'prochain']))}"
    if form == "weekday":
        extra = draw(st.sampled_from(["", " soir", " matin", " après-midi", " dernier", " prochain"]))
        return FRENCH_WEEKDAYS[d.weekday()] + extra
    if form == "night":
        return f"dans la nuit de {FRENCH_WEEKDAYS[d.weekday()]} à {FRENCH_WEEKDAYS[(d.weekday() + 1) % 7]}"
    if form == "range":
        last = (date(d.year + d.month // 12, d.month % 12 + 1, 1) - timedelta(days=1)).day
        if d.day == last:
            return f"le {d.day} {FRENCH_MONTHS[d.month]}"
        return f"du {d.day} au {draw(st.integers(d.day + 1, last))} {FRENCH_MONTHS[d.month]}"
    hour, minute = draw(CLOCK)
    return ("vers " if draw(st.booleans()) else "à ") + draw(st.sampled_from(french_times(hour, minute)))


@settings(max_examples=300, deadline=None)
@given(french_expressions())
def test_the_suggestion_is_read_back_as_the_same_value(phrase: str) -> None:
    source = f"Selon le parquet, les faits ont eu lieu {phrase}."
    expression = only(parse_french(source))
    suggestion = render_english(expression.value)
    translation = f"According to the prosecutor, the events took place {suggestion}."
    assert check(source, translation) == [], (expression, suggestion)


@settings(max_examples=200, deadline=None)
@given(DATES, st.integers(1, 400), CLOCK)
def test_same_date_and_time_pass_and_a_shifted_date_is_a_major_change(d: date, shift: int,
                                                                      clock: tuple[int, int]) -> None:
    hour, minute = clock
    source = (f"Le procès s'ouvrira {FRENCH_WEEKDAYS[d.weekday()]} {french_day(d.day)} {FRENCH_MONTHS[d.month]} "
              f"{d.year} à {hour}h{minute:02d} devant la cour.")
    time = render_time(DateValue(hour=hour, minute=minute))
    same = f"The trial will open on {render_english(expected_value(d, 'weekday day month year'))} at {time} in court."
    assert check(source, same) == []
    other = d + timedelta(days=shift)
    shifted = (f"The trial will open on {render_english(expected_value(other, 'weekday day month year'))} at {time} "
               "in court.")
    assert rules(source, shifted) == [("date-changed", "major")]


@settings(max_examples=200, deadline=None)
@given(CLOCK, st.integers(1, 24 * 60 - 1))
def test_a_shifted_time_is_a_major_change(clock: tuple[int, int], shift: int) -> None:
    hour, minute = clock
    total = (hour * 60 + minute + shift) % (24 * 60)
    moved = DateValue(hour=total // 60, minute=total % 60)
    source = f"Les policiers sont intervenus à {hour}h{minute:02d}."
    assert rules(source, f"Police intervened at {render_time(moved)}.") == [("time-changed", "major")]


def test_lowercased_month_after_a_preposition_is_a_date() -> None:
    # MT output of WMT13 (development split): "En mai, ..." -> "In may, ..."
    [expression] = parse_english("In may, there was disappointment.")
    assert (expression.text, expression.value.month) == ("may", 5)
    assert parse_english("You may go now.") == []
    flags = check_dates(CheckInput(source="En mai, il y a eu de la déception.",
                                   translation="In may, there was disappointment."))
    assert flags == []


@pytest.mark.parametrize(("source", "translation", "expected"), [
    # WMT12/13 references (development split): a month or weekday without a cue word still renders the French one
    ("Les élections de février vont soumettre ces certitudes.", "The February elections will test these certitudes.", []),
    ("Ils parlent de \"l'incident du 22 juillet\".", "They refer to \"the July the 22nd incident.\"", []),
    ("Ils parlent de \"l'incident du 22 juillet\".", "They refer to \"the July the 23rd incident.\"", [("date-changed", "major")]),
    ("L'économie a crû de 0,2% entre juillet et septembre.", "Between July and September, the economy grew by 0.2%.", []),
    ("Les manifestations ont commencé le \"Vendredi noir\".", "Actions began on Black Friday.", []),
    ("La prochaine journée est prévue en février.", "The next day is scheduled for March.", [("date-missing", "major")]),
])
def test_bare_english_months_are_counterparts_of_last_resort(source: str, translation: str,
                                                            expected: list[tuple[str, str]]) -> None:
    flags = check_dates(CheckInput(source=source, translation=translation))
    assert [(f.rule, f.severity) for f in flags] == expected, [f.message for f in flags]


def test_a_bare_month_is_never_flagged_as_added() -> None:
    assert check_dates(CheckInput(source="Les élections auront lieu.", translation="The February elections will take place.")) == []


@pytest.mark.parametrize(("source", "translation", "severity"), [
    # WMT12 references: a night belongs to two days, and translators name either
    ("Après un grave accident à Lichtenberg, dans la nuit de dimanche, le conducteur s'est enfui.",
     "A driver fled after a serious accident in Lichtenberg on Saturday night.", "minor"),
    ("Dans le cinéma Cubix sur Alexanderplatz, il y a eu incendie dans la nuit menant au lundi.",
     "A fire broke out in Kino Cubix on Alexanderplatz on Sunday night.", "minor"),
    # an evening is one day, and two days apart is another date
    ("Le procès s'ouvrira dimanche soir.", "The trial will open on Saturday night.", "major"),
    ("Le procès s'ouvrira dans la nuit de dimanche.", "The trial will open on Friday night.", "major"),
])
def test_a_night_across_two_days(source: str, translation: str, severity: str) -> None:
    from service.checks.dates import check_dates

    found = [f for f in check_dates(CheckInput(source, translation)) if f.rule == "date-changed"]
    assert [f.severity for f in found] == [severity]
