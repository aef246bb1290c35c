"""Loading a WMT year: sysN mapping by case-insensitive file order, 1-based srcIndex, file:line errors.

`write_year` builds a small synthetic WMT layout with known answers; the CLI tests use it too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.inputs import InputError
from eval.meta.data import Judgment, load_wmt_year

SOURCES = [
    "Le chat dort sur le canapé.",
    "Il pleut depuis trois jours à Paris.",
    "Le tribunal a rendu son jugement hier.",
    "Les élèves partent en vacances demain.",
]
REFERENCES = [
    "The cat is sleeping on the sofa.",
    "It has been raining for three days in Paris.",
    "The court delivered its judgment yesterday.",
    "The pupils go on holiday tomorrow.",
]
# Case-insensitive order of the file names: alpha (sys1), beta (sys2), Zeta (sys3), while a
# case-sensitive sort would put Zeta first. Zeta copies the reference, alpha is close, beta is bad.
OUTPUTS = {
    "alpha": [
        "The cat sleeps on the couch.",
        "It rains since three days in Paris.",
        "The tribunal gave its judgment yesterday.",
        "The students leave on holiday tomorrow.",
    ],
    "beta": [
        "Cat sofa.",
        "Rain Paris.",
        "Court yesterday.",
        "Pupils tomorrow.",
    ],
    "Zeta": REFERENCES,
}
# Every line says: the better system by the reference-based metrics beats the worse one.
RANK_LINES = [
    "1\tfr-en\tsys3\tfr-en\tsys1",
    "1\tfr-en\tsys3\tfr-en\tsys2",
    "1\tfr-en\tsys1\tfr-en\tsys2",
    "2\tfr-en\tsys3\tfr-en\tsys1",
    "2\tfr-en\tsys1\tfr-en\tsys2",
    "3\tfr-en\tsys3\tfr-en\tsys2",
    "3\tfr-en\tsys1\tfr-en\tsys2",
    "4\tfr-en\tsys3\tfr-en\tsys1",
    "4\tfr-en\tsys3\tfr-en\tsys2",
    "4\tfr-en\tsys1\tfr-en\tsys2",
]


def write_year(root: Path, year: int = 14, *, outputs: dict[str, list[str]] | None = None,
               rank_lines: list[str] | None = None, sources: list[str] | None = None,
               references: list[str] | None = None, source_name: str | None = None) -> Path:
    """A WMT-like year folder `root/wmtYY-newstest20YY-fr-en` with the texts and judgments given
    (default: the module's constants); returns `root`."""
    folder = root / f"wmt{year}-newstest20{year}-fr-en"
    (folder / "system-outputs").mkdir(parents=True)
    (folder / "manual-evaluation").mkdir()
    (folder / (source_name or f"newstest20{year}-src.fr")).write_text("\n".join(sources or SOURCES) + "\n",
                                                                       encoding="utf-8")
    (folder / f"newstest20{year}-ref.en").write_text("\n".join(references or REFERENCES) + "\n", encoding="utf-8")
    for name, lines in (outputs or OUTPUTS).items():
        (folder / "system-outputs" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = RANK_LINES if rank_lines is None else rank_lines
    (folder / "manual-evaluation" / "fr-en.rank").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_sys_numbers_follow_case_insensitive_file_order_and_indices_are_one_based(tmp_path: Path) -> None:
    year = load_wmt_year(write_year(tmp_path), 14)
    assert year.year == 2014
    assert year.judgments[0] == Judgment(segment=0, better="Zeta", worse="alpha")
    assert year.judgments[1] == Judgment(segment=0, better="Zeta", worse="beta")
    assert year.judgments[-1] == Judgment(segment=3, better="alpha", worse="beta")
    assert list(year.outputs) == ["alpha", "beta", "Zeta"]
    assert year.sources == SOURCES and year.references == REFERENCES
    assert year.outputs["Zeta"] == REFERENCES
    assert year.judged_systems == sorted(["Zeta", "alpha", "beta"])


def test_a_year_can_be_named_with_four_digits(tmp_path: Path) -> None:
    assert load_wmt_year(write_year(tmp_path, 12), 2012).year == 2012


def test_source_file_without_dash_is_found(tmp_path: Path) -> None:
    year = load_wmt_year(write_year(tmp_path, source_name="newstest2014src.fr"), 14)
    assert year.sources == SOURCES


def test_output_whitespace_is_normalised(tmp_path: Path) -> None:
    outputs = dict(OUTPUTS, beta=["Cat   sofa.  ", "  Rain Paris.", "Court\tyesterday.", "Pupils tomorrow. "])
    year = load_wmt_year(write_year(tmp_path, outputs=outputs), 14)
    assert year.outputs["beta"] == ["Cat sofa.", "Rain Paris.", "Court yesterday.", "Pupils tomorrow."]


def test_repeated_judgments_are_all_kept(tmp_path: Path) -> None:
    lines = ["2\tfr-en\tsys1\tfr-en\tsys2"] * 3 + ["2\tfr-en\tsys2\tfr-en\tsys1"]
    year = load_wmt_year(write_year(tmp_path, rank_lines=lines), 14)
    assert year.judgments == [Judgment(1, "alpha", "beta")] * 3 + [Judgment(1, "beta", "alpha")]


@pytest.mark.parametrize(("line", "reason"), [
    ("1\tfr-en\tsys3\tfr-en", "expected 5 tab-separated fields"),
    ("1 fr-en sys3 fr-en sys1", "expected 5 tab-separated fields"),
    ("one\tfr-en\tsys3\tfr-en\tsys1", "srcIndex 'one' is not a positive integer"),
    ("0\tfr-en\tsys3\tfr-en\tsys1", "srcIndex 0 is outside the 4 source lines"),
    ("5\tfr-en\tsys3\tfr-en\tsys1", "srcIndex 5 is outside the 4 source lines"),
    ("1\tfr-en\tsys4\tfr-en\tsys1", "sys4 does not exist: system-outputs/ holds 3 files"),
    ("1\tfr-en\tsys0\tfr-en\tsys1", "system 'sys0' is not of the form sysN"),
    ("1\tfr-en\tonlineA\tfr-en\tsys1", "system 'onlineA' is not of the form sysN"),
    ("1\tde-en\tsys3\tde-en\tsys1", "fields 2 and 4 must be 'fr-en'"),
    ("1\tfr-en\tsys2\tfr-en\tsys2", "compared with itself"),
])
def test_a_bad_rank_line_is_reported_with_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    write_year(tmp_path, rank_lines=RANK_LINES[:2] + [line] + RANK_LINES[2:])
    with pytest.raises(InputError) as caught:
        load_wmt_year(tmp_path, 14)
    message = str(caught.value)
    assert "fr-en.rank:3:" in message
    assert reason in message


def test_an_output_with_a_missing_line_is_named(tmp_path: Path) -> None:
    write_year(tmp_path, outputs=dict(OUTPUTS, beta=OUTPUTS["beta"][:3]))
    with pytest.raises(InputError, match=r"system-outputs/beta: 3 lines, but the source .* has 4"):
        load_wmt_year(tmp_path, 14)


def test_a_reference_of_another_length_is_refused(tmp_path: Path) -> None:
    write_year(tmp_path, references=REFERENCES + ["One more line."])
    with pytest.raises(InputError, match=r"ref\.en: 5 lines, but the source"):
        load_wmt_year(tmp_path, 14)


def test_a_missing_year_folder_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"wmt13-newstest2013-fr-en not found"):
        load_wmt_year(write_year(tmp_path), 13)


def test_invalid_utf8_names_the_file_and_line(tmp_path: Path) -> None:
    write_year(tmp_path)
    (tmp_path / "wmt14-newstest2014-fr-en" / "newstest2014-ref.en").write_bytes(b"fine\nbad \xff byte\n")
    with pytest.raises(InputError, match=r"ref\.en, line 2: not valid UTF-8"):
        load_wmt_year(tmp_path, 14)
