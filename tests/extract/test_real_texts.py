"""`tradecalc extract` measured on real articles: recall and silent misreads per text.

The articles are third-party texts and are not in the repository. What is
committed is, per article, the figures typed by hand from it with its URL
(``tests/data/real/<name>.expected.toml``). The texts themselves are read from
``$TRADECALC_REAL_TEXTS`` or ``../texts`` beside the repository (held-out texts
in its ``holdout/`` folder); where they are absent these tests skip.

A figure is *right* when a written figure has its role (the release's own
total, exports, imports or balance, or a part of them), period, value (with
unit and currency), growth and qualifiers exactly as typed. A written figure is
a *silent misread* when no typed figure is compatible with it: a number it
states is not the one printed for that subject and period, or it is not a
trade figure at all. Records sent to review are neither: they are not written
as figures.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import ROOT

from tradecalc.extract import extract
from tradecalc.model.periods import Period
from tradecalc.model.published import format_published, scale_of
from tradecalc.model.release import ReleaseError

EXPECTED = ROOT / "tests" / "data" / "real"
TEXTS = Path(os.environ.get("TRADECALC_REAL_TEXTS", ROOT.parent / "texts"))
CASES = sorted(EXPECTED.glob("*.expected.toml"))
_AGGREGATES = ("total", "exports", "imports", "balance")


def _text_path(name: str) -> Path | None:
    for p in (TEXTS / f"{name}.txt", TEXTS / "holdout" / f"{name}.txt"):
        if p.exists():
            return p
    return None


def _amount(printed: str, unit: str) -> tuple[Decimal, str]:
    """("969.48", "billion yuan") → (969480000000, "yuan"): compared across units exactly."""
    scale = Decimal(int(scale_of(unit)))
    return Decimal(printed) * scale, unit.split()[-1]


def _growth(printed: str) -> Decimal:
    return Decimal(printed.rstrip("%").strip())


def typed(rec: dict) -> dict:
    """A typed figure reduced to comparable fields."""
    out = {"role": rec["role"], "period": str(Period.parse(rec["period"]))}
    if "value" in rec:
        out["value"] = _amount(rec["value"], rec["unit"])
    if "yoy" in rec:
        out["yoy"] = _growth(rec["yoy"])
    for k in ("value_qualifier", "yoy_qualifier"):
        out[k] = rec.get(k, "")
    return out


def written(f, release) -> dict:
    """A written figure reduced to the same fields."""
    series = re.sub(
        r"-(?:usd|eur|yuan)$", "", f.series
    )  # "exports-usd": the release's exports, stated in dollars
    role = series if series in _AGGREGATES else "part"
    out = {"role": role, "period": str(Period.parse(f.period))}
    if not math.isnan(f.value):
        out["value"] = _amount(format_published(f.value, f.value_decimals), f.unit or release.unit)
    if not math.isnan(f.yoy):
        out["yoy"] = _growth(format_published(f.yoy, f.yoy_decimals, True))
    for k in ("value_qualifier", "yoy_qualifier"):
        out[k] = getattr(f, k, "") or ""
    return out


def _compatible(w: dict, t: dict) -> bool:
    """Every number the written figure states is the typed one (it may state fewer)."""
    if (w["role"], w["period"]) != (t["role"], t["period"]):
        return False
    for k in ("value", "yoy"):
        if k in w and (t.get(k) != w[k] or t[f"{k}_qualifier"] != w[f"{k}_qualifier"]):
            return False
    return True


def score(release, want: list[dict]) -> tuple[int, list[str], list[str]]:
    """(right, misread descriptions, missed descriptions)."""
    got = [(f, written(f, release)) for f in release.figures]
    right, missed = 0, []
    for t in want:
        if any(w == t for _, w in got):
            right += 1
        else:
            missed.append(_describe(t))
    misreads = [
        f"{f.id}: {_describe(w)}" for f, w in got if not any(_compatible(w, t) for t in want)
    ]
    return right, misreads, missed


def _describe(d: dict) -> str:
    parts = [d["role"], d["period"]]
    if "value" in d:
        parts.append(f"{d['value_qualifier']} {d['value'][0]:,.0f} {d['value'][1]}".strip())
    if "yoy" in d:
        parts.append(f"{d['yoy_qualifier']} {d['yoy']}%".strip())
    return " ".join(parts)


def run_case(path: Path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    name = path.name.removesuffix(".expected.toml")
    text = _text_path(name)
    if text is None:
        return None
    want = [typed(r) for r in data["figures"]]
    opts = data.get("options", {})
    try:
        ex = extract(text.read_text(encoding="utf-8"), name, source=str(text), **opts)
    except ReleaseError as e:
        return name, data, want, 0, [], [f"refused: {e}"]
    right, misreads, missed = score(ex.release, want)
    return name, data, want, right, misreads, missed


def test_expected_files_are_typed_consistently():
    """Every typed file loads, names its URL and period, and types each figure's numbers with a unit."""
    assert len(CASES) >= 20
    for path in CASES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["url"].startswith("http") and isinstance(data["holdout"], bool)
        for rec in data["figures"]:
            t = typed(rec)
            assert "value" in t or "yoy" in t, (path.name, rec)
            assert rec["role"] in _AGGREGATES + ("part",)
    assert sum(tomllib.loads(p.read_text(encoding="utf-8"))["holdout"] for p in CASES) >= 8


