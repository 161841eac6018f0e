"""`tradecalc extract` against release files written by hand.

Expected figures come from the texts themselves, written by hand: the
Chongqing release file workbooks/releases/chongqing-2021-q1.toml, and
tests/data/releases/*.expected.toml for the six texts written for these
tests. A figure counts as recovered when its period, flow, value, growth,
earlier growth and earlier period are as printed AND its parent is the figure
that the expected parent was matched to (ids need not agree) AND its
breakdown has the expected kind. Recall and precision are printed.
"""

from __future__ import annotations

import math
import re
import tomllib
from decimal import Decimal

import pytest
from helpers import CHONGQING, ROOT

import tradecalc
from tradecalc.cli.extract import extract_command
from tradecalc.errors import BadInput
from tradecalc.extract import extract
from tradecalc.model.published import format_published
from tradecalc.model.release import ReleaseError

DATA = ROOT / "tests" / "data" / "releases"
CHONGQING_TEXT = ROOT.parent / "shared" / "releases" / "chongqing-2021-q1.txt"
CHONGQING_FILE = CHONGQING
TEXTS = sorted(DATA.glob("*.txt"))


def _p(value, decimals, pct=False):
    return (
        ""
        if value is None or (isinstance(value, float) and math.isnan(value))
        else format_published(value, decimals, pct)
    )


def rows_of(release):
    """(id, period, flow, value, yoy, earlier_growth, earlier_period, parent, breakdown kind) per figure."""
    out = []
    for f in release.figures:
        b = release.breakdown(f.breakdown) if f.breakdown else None
        out.append(
            (
                f.id,
                f.period,
                f.flow,
                _p(f.value, f.value_decimals),
                _p(f.yoy, f.yoy_decimals, True),
                _p(f.earlier_growth, f.earlier_growth_decimals, True),
                f.earlier_period,
                f.parent,
                b.kind if b else "",
            )
        )
    return out


def statements_of(release):
    return [
        (s.kind, s.figure, _p(s.value, s.value_decimals, s.kind == "share"))
        for s in release.statements
    ]


def score(got_rows, want_rows, got_sts=(), want_sts=()):
    """Match figures by their numbers and period, then check parents through that matching.

    Returns (true positives, extracted count, expected count, mismatch messages).
    """
    by_numbers = {}
    for r in got_rows:
        by_numbers.setdefault(r[1:7], []).append(r)
    mapping = {}  # expected id → extracted id
    for w in want_rows:
        cands = by_numbers.get(w[1:7], [])
        if len(cands) == 1:
            mapping[w[0]] = cands[0][0]
    got_by_id = {r[0]: r for r in got_rows}
    tp, problems = 0, []
    for w in want_rows:
        gid = mapping.get(w[0])
        if gid is None:
            problems.append(f"figure {w[0]} {w[1:7]} not recovered")
            continue
        g = got_by_id[gid]
        want_parent = mapping.get(w[7], "?" + w[7]) if w[7] else ""
        if g[7] != want_parent or g[8] != w[8]:
            problems.append(
                f"figure {w[0]} → {gid}: parent {g[7]!r} ({g[8]}), expected {want_parent!r} ({w[8]})"
            )
            continue
        tp += 1
    want_st = {(k, mapping.get(f, "?" + f), v) for k, f, v in want_sts}
    got_st = set(got_sts)
    tp += len(want_st & got_st)
    problems += [f"statement {s} not recovered" for s in want_st - got_st]
    problems += [f"statement {s} not expected" for s in got_st - want_st]
    return tp, len(got_rows) + len(got_st), len(want_rows) + len(want_st), problems


