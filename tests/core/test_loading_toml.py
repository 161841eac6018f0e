"""The compiled TOML parser (rtoml) gives the release tomllib gives, and refuses what tomllib refuses.

Every release file in the repository is loaded twice, once through rtoml (what
``releasefile.loads`` uses) and once through the standard library's tomllib,
and the two releases compared field by field; then edge and hostile documents
(of our own writing) are parsed by both.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
import rtoml
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecalc.model import releasefile
from tradecalc.model.release import ReleaseError

RELEASE_FILES = sorted(
    p for p in ROOT.rglob("*.toml") if p.name != "pyproject.toml" and ".venv" not in p.parts
)


def _with_tomllib(monkeypatch):
    def parse(text, source="<text>"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ReleaseError(source, [("file", f"not valid TOML: {e}.", "")]) from None

    monkeypatch.setattr(releasefile, "parse_toml", parse)


def test_there_are_release_files():
    assert any("chongqing" in p.name for p in RELEASE_FILES)


@pytest.mark.parametrize("path", RELEASE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_release_file_gives_the_release_tomllib_gives(path, monkeypatch):
    text = releasefile.read_text(path)
    assert rtoml.loads(text) == tomllib.loads(text)
    try:
        ours = releasefile.loads(text, source=path.name)
    except ReleaseError as e:  # a deliberately broken file: the same refusal both ways
        _with_tomllib(monkeypatch)
        with pytest.raises(ReleaseError) as theirs:
            releasefile.loads(text, source=path.name)
        assert e.problems == theirs.value.problems
        return
    _with_tomllib(monkeypatch)
    theirs = releasefile.loads(text, source=path.name)
    assert ours == theirs  # lines are located only for a problem: compared in the branch above


EDGE_DOCUMENTS = [
    "a = \"112.32\"\nb = 'literal \\n'\nc = \"\"\"\nmulti\nline\"\"\"\nd = '''raw'''",
    'a = "\\u4e2d\\u56fd 重庆 \\U0001F600"\n"quoted key" = 1\n\'lit key\' = 2',
    "a = 1_000\nb = 0x10\nc = 0o17\nd = 0b101\ne = +1.5e3\nf = -0.0\ng = inf\nh = -inf",
    "d = 2021-04-20\nt = 07:32:00\nl = 2021-04-20T10:00:00\no = 2021-04-20T10:00:00+08:00\nz = 1979-05-27T07:32:00Z",
    "a.b.c = 1\na.b.d = [1, 2, [3, 4]]\ne = { x = 1, y = { z = 2 } }",
    '[[figures]]\nid = "a"\n[[figures]]\nid = "b"\n[figures.sub]\nx = 1',
    "a = 1 # comment\n# only a comment\n\n\n[t] # table comment\nb = true\nc = false",
    'a = "x"\r\nb = "y"\r\n',
    "\ufeffa = 1",
    "a = 9223372036854775807\nb = -9223372036854775808",
    "a = 1.7976931348623157e308\nb = 5e-324",
    "arr = [\n  1,\n  2, # trailing comma\n]",
    'k = "tab\there"',
    "",
]
HOSTILE_DOCUMENTS = [
    "a = 1\na = 2",
    "[t]\n[t]",
    "a.b = 1\n[a]\nb = 2",
    "[[t]]\nx = 1\n[t]",
    'a = "unterminated',
    "a = 9223372036854775808",
    "a = 1979-13-40",
    'a = "\\q"',
    'a = "nul \x00"',
    "a = [1, 2",
    "= 1",
    "a = 01",
    "a = 1.",
    "a = .5",
    "[" * 1000,
    "a = " + "[" * 500 + "]" * 500,
    "a = nan_",
    "a = true\nb = True",
]


#: TOML 1.1 allows these and rtoml reads them; tomllib (TOML 1.0) refuses them. Harmless for a
#: release file (the same values as their 1.0 spelling); listed so that no other difference hides.
TOML_1_1_ONLY = [
    ("a = { x = 1, }", {"a": {"x": 1}}),
    ('a = "\\e"', {"a": "\x1b"}),
    ('a = "\\x41"', {"a": "A"}),
]


@pytest.mark.parametrize("text,value", TOML_1_1_ONLY)
def test_toml_1_1_spellings_are_the_only_known_difference(text, value):
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    assert rtoml.loads(text) == value


def _parse(fn, exc, text):
    try:
        return ("ok", fn(text))
    except exc:
        return ("refused",)
    except RecursionError:
        return ("refused",)


@pytest.mark.parametrize("text", EDGE_DOCUMENTS + HOSTILE_DOCUMENTS)
def test_edge_and_hostile_documents_parse_as_tomllib_parses_them(text):
    ours = _parse(rtoml.loads, rtoml.TomlParsingError, text)
    theirs = _parse(tomllib.loads, tomllib.TOMLDecodeError, text)
    if text.startswith("\ufeff"):  # read_text removes a byte-order mark before parsing
        ours = _parse(rtoml.loads, rtoml.TomlParsingError, text[1:])
        theirs = _parse(tomllib.loads, tomllib.TOMLDecodeError, text[1:])
    assert ours[0] == theirs[0], (text[:60], ours, theirs)
    if ours[0] == "ok":
        assert ours[1] == theirs[1]
        for k, v in theirs[1].items():
            assert type(ours[1][k]) is type(v) or isinstance(v, dt.datetime), k


_keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,8}", fullmatch=True)
_scalars = st.one_of(
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["true", "false", "2021-04-20", "inf", "-0.0"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_keys, _scalars), max_size=8))
def test_generated_documents_parse_as_tomllib_parses_them(pairs):
    text = "\n".join(f"{k} = {v}" for k, v in pairs)
    ours = _parse(rtoml.loads, rtoml.TomlParsingError, text)
    theirs = _parse(tomllib.loads, tomllib.TOMLDecodeError, text)
    assert ours == theirs or (ours[0] == theirs[0] == "refused")


def test_a_syntax_error_names_its_line():
    with pytest.raises(ReleaseError) as e:
        releasefile.loads('[release]\nid = "x"\n\nunit = "billion yuan\n', source="bad.toml")
    assert e.value.problems[0][0] == "line 4" and "not valid TOML" in e.value.problems[0][1]
