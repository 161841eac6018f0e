"""The UDF catalog contract, the function reference and docs/functions.md."""

from __future__ import annotations

import tradecalc_udfs
from helpers import ROOT
from tradecalc_udfs import reference

#: The catalog other parts (the template workbook's formulas) rely on: Excel
#: name → arguments in order. Changing it breaks workbooks.
CATALOG = {
    "TRADE_BASE": ["value", "growth"],
    "TRADE_GROWTH": ["value", "base"],
    "TRADE_CHANGE": ["value", "growth"],
    "TRADE_SHARE": ["part", "whole"],
    "TRADE_BASE_SHARE": ["part", "part_growth", "whole", "whole_growth"],
    "TRADE_SHARE_CHANGE": ["part", "part_growth", "whole", "whole_growth"],
    "TRADE_PP": ["rate", "reference"],
    "TRADE_REFERENCE_RATE": ["rate", "pp_above"],
    "TRADE_PULL": ["part", "part_growth", "whole", "whole_growth"],
    "TRADE_CONTRIBUTION": ["part", "part_growth", "whole", "whole_growth"],
    "TRADE_AVG_GROWTH": ["growth", "years"],
    "TRADE_COMPOUND": ["growths"],
    "TRADE_PRIOR_GROWTH": ["multi_year_growth", "latest_growth"],
    "TRADE_DIFF_GROWTH": ["a", "a_growth", "b", "b_growth"],
    "TRADE_SUM_GROWTH": ["values", "growths"],
    "TRADE_FX_RATE": ["value", "converted_value"],
    "TRADE_RESIDUAL": ["total", "parts"],
    "TRADE_NUMBER": ["text", "part"],
    "TRADE_DECIMALS": ["text"],
    "TRADE_YEARS": ["period", "earlier_period"],
    "TRADE_TABLE": ["figures_range"],
    "TRADE_BASE_BOUNDS": ["value", "growth", "value_decimals", "growth_decimals"],
    "TRADE_CHANGE_BOUNDS": ["value", "growth", "value_decimals", "growth_decimals"],
    "TRADE_SHARE_BOUNDS": ["part", "whole", "part_decimals", "whole_decimals"],
    "TRADE_BASE_SHARE_BOUNDS": [
        "part",
        "part_growth",
        "whole",
        "whole_growth",
        "part_decimals",
        "part_growth_decimals",
        "whole_decimals",
        "whole_growth_decimals",
    ],
    "TRADE_SHARE_CHANGE_BOUNDS": [
        "part",
        "part_growth",
        "whole",
        "whole_growth",
        "part_decimals",
        "part_growth_decimals",
        "whole_decimals",
        "whole_growth_decimals",
    ],
    "TRADE_PULL_BOUNDS": [
        "part",
        "part_growth",
        "whole",
        "whole_growth",
        "part_decimals",
        "part_growth_decimals",
        "whole_decimals",
        "whole_growth_decimals",
    ],
    "TRADE_DIFF_GROWTH_BOUNDS": [
        "a",
        "a_growth",
        "b",
        "b_growth",
        "a_decimals",
        "a_growth_decimals",
        "b_decimals",
        "b_growth_decimals",
    ],
    "TRADE_RESIDUAL_BOUNDS": ["total", "parts", "total_decimals", "parts_decimals"],
    "TRADE_REFERENCE_RATE_BOUNDS": ["rate", "pp_above", "rate_decimals", "pp_decimals"],
    "TRADE_FX_RATE_BOUNDS": ["value", "converted_value", "value_decimals", "converted_decimals"],
    "TRADE_CHECKS": ["release_table", "figures_table", "breakdowns_table", "statements_table"],
    "TRADE_STATUS": [
        "stated",
        "stated_decimals",
        "implied",
        "implied_low",
        "implied_high",
        "what",
        "qualifier",
    ],
    "TRADE_WHY": ["function", "arguments"],
}


def test_every_catalog_function_exists_with_its_arguments_in_order():
    ref = {f["name"]: f for f in reference.function_reference()}
    assert set(ref) == set(CATALOG)
    for name, args in CATALOG.items():
        assert [a for a, _ in ref[name]["args"]] == args, name
        assert callable(getattr(tradecalc_udfs, name.lower()))


def test_reference_entries_are_complete_and_fit_excel():
    for f in reference.function_reference():
        assert f["category"] == "Trade release arithmetic"
        assert f["description"] and "\n" not in f["description"]
        # classic xlwings passes at most 255 characters to Excel's function wizard
        assert len(f["description"]) <= 255, f["name"]
        for arg, doc in f["args"]:
            assert doc and len(doc) <= 255, (f["name"], arg)
        assert f["signature"].startswith(f["name"] + "(")


def test_argument_descriptions_state_a_unit():
    words = (
        "fraction",
        "unit",
        "points",
        "decimals",
        "years",
        "period",
        "printed",
        "value",
        "converted",
        "column",
        "text",
        "figure",
        "arguments",
    )
    for f in reference.function_reference():
        for arg, doc in f["args"]:
            assert any(w in doc.lower() for w in words), (f["name"], arg, doc)
            if "growth" in arg and "decimals" not in arg:
                assert "fraction" in doc, (f["name"], arg)


def test_docs_functions_md_is_generated_from_the_functions():
    expected = reference.markdown()
    current = (ROOT / "docs" / "functions.md").read_text(encoding="utf-8")
    assert current == expected, (
        "docs/functions.md is out of date: run python -m tradecalc_udfs.reference"
    )
    for name in CATALOG:
        assert f"### {name}\n" in current
    assert reference.main(["--check"]) == 0


def test_examples_in_descriptions_are_typable():
    """Array constants cannot hold % or spaces after commas in every locale: {-0.146,0.604}, not
    {-14.6%, 60.4%}.
    """
    import re

    for f in reference.function_reference():
        for const in re.findall(r"\{[^}]*\}", f["description"]):
            assert "%" not in const and ", " not in const, (f["name"], const)
    current = (ROOT / "docs" / "functions.md").read_text(encoding="utf-8")
    assert "TRADE_COMPOUND({-0.146,0.604}) = 37%" in current
    assert (
        "type `{-0.146,0.604}`" in current
    )  # the conventions, not a Python tuple from an f-string
