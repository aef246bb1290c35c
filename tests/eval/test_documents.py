"""eval.documents: the document of each line of a test set, and the source before each line, as
eval.precision gives it to the checks (`Document.context`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.documents import CONTEXT_CHARS, contexts, listed_document_ids, sgm_document_ids
from eval.inputs import InputError
from eval.precision import main

SGM = """<srcset setid="newstest2012" srclang="any">
<doc docid="a.html" genre="news" origlang="sv">
<h1>
<seg id="1">Le nouveau livre de Peter Englund offre profondeur et générosité.</seg>
</h1>
<p>
<seg id="2">En racontant l'histoire d'une écolière allemande, Peter Englund écrit: "Ersatz, partout ersatz."</seg>
</p>
</doc>
<doc docid="b.html" genre="news" origlang="fr">
<seg id="3">Peter Englund écrit: "Ersatz, partout ersatz."</seg>
</doc>
</srcset>
"""
SOURCES = ["Le nouveau livre de Peter Englund offre profondeur et générosité.",
           "En racontant l'histoire d'une écolière allemande, Peter Englund écrit: \"Ersatz, partout ersatz.\"",
           "Peter Englund écrit: \"Ersatz, partout ersatz.\""]
# WMT12 reference (development split) for the first two lines; the third is a new article, where
# "he" stands for nobody the reader has met
REFERENCES = ["Peter Englund's intense and bighearted new book is deep and generous.",
              "In telling a German schoolgirl's story he says: \"Ersatz, everywhere ersatz.\"",
              "He writes: \"Ersatz, everywhere ersatz.\""]


def test_sgm_document_ids_and_contexts(tmp_path: Path) -> None:
    path = tmp_path / "src.sgm"
    path.write_text(SGM, encoding="utf-8")
    ids = sgm_document_ids(path)
    assert ids == ["a.html", "a.html", "b.html"]
    assert contexts(SOURCES, ids) == ["", SOURCES[0], ""]
    assert contexts(SOURCES, []) == ["", "", ""]


def test_context_is_bounded_and_ids_must_match_the_lines(tmp_path: Path) -> None:
    long = ["x" * 3000, "y" * 3000, "z"]
    found = contexts(long, ["d", "d", "d"])
    assert len(found[2]) == CONTEXT_CHARS and found[2].endswith("y" * 3000)
    with pytest.raises(InputError, match="2 document ids for 3 lines"):
        contexts(long, ["d", "d"])


def test_bad_files_are_named_with_their_line(tmp_path: Path) -> None:
    sgm = tmp_path / "bad.sgm"
    sgm.write_text('<srcset>\n<seg id="1">x</seg>\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.sgm:2: <seg> outside"):
        sgm_document_ids(sgm)
    listed = tmp_path / "DOCUMENT_IDS.tsv"
    listed.write_text("bbc.1\n\nbbc.2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"DOCUMENT_IDS\.tsv:2: empty document id"):
        listed_document_ids(listed)
    listed.write_text("bbc.1\tx\nbbc.2\n", encoding="utf-8")
    assert listed_document_ids(listed) == ["bbc.1", "bbc.2"]


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _year(root: Path, *, sgm: bool) -> Path:
    year = root / "wmt12-newstest2012-fr-en"
    _write(year / "newstest2012-src.fr", SOURCES)
    _write(year / "newstest2012-ref.en", REFERENCES)
    _write(year / "system-outputs" / "newstest2012.fr-en.alpha", REFERENCES)
    _write(year / "system-outputs" / "newstest2012.fr-en.beta", REFERENCES)
    _write(year / "manual-evaluation" / "fr-en.rank", ["1\tfr-en\tsys1\tfr-en\tsys2"])
    if sgm:
        (year / "sgm").mkdir()
        (year / "sgm" / "newstest2012-src.fr.sgm").write_text(SGM, encoding="utf-8")
    return root


@pytest.mark.parametrize(("sgm", "serious"), [(False, 2), (True, 1)])
def test_precision_reads_each_line_with_its_article_before_it(tmp_path: Path, sgm: bool, serious: int) -> None:
    root = _year(tmp_path / "data", sgm=sgm)
    assert main(["--data", str(root), "--workers", "1", "--quiet", "--json", str(tmp_path / "f.json")]) == 0
    (wmt,) = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))["human"]
    # without document ids both "he" lines miss Peter Englund (major); with them only the new article's
    assert wmt["by_rule"]["name/name-missing"]["flags"] == 2
    assert round(wmt["serious_pct"] * 3 / 100) == serious
