"""Termbase files: CSV/TSV and TBX reading, writing, errors, merging and checksums."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from service.glossary.concept import Concept, Glossary
from service.glossary.csv_format import COLUMNS, read_csv, write_csv
from service.glossary.errors import GlossaryFormatError
from service.glossary.loading import load_glossary, read_concepts
from service.glossary.tbx_format import read_tbx, to_tbx, write_tbx
from tests.conftest import ROOT

MINI = ROOT / "tests" / "data" / "glossary" / "mini.csv"
HEADER = ",".join(c for c in COLUMNS if c != "check")  # the layout before the check column


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_reads_every_field() -> None:
    parquet = {c.id: c for c in read_csv(MINI)}["parquet"]
    assert parquet.french == ["parquet", "ministère public"]
    assert parquet.approved == ["prosecutor's office", "prosecutors", "prosecution"]
    assert parquet.forbidden == ["floor", "flooring"]
    assert parquet.context_exclude == ["chêne", "bois", "lame", "massif"]
    assert (parquet.domain, parquet.severity, parquet.do_not_translate) == ("prosecution", "major", False)
    assert {c.id: c for c in read_csv(MINI)}["junalco"].do_not_translate is True


def test_csv_and_tsv_round_trip(tmp_path: Path) -> None:
    concepts = read_csv(MINI)
    for name in ("out.csv", "out.tsv"):
        write_csv(concepts, tmp_path / name)
        assert read_csv(tmp_path / name) == concepts


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        ("x1,court,tribunal,,court,,maybe,major,,,,\n", 2, "do_not_translate", "expected yes or no"),
        ("x1,court,tribunal,,court,,no,fatal,,,,\n", 2, "severity", "Input should be"),
        ("x1,court,tribunal,,,,no,major,,,,\n", 2, "english_approved", "at least 1 item"),
        ("Bad Id,court,tribunal,,court,,no,major,,,,\n", 2, "id", "String should match pattern"),
        ("x1,court,tribunal,,court,,no,major,,,,\nx1,court,cour,,court,,no,major,,,,\n", 3, "id", "already used"),
        ("x1,court,tribunal,,court,court,no,major,,,,\n", 2, "english_forbidden", "both approved and forbidden"),
        ("x1,space,tribunal,,court,,no,major,,,,\n", 2, "domain", "unknown domain"),
        ("x1,court,tribunal,,court\n", 2, None, "expected 12 fields"),
    ],
)
def test_csv_errors_name_file_line_and_field(tmp_path: Path, body: str, line: int, field: str | None,
                                             message: str) -> None:
    path = write(tmp_path / "bad.csv", HEADER + "\n" + body)
    with pytest.raises(GlossaryFormatError) as info:
        read_csv(path)
    error = info.value
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert message in str(error)
    assert str(error).startswith(f"{path}, line {line}")


def test_csv_header_errors(tmp_path: Path) -> None:
    with pytest.raises(GlossaryFormatError, match=r"line 1: header lacks column\(s\) english_approved"):
        read_csv(write(tmp_path / "a.csv", "id,french\nx,y\n"))
    with pytest.raises(GlossaryFormatError, match=r"unknown column\(s\) colour"):
        read_csv(write(tmp_path / "b.csv", HEADER + ",colour\n"))
    with pytest.raises(GlossaryFormatError, match="not valid UTF-8"):
        (tmp_path / "c.csv").write_bytes(HEADER.encode() + b"\nx,court,\xff,,a,,no,major,,,,\n")
        read_csv(tmp_path / "c.csv")


def test_tbx_round_trip(tmp_path: Path) -> None:
    concepts = read_csv(MINI)
    write_tbx(concepts, tmp_path / "mini.tbx")
    assert read_tbx(tmp_path / "mini.tbx") == concepts
    text = (tmp_path / "mini.tbx").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic"')
    assert "deprecatedTerm-admn-sts" in text and text.count("<?xml") == 1


def test_tbx_v3_concept_entries(tmp_path: Path) -> None:
    path = write(tmp_path / "v3.tbx", """<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="fr" xmlns="urn:iso:std:iso:30042:ed-2">
 <text><body>
  <conceptEntry id="relaxe">
   <langSec xml:lang="fr"><termSec><term>relaxe</term></termSec></langSec>
   <langSec xml:lang="en">
    <termSec><term>acquittal</term></termSec>
    <termSec><term>relaxation</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
   </langSec>
  </conceptEntry>
 </body></text>
