"""``tradecalc.load`` is the one loader: the library and the command line refuse the same files."""

from __future__ import annotations

import pytest
from helpers import CHONGQING

import tradecalc
from tradecalc.cli import main
from tradecalc.errors import BadInput


def test_a_release_file_loads_with_its_published_total():
    release = tradecalc.load(CHONGQING)
    # "total value of imports and exports ... 180.24 billion yuan, up 60.4%"
    total = release.figure("total")
    assert (total.value, total.yoy) == (180.24, 0.604)


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("missing.toml", None, "no such file"),
        ("folder.toml", "dir", "folder"),
        ("missing.xlsx", None, "no such file"),
        ("folder.xlsx", "dir", "folder"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "xls"),
        ("image.toml", b"\x89PNG\r\n\x1a\n\0\0\0", "an image"),
    ],
)
def test_library_and_command_line_refuse_the_same_files(tmp_path, capsys, name, content, says):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(BadInput) as refused:
        tradecalc.load(path)
    assert says.lower() in str(refused.value).lower()
    assert main(["derive", str(path)]) == 2
    assert says.lower() in capsys.readouterr().err.lower()
