"""The release file: the Chongqing file holds every figure of the text; bad files fail clearly.

Every error must name the file, the line of the offending key and the fix.
Line numbers are found in the test by searching the text for the offending
line, independently of the loader's own bookkeeping.
"""

from __future__ import annotations

import math
import re

import pytest
from helpers import ROOT

import tradecalc
from tradecalc.model.release import ReleaseError
from tradecalc.model.releasefile import dumps, load, loads, save

TEXT = ROOT.parent / "shared" / "releases" / "chongqing-2021-q1.txt"

# (id, value as printed, yoy as printed) straight from the release text; None = not given.
EXPECTED = [
    ("total", "180.24", "60.4%"),  # "reached 180.24 billion yuan" / "jumped 60.4% year-on-year"
    ("exports", "112.32", "75.7%"),  # "exports surged 75.7% to 112.32 billion yuan"
    ("imports", "67.92", "40.2%"),  # "imports increased by 40.2% to reach 67.92 billion yuan"
    ("total-march", "64.06", "45.2%"),  # "In March ... totaled 64.06 billion yuan, up 45.2%"
    ("exports-march", "40.06", "57.5%"),
    ("imports-march", "24", "28.3%"),  # "24 billion yuan": printed without decimals
    ("foreign-funded", "88.24", "39.1%"),
    ("private", "75.07", "100%"),
    ("state-owned", "16.75", "45.9%"),
    ("asean", "30.21", "30.8%"),
    ("eu", "28.21", "59.4%"),
    ("us", "25.96", "110%"),
    ("belt-and-road", "50.17", "48.2%"),
    ("laptops", "43.39", "78.8%"),
    ("integrated-circuits", "7.33", "24.5%"),
    ("mobile-phones", "6.66", "520%"),
    ("motorcycles", "3.43", "66%"),
    ("autos", "2.5", "64.7%"),
    ("consumer-goods", "3.91", "39.1%"),
    ("fruits", None, "100%"),
    ("passenger-vehicles", None, "2020%"),
    ("cosmetics", None, "140%"),
]


def digits_after_point(text: str) -> int:
    return len(text.rstrip("%").partition(".")[2])


def test_chongqing_loads_with_everything(chongqing):
    assert len(chongqing.figures) == 22
    assert len(chongqing.breakdowns) == 7
    assert len(chongqing.statements) == 2
    assert chongqing.meta["unit"] == "billion yuan" and chongqing.meta["period"] == "2021-Q1"
    for key in ("title", "publisher", "source_url", "published", "currency"):
        assert chongqing.meta[key], key