</tbx>""")
    [concept] = read_tbx(path)
    assert (concept.id, concept.french, concept.approved, concept.forbidden) == (
        "relaxe", ["relaxe"], ["acquittal"], ["relaxation"])


def test_tbx_errors_name_the_line(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.tbx", "<martif>\n<text><body>\n<termEntry id='a'>\n</body></text></martif>")
    with pytest.raises(GlossaryFormatError, match="not well-formed XML") as info:
        read_tbx(broken)
    assert info.value.line == 4
    no_english = write(tmp_path / "noen.tbx", "<martif><text><body>\n\n<termEntry id='a'>"
                       "<langSet xml:lang='fr'><tig><term>parquet</term></tig></langSet></termEntry>"
                       "</body></text></martif>")
    with pytest.raises(GlossaryFormatError, match="termEntry 'a'") as info:
        read_tbx(no_english)
    assert (info.value.line, info.value.field) == (3, "approved")
    with pytest.raises(GlossaryFormatError, match="root element is <html>"):
        read_tbx(write(tmp_path / "html.tbx", "<html/>"))


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = write(tmp_path / "bomb.tbx", f'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY lol0 "lol">{entities}]>'
                 "<martif><text><body><termEntry id='a'><note>&lol9;</note></termEntry></body></text></martif>")
    started = time.perf_counter()
    with pytest.raises(GlossaryFormatError, match="refused"):
        read_tbx(bomb)
    assert time.perf_counter() - started < 1.0
    external = write(tmp_path / "ext.tbx", '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     "<martif>&x;</martif>")
    with pytest.raises(GlossaryFormatError, match="refused"):
        read_tbx(external)


def test_merge_user_entries_win(tmp_path: Path) -> None:
    builtin = Glossary(read_csv(MINI), name="builtin")
    user = write(tmp_path / "user.csv", HEADER + "\n"
                 "my-parquet,prosecution,Parquet,,public prosecutor,floor,no,minor,,,house style,\n"
                 "junalco,prosecution,Junalco,,Junalco,,yes,critical,,,,\n"
                 "new-term,court,tribunal de police,,police court,,no,major,,,,\n")
    merged = builtin.merged_with(Glossary(read_concepts(user), name="user"))
    ids = [c.id for c in merged]
    assert "parquet" not in ids and "my-parquet" in ids and "new-term" in ids
    assert merged.get("junalco").severity == "critical"
    assert len(merged) == len(builtin) + 1
    assert merged.checksum != builtin.checksum


def test_checksum_is_stable_and_content_based() -> None:
    a, b = Glossary(read_csv(MINI)), Glossary(list(reversed(read_csv(MINI))))
    assert a.checksum == b.checksum and a.checksum.startswith("sha256:")
    changed = [c if c.id != "parquet" else c.model_copy(update={"severity": "minor"}) for c in read_csv(MINI)]
    assert Glossary(changed).checksum != a.checksum


def test_unknown_extension_and_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(GlossaryFormatError, match="unknown termbase format '.docx'"):
        read_concepts(tmp_path / "terms.docx")
    concept = Concept(id="a", french=["x"], approved=["y"])
    with pytest.raises(ValueError, match="appears twice"):
        Glossary([concept, concept])


def test_load_glossary_without_builtin(tmp_path: Path) -> None:
    glossary = load_glossary([MINI], builtin=False)
    assert len(glossary) == len(read_csv(MINI))


def test_tbx_export_is_valid_input_for_the_loader(tmp_path: Path) -> None:
    data = to_tbx(read_csv(MINI))
    (tmp_path / "x.xml").write_bytes(data)
    assert read_concepts(tmp_path / "x.xml") == read_csv(MINI)


def test_builtin_termbase_round_trips_through_tbx(tmp_path: Path) -> None:
    from service.glossary.loading import load_builtin

    builtin = list(load_builtin())
    write_tbx(builtin, tmp_path / "builtin.tbx")
    again = read_tbx(tmp_path / "builtin.tbx")
    assert again == builtin
    assert Glossary(again).checksum == Glossary(builtin).checksum
