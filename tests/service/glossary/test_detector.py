"""Term-error detection: exact flags for every rule on a small test termbase."""

from __future__ import annotations

import pytest

from service.glossary.concept import Glossary
from service.glossary.csv_format import read_csv
from service.glossary.detector import TermDetector
from tests.conftest import ROOT

MINI = ROOT / "tests" / "data" / "glossary" / "mini.csv"


@pytest.fixture(scope="module")
def detector() -> TermDetector:
    return TermDetector(Glossary(read_csv(MINI)))


def rules(detector: TermDetector, source: str, translation: str) -> list[tuple[str, str, str]]:
    return [(f.rule, f.concept or "", f.severity) for f in detector.check(source=source, translation=translation)]


def test_forbidden_rendering_is_critical_with_both_spans(detector: TermDetector) -> None:
    source, mt = "Le parquet de Paris a ouvert une enquête.", "The Paris floor opened an investigation."
    [flag] = detector.check(source=source, translation=mt)
    assert (flag.rule, flag.severity, flag.concept, flag.type) == ("forbidden-rendering", "critical", "parquet",
                                                                  "terminology")
    assert (flag.source_start, flag.source_end, flag.source_text) == (3, 10, "parquet")
    assert (flag.translation_start, flag.translation_end, flag.translation_text) == (10, 15, "floor")
    assert flag.suggestion == "prosecutor's office"
    assert flag.confidence == 0.9 and flag.back_translation_has_term is None


def test_approved_rendering_in_any_inflection_passes(detector: TermDetector) -> None:
    assert rules(detector, "Le parquet de Paris a ouvert une enquête.", "Paris prosecutors opened an inquiry.") == []
    assert rules(detector, "Le parquet a fait appel.", "The prosecutors' office appealed.") == []
    assert rules(detector, "Ils ont été placés en garde à vue.", "They were held in police custody.") == []


def test_missing_approved_rendering_takes_the_concept_severity(detector: TermDetector) -> None:
    assert rules(detector, "Il a été mis en examen jeudi.", "He was questioned on Thursday.") == [
        ("missing-approved-rendering", "mise-en-examen", "critical")
    ]
    [flag] = detector.check(source="Il est en garde à vue.", translation="He is being held.")
    assert flag.rule == "missing-approved-rendering" and flag.severity == "major"
    assert flag.translation_start is None and flag.suggestion == "police custody"


def test_inflection_elision_case_accents_and_apostrophes(detector: TermDetector) -> None:
    source = "Les deux femmes ont été MISES EN EXAMEN par les Juges d’Instruction de l'ONAF."
    flags = detector.check(source=source, translation="The two women were examined by the judges of the ONAF.")
    found = {(f.concept, f.source_text) for f in flags}
    assert found == {("mise-en-examen", "MISES EN EXAMEN"), ("juge-d-instruction", "Juges d’Instruction")}
    # accents may be dropped on capitalised words (headlines, "Etat"), not on ordinary ones
    assert rules(detector, "Une plainte du Ministere Public.", "A complaint by the floor.") == [
        ("forbidden-rendering", "parquet", "critical")
    ]
    assert rules(detector, "Une plainte du ministere public.", "A complaint by the floor.") == []


def test_accents_separate_words_that_differ_only_by_them() -> None:
    from service.glossary.concept import Concept

    jure = Concept(id="jure", french=["juré"], approved=["juror"], forbidden=["sworn"])
    detector = TermDetector(Glossary([jure]))
    assert detector.check(source="Le ministre jure n'avoir rien su.", translation="The minister swears.") == []
    [flag] = detector.check(source="Les jurés ont délibéré.", translation="The sworn deliberated.")
    assert (flag.rule, flag.source_text) == ("forbidden-rendering", "jurés")
    [flag] = detector.check(source="La jurée a été récusée.", translation="The sworn was challenged.")
    assert flag.source_text == "jurée"


def test_longest_match_wins(detector: TermDetector) -> None:
    flags = detector.check(source="Le parquet national financier enquête.", translation="The national financial floor "
                           "is investigating.")
    assert [(f.concept, f.source_text, f.translation_text) for f in flags] == [
        ("parquet-national-financier", "parquet national financier", "national financial floor")
    ]


def test_acronym_altered(detector: TermDetector) -> None:
    [flag] = detector.check(source="Le dossier a été confié à la Junalco.", translation="The case went to the Junta.")
    assert (flag.rule, flag.severity, flag.translation_text) == ("acronym-altered", "major", "Junta")
    assert flag.suggestion == "keep 'Junalco' as is (e.g. 'national organised crime court (Junalco)')"


def test_do_not_translate_expanded_without_acronym(detector: TermDetector) -> None:
    source = "Une opération de l'Office national antifraude (ONAF)."
    assert rules(detector, source, "An operation by the National Anti-Fraud Office (ONAF).") == []
    [flag] = detector.check(source=source, translation="An operation by the National Anti-Fraud Office.")
    assert (flag.rule, flag.source_text, flag.translation_text) == (
        "do-not-translate-violated", "ONAF", "National Anti-Fraud Office")
    assert flag.suggestion == "keep 'ONAF' as is (e.g. 'National Anti-Fraud Office (ONAF)')"