def test_real_texts_recall_and_silent_misreads(capsys):
    results = [r for r in (run_case(p) for p in CASES) if r is not None]
    if not results:
        pytest.skip(f"the real texts are not on this machine ({TEXTS})")
    lines, totals = [], {False: [0, 0, 0], True: [0, 0, 0]}
    for name, data, want, right, misreads, missed in results:
        t = totals[data["holdout"]]
        t[0], t[1], t[2] = t[0] + right, t[1] + len(want), t[2] + len(misreads)
        tag = "held out" if data["holdout"] else "tuned on"
        lines.append(
            f"  {name:36s} {tag:8s} right {right:2d}/{len(want):2d}  silent misreads {len(misreads)}"
        )
        if not data["holdout"] or os.environ.get("TRADECALC_SHOW_HELD_OUT"):
            # held-out texts print only their counts, so that no rule is written from their details
            lines += [f"      misread: {m}" for m in misreads] + [
                f"      missed:  {m}" for m in missed
            ]
        else:
            lines += [f"      misread: {m}" for m in misreads]
    with capsys.disabled():
        print("\nextract on real texts (value, growth and period right; silent misreads)")
        print("\n".join(lines))
        for held, (r, n, m) in totals.items():
            if n:
                print(
                    f"  {'held-out texts' if held else 'texts tuned on':36s} right {r}/{n} = {r / n:.3f}  silent misreads {m}"
                )
    # the targets: no silent misread anywhere, and 85% right on texts the rules were not written from;
    # the texts tuned on (some of them hard: dollar and yuan figures side by side, relative months) guard regressions
    assert sum(t[2] for t in totals.values()) == 0
    held_right, held_n = totals[True][:2]
    if held_n:
        assert held_right / held_n >= 0.85
    tuned_right, tuned_n = totals[False][:2]
    if tuned_n:
        assert tuned_right / tuned_n >= 0.80


def test_real_texts_write_files_that_load_and_check(tmp_path):
    """What `extract` writes for each real text loads back and has no inconsistent check."""
    import tradecalc
    from tradecalc.cli.extract import extract_command

    done = 0
    for path in CASES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        name = path.name.removesuffix(".expected.toml")
        text = _text_path(name)
        if text is None:
            continue
        out = tmp_path / f"{name}.toml"
        assert extract_command(text, out, **data.get("options", {})) == 0
        release = tradecalc.load(out)
        assert "inconsistent" not in set(tradecalc.check(release)["status"]), name
        review = tomllib.loads(out.read_text(encoding="utf-8")).get("review", [])
        assert all(r["reason"] and "sentence" in r for r in review), name
        done += 1
    if not done:
        pytest.skip(f"the real texts are not on this machine ({TEXTS})")
