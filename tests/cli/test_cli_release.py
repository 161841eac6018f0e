"""The command line on release files: formats parse and carry units and statuses; exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tradecalc.cli.main import main


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_derive_csv(capsys, chongqing_path):
    rc, out, _ = run(capsys, "derive", str(chongqing_path), "--format", "csv")
    assert rc == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 22
    header = rows[0].keys()
    assert (
        "base [billion yuan]" in header
        and "share [fraction]" in header
        and "pull_pp [pp]" in header
    )
    by_id = {r["id"]: r for r in rows}
    assert round(float(by_id["total"]["base [billion yuan]"]), 2) == 112.37
    assert round(float(by_id["exports"]["share_change_pp [pp]"]), 1) == 5.4
    assert by_id["fruits"]["base [billion yuan]"] == ""  # no value printed: blank, never 0


def test_derive_json(capsys, chongqing_path):
    rc, out, _ = run(capsys, "derive", str(chongqing_path), "--format", "json")
    assert rc == 0
    doc = json.loads(out)
    assert doc["release"]["unit"] == "billion yuan"
    assert (
        doc["units"]["base"] == "billion yuan"
        and doc["units"]["pull_pp"] == "pp"
        and doc["units"]["share"] == "fraction"
    )
    rows = {r["id"]: r for r in doc["rows"]}
    assert round(rows["exports"]["share"], 3) == 0.623
    assert rows["fruits"]["base"] is None  # NaN becomes null, not NaN (invalid JSON)


def test_derive_markdown_and_table(capsys, chongqing_path):
    rc, out, _ = run(capsys, "derive", str(chongqing_path), "--format", "markdown")
    assert rc == 0
    lines = out.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0].startswith("| id |") and set(table[1]) <= set("|-")
    assert len(table) == 2 + 22
    assert "billion yuan" in out
    assert "112.37" in next(line for line in table if line.startswith("| total |"))
    rc, out, _ = run(capsys, "derive", str(chongqing_path))
    assert rc == 0 and "112.37" in out and "Chongqing" in out


def test_check_csv_carries_units_and_statuses(capsys, chongqing_path):
    rc, out, _ = run(capsys, "check", str(chongqing_path), "--format", "csv")
    assert rc == 0
    rows = {r["check"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (
        rows["flow-q1:sum"]["status"] == "consistent"
        and rows["flow-q1:sum"]["unit"] == "billion yuan"
    )
    assert rows["ownership:residual_base"]["status"] == "consistent within rounding"
    assert rows["total-usd"]["unit"] == "yuan per USD"
    assert round(float(rows["total-vs-national"]["computed"]), 3) == 0.292


def test_check_json(capsys, chongqing_path):
    rc, out, _ = run(capsys, "check", str(chongqing_path), "--format", "json")
    assert rc == 0
    doc = json.loads(out)
    assert doc["summary"].get("inconsistent", 0) == 0
    assert sum(doc["summary"].values()) == len(doc["rows"])
    row = next(r for r in doc["rows"] if r["check"] == "ownership:residual_growth")
    assert row["high"] == "inf" and row["status"] == "not checkable"
    assert all(r["status"] and "unit" in r for r in doc["rows"])


def test_check_markdown_and_table(capsys, chongqing_path):
    rc, out, _ = run(capsys, "check", str(chongqing_path), "--format", "markdown")
    assert rc == 0 and "| ownership:residual_base |" in out and "consistent within rounding" in out
    rc, out, _ = run(capsys, "check", str(chongqing_path))
    assert rc == 0 and "consistent within rounding" in out


def test_check_exit_1_when_a_part_breaks_a_sum(capsys, tmp_path, chongqing_toml_text):
    p = tmp_path / "broken-sum.toml"
    assert chongqing_toml_text.count('value = "112.32"') == 1
    p.write_text(
        chongqing_toml_text.replace('value = "112.32"', 'value = "122.32"'), encoding="utf-8"
    )
    rc, out, _ = run(capsys, "check", str(p), "--format", "csv")
    assert rc == 1
    rows = {r["check"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["flow-q1:sum"]["status"] == "inconsistent"


def test_exit_2_on_a_broken_file(capsys, tmp_path, chongqing_toml_text):
    p = tmp_path / "broken.toml"
    text = chongqing_toml_text.replace(
        'parent = "total"\nvalue = "112.32"', 'parent = "totl"\nvalue = "112.32"'
    )
    p.write_text(text, encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if x == 'parent = "totl"')
    for command in ("check", "derive"):
        rc, out, err = run(capsys, command, str(p))
        assert rc == 2 and out == ""
        assert f"{p}:line {line}: figure 'exports' names unknown parent 'totl'" in err
        assert "Fix:" in err and "Traceback" not in err


def test_exit_2_on_binary_and_missing_files(capsys, tmp_path):
    b = tmp_path / "x.toml"
    b.write_bytes(b"\x00\x01\x02")
    rc, _, err = run(capsys, "check", str(b))
    assert rc == 2 and "binary" in err
    rc, _, err = run(capsys, "derive", str(tmp_path / "missing.toml"))
    assert rc == 2 and "no such file" in err


def test_output_file(capsys, tmp_path, chongqing_path):
    out = tmp_path / "checks.json"
    rc, printed, _ = run(capsys, "check", str(chongqing_path), "--format", "json", "-o", str(out))
    assert rc == 0 and printed == ""
    assert json.loads(out.read_text(encoding="utf-8"))["rows"]


def test_unknown_format_is_a_usage_error(capsys, chongqing_path):
    with pytest.raises(SystemExit) as e:
        main(["derive", str(chongqing_path), "--format", "xml"])
    assert e.value.code == 2