def test_acronyms_match_only_in_capitals(detector: TermDetector) -> None:
    assert rules(detector, "Onaf est un prénom rare.", "Onaf is a rare first name.") == []


def test_context_exclude_positive_and_negative(detector: TermDetector) -> None:
    # "parquet" with a flooring word is a floor: no concept, no flag
    assert rules(detector, "Un parquet en chêne massif a été posé.", "A solid oak floor was laid.") == []
    # without one, the legal sense applies
    assert rules(detector, "Le parquet a été saisi.", "The floor was seized.") == [
        ("forbidden-rendering", "parquet", "critical")
    ]


def test_context_require_positive_and_negative(detector: TermDetector) -> None:
    assert rules(detector, "Suivez les instructions du fabricant.", "Follow the manufacturer's instructions.") == []
    assert rules(detector, "Le dossier est à l'instruction.", "The file is under instruction.") == [
        ("forbidden-rendering", "instruction", "critical")
    ]


def test_each_occurrence_needs_its_own_rendering(detector: TermDetector) -> None:
    source = "Le parquet de Lyon et le parquet de Paris se sont saisis."
    assert rules(detector, source, "The Lyon and Paris prosecutors' offices took up the case.") == [
        ("missing-approved-rendering", "parquet", "major")
    ]
    flags = detector.check(source=source, translation="The Lyon prosecutors and the Paris floor took up the case.")
    assert [(f.rule, f.source_start) for f in flags] == [("forbidden-rendering", source.rindex("parquet"))]


def test_back_translation_sets_confidence(detector: TermDetector) -> None:
    source, mt = "Le parquet a fait appel.", "The floor appealed."
    [lost] = detector.check(source=source, translation=mt, back_translation="Le sol a fait appel.")
    [kept] = detector.check(source=source, translation=mt, back_translation="Le parquet a fait appel.")
    assert lost.back_translation_has_term is False and lost.confidence == 0.95
    assert kept.back_translation_has_term is True and kept.confidence == 0.45


def test_offsets_shift_into_the_document(detector: TermDetector) -> None:
    [flag] = detector.check(source="Le parquet.", translation="The floor.", source_offset=100, translation_offset=50,
                            segment=3)
    assert (flag.source_start, flag.translation_start, flag.segment) == (103, 54, 3)


def test_no_terms_no_flags(detector: TermDetector) -> None:
    assert detector.check(source="Il fait beau à Paris.", translation="The weather is fine in Paris.") == []


def test_a_longer_forbidden_phrase_beats_the_approved_word_inside_it() -> None:
    from service.glossary.concept import Concept

    concept = Concept(id="gav", french=["garde à vue"], approved=["custody", "police custody"],
                      forbidden=["custody watch"])
    detector = TermDetector(Glossary([concept]))
    [flag] = detector.check(source="Il est en garde à vue.", translation="He is on custody watch.")
    assert (flag.rule, flag.translation_text) == ("forbidden-rendering", "custody watch")
    assert detector.check(source="Il est en garde à vue.", translation="He is in police custody.") == []


def test_approved_renderings_allow_small_gaps_and_any_article() -> None:
    from service.glossary.concept import Concept

    concept = Concept(id="deferer", french=["déférer"], approved=["brought before a judge"],
                      forbidden=["deferred"])
    detector = TermDetector(Glossary([concept]))
    source = "Ils ont été déférés vendredi devant un juge."
    assert detector.check(source=source, translation="They were brought on Friday before the judge.") == []
    assert detector.check(source=source, translation="They were brought before an investigating judge.") == []
    # three words in between is too far: not an approved rendering any more
    [flag] = detector.check(source=source, translation="They were brought late on Friday night before a judge.")
    assert flag.rule == "missing-approved-rendering"
    # forbidden renderings stay exact phrases
    [flag] = detector.check(source=source, translation="They were deferred to a judge.")
    assert flag.rule == "forbidden-rendering"


def _two_concepts() -> TermDetector:
    from service.glossary.concept import Concept

    return TermDetector(Glossary([
        Concept(id="parquet", french=["parquet"], approved=["prosecutor's office", "prosecutors"],
                forbidden=["floor"]),
        Concept(id="procureur", french=["procureur"], approved=["prosecutor"], forbidden=["procurer"]),
        Concept(id="arret", french=["arrêt"], approved=["ruling", "decision"], forbidden=["arrest"]),
        Concept(id="usurpation", french=["usurpation d'identité"], approved=["identity fraud"],
                forbidden=["identity usurpation"]),
    ]))


def test_one_english_word_vouches_for_one_french_term_only() -> None:
    detector = _two_concepts()
    flags = detector.check(source="Le parquet de Lyon a ouvert une enquête, a indiqué le procureur Jean Perrin.",
                           translation="The Lyon floor has opened an investigation, prosecutor Jean Perrin said.")
    assert [(f.rule, f.concept, f.translation_text) for f in flags] == [("forbidden-rendering", "parquet", "floor")]
    both = detector.check(source="Le procureur du parquet de Lyon a parlé.",
                          translation="The prosecutor of the Lyon prosecutors' office spoke.")
    assert both == []