def expected(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [tuple(r) for r in data["figures"]], [tuple(s) for s in data.get("statements", [])], data


def run(text_path):
    return extract(text_path.read_text(encoding="utf-8"), text_path.stem, source=str(text_path))


# --------------------------------------------------------------------------- Chongqing


@pytest.fixture(scope="module")
def chongqing():
    return run(CHONGQING_TEXT)


def test_chongqing_recovers_every_hand_written_figure(chongqing):
    hand = tradecalc.load(CHONGQING_FILE)
    tp, n_got, n_want, problems = score(
        rows_of(chongqing.release),
        rows_of(hand),
        statements_of(chongqing.release),
        statements_of(hand),
    )
    print(
        f"\nchongqing-2021-q1: recall {tp / n_want:.3f}, precision {tp / n_got:.3f} ({tp} of {n_want} expected, {n_got} extracted)"
    )
    assert problems == []
    assert tp == n_want == n_got == 24  # 22 figures + 2 statements, as in the hand-written file


def test_chongqing_statements_and_sentences(chongqing):
    r = chongqing.release
    total = next(
        f for f in r.figures if f.period == "2021-Q1" and f.flow == "total" and not f.parent
    )
    assert (total.value, total.yoy, total.earlier_growth, total.earlier_period) == (
        180.24,
        0.604,
        0.37,
        "2019-Q1",
    )
    assert total.sentence.startswith(
        "In the first quarter of 2021, Chongqing’s total foreign trade value reached 180.24"
    )
    assert (
        total.growth_sentence
        == "Specifically, the city’s total foreign trade value jumped 60.4% year-on-year and climbed 37% from two years earlier."
    )
    usd = next(s for s in r.statements if s.kind == "conversion")
    assert (usd.figure, usd.value, usd.unit, usd.approximate) == (
        total.id,
        27.77,
        "billion USD",
        True,
    )
    pp = next(s for s in r.statements if s.kind == "pp_difference")
    assert (pp.figure, pp.value, pp.reference) == (
        total.id,
        31.2,
        "the overall growth rate of the country",
    )
    # the March breakdown stated in the text: 64.06 = 40.06 + 24, and March shares the quarter's series
    march = [f for f in r.figures if f.period == "2021-03"]
    assert sorted(f.value for f in march) == [24.0, 40.06, 64.06]
    assert {f.series for f in march} == {"total", "exports", "imports"}
    assert chongqing.notes == []


def test_chongqing_check_statuses_match_hand_written(chongqing):
    def key(table):
        return sorted(
            (row.kind, row.status, None if math.isnan(row.computed) else round(row.computed, 9))
            for row in table.itertuples()
        )

    assert key(tradecalc.check(chongqing.release)) == key(
        tradecalc.check(tradecalc.load(CHONGQING_FILE))
    )


# --------------------------------------------------------------------------- the six texts written for the tests


@pytest.mark.parametrize("text", TEXTS, ids=[t.stem for t in TEXTS])
def test_text_against_hand_written_expectations(text):
    want_rows, want_sts, data = expected(DATA / f"{text.stem}.expected.toml")
    ex = run(text)
    tp, n_got, n_want, problems = score(
        rows_of(ex.release), want_rows, statements_of(ex.release), want_sts
    )
    print(f"\n{text.stem}: recall {tp / n_want:.3f}, precision {tp / n_got:.3f}")
    assert problems == []
    assert ex.release.meta["period"] == data["period"] and ex.release.unit == data["unit"]
    for note in data.get("notes", []):
        assert any(note in line for line in ex.notes), (note, ex.notes)
    assert len(ex.notes) == len(data.get("notes", [])), ex.notes
    # the texts were written to add up: a misread would show as an inconsistency
    assert "inconsistent" not in set(tradecalc.check(ex.release)["status"])


def test_recall_and_precision_over_all_texts(capsys):
    tp = n_got = n_want = 0
    lines = []
    cases = [
        (
            CHONGQING_TEXT,
            rows_of(tradecalc.load(CHONGQING_FILE)),
            statements_of(tradecalc.load(CHONGQING_FILE)),
        )
    ]
    cases += [(t, *expected(DATA / f"{t.stem}.expected.toml")[:2]) for t in TEXTS]
    assert len(cases) >= 7
    for path, want_rows, want_sts in cases:
        ex = run(path)
        a, b, c, _ = score(rows_of(ex.release), want_rows, statements_of(ex.release), want_sts)
        tp, n_got, n_want = tp + a, n_got + b, n_want + c
        lines.append(f"  {path.stem:28s} recall {a / c:.3f}  precision {a / b:.3f}")
    recall, precision = tp / n_want, tp / n_got
    with capsys.disabled():
        print("\nextract: figures and statements recovered")
        print("\n".join(lines))
        print(
            f"  {'all':28s} recall {recall:.3f}  precision {precision:.3f}  ({tp} of {n_want} expected, {n_got} extracted)"
        )
    assert recall >= 0.95 and precision >= 0.95


# --------------------------------------------------------------------------- rules


def _numbers_in(sentence):
    return [
        Decimal(m.group(0).replace(",", ""))
        for m in re.finditer(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", sentence)
    ]


@pytest.mark.parametrize(
    "text", [CHONGQING_TEXT] + TEXTS, ids=["chongqing"] + [t.stem for t in TEXTS]
)
def test_every_number_written_is_printed_in_its_sentence(text):
    r = run(text).release
    for f in r.figures:
        said = f.sentence + " " + f.growth_sentence
        assert f.sentence and f.sentence in text.read_text(encoding="utf-8")
        nums = _numbers_in(said)
        if not math.isnan(f.value):
            v = Decimal(format_published(f.value, f.value_decimals))
            # as printed, or moved between billion and trillion by an exact decimal shift
            assert any(v == n or v == n.scaleb(-3) or v == n.scaleb(3) for n in nums), (
                f.id,
                v,
                said,
            )
        for key in ("yoy", "earlier_growth"):
            g = getattr(f, key)
            if not math.isnan(g):
                printed = Decimal(
                    format_published(abs(g), getattr(f, key + "_decimals"), True)[:-1]
                )
                assert printed in nums, (f.id, key, printed, said)
    for s in r.statements:
        assert abs(
            Decimal(format_published(abs(s.value), s.value_decimals, s.kind == "share").rstrip("%"))
        ) in _numbers_in(s.sentence)


def test_unplaced_subject_and_period_are_flagged_not_guessed(tmp_path, capsys):
    text = (
        "Anhui trade report\n"
        "In the first quarter of 2021, Anhui's foreign trade reached 150.2 billion yuan, up 45.1% year on year.\n"
        "Bulk commodities rose 12.3% to 20.1 billion yuan.\n"
        "In March, exports hit 30.5 billion yuan, up 20.2%.\n"
        "Imports amounted to 25.3 billion yuan, up 5.5%.\n"
        "Exports edged up 3.1% month on month.\n"
    )
    src = tmp_path / "anhui.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "anhui.toml"
    assert extract_command(src, out) == 0
    err = capsys.readouterr().err
    r = tradecalc.load(out)
    # neither is written as a figure: both are review records in the file, with their evidence
    assert {f.value for f in r.figures} == {150.2, 30.5}
    review = tomllib.loads(out.read_text(encoding="utf-8"))["review"]
    bulk = next(x for x in review if x.get("value") == "20.1")
    assert (
        "not recognised" in bulk["reason"]
        and bulk["words"] == "Bulk commodities"
        and bulk["period"] == "2021-Q1"
    )
    imports = next(x for x in review if x.get("value") == "25.3")
    # a new paragraph without a period: March is assumed, and no check reconciles it
    assert (
        imports["period"] == "2021-03"
        and "period not stated in this paragraph" in imports["reason"]
    )
    assert imports["sentence"] == "Imports amounted to 25.3 billion yuan, up 5.5%."
    assert "review" in err and "not recorded: 3.1%" in err
    with pytest.raises(BadInput, match="exists"):
        extract_command(src, out)
    assert extract_command(src, out, force=True) == 0


def test_year_missing_and_no_figures_are_bad_input(tmp_path):
    src = tmp_path / "x.txt"
    src.write_text(
        "From January to August, exports rose 5.1% to 20.3 billion yuan.\n", encoding="utf-8"
    )
    with pytest.raises(ReleaseError, match="no period with a year"):
        extract_command(src, tmp_path / "x.toml")
    src.write_text("A page about nothing.\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match="no trade figure"):
        extract_command(src, tmp_path / "x.toml")
    with pytest.raises(ValueError, match=r"\.toml"):
        extract_command(CHONGQING_TEXT, tmp_path / "x.xlsx")


def test_cli_writes_a_file_that_checks(tmp_path):
    from tradecalc.cli.main import main

    out = tmp_path / "cq.toml"
    assert main(["extract", str(CHONGQING_TEXT), "-o", str(out), "--id", "cq"]) == 0
    assert tradecalc.load(out).meta["id"] == "cq"
    assert main(["check", str(out), "--format", "csv"]) == 0
    assert main(["extract", str(CHONGQING_TEXT), "-o", str(out)]) == 2  # refuses to overwrite
