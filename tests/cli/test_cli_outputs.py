"""Output paths, error messages and terminal text on the command line (issue 14: items 2, 5, 13, 17; messages).

Every release here is written by the test, small, with numbers whose sums are
checked by Python's integers (an independent computation).
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from tradecalc.cli.main import EXIT_BAD_INPUT, EXIT_BUG, main

EXACT = """[release]
id = "exact"
title = "Exact sums of 15 digits"
unit = "yuan"
period = "2021-Q1"

[[breakdowns]]
id = "flows"
parent = "total"
kind = "complete"

[[figures]]
id = "total"
period = "2021-Q1"
flow = "total"
value = "{total}"

[[figures]]
id = "exports"
period = "2021-Q1"
flow = "exports"
breakdown = "flows"
parent = "total"
value = "{exports}"

[[figures]]
id = "imports"
period = "2021-Q1"
flow = "imports"
breakdown = "flows"
parent = "total"
value = "{imports}"
"""
EXPORTS, IMPORTS = 100_000_000_000_000, 23_456_789_012_345


def release(tmp_path, name="exact.toml", **over):
    values = {"total": EXPORTS + IMPORTS, "exports": EXPORTS, "imports": IMPORTS} | over
    p = tmp_path / name
    p.write_text(EXACT.format(**values), encoding="utf-8")
    return p


def run(capsys, *argv):
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


# --------------------------------------------------------------------------- item 2: 15 digits stay exact


def test_a_sum_of_fifteen_digit_figures_is_consistent(tmp_path, capsys):
    assert EXPORTS + IMPORTS == 123_456_789_012_345  # Python's integers: the parts add up exactly
    rc, out, err = run(capsys, "check", release(tmp_path), "--format", "json")
    assert rc == 0, err
    rows = {r["check"]: r for r in json.loads(out)["rows"]}
    assert rows["flows:sum"]["status"] == "consistent"
    assert rows["flows:sum"]["stated"] == 123456789012345.0 == rows["flows:sum"]["computed"]


def test_a_sum_off_by_one_yuan_in_fifteen_digits_is_caught(tmp_path, capsys):
    # printed to the yuan, the total may be 0.5 off: 2 yuan off is inconsistent (the 12-digit cut hid it)
    rc, out, _ = run(
        capsys, "check", release(tmp_path, total=EXPORTS + IMPORTS + 2), "--format", "json"
    )
    assert rc == 1
    assert {r["check"]: r for r in json.loads(out)["rows"]}["flows:sum"]["status"] == "inconsistent"


def test_build_then_pull_keeps_every_printed_digit(tmp_path, capsys):
    p = release(
        tmp_path, total="123456789.123456", exports="100000000.000000", imports="23456789.123456"
    )
    book, back = tmp_path / "exact.xlsx", tmp_path / "back.toml"
    assert run(capsys, "build", p, "-o", book)[0] == 0
    rc, out, err = run(capsys, "pull", book, "-o", back)
    assert rc == 0, err
    text = back.read_text(encoding="utf-8")
    assert 'value = "123456789.123456"' in text and "123456789.123000" not in text
    assert 'value = "23456789.123456"' in text


# --------------------------------------------------------------------------- item 13: a bounded precision


@pytest.mark.parametrize("decimals", ["2147483647", "1e300", "-1", "2.5"])
def test_an_absurd_precision_is_refused_with_its_line(tmp_path, capsys, decimals):
    text = EXACT.format(total=1, exports=1, imports=0).replace(
        'value = "1"\n', f'value = "1"\nvalue_decimals = {decimals}\n', 1
    )
    p = tmp_path / "dec.toml"
    p.write_text(text, encoding="utf-8")
    rc, _, err = run(capsys, "build", p, "-o", tmp_path / "dec.xlsx")
    assert rc == EXIT_BAD_INPUT, err
    assert "decimals" in err and "Traceback" not in err and len(err) < 1000
    assert not (tmp_path / "dec.xlsx").exists()


def test_an_infinite_precision_is_bad_input_not_a_bug(tmp_path, capsys):
    text = EXACT.format(total=1, exports=1, imports=0).replace(
        'value = "1"\n', 'value = "1"\nvalue_decimals = inf\n', 1
    )
    p = tmp_path / "inf.toml"
    p.write_text(text, encoding="utf-8")
    rc, _, err = run(capsys, "check", p)
    assert rc == EXIT_BAD_INPUT and "line 17" in err, err  # the value_decimals line


# --------------------------------------------------------------------------- item 5: output rules


@pytest.mark.parametrize("command", ["derive", "check"])
def test_an_existing_output_needs_force(tmp_path, capsys, command):
    p = release(tmp_path)
    out = tmp_path / "report.csv"
    out.write_text("the user's own file\n", encoding="utf-8")
    rc, stdout, err = run(capsys, command, p, "-o", out)
    assert rc == EXIT_BAD_INPUT and "exists" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "the user's own file\n"
    rc, _, err = run(capsys, command, p, "-o", out, "--force")
    assert rc == 0, err
    assert out.read_text(encoding="utf-8").startswith("id," if command == "derive" else "check,")


@pytest.mark.parametrize("command", ["derive", "check"])
def test_the_input_is_never_overwritten_even_with_force(tmp_path, capsys, command):
    p = release(tmp_path)
    before = p.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(p)
    for target in (p, link):
        rc, _, err = run(capsys, command, p, "-o", target, "--force")
        assert rc == EXIT_BAD_INPUT and "input itself" in err, err
    assert p.read_bytes() == before


@pytest.mark.parametrize("command", ["derive", "check", "build", "pull", "extract"])
def test_a_folder_as_output_is_refused_naming_no_temporary(tmp_path, capsys, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = release(tmp_path)
    (tmp_path / "reports").mkdir()
    for target in (".", "reports", "reports/"):
        rc, _, err = run(capsys, command, p, "-o", target)
        assert rc == EXIT_BAD_INPUT, (target, err)
        assert (
            "folder" in err
            and ".tmp-" not in err
            and "PosixPath" not in err
            and "object at" not in err
        )


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root writes in read-only folders"
)
def test_a_read_only_folder_is_named(tmp_path, capsys):
    p = release(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        rc, _, err = run(capsys, "check", p, "-o", locked / "checks.csv")
    finally:
        locked.chmod(stat.S_IRWXU)
    assert rc == EXIT_BAD_INPUT and "cannot write in the folder" in err and ".tmp-" not in err


def test_a_read_only_folder_at_write_time_is_named_not_the_temporary(tmp_path):
    """The writer's own message (the folder may become read-only after the checks); as root, simulated."""
    from tradecalc.errors import BadInput
    from tradecalc.io import atomic

    target = tmp_path / "checks.csv"
    real_open = os.open

    def refusing_open(path, *a, **k):
        if ".tmp-" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    atomic.os.open = refusing_open
    try:
        with pytest.raises(BadInput) as e:
            atomic.atomic_write_bytes(target, b"x")
    finally:
        atomic.os.open = real_open
    assert "cannot write in the folder" in str(e.value) and ".tmp-" not in str(e.value)


