"""Challenge-set scoring (eval.challenge) and the eval.terms entry point."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.challenge import Item, parse_expected, read_challenge, score
from eval.inputs import InputError
from eval.terms import main as terms_main
from tests.conftest import ROOT

MINI = str(ROOT / "tests" / "data" / "glossary" / "mini.csv")


def write(path: Path, rows: list[str]) -> str:
    path.write_text("id\tsource\ttranslation\texpected\tnote\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_score_counts_per_group(tmp_path: Path) -> None:
    path = write(tmp_path / "c.tsv", ["r1\ts\tt\ta:x;b:y\t", "r2\ts\tt\t\t", "r3\ts\tt\ta:x\t"])
    predictions = {"r1": Counter({("a", "x"): 1}), "r2": Counter({("b", "z"): 1}), "r3": Counter({("a", "x"): 1})}

    def predict(row: dict[str, str]) -> Counter[Item]:
        return predictions[row["id"]]

    result = score(read_challenge(path), predict, group=lambda item: item[0])
    assert (result.groups["a"].tp, result.groups["a"].fp, result.groups["a"].fn) == (2, 0, 0)
    assert (result.groups["b"].tp, result.groups["b"].fp, result.groups["b"].fn) == (0, 1, 1)
    assert (result.overall.precision, result.overall.recall) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert [e["id"] for e in result.errors] == ["r1", "r2"]


def test_bad_expected_items_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="line 3, field 'expected': 'oops' is not of the form a:b"):
        parse_expected("oops", "c.tsv, line 3")
    path = tmp_path / "bad.tsv"
    path.write_text("id\tsource\ttranslation\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"header lacks column\(s\) expected"):
        read_challenge(str(path))


def test_eval_terms_prints_precision_and_recall(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "terms.tsv", [
        "t1\tLe parquet de Paris a ouvert une enquête.\tThe Paris floor opened an investigation."
        "\tforbidden-rendering:parquet\terror",
        "t2\tUn parquet en chêne massif.\tA solid oak floor.\t\teveryday sense",
        "t3\tIl est en garde à vue.\tHe is in police custody.\tmissing-approved-rendering:garde-a-vue\twrong label",
    ])
    assert terms_main([path, "--no-builtin-glossary", "--glossary", MINI]) == 0
    out = capsys.readouterr().out
    table = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:-1]}
    assert table["forbidden-rendering"] == ["1", "0", "0", "1.000", "1.000"]
    assert table["missing-approved-rendering"] == ["0", "0", "1", "1.000", "0.000"]
    assert table["overall"] == ["1", "0", "1", "1.000", "0.500"]
    assert "3 rows, 1 with a difference" in out
