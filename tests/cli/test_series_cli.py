"""``tradecalc series`` and ``tradecalc build --series`` through the real command line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from helpers import RELEASES, ROOT

from tradecalc.cli.main import main

NATIONAL = [str(RELEASES / "national-2021-q1.toml"), str(RELEASES / "national-2021-jan-apr.toml")]
CHONGQING = [
    str(RELEASES / "chongqing-2021-q1.toml"),
    str(RELEASES / "chongqing-2021-jan-apr.toml"),
]


def run(*args):
    p = subprocess.run(
        [sys.executable, "-m", "tradecalc.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return p.returncode, p.stdout, p.stderr


def test_national_pair_exits_1_and_says_revision():
    code, out, err = run("series", *NATIONAL, "--format", "markdown")
    assert code == 1, err
    assert "revision" in out and "3.15 [3.14, 3.16]" in out and "26.65% [26.34%, 26.97%]" in out


def test_chongqing_pair_exits_0(capsys):
    assert main(["series", *CHONGQING, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert (
        "| total | April 2021 | single period | 245.91 (2021-01/2021-04) | 180.24 (2021-Q1) "
        "| 65.67 [65.66, 65.68]" in out
    )


def test_json_rows_and_units(capsys):
    assert main(["series", *NATIONAL, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    rows = {(r["series"], r["period"]): r for r in doc["periods"]}
    april = rows[("balance", "2021-04")]
    assert (
        april["value"] * 1000 == pytest.approx(260.71) and april["value_status"] == "inconsistent"
    )
    assert doc["units"]["growth"] == "fraction"
    assert [r["id"] for r in doc["releases"]] == ["national-2021-q1", "national-2021-jan-apr"]
    rev = [r for r in doc["revisions"] if r["series"] == "balance"][0]
    assert rev["revision"] * 1000 == pytest.approx(-15.79)


def test_csv_holds_both_tables(tmp_path):
    out = tmp_path / "series.csv"
    assert main(["series", *NATIONAL, "-o", str(out)]) == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["table"] for r in rows} == {"period", "revision"}
    april = [
        r
        for r in rows
        if r["table"] == "period" and r["series"] == "total" and r["period"] == "2021-04"
    ][0]
    assert float(april["value [row unit]"]) == pytest.approx(3.15)
    assert float(april["growth [fraction]"]) == pytest.approx(0.26655, abs=5e-6)


def test_a_folder_is_read_and_groups_kept_apart(capsys):
    assert main(["series", str(RELEASES), "--format", "markdown"]) == 1
    captured = capsys.readouterr()
    assert "kept apart" in captured.err
    assert (
        "Chongqing Customs" in captured.out and "General Administration of Customs" in captured.out
    )


def test_bad_input_exits_2(tmp_path, capsys):
    assert main(["series", str(tmp_path / "missing.toml")]) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('[release]\nid = "x"\n', encoding="utf-8")
    assert main(["series", str(bad)]) == 2
    assert main(["series", NATIONAL[0], NATIONAL[0]]) == 2
    assert "given twice" in capsys.readouterr().err


def test_build_series_workbook(tmp_path):
    out = tmp_path / "series.xlsx"
    code, _, err = run("build", "--series", *NATIONAL, *CHONGQING, "-o", str(out))
    assert code == 0, err
    import openpyxl

    wb = openpyxl.load_workbook(out, data_only=True)
    assert {"Figures", "Series", "Revisions", "Charts", "About"} <= set(wb.sheetnames)
    assert len(list(wb["Figures"].iter_rows(min_row=2))) == 4 + 8 + 22 + 7


def test_build_series_refuses_a_release_and_series_together(tmp_path, capsys):
    assert main(["build", NATIONAL[0], "--series", *NATIONAL, "-o", str(tmp_path / "x.xlsx")]) == 2
    assert main(["build", "--series", *NATIONAL]) == 2  # no -o
    assert main(["build", "--series", *NATIONAL, "-o", str(tmp_path / "x.xlsm")]) == 2
    assert main(["build"]) == 2
    assert (
        main(["build", "--series", *NATIONAL, "-o", str(tmp_path / "x.xlsx"), "--format", "xlsm"])
        == 2
    )


def test_build_series_does_not_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "series.xlsx"
    assert main(["build", "--series", *NATIONAL, "-o", str(out)]) == 0
    before = out.read_bytes()
    assert main(["build", "--series", *CHONGQING, "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err and out.read_bytes() == before
    assert main(["build", "--series", *CHONGQING, "-o", str(out), "--force"]) == 0
    assert out.read_bytes() != before


def test_terminal_table_prints(capsys):
    assert main(["series", *CHONGQING]) == 0
    out = capsys.readouterr().out
    assert "single periods from cumulative releases" in out and "summary:" in out