def test_dash_is_stdout_for_tables_and_release_files_but_not_workbooks(tmp_path, capsys):
    p = release(tmp_path)
    rc, out, _ = run(capsys, "check", p, "-o", "-", "--format", "csv")
    assert rc == 0 and out.startswith("check,") and not (tmp_path / "-").exists()
    rc, _, err = run(capsys, "build", p, "-o", "-")
    assert rc == EXIT_BAD_INPUT and "not to the terminal" in err
    text = tmp_path / "q1.txt"
    text.write_text("In 2021 exports rose 5% to 1 billion yuan.\n", encoding="utf-8")
    rc, _, err = run(capsys, "extract", text, "-o", "-")
    assert rc == EXIT_BAD_INPUT and "not to the terminal" in err
    book = tmp_path / "b.xlsx"
    assert run(capsys, "build", p, "-o", book)[0] == 0
    rc, out, err = run(capsys, "pull", book, "-o", "-")
    assert rc == 0, err
    assert 'value = "123456789012345"' in out


def test_build_refuses_a_foreign_file_at_its_output_without_force(tmp_path, capsys):
    p = release(tmp_path)
    out = tmp_path / "book.xlsx"
    out.write_bytes(b"%PDF-1.4 not a workbook")
    rc, _, err = run(capsys, "build", p, "-o", out)
    assert rc == EXIT_BAD_INPUT and "--force" in err and "a PDF" in err
    assert out.read_bytes() == b"%PDF-1.4 not a workbook"
    assert run(capsys, "build", p, "-o", out, "--force")[0] == 0


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    "name, said",
    [
        ("q1.xls", "legacy Excel workbook (.xls)"),
        ("q1.ods", "OpenDocument spreadsheet (.ods)"),
        ("q1.XLS", "legacy Excel workbook (.xls)"),
    ],
)
def test_spreadsheets_under_their_own_suffix_are_named(tmp_path, capsys, name, said):
    p = tmp_path / name
    p.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
        if "xls" in name.lower()
        else b"PK\x03\x04" + b"\x00" * 100
    )
    rc, _, err = run(capsys, "check", p)
    assert (
        rc == EXIT_BAD_INPUT and said in err and "binary" not in err and "save it as .xlsx" in err
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_release_files_are_read_or_refused_by_name(tmp_path, capsys, encoding):
    p = tmp_path / "u16.toml"
    p.write_bytes(
        EXACT.format(total=3, exports=2, imports=1).encode(encoding)
    )  # "utf-16" writes a BOM
    rc, out, err = run(capsys, "check", p, "--format", "json")
    if encoding == "utf-16":
        assert rc == 0, err
        assert {r["check"]: r for r in json.loads(out)["rows"]}["flows:sum"][
            "status"
        ] == "consistent"
    else:  # without a byte-order mark the byte order is a guess: refused, saying what it is
        assert (
            rc == EXIT_BAD_INPUT
            and "UTF-16 text without a byte-order mark" in err
            and "UTF-8" in err
        )


def test_a_200000_character_id_gives_a_short_message(tmp_path, capsys):
    text = EXACT.format(total=3, exports=2, imports=1).replace(
        'parent = "total"\nvalue = "2"', f'parent = "{"x" * 200_000}"\nvalue = "2"'
    )
    p = tmp_path / "long.toml"
    p.write_text(text, encoding="utf-8")
    rc, _, err = run(capsys, "check", p)
    assert rc == EXIT_BAD_INPUT
    assert len(err) < 2000 and "characters" in err


def test_a_programming_error_is_not_reported_as_bad_input(tmp_path, capsys, monkeypatch):
    import tradecalc

    def broken(release):
        raise KeyError("share")  # what a bug looks like: nothing about the input

    monkeypatch.setattr(tradecalc, "check", broken)
    monkeypatch.delenv("TRADECALC_DEBUG", raising=False)
    rc, _, err = run(capsys, "check", release(tmp_path))
    assert rc == EXIT_BUG == 3
    assert "a bug in tradecalc" in err and "TRADECALC_DEBUG=1" in err and "Fix:" not in err
    monkeypatch.setenv("TRADECALC_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["check", str(release(tmp_path))])


# --------------------------------------------------------------------------- item 17: rich markup in release text


@pytest.mark.parametrize(
    "label",
    [
        "[/]",
        "[link=https://example.com]click[/link]",
        "[conceal]hidden[/conceal]",
        "[bold red]x",
        "Exports\x1b[2J\x1b[31m",
        "\u202egnirts",
    ],
)
def test_markup_in_a_release_is_shown_as_typed(tmp_path, capsys, label):
    text = EXACT.format(total=3, exports=2, imports=1).replace(
        'title = "Exact sums of 15 digits"', f"title = {json.dumps(label)}"
    )
    p = tmp_path / "markup.toml"
    p.write_text(text, encoding="utf-8")
    rc, out, err = run(capsys, "check", p)
    assert rc == 0, err
    visible = label.replace("\x1b", "\ufffd").replace("\u202e", "\ufffd")
    assert f"{visible}: checks (yuan)" in out  # the title, character for character
    assert "\x1b" not in out and "\u202e" not in out
    rc, out, _ = run(capsys, "check", p, "--format", "markdown")
    assert rc == 0 and f"**{visible}: checks (yuan)**" in out


def test_a_value_error_from_a_library_is_a_bug_but_a_refusal_of_ours_is_bad_input(
    tmp_path, capsys, monkeypatch
):
    import tradecalc

    def library_error(release):
        import numpy as np

        return np.zeros(2).reshape(
            3
        )  # numpy raises ValueError: a programming error, not the input's

    monkeypatch.setattr(tradecalc, "check", library_error)
    monkeypatch.delenv("TRADECALC_DEBUG", raising=False)
    rc, _, err = run(capsys, "check", release(tmp_path))
    assert rc == EXIT_BUG and "a bug in tradecalc" in err

    def refusal(release):
        raise ValueError(
            "exports: a text of 40,000 characters; a cell holds 32,767"
        )  # as workbook/sheets.py does

    refusal.__code__ = refusal.__code__.replace(
        co_filename=tradecalc.__file__
    )  # raised "in tradecalc"
    monkeypatch.setattr(tradecalc, "check", refusal)
    rc, _, err = run(capsys, "check", release(tmp_path))
    assert rc == EXIT_BAD_INPUT and "32,767" in err
