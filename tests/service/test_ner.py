"""The named-entity recogniser: one spaCy pipeline per process, loaded on first use, batched, cached."""

from __future__ import annotations

import subprocess
import sys

import pytest

from service.ner import EntityRecognizer, RecognizerUnavailableError, recognizer


def test_entities_have_offsets_labels_and_text() -> None:
    text = "Le président François Hollande a reçu à Paris le secrétaire général de l'ONU."
    found = recognizer("fr").entities(text)
    assert ("François Hollande", "PER") in [(e.text, e.label) for e in found]
    assert all(text[e.start : e.end] == e.text for e in found)
    assert recognizer("de") is None  # no pipeline known: the names check falls back to capitals


def test_the_pipeline_loads_once_per_process_without_torch() -> None:
    code = (
        "import sys\n"
        "from service.checker import Checker, Document\n"
        "from service.config import Settings\n"
        "from service.checks.base import CheckInput\n"
        "from service.checks.names import check_names\n"
        "from service.ner import EntityRecognizer\n"
        "checker = Checker.rules_only(Settings(cache=False))\n"
        "docs = [Document(f'Karim Vasseur est arrivé à Lyon le {d} mai.', f'Karim Vasseur arrived in Lyon on May {d}.')"
        " for d in range(1, 30)]\n"
        "checker.check_many(docs)\n"
        "checker.check(source='Marie Dubois a parlé.', translation='Marie Dubois spoke.')\n"
        "check_names(CheckInput('Jean Martin vit à Nantes.', 'Jean Martin lives in Nantes.'))\n"
        "print(EntityRecognizer.loads, 'torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["1", "False"]


def test_batches_go_through_one_pipe_and_results_are_cached() -> None:
    ner = recognizer("fr")
    assert ner is not None
    texts = ["Sophie Marchal habite à Rennes.", "La SNCF a présenté ses excuses.", "Sophie Marchal habite à Rennes."]
    first = ner.entities_many(texts)
    assert first[0] == first[2]
    assert ner.entities_many(texts[:1]) == first[:1]  # from the cache: same objects back
    assert ner.entities_many(texts[:1])[0] is first[0]


def test_a_missing_pipeline_says_how_to_install_it() -> None:
    with pytest.raises(RecognizerUnavailableError, match=r"pip install fr-core-news-xx.*--skip-checks names"):
        EntityRecognizer("fr_core_news_xx").entities("Bonjour Paris.")
