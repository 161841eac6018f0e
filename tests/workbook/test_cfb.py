"""The compound file writer (tradecalc.workbook.cfb), read back by olefile.

olefile is an independent reader that reports structural defects (a broken
chain, a sector used twice, a bad directory tree); with ``DEFECT_INCORRECT``
raised and warnings turned into errors, a file it opens is well formed. The
red-black tree of each storage's children is checked here from the raw
directory entries.
"""

from __future__ import annotations

import io
import warnings

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecalc.workbook import cfb
from tradecalc.workbook.vba import quickstart_vba_project

NOSTREAM = 0xFFFFFFFF


def open_ole(data: bytes) -> olefile.OleFileIO:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def olefile_tree(ole: olefile.OleFileIO) -> dict:
    """{path: bytes} for every stream, {path: None} for every storage, as olefile reads them."""
    out: dict = {}
    for path in ole.listdir(streams=True, storages=True):
        name = "/".join(path)
        out[name] = (
            ole.openstream(name).read() if ole.get_type(name) == olefile.STGTY_STREAM else None
        )
    return out


def flat(tree: cfb.Storage, prefix: str = "") -> dict:
    out: dict = {}
    for name, child in tree.children.items():
        if isinstance(child, cfb.Storage):
            out[prefix + name] = None
            out |= flat(child, prefix + name + "/")
        else:
            out[prefix + name] = child
    return out


def check_red_black(ole: olefile.OleFileIO) -> None:
    """Every storage's children: a search tree by (length, upper case), coloured red-black."""
    entries = ole.direntries

    def walk(sid: int) -> tuple[int, list]:
        """(black height, names in order) of the subtree at ``sid``."""
        if sid == NOSTREAM:
            return 1, []
        e = entries[sid]
        for child in (e.sid_left, e.sid_right):
            if e.color == 0 and child != NOSTREAM:
                assert entries[child].color == 1, f"red {e.name} has a red child"
        lh, left = walk(e.sid_left)
        rh, right = walk(e.sid_right)
        assert lh == rh, f"unequal black heights under {e.name}"
        return lh + e.color, [*left, e.name, *right]

    for e in entries:
        if e is not None and e.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE):
            if e.sid_child != NOSTREAM:
                assert entries[e.sid_child].color == 1, "a tree's root is red"
            _, names = walk(e.sid_child)
            keys = [(len(n), n.upper()) for n in names]
            assert keys == sorted(keys) and len(set(keys)) == len(keys), names


names = st.text(alphabet="abcXYZ_01", min_size=1, max_size=12)
streams = st.one_of(
    st.binary(max_size=200),  # mini stream
    st.integers(4000, 9000).map(lambda n: bytes(range(256)) * (n // 256) + b"end"),  # either side
)
trees = st.recursive(
    streams,
    lambda children: st.dictionaries(names, children, max_size=9).map(cfb.Storage),
    max_leaves=25,
).filter(lambda t: isinstance(t, cfb.Storage))


@settings(max_examples=60, deadline=None)
@given(trees)
def test_what_is_written_olefile_reads_back(tree):
    data = cfb.write(tree)
    ole = open_ole(data)
    assert olefile_tree(ole) == flat(tree)
    check_red_black(ole)
    assert cfb.read(data) == tree
    assert len(data) % 512 == 0


def test_the_vba_project_reads_and_rewrites_the_same(tmp_path):
    original = quickstart_vba_project()[0]
    tree = cfb.read(original)
    assert flat(tree) == olefile_tree(open_ole(original))
    rewritten = cfb.write(tree)
    ole = open_ole(rewritten)
    assert olefile_tree(ole) == olefile_tree(open_ole(original))
    check_red_black(ole)
    assert len(rewritten) <= len(original)  # no sector more than xlwings' own file


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 8, 15, 16, 33])
def test_siblings_form_a_red_black_tree(count):
    tree = cfb.Storage({f"s{i:02d}": b"x" for i in range(count)})
    check_red_black(open_ole(cfb.write(tree)))


def test_entry_names_are_checked():
    for bad in ("", "a/b", "x" * 32):
        with pytest.raises(ValueError, match="not a valid compound file entry name"):
            cfb.write(cfb.Storage({bad: b"x"}))


def test_a_file_too_large_for_the_header_fat_is_refused():
    with pytest.raises(ValueError, match="over 109 FAT sectors"):
        cfb.write(cfb.Storage({"big": bytes(109 * 128 * 512)}))


def test_broken_files_raise():
    good = cfb.write(cfb.Storage({"a": b"x" * 5000}))
    with pytest.raises(ValueError, match="not a compound file"):
        cfb.read(b"PK" + good[2:])
    with pytest.raises(ValueError, match="past the end|broken sector chain|shorter"):
        cfb.read(good[:1024])