def test_a_forbidden_rendering_in_place_beats_an_approved_word_elsewhere() -> None:
    detector = _two_concepts()
    source = "Dans un arrêt rendu mardi, la Cour a cassé la décision de la cour d'appel."
    flags = detector.check(source=source, translation="In an arrest handed down on Tuesday, the Court overturned "
                                                      "the decision of the appeal court.")
    assert [(f.rule, f.translation_text) for f in flags] == [("forbidden-rendering", "arrest")]
    assert detector.check(source=source, translation="In a ruling handed down on Tuesday, the Court overturned "
                                                     "the decision of the appeal court.") == []


def test_a_gapped_approved_match_loses_to_a_forbidden_phrase() -> None:
    detector = _two_concepts()
    [flag] = detector.check(source="Il est poursuivi pour usurpation d'identité et escroquerie.",
                            translation="He is prosecuted for identity usurpation and fraud.")
    assert (flag.rule, flag.translation_text) == ("forbidden-rendering", "identity usurpation")
    assert detector.check(source="Il est poursuivi pour usurpation d'identité.",
                          translation="He is prosecuted for identity fraud.") == []


def test_a_context_phrase_holding_the_term_speaks_for_that_occurrence_only() -> None:
    from service.glossary.concept import Concept

    arret = Concept(id="arret", french=["arrêt"], approved=["ruling"], forbidden=["arrest"],
                    context_exclude=["maison d'arrêt", "arrêt cardiaque"], context_require=["un arrêt", "cour"])
    detector = TermDetector(Glossary([arret]))
    source = "Dans un arrêt rendu jeudi, il reste détenu à la maison d'arrêt de Fresnes."
    assert [o.text for o in detector.find_terms(source)] == ["arrêt"]  # the first one, not the prison
    [flag] = detector.check(source=source, translation="In an arrest on Thursday, he stays in Fresnes prison.")
    assert (flag.rule, flag.source_start) == ("forbidden-rendering", source.index("arrêt"))
    # a sentence-wide requirement ("cour") lets every occurrence through; a local one only its own
    assert detector.find_terms("Il a été victime d'un arrêt cardiaque.") == []
    assert [o.text for o in detector.find_terms("La cour a rendu son arrêt.")] == ["arrêt"]
    assert detector.find_terms("L'arrêt des travaux est prévu.") == []


def test_an_invariable_word_is_no_plural_of_a_one_word_term() -> None:
    from service.glossary.concept import Concept

    detector = TermDetector(Glossary([
        Concept(id="cour", french=["cour"], approved=["court"]),
        Concept(id="cour-d-appel", french=["cour d'appel"], approved=["court of appeal"]),
        Concept(id="recours", french=["recours"], approved=["appeal"]),
    ]))
    # "cours" is its own word ("au cours de", share prices), not the plural of "cour" ...
    assert detector.find_terms("Au cours de l'audience, les cours de la Bourse ont chuté.") == []
    # ... except inside a longer term, where it is the plural: "les cours d'appel"
    assert [o.concept.id for o in detector.find_terms("Les cours d'appel de Paris et de Lyon.")] == ["cour-d-appel"]
    assert [o.concept.id for o in detector.find_terms("La cour a statué.")] == ["cour"]
    assert [o.concept.id for o in detector.find_terms("Son recours est rejeté.")] == ["recours"]


def test_a_participle_term_is_not_every_form_of_its_verb() -> None:
    from service.glossary.concept import Concept

    detector = TermDetector(Glossary([
        Concept(id="prevenu", french=["prévenu"], approved=["defendant"], forbidden=["warn"]),
        Concept(id="poursuivi", french=["poursuivi pour"], approved=["prosecuted for"]),
        Concept(id="renvoi", french=["été renvoyé"], approved=["adjourned"]),
    ]))
    # "ils préviennent" (they warn) shares the lemma "prévenir" with the defendant, not the word
    assert detector.find_terms("Si rien ne change, préviennent les signataires, ils saisiront la justice.") == []
    found = [o.text for o in detector.find_terms("Les prévenus et la prévenue, poursuivie pour vol, sont là.")]
    assert found == ["prévenus", "prévenue", "poursuivie pour"]
    # the auxiliary still stands for every tense
    assert [o.text for o in detector.find_terms("Le procès est renvoyé.")] == ["est renvoyé"]


def test_a_context_determiner_keeps_its_gender() -> None:
    from service.glossary.concept import Concept

    greffe = Concept(id="greffe", french=["greffe"], approved=["court registry"], context_exclude=["la greffe"])
    detector = TermDetector(Glossary([greffe]))
    assert detector.find_terms("La greffe de rein a réussi.") == []
    assert [o.text for o in detector.find_terms("Il a déposé son appel au greffe, le greffe l'a enregistré.")] == [
        "greffe", "greffe"]