@pytest.mark.parametrize("fid,value,yoy", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_every_figure_of_the_text_is_present(chongqing, fid, value, yoy):
    release_text = TEXT.read_text(encoding="utf-8")
    f = chongqing.figure(fid)
    if value is None:
        assert math.isnan(f.value) and f.value_decimals is None
    else:
        assert f.value == float(value) and f.value_decimals == digits_after_point(value)
        assert value in f.sentence
    assert f.yoy == pytest.approx(float(yoy.rstrip("%")) / 100, abs=1e-15)
    assert f.yoy_decimals == digits_after_point(yoy)
    assert f.unit == "billion yuan"
    assert f.sentence and f.sentence in release_text  # the sentence is quoted verbatim
    assert yoy in f.sentence + f.growth_sentence


def test_two_year_growth_and_statements(chongqing):
    total = chongqing.figure("total")
    assert (
        total.earlier_growth == 0.37
        and total.earlier_growth_decimals == 0
        and total.earlier_period == "2019-Q1"
    )
    usd = next(s for s in chongqing.statements if s.kind == "conversion")
    assert (usd.figure, usd.value, usd.value_decimals, usd.unit, usd.approximate) == (
        "total",
        27.77,
        2,
        "billion USD",
        True,
    )
    pp = next(s for s in chongqing.statements if s.kind == "pp_difference")
    assert (pp.figure, pp.value, pp.value_decimals) == ("total", 31.2, 1)
    assert "31.2 percentage points higher" in pp.sentence


def test_breakdown_kinds(chongqing):
    kinds = {b.id: (b.parent, b.kind) for b in chongqing.breakdowns}
    assert kinds["flow-q1"] == ("total", "complete")
    assert kinds["flow-march"] == ("total-march", "complete")
    assert kinds["ownership"] == ("total", "partial")  # three types out of more
    assert kinds["partners"] == ("total", "overlapping")  # Belt and Road includes ASEAN
    assert [f.id for f in chongqing.members("flow-q1")] == ["exports", "imports"]


def test_march_period_inside_q1(chongqing):
    assert chongqing.figure("total-march").period_range in chongqing.figure("total").period_range


def test_dumps_loads_round_trip(chongqing):
    again = loads(dumps(chongqing), source="round-trip")
    for a, b in zip(chongqing.figures, again.figures):
        for key in (
            "id",
            "period",
            "parent",
            "breakdown",
            "value_decimals",
            "yoy_decimals",
            "sentence",
        ):
            assert getattr(a, key) == getattr(b, key)
        assert (a.value == b.value) or (math.isnan(a.value) and math.isnan(b.value))
        assert a.yoy == b.yoy
    assert [s.value for s in again.statements] == [27.77, 31.2]


def test_save_refuses_to_overwrite(tmp_path, chongqing):
    out = tmp_path / "r.toml"
    save(chongqing, out)
    with pytest.raises(FileExistsError, match="--force"):
        save(chongqing, out)
    save(chongqing, out, force=True)
    assert len(load(out).figures) == 22


# ---------------------------------------------------------------- bad files

GOOD = """[release]
id = "test"
unit = "billion yuan"

[[breakdowns]]
id = "flows"
parent = "total"
kind = "complete"

[[figures]]
id = "total"
period = "2021-Q1"
value = "180.24"
yoy = "60.4%"

[[figures]]
id = "exports"
period = "2021-Q1"
breakdown = "flows"
parent = "total"
value = "112.32"
yoy = "75.7%"
"""


def line_of(text: str, line: str, occurrence: int = 1) -> int:
    hits = [n for n, x in enumerate(text.splitlines(), start=1) if x.strip() == line]
    return hits[occurrence - 1]


def fail(text: str, source: str = "bad.toml") -> str:
    with pytest.raises(ReleaseError) as e:
        loads(text, source=source)
    msg = str(e.value)
    assert "Fix:" in msg, msg  # every problem says how to fix it
    return msg


def test_good_minimal_file_loads():
    r = loads(GOOD)
    assert [f.id for f in r.figures] == ["total", "exports"]


def edit(old: str, new: str, occurrence: int = 1) -> str:
    parts = GOOD.split(old)
    assert len(parts) > occurrence, old
    return old.join(parts[:occurrence]) + new + old.join(parts[occurrence:])


def test_unknown_parent():
    text = edit('parent = "total"', 'parent = "totl"', 2)
    msg = fail(text)
    assert (
        "bad.toml:line {}: figure 'exports' names unknown parent 'totl'".format(
            line_of(text, 'parent = "totl"')
        )
        in msg
    )


def test_duplicate_id():
    text = edit('id = "exports"', 'id = "total"')
    msg = fail(text)
    second = line_of(text, 'id = "total"', 2)
    assert f"bad.toml:line {second}: duplicate figure id 'total'" in msg
    assert f"first at line {line_of(text, '[[figures]]')}" in msg


def test_cycle():
    text = edit(
        'period = "2021-Q1"\nvalue = "180.24"',
        'period = "2021-Q1"\nparent = "exports"\nvalue = "180.24"',
    )
    msg = fail(text)
    assert (
        "bad.toml:line {}: figure 'total' is its own ancestor: total → exports → total".format(
            line_of(text, 'parent = "exports"')
        )
        in msg
    )
    assert "break the cycle" in msg


@pytest.mark.parametrize("period", ["2021-Q5", "Q1 2021", "2021-13"])
def test_bad_period(period):
    text = edit('period = "2021-Q1"', f'period = "{period}"', 2)
    msg = fail(text)
    assert (
        "bad.toml:line {}: figure 'exports': bad period".format(
            line_of(text, f'period = "{period}"')
        )
        in msg
    )
    assert "2021-Q1" in msg.split("Fix:")[1]


@pytest.mark.parametrize("growth", ["-100%", "-120.5%"])
def test_growth_at_or_below_minus_100_percent(growth):
    text = edit('yoy = "75.7%"', f'yoy = "{growth}"')
    msg = fail(text)
    assert (
        "bad.toml:line {}: figure 'exports': yoy".format(line_of(text, f'yoy = "{growth}"')) in msg
    )
    assert "-100% or less" in msg


def test_unit_mismatch_with_parent():
    text = edit('value = "112.32"', 'value = "17.32"\nunit = "billion USD"')
    msg = fail(text)
    assert (
        "bad.toml:line {}: figure 'exports' is in 'billion USD' but its parent 'total' is in 'billion yuan'".format(
            line_of(text, 'unit = "billion USD"')
        )
        in msg
    )
    assert "parent's unit" in msg


@pytest.mark.parametrize("printed", ["12O.5", "112,32.1", "1e5", "60.4%", "about 112"])
def test_bad_number_text(printed):
    text = edit('value = "112.32"', f'value = "{printed}"')
    msg = fail(text)
    assert "bad.toml:line {}: value:".format(line_of(text, f'value = "{printed}"')) in msg
    assert 'as printed, e.g. "112.32"' in msg


@pytest.mark.parametrize(
    "old,new",
    [
        ('value = "112.32"', "value = 24.00"),
        ('yoy = "75.7%"', "yoy = 0.757"),
        ('yoy = "75.7%"', "yoy = 75.7"),
    ],
)
def test_bare_toml_numbers_are_refused(old, new):
    # 24.00 would read as 24.0 (precision lost); 0.757 would read as 0.757% - never silently
    text = edit(old, new)
    msg = fail(text)
    assert (
        f"bad.toml:line {line_of(text, new)}:" in msg and "bare number" in msg and "quote it" in msg
    )


def test_bad_growth_text():
    text = edit('yoy = "75.7%"', 'yoy = "up 75.7%"')
    msg = fail(text)
    assert "bad.toml:line {}: yoy:".format(line_of(text, 'yoy = "up 75.7%"')) in msg


def test_missing_release_table():
    msg = fail(GOOD.replace("[release]", "[relase]"))
    assert (
        "bad.toml:file: there is no [release] table." in msg
        and "start the file with [release]" in msg
    )


def test_missing_unit():
    msg = fail(GOOD.replace('unit = "billion yuan"\n', ""))
    assert "the release has no unit" in msg and 'unit = "billion yuan"' in msg


def test_invalid_toml_names_the_line():
    text = edit('value = "112.32"', 'value = "112.32')
    msg = fail(text)
    assert "bad.toml:line {}: not valid TOML".format(line_of(text, 'value = "112.32')) in msg


def test_unknown_key():
    text = edit('yoy = "75.7%"', 'yoy = "75.7%"\ngrowth = "5%"')
    msg = fail(text)
    assert (
        "bad.toml:line {}: unknown key 'growth' in [[figures]]".format(
            line_of(text, 'growth = "5%"')
        )
        in msg
    )


def test_unknown_breakdown_and_statement_figure():
    text = (
        edit('breakdown = "flows"', 'breakdown = "flow"')
        + '\n[[statements]]\nid = "s"\nkind = "pp_difference"\nfigure = "totl"\nvalue = "31.2"\n'
    )
    msg = fail(text)
    assert (
        "line {}: figure 'exports' names unknown breakdown 'flow'".format(
            line_of(text, 'breakdown = "flow"')
        )
        in msg
    )
    assert (
        f"line {line_of(text, '[[statements]]')}: statement 's' names unknown figure 'totl'" in msg
    )


def test_earlier_growth_needs_earlier_period():
    text = edit('yoy = "60.4%"', 'yoy = "60.4%"\nearlier_growth = "37%"')
    msg = fail(text)
    assert (
        "has earlier_growth but no earlier_period" in msg
        and 'earlier_period, e.g. "2019-Q1"' in msg
    )


def test_all_problems_are_listed_at_once():
    text = edit('parent = "total"', 'parent = "totl"', 2).replace(
        'period = "2021-Q1"', 'period = "2021-Q9"'
    )
    msg = fail(text)
    assert len(msg.splitlines()) >= 3  # two bad periods and one unknown parent


def test_load_names_the_file(tmp_path):
    p = tmp_path / "broken.toml"
    text = edit('parent = "total"', 'parent = "totl"', 2)
    p.write_text(text, encoding="utf-8")
    with pytest.raises(
        ReleaseError, match=re.escape("{}:line {}:".format(p, line_of(text, 'parent = "totl"')))
    ):
        load(p)


def test_binary_file(tmp_path):
    p = tmp_path / "release.toml"
    p.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(ReleaseError) as e:
        load(p)
    # the one bounded reader (io.reader) names what the file is; the path is not in the test's words
    assert str(e.value).startswith(f"{p}:file: this is a zip file, not a release file.")
    assert "Fix:" in str(e.value)


def test_not_utf8(tmp_path):
    p = tmp_path / "latin1.toml"
    p.write_bytes(GOOD.replace("test", "tést").encode("latin-1"))
    with pytest.raises(ReleaseError, match="not UTF-8.*Fix: save it as UTF-8"):
        load(p)


def test_missing_file_through_tradecalc_load(tmp_path):
    with pytest.raises(ReleaseError, match="no such file"):
        tradecalc.load(tmp_path / "nope.toml")


def test_figures_are_indexed_once(chongqing):
    # issue 16: figure() and members() use one index, not a scan or a new dict per call
    idx = chongqing._indexes()
    chongqing.figure("exports")
    chongqing.members("flow-q1")
    assert chongqing._indexes() is idx
    assert [f.id for f in chongqing.figures if f.parent == "total-march"] == [
        "exports-march",
        "imports-march",
    ]
    assert chongqing.breakdown("ownership").kind == "partial"


def test_a_part_takes_its_breakdowns_parent_before_validation():
    # the README's form (breakdown only, no parent): the unit and the period are still checked against the parent
    text = edit(
        'breakdown = "flows"\nparent = "total"\nvalue = "112.32"',
        'breakdown = "flows"\nvalue = "17.32"\nunit = "billion USD"',
    )
    msg = fail(text)
    assert (
        "figure 'exports' is in 'billion USD' but its parent 'total' is in 'billion yuan', another currency"
        in msg
    )
    billions = loads(
        edit('value = "180.24"', 'value = "0.18024"\nunit = "trillion yuan"')
    )  # a multiple converts
    assert billions.figure("exports").parent == "total"
