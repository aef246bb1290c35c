"""Benchmark: a 10,000-concept user glossary loaded and matched against a 1,000-sentence document.

    python -m eval.bench_terms [--concepts 10000] [--sentences 1000] [--json FILE]

Prints the contresens detector (token trie) side by side with a baseline in the same run: one
regular expression per French term variant (escaped, case-insensitive), searched in every
sentence, which is how glossary checks are often first written. The baseline runs on the
first 100 sentences only (it is that slow); times are reported per 100 sentences.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from service.glossary.concept import Concept, Glossary
from service.glossary.csv_format import read_csv, write_csv
from service.glossary.detector import TermDetector

SYLLABLES = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "tri", "pre", "con",
             "mar", "sel", "ton", "val", "jur", "dic", "tion", "ment", "ence", "age", "eur"]
FILLER = ["le", "juge", "a", "indiqué", "que", "la", "procédure", "suivait", "son", "cours", "selon", "une", "source",
          "proche", "du", "dossier", "tandis", "que", "les", "enquêteurs", "poursuivaient", "leurs", "auditions",
          "mardi", "soir", "à", "Paris"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_glossary(n: int, seed: int = 7) -> list[Concept]:
    """`n` concepts with 1-4-word French terms, a variant, approved and forbidden English words."""
    rng = random.Random(seed)
    concepts = []
    for i in range(n):
        term = " ".join(_word(rng) for _ in range(rng.randint(1, 4)))
        concepts.append(Concept(
            id=f"c{i}", domain="other", french=[term, term + " " + _word(rng)],
            approved=[f"{_word(rng)} {_word(rng)}"], forbidden=[_word(rng)],
            context_exclude=[_word(rng)] if i % 10 == 0 else [],
        ))
    return concepts


def synthetic_document(concepts: Sequence[Concept], n: int, seed: int = 11) -> list[tuple[str, str]]:
    """`n` (French, English) sentence pairs; most hold one or two glossary terms."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        words = rng.sample(FILLER, 12)
        english = []
        for _ in range(rng.randint(0, 2)):
            concept = rng.choice(concepts)
            words.insert(rng.randrange(len(words)), rng.choice(concept.french))
            english.append(rng.choice(concept.approved + concept.forbidden))
        pairs.append((" ".join(words).capitalize() + ".", "The judge said " + " and ".join(english) + "."))
    return pairs


def naive_check(patterns: list[tuple[str, re.Pattern[str]]], sentences: Sequence[str]) -> int:
    """Baseline: every term's regular expression searched in every sentence; returns the hit count."""
    return sum(1 for s in sentences for _, pattern in patterns if pattern.search(s))


def run(concepts_n: int, sentences_n: int) -> dict[str, object]:
    """Measure both approaches and return the numbers."""
    concepts = synthetic_glossary(concepts_n)
    pairs = synthetic_document(concepts, sentences_n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "user.csv"
        write_csv(concepts, path)
        started = time.perf_counter()
        detector = TermDetector(Glossary(read_csv(path)))
        load_s = time.perf_counter() - started

    started = time.perf_counter()
    flags = sum(len(detector.check(source=fr, translation=en)) for fr, en in pairs)
    trie_s = time.perf_counter() - started

    started = time.perf_counter()
    patterns = [(c.id, re.compile(r"\b" + re.escape(form) + r"\b", re.IGNORECASE)) for c in concepts for form in
                c.french]
    compile_s = time.perf_counter() - started
    sample = [fr for fr, _ in pairs[:100]]
    started = time.perf_counter()
    naive_hits = naive_check(patterns, sample)
    naive_s = time.perf_counter() - started
    trie_sample_hits = sum(len(detector.find_terms(fr)) for fr in sample)
    return {
        "concepts": concepts_n,
        "sentences": sentences_n,
        "load_s": round(load_s, 3),
        "contresens_s_per_100_sentences": round(trie_s / sentences_n * 100, 4),
        "contresens_flags": flags,
        "baseline_compile_s": round(compile_s, 3),
        "baseline_s_per_100_sentences": round(naive_s / len(sample) * 100, 4),
        "baseline_hits_first_100": naive_hits,
        "contresens_terms_first_100": trie_sample_hits,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print the comparison (and write it as JSON with --json)."""
    parser = argparse.ArgumentParser(prog="python -m eval.bench_terms", description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--sentences", type=int, default=1_000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    r = run(args.concepts, args.sentences)
    print(f"{r['concepts']} concepts, {r['sentences']} sentence pairs")
    print(f"{'':<34}{'contresens (trie)':>20}{'baseline (regex per term)':>28}")
    print(f"{'load / compile, s':<34}{r['load_s']:>20}{r['baseline_compile_s']:>28}")
    print(f"{'match, s per 100 sentences':<34}{r['contresens_s_per_100_sentences']:>20}"
          f"{r['baseline_s_per_100_sentences']:>28}")
    print(f"{'terms in the first 100 (see note)':<34}{r['contresens_terms_first_100']:>20}"
          f"{r['baseline_hits_first_100']:>28}")
    print("note: the trie reports the longest non-overlapping term at each place (context rules applied);\n"
          "      the baseline counts every pattern that hits, nested and overlapping variants included.")
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
