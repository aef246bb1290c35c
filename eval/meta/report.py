"""Writing the meta-evaluation figures: `meta.md` (tables), `meta.json`, `tau.png` and `hter.png`.

The input is the JSON document of `eval.meta.cli.run`: `{"wmt12": {scorer: {...}}, ..., "potet-hter":
{scorer: {...}}, "run": {...}}`. Plots are drawn with matplotlib's object API (`Figure`, Agg canvas),
so no display and no global pyplot state are involved.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

POTET_KEY = "potet-hter"
# Published segment-level figures the harness is validated against: (year key, scorer) -> (tau, where).
PUBLISHED = {
    ("wmt14", "sentbleu"): (0.378, "WMT14 metrics task (Machacek and Bojar 2014), segment-level results, fr-en, "
                                   "sentBLEU"),
}


def year_keys(results: dict[str, Any]) -> list[str]:
    """The WMT year keys of the results ("wmt12", ...), in year order."""
    return sorted(k for k in results if k.startswith("wmt") and isinstance(results[k], dict))


def scorer_names(results: dict[str, Any]) -> list[str]:
    """Every scorer that has a figure anywhere in the results, in first-seen order."""
    names: dict[str, None] = {}
    for key in [*year_keys(results), POTET_KEY]:
        names.update(dict.fromkeys(results.get(key, {})))
    return list(names)


def _number(value: Any, digits: int = 3) -> str:
    return "n/a" if value is None or (isinstance(value, float) and not math.isfinite(value)) else f"{value:.{digits}f}"


def with_ci(value: Any, ci: Sequence[float] | None) -> str:
    """`0.378 [0.364, 0.392]`, or the value alone without an interval, `n/a` without a value."""
    if value is None:
        return "n/a"
    if not ci:
        return _number(value)
    return f"{_number(value)} [{_number(ci[0])}, {_number(ci[1])}]"


def _title(key: str) -> str:
    return key.upper()


def markdown(results: dict[str, Any]) -> str:
    """The Markdown report: segment-level tau, system-level correlations and HTER correlations."""
    years, names = year_keys(results), scorer_names(results)
    about = results.get("run", {})
    lines = ["# Meta-evaluation: agreement with human judges", ""]
    if about:
        lines += [f"Data: `{about.get('data')}`; bootstrap: {about.get('resamples')} resamples, seed "
                  f"{about.get('seed')}; limit: {about.get('limit') or 'none'}. Intervals are 95% percentile "
                  "bootstrap intervals.", ""]
    if years:
        lines += ["## Segment-level Kendall tau (WMT fr-en pairwise human rankings)", "",
                  "| scorer | " + " | ".join(f"{_title(y)} tau [95% CI] | pairs" for y in years) + " |",
                  "|---|" + "---:|---:|" * len(years)]
        for name in names:
            cells = []
            for year in years:
                f = results[year].get(name)
                cells += [with_ci(f["tau"], f.get("ci")), str(f["pairs"])] if f else ["", ""]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
        for (year, name), (tau, where) in PUBLISHED.items():
            ours = (results.get(year, {}).get(name) or {}).get("tau")
            if ours is not None:
                lines.append(f"* Validation: {name} {_title(year)} tau {ours:.3f}; published {tau:.3f} ({where}); "
                             f"difference {ours - tau:+.3f}.")
        formulas = about.get("formulas", {})
        for year in years:
            formula = next((f.get("formula") for f in results[year].values() if f.get("formula")), None)
            if formula:
                lines.append(f"* {_title(year)}: tau = {formulas.get(formula, formula)}.")
        lines += ["", "## System-level correlation with the human system scores", "",
                  "| scorer | " + " | ".join(f"{_title(y)} Pearson [95% CI] | {_title(y)} Spearman [95% CI]"
                                            for y in years) + " |",
                  "|---|" + "---:|---:|" * len(years)]
        for name in names:
            cells = []
            for year in years:
                system = (results[year].get(name) or {}).get("system") or {}
                cells += [with_ci(system.get("pearson"), system.get("pearson_ci")),
                          with_ci(system.get("spearman"), system.get("spearman_ci"))]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
        if about.get("system_score"):
            lines += [f"A system's metric score: the {about['system_score']}.", ""]
    lines += ["## Correlation with minus HTER (Potet et al. 2012 post-edits)", ""]
    hter = results.get(POTET_KEY)
    if hter:
        lines += ["| scorer | Pearson [95% CI] | Spearman [95% CI] | segments |", "|---|---:|---:|---:|"]
        for name, f in hter.items():
            lines.append(f"| {name} | {with_ci(f.get('pearson'), f.get('pearson_ci'))} | "
                         f"{with_ci(f.get('spearman'), f.get('spearman_ci'))} | {f.get('segments', '')} |")
        lines.append("")
    else:
        lines += ["Not run (no Potet data, --no-potet, or only reference-based scorers).", ""]
    skipped = about.get("potet", {}).get("skipped_reference_based")
    if skipped:
        lines += [f"Not run on the post-edits (reference-based; the only reference is the post-edit itself): "
                  f"{', '.join(skipped)}.", ""]
    errors = [(f"{key} {name}", f["error"]) for key in [*years, POTET_KEY] for name, f in results.get(key, {}).items()
              if f.get("error")]
    errors += [(f"{key} {name} system level", f["system"]["error"]) for key in years
               for name, f in results[key].items() if (f.get("system") or {}).get("error")]
    if errors:
        lines += ["## Figures without an interval or a value", ""]
        lines += [f"* {where}: {error}" for where, error in errors] + [""]
    return "\n".join(lines)


def _grouped_bars(path: Path, groups: Sequence[str], series: dict[str, list[tuple[float, float, float]]],
                  ylabel: str, title: str) -> Path:
    """Bars per group (x) and series (colour), each (value, low, high) drawn with its interval."""
    figure = Figure(figsize=(max(6.0, 1.2 * len(groups) * max(1, len(series)) / 2 + 2), 4.5))
    axes = figure.subplots()
    width = 0.8 / max(1, len(series))
    for k, (label, points) in enumerate(series.items()):
        xs = [g + (k - (len(series) - 1) / 2) * width for g in range(len(groups))]
        values = [p[0] for p in points]
        errors = [[max(0.0, p[0] - p[1]) for p in points], [max(0.0, p[2] - p[0]) for p in points]]
        axes.bar(xs, values, width, yerr=errors, capsize=3, label=label)
    axes.set_xticks(range(len(groups)))
    axes.set_xticklabels(groups, rotation=30, ha="right")
    axes.axhline(0.0, color="black", linewidth=0.8)
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    if series:
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return path


def _point(value: Any, ci: Sequence[float] | None) -> tuple[float, float, float]:
    """(value, low, high) with nan for what is missing, so a missing bar is simply not drawn."""
    v = float("nan") if value is None else float(value)
    low, high = (ci[0], ci[1]) if ci else (v, v)
    return v, float(low), float(high)


def tau_plot(results: dict[str, Any], path: Path) -> Path:
    """Bar chart of segment-level tau per scorer, one bar per WMT year, with the 95% intervals."""
    names = scorer_names(results)
    series = {}
    for year in year_keys(results):
        series[_title(year)] = [_point((results[year].get(n) or {}).get("tau"), (results[year].get(n) or {}).get("ci"))
                                for n in names]
    return _grouped_bars(path, names, series, "Kendall tau", "Segment-level agreement with WMT fr-en judges")


def hter_plot(results: dict[str, Any], path: Path) -> Path:
    """Bar chart of Pearson and Spearman with minus HTER per scorer, with the 95% intervals."""
    hter = results.get(POTET_KEY, {})
    names = list(hter)
    series = {measure.capitalize(): [_point(hter[n].get(measure), hter[n].get(f"{measure}_ci")) for n in names]
              for measure in ("pearson", "spearman")}
    return _grouped_bars(path, names, series, "correlation with -HTER", "Agreement with post-editors (Potet 2012)")


def write_report(results: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write meta.md, meta.json, tau.png (when there are WMT figures) and hter.png (when there are HTER
    figures) into `out_dir`, created if needed; returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    md = out_dir / "meta.md"
    md.write_text(markdown(results), encoding="utf-8")
    written.append(md)
    js = out_dir / "meta.json"
    js.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(js)
    if year_keys(results) and scorer_names(results):
        written.append(tau_plot(results, out_dir / "tau.png"))
    if results.get(POTET_KEY):
        written.append(hter_plot(results, out_dir / "hter.png"))
    return written
