"""The fast paths of loading give what the general paths give (issue 16).

* Lines are located only when there is a problem to report: a valid file is read
  without them, a file with a problem is read again with them, and its messages
  name the lines, counted here independently of the loader.
* A plain number ("112.32", "-3.5", "60.4%") is read by a fast path of the one
  number grammar: the same :class:`Published` as the general pattern gives.
* ``releasefile.read_text`` reads through the one bounded reader (``io.reader``) and
  keeps its refusals as :class:`ReleaseError`.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradecalc.io.limits import MAX_RELEASE_FILE_BYTES
from tradecalc.model import published, releasefile
from tradecalc.model.periods import Period
from tradecalc.model.release import ReleaseError

GOOD = """[release]
id = "t"
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
value = "112.32"
yoy = "75.7%"

[[figures]]
id = "imports"
period = "2021-Q1"
breakdown = "flows"
value = "67.92"
yoy = "40.1%"
"""


def line_number(text: str, line: str) -> int:
    return next(n for n, x in enumerate(text.splitlines(), start=1) if x.strip() == line)


@pytest.fixture
def locate_calls(monkeypatch):
    calls = []
    real = releasefile._locate

    def counting(text):
        calls.append(1)
        return real(text)

    monkeypatch.setattr(releasefile, "_locate", counting)
    return calls


def test_a_valid_file_is_read_without_locating_lines(locate_calls):
    r = releasefile.loads(GOOD)
    assert [f.id for f in r.figures] == ["total", "exports", "imports"]
    assert locate_calls == []


@pytest.mark.parametrize(
    "old, new, line, message",
    [
        ('yoy = "75.7%"', 'yoy = "75.7 %%"', 'yoy = "75.7 %%"', "yoy:"),
        ('period = "2021-Q1"\nbreakdown = "flows"\nvalue = "67.92"', 'period = "2021-Q7"\nbreakdown = "flows"\nvalue = "67.92"', 'period = "2021-Q7"', "bad period"),
        ('value = "67.92"', "value = 67.92", "value = 67.92", "bare number"),
        ('value = "67.92"', 'value = "67.92"\ngrowth = "1%"', 'growth = "1%"', "unknown key 'growth'"),
        ('breakdown = "flows"\nvalue = "67.92"', 'breakdown = "flow"\nvalue = "67.92"', 'breakdown = "flow"', "unknown breakdown 'flow'"),
    ],
    ids=["bad number", "bad period", "bare number", "unknown key", "unknown breakdown"],
)  # fmt: skip
def test_a_problem_is_reported_at_its_line(locate_calls, old, new, line, message):
    text = GOOD.replace(old, new, 1)
    with pytest.raises(ReleaseError) as e:
        releasefile.loads(text, source="bad.toml")
    msg = str(e.value)
    assert f"bad.toml:line {line_number(text, line)}: " in msg and message in msg, msg
    assert locate_calls == [1]


def test_a_duplicate_id_names_both_lines():
    text = GOOD.replace('id = "imports"', 'id = "exports"')
    with pytest.raises(ReleaseError) as e:
        releasefile.loads(text, source="bad.toml")
    lines = text.splitlines()
    headers = [n for n, x in enumerate(lines, start=1) if x == "[[figures]]"]
    ids = [n for n, x in enumerate(lines, start=1) if x == 'id = "exports"']
    expected = f"bad.toml:line {ids[1]}: duplicate figure id 'exports' (first at line {headers[1]})"
    assert expected in str(e.value)


# --------------------------------------------------------------------------- numbers


def general(text, percent=None):
    """published.parse with the fast path switched off: the general pattern only."""
    fast = published._PLAIN
    published._PLAIN = re.compile(r"(?!)")
    try:
        return published.parse(text, percent=percent)
    finally:
        published._PLAIN = fast


PLAIN = st.builds(
    lambda sign, whole, frac, pct: f"{sign}{whole}{'.' + frac if frac else ''}{pct}",
    st.sampled_from(["", "-"]),
    st.from_regex(r"[0-9]{1,25}", fullmatch=True),
    st.one_of(st.just(""), st.from_regex(r"[0-9]{1,12}", fullmatch=True)),
    st.sampled_from(["", "%"]),
)


@given(text=PLAIN, percent=st.sampled_from([None, True, False]))
def test_plain_numbers_read_as_the_general_grammar_reads_them(text, percent):
    try:
        expected = general(text, percent)
    except ValueError as e:
        with pytest.raises(ValueError, match=re.escape(str(e))):
            published.parse(text, percent=percent)
        return
    got = published.parse(text, percent=percent)
    assert got == expected
    assert repr(got.value) == repr(expected.value)  # -0.0 stays -0.0


@pytest.mark.parametrize(
    "text, value, decimals, pct",
    [("112.32", 112.32, 2, False), ("24.00", 24.0, 2, False), ("-3.5%", -0.035, 1, True), ("60.4%", 0.604, 1, True), ("7", 7.0, 0, False)],
)  # fmt: skip
def test_plain_numbers_by_hand(text, value, decimals, pct):
    p = published.parse(text)
    assert (p.value, p.decimals, p.is_percent, p.unit, p.text) == (value, decimals, pct, "", text)


def test_a_level_refuses_a_plain_percentage():
    with pytest.raises(ValueError, match="a level was expected"):
        published.parse("60.4%", percent=False)


def test_periods_parsed_once_are_the_same_period():
    assert Period.parse("2021-Q1") is Period.parse(" 2021-Q1 ")
    assert Period.parse("2021-01/2021-03") == Period.parse("2021-Q1")
    assert Period.parse("2021-Q1").label == "Q1 2021"


# --------------------------------------------------------------------------- the one reader


def test_read_text_refuses_a_zip_by_name(tmp_path):
    p = tmp_path / "release.toml"
    p.write_bytes(b"PK\x03\x04\x00\x00rest")
    with pytest.raises(ReleaseError) as e:
        releasefile.load(p)
    assert str(e.value).startswith(f"{p}:file: this is a zip file, not a release file.")
    assert "Fix:" in str(e.value)


def test_read_text_refuses_nul_bytes_as_binary(tmp_path):
    p = tmp_path / "release.toml"
    p.write_bytes(b'[release]\nid = "x"\x00\x01\x02')
    with pytest.raises(
        ReleaseError, match=r"the file is binary \(it holds NUL bytes\), not a release file"
    ):
        releasefile.read_text(p)


def test_read_text_refuses_an_oversized_file_with_the_limit(tmp_path):
    p = tmp_path / "big.toml"
    with open(p, "wb") as fh:
        fh.truncate(MAX_RELEASE_FILE_BYTES + 1)
    with pytest.raises(
        ReleaseError, match=f"a release file is at most {MAX_RELEASE_FILE_BYTES // 2**20} MiB"
    ):
        releasefile.read_text(p)
    assert releasefile.MAX_BYTES is MAX_RELEASE_FILE_BYTES


def test_read_text_drops_a_bom_and_reads_utf16(tmp_path):
    p = tmp_path / "bom.toml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert releasefile.read_text(p) == GOOD
    p.write_bytes(GOOD.encode("utf-16"))
    assert releasefile.read_text(p) == GOOD
