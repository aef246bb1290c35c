"""XLIFF 1.2/2.0, TMX, gettext PO and parallel plain-text corpora: exact units, `contresens eval`, malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.cli import main
from eval.formats import detect_format, read_jsonl_units, read_units
from eval.inputs import InputError

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def at(name: str) -> str:
    return str(CORPUS / name)


def units(paths: list[str], fmt: str = "auto") -> list[tuple[str, str, str, str]]:
    return [(u.id, u.source, u.translation, u.location) for u in read_units(paths, fmt)]


def test_xliff_1_2_units_without_inline_tags_and_untranslated_unit_skipped() -> None:
    f = at("court.xlf")
    assert units([f]) == [
        ("c1", "Le tribunal correctionnel de Lyon a rendu son jugement.",
         "The Lyon criminal court delivered its judgment.", f"{f}:5"),
        ("c2", "Le prévenu a été condamné à deux ans de prison.",
         "The defendant was sentenced to two years in prison.", f"{f}:9"),
        ("c3", "L'audience a été renvoyée au 12 mars.", "The hearing was adjourned to 12 March.", f"{f}:13"),
    ]


def test_xliff_2_0_units() -> None:
    f = at("court-2.0.xlf")
    assert units([f]) == [
        ("u1", "La cour d'appel de Paris a confirmé la peine.", "The Paris court of appeal upheld the sentence.",
         f"{f}:5"),
        ("u2", "Trois personnes ont été placées en garde à vue.", "Three people were taken into police custody.",
         f"{f}:11"),
    ]


def test_xliff_2_0_several_segments_get_indexed_ids(tmp_path: Path) -> None:
    path = tmp_path / "two.xliff"
    path.write_text(
        '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="fr" trgLang="en">'
        '<file id="f"><unit id="u">'
        "<segment><source>Un.</source><target>One.</target></segment>"
        "<segment><source>Deux.</source><target>Two.</target></segment>"
        "</unit></file></xliff>", encoding="utf-8")
    assert [(u.id, u.translation) for u in read_units([str(path)])] == [("u[1]", "One."), ("u[2]", "Two.")]


def test_tmx_picks_languages_by_prefix_whatever_the_order_and_numbers_tus_without_tuid() -> None:
    f = at("court.tmx")
    assert units([f]) == [
        ("t1", "Le juge d'instruction a mis en examen le suspect.", "The investigating judge charged the suspect.",
         f"{f}:5"),
        ("t2", "Il a été placé sous contrôle judiciaire.", "He was released under judicial supervision.", f"{f}:9"),
        ("3", "Le procès s'ouvrira lundi.", "The trial will open on Monday.", f"{f}:13"),
    ]


def test_tmx_other_language_pair() -> None:
    reversed_pair = [(u.source, u.translation) for u in read_units([at("court.tmx")], "tmx", "en", "fr")]
    assert reversed_pair[0] == ("The investigating judge charged the suspect.",
                                "Le juge d'instruction a mis en examen le suspect.")


def test_po_context_plurals_and_skipped_untranslated_and_fuzzy_entries() -> None:
    f = at("app.po")
    assert units([f]) == [
        ("verdict\u0004Le prévenu a été relaxé.", "Le prévenu a été relaxé.", "The defendant was acquitted.",
         f"{f}:7"),
        ("Audience publique", "Audience publique", "Public hearing", f"{f}:12"),
        ("%d témoin a été entendu.", "%d témoin a été entendu.", "%d witness was heard.", f"{f}:16"),
        ("%d témoin a été entendu.[1]", "%d témoins ont été entendus.", "%d witnesses were heard.", f"{f}:16"),
    ]
    assert all(type(value) is str for unit in units([f]) for value in unit)


def test_parallel_files_line_numbers_as_ids() -> None:
    fr, en = at("court.fr.txt"), at("court.en.txt")
    assert units([fr, en], "parallel") == [
        ("1", "Le tribunal a rendu son jugement.", "The court delivered its judgment.", f"{en}:1"),
        ("2", "Le prévenu a été condamné.", "The defendant was sentenced.", f"{en}:2"),
        ("4", "L'audience a été renvoyée.", "The hearing was adjourned.", f"{en}:4"),
    ]


def test_parallel_misaligned_or_unpaired(tmp_path: Path) -> None:
    short = tmp_path / "short.en.txt"
    short.write_text("One line.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"short\.en\.txt: 1 lines, but .*court\.fr\.txt has 4"):
        list(read_units([at("court.fr.txt"), str(short)], "parallel"))
    with pytest.raises(InputError, match="pairs"):
        list(read_units([at("court.fr.txt")], "parallel"))


@pytest.mark.parametrize(("name", "fmt"), [("a.xlf", "xliff"), ("a.XLIFF", "xliff"), ("a.sdlxliff", "xliff"),
                                           ("a.tmx", "tmx"), ("a.po", "po"), ("a.pot", "po")])
def test_detect_format(name: str, fmt: str) -> None:
    assert detect_format(name) == fmt


@pytest.mark.parametrize(
    ("inputs", "extra", "ids"),
    [
        (["court.xlf"], [], ["c1", "c2", "c3"]),
        (["court-2.0.xlf"], [], ["u1", "u2"]),
        (["court.tmx"], [], ["t1", "t2", "3"]),
        (["app.po"], [], ["verdict\u0004Le prévenu a été relaxé.", "Audience publique", "%d témoin a été entendu.",
                          "%d témoin a été entendu.[1]"]),
        (["court.fr.txt", "court.en.txt"], ["--format", "parallel"], ["1", "2", "4"]),
    ],
)
def test_eval_no_model_reads_each_format(tmp_path: Path, inputs: list[str], extra: list[str],
                                         ids: list[str]) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["eval", *[at(i) for i in inputs], *extra, "--no-model", "--output", str(out)]) == 0
    header, *records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "signature" in header
    assert [r["id"] for r in records] == ids
    assert all(str(r["location"]).startswith(at(inputs[-1])) for r in records)  # parallel: the translation


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad.xlf", "line 7: not well-formed XML (mismatched tag"),
        ("bad.tmx", "line 8: not well-formed XML (mismatched tag"),
        ("bad.po", "line 4: not a valid PO file"),
    ],
)
def test_malformed_files_exit_2_naming_file_and_line(capsys: pytest.CaptureFixture[str], name: str,
                                                     message: str) -> None:
    assert main(["eval", at(name), "--no-model"]) == 2
    assert f"input file {at(name)}, {message}" in capsys.readouterr().err


def test_xml_entities_are_refused_not_expanded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bomb.xlf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" '
                    'source-language="fr" datatype="plaintext"><body><trans-unit id="1"><source>&b;</source>'
                    "<target>&b;</target></trans-unit></body></file></xliff>", encoding="utf-8")
    assert main(["eval", str(path), "--no-model"]) == 2
    assert f"input file {path}: refused XML" in capsys.readouterr().err


def test_wrong_root_element_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlf"
    path.write_text("<notes/>", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1: root element is <notes>, expected <xliff>"):
        list(read_units([str(path)]))


def test_jsonl_and_tsv_context_reach_the_names_check(tmp_path: Path) -> None:
    # WMT12 reference (development split): Peter Englund is named in the article's line before
    context = "Le nouveau livre de Peter Englund offre profondeur et générosité."
    source = "En racontant l'histoire d'une écolière allemande, Peter Englund écrit: « Ersatz, partout ersatz. »"
    translation = "In telling a German schoolgirl's story he says: \"Ersatz, everywhere ersatz.\""
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "alone", "source": source, "translation": translation},
        {"id": "after", "source": source, "translation": translation, "context": context}]) + "\n", encoding="utf-8")
    tsv = tmp_path / "in.tsv"
    tsv.write_text(f"id\tsource\ttranslation\tcontext\nafter\t{source}\t{translation}\t{context}\n", encoding="utf-8")
    for path in (jsonl, tsv):
        out = tmp_path / f"{path.suffix}.out.jsonl"
        assert main(["eval", str(path), "--no-model", "--output", str(out)]) == 0
        _, *records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        severity = {r["id"]: [f["severity"] for f in r["flags"] if f["rule"] == "name-missing"]
                    for r in records}
        assert severity == ({"alone": ["major"], "after": ["minor"]} if path is jsonl else {"after": ["minor"]})
    jsonl.write_text(json.dumps({"id": 1, "source": source, "translation": translation, "context": 3}) + "\n",
                     encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1, field 'context': not a string"):
        list(read_jsonl_units(str(jsonl)))
