"""Reading a Potet-style post-edit corpus, HTER with explicit case/tokenization handling, agreement figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.inputs import InputError
from eval.meta.potet import (
    DIRNAME,
    MT_FILE,
    POST_EDIT_FILE,
    SOURCE_FILE,
    detokenize,
    hter,
    hter_agreement,
    load_potet,
    subset,
)

# Six segments as in the corpus: French source, lowercased Moses-tokenized MT, truecased natural post-edit.
SOURCES = ["Le chat dort.", "La menace de la Russie.", "Il a dit « statut final ».", "Le chien mange la viande.",
           "La maison est bleue.", "Bonjour"]
MT = ["the cat sleeps .", "russia 's threat .", 'he said " final status " .', "the dog eats the the meat .",
      "the house is red .", "hello"]
POST_EDITS = ["The cat sleeps.", "Russia's threat.", 'He said "final status".', "The dog eats the meat.",
              "The house is blue.", "Hello"]
# Segments 0-2 and 5 differ from their post-edit only in case and tokenization; segment 3 has one
# word to delete out of 6 post-edit tokens, segment 4 one substitution out of 5.
EXPECTED_HTER = [0.0, 0.0, 0.0, 1 / 6, 1 / 5, 0.0]


def write_corpus(root: Path, *, sources=SOURCES, mt=MT, post_edits=POST_EDITS) -> Path:
    folder = root / DIRNAME
    folder.mkdir(parents=True)
    for name, lines in ((SOURCE_FILE, sources), (MT_FILE, mt), (POST_EDIT_FILE, post_edits)):
        (folder / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return folder


def test_loads_aligned_segments_from_the_data_folder_or_the_corpus_folder(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path)
    data = load_potet(tmp_path)
    assert len(data) == 6
    assert data.sources == SOURCES and data.mt == MT and data.post_edits == POST_EDITS
    assert data.line_indices == list(range(6))
    assert load_potet(folder).mt == MT


def test_documents_are_blocks_of_consecutive_segments(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    assert load_potet(tmp_path).documents == ["block-0000"] * 6
    assert load_potet(tmp_path, block_size=4).documents == ["block-0000"] * 4 + ["block-0001"] * 2


def test_scorers_get_detokenized_recased_mt(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    assert load_potet(tmp_path).mt_detok == ["The cat sleeps.", "Russia's threat.", 'He said "final status".',
                                              "The dog eats the the meat.", "The house is red.", "Hello"]
    assert detokenize("i think i 'm right , i.e. as did i .") == "I think I'm right, i.e. as did I."
    assert detokenize('" the end , " he said .') == '"The end," he said.'


def test_unequal_line_counts_name_the_files(tmp_path: Path) -> None:
    write_corpus(tmp_path, post_edits=POST_EDITS[:5])
    with pytest.raises(InputError, match=rf"not line-aligned .*{SOURCE_FILE}: 6 lines.*{POST_EDIT_FILE}: 5 lines"):
        load_potet(tmp_path)


def test_an_empty_line_is_reported_with_file_and_line(tmp_path: Path) -> None:
    write_corpus(tmp_path, mt=MT[:2] + ["  "] + MT[3:])
    with pytest.raises(InputError, match=rf"MT file .*{MT_FILE}, line 3: empty"):
        load_potet(tmp_path)


def test_bad_utf8_and_missing_files_are_reported(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path)
    (folder / SOURCE_FILE).write_bytes(b"ligne un\nligne deux\n" + b"caf\xe9\n")
    with pytest.raises(InputError, match=rf"{SOURCE_FILE}, line 3: not valid UTF-8"):
        load_potet(tmp_path)
    (folder / SOURCE_FILE).unlink()
    with pytest.raises(InputError, match=rf"{SOURCE_FILE}: not found"):
        load_potet(tmp_path)


def test_hter_ignores_case_and_tokenization_only(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    data = load_potet(tmp_path)
    assert hter(data.mt, data.post_edits) == pytest.approx(EXPECTED_HTER)
    # The same holds for MT in natural form once it is said not to be tokenized.
    assert hter(data.mt_detok, data.post_edits, mt_tokenized=False) == pytest.approx(EXPECTED_HTER)
    # Without the tokenization step the natural MT would look wrong: the handling is what makes HTER 0.
    assert hter(["Russia's threat."], ["Russia's threat."], mt_tokenized=True)[0] > 0.0


def test_hter_counts_edits_per_post_edit_word() -> None:
    assert hter(["a b c d"], ["A B C D E"]) == pytest.approx([1 / 5])  # one insertion
    assert hter(["x y"], ["A B"]) == pytest.approx([1.0])  # two substitutions for two words
    with pytest.raises(ValueError, match="one post-edit per MT segment"):
        hter(["a"], ["A", "B"])


def test_agreement_is_with_negated_hter() -> None:
    rng = np.random.default_rng(0)
    values = rng.uniform(0.0, 0.8, size=60).tolist()
    good = [-v + rng.normal(scale=0.05) for v in values]  # higher score = fewer edits
    figures = hter_agreement(good, values, resamples=300, seed=0)
    assert set(figures) == {"pearson", "spearman", "pearson_ci", "spearman_ci", "segments"}
    assert figures["segments"] == 60
    assert figures["pearson"] > 0.9 and figures["spearman"] > 0.9
    for estimate, (low, high) in ((figures["pearson"], figures["pearson_ci"]),
                                  (figures["spearman"], figures["spearman_ci"])):
        assert low <= estimate <= high
    bad = hter_agreement(values, values, resamples=100, seed=0)  # a scorer that rewards edits
    assert bad["pearson"] == pytest.approx(-1.0) and bad["spearman"] == pytest.approx(-1.0)
    assert hter_agreement(good, values, resamples=300, seed=0) == figures  # same seed, same figures
    with pytest.raises(ValueError, match="got 2 scores for 3 HTER values"):
        hter_agreement([0.1, 0.2], [0.1, 0.2, 0.3])


def test_subset_is_a_deterministic_sample_in_corpus_order(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    data = load_potet(tmp_path, block_size=2)
    sample = subset(data, 3, seed=5)
    assert len(sample) == 3
    assert sample.line_indices == sorted(sample.line_indices)
    assert subset(data, 3, seed=5) == sample
    assert any(subset(data, 3, seed=s).line_indices != sample.line_indices for s in range(6, 12))
    for position, line in enumerate(sample.line_indices):
        assert sample.mt[position] == MT[line]
        assert sample.post_edits[position] == POST_EDITS[line]
        assert sample.sources[position] == SOURCES[line]
        assert sample.mt_detok[position] == data.mt_detok[line]
        assert sample.documents[position] == f"block-{line // 2:04d}"
    assert subset(data, 10) is data
    with pytest.raises(ValueError, match="at least one segment"):
        subset(data, 0)
