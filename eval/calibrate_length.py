"""Calibrate the length-ratio check on real French-English news, and measure it.

    python -m eval.calibrate_length --data ../shared/data

Fits the Gale-Church length model (English characters ~ c * French characters, variance s2 per
French character) on WMT13 newstest (source and human reference), then on WMT14 newstest
reports the false-alarm rate of the fitted model at several thresholds (human translations
should almost never be flagged) and the detection rate on the same sentences with the second
half of the English cut off or with an unrelated sentence appended (what a partial omission or
a hallucinated addition looks like). The constants in `service/checks/length.py` come from here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from service.checks.length import length_delta

WMT13 = ("wmt13-newstest2013-fr-en/newstest2013-src.fr", "wmt13-newstest2013-fr-en/newstest2013-ref.en")
WMT14 = ("wmt14-newstest2014-fr-en/newstest2014-fren-src.fr", "wmt14-newstest2014-fr-en/newstest2014-fren-ref.en")


def load(data: Path, files: tuple[str, str]) -> list[tuple[str, str]]:
    """Line-aligned (French, English) pairs."""
    french = (data / files[0]).read_text(encoding="utf-8").splitlines()
    english = (data / files[1]).read_text(encoding="utf-8").splitlines()
    return [(f.strip(), e.strip()) for f, e in zip(french, english) if f.strip() and e.strip()]


def fit(pairs: Sequence[tuple[str, str]]) -> tuple[float, float]:
    """Least-squares ratio c and per-character variance s2 of English length given French length."""
    ratio = sum(len(e) for _, e in pairs) / sum(len(f) for f, _ in pairs)
    variance = sum((len(e) - ratio * len(f)) ** 2 / max(1, len(f)) for f, e in pairs) / len(pairs)
    return ratio, variance


def _halve(text: str) -> str:
    cut = text.rfind(" ", 0, len(text) // 2)
    return text[: cut if cut > 0 else len(text) // 2]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the fit and the rates."""
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate_length", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding the WMT13 and WMT14 fr-en folders")
    args = parser.parse_args(argv)
    train, test = load(args.data, WMT13), load(args.data, WMT14)
    ratio, variance = fit(train)
    print(f"fit on WMT13 newstest ({len(train)} pairs): ratio c = {ratio:.3f}, variance s2 = {variance:.2f}")
    filler = [e for _, e in test[1::7]]
    print(f"{'threshold |z|':>14} {'false alarms (WMT14 refs)':>27} {'half cut off':>14} {'sentence appended':>18}")
    for threshold in (2.5, 3.0, 3.5, 4.0):
        def flagged(f: str, e: str, t: float = threshold) -> bool:
            return abs(length_delta(f, e, ratio=ratio, variance=variance)) > t

        false_alarms = sum(flagged(f, e) for f, e in test) / len(test)
        halved = sum(flagged(f, _halve(e)) for f, e in test) / len(test)
        appended = sum(flagged(f, e + " " + filler[i % len(filler)]) for i, (f, e) in enumerate(test)) / len(test)
        print(f"{threshold:>14.1f} {false_alarms:>27.2%} {halved:>14.1%} {appended:>18.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
