"""xlwings Server / xlwings Lite: the same module registers as Office.js custom functions.

A fresh interpreter with ``XLWINGS_ON_SERVER=true`` makes ``xw.func``/``xw.arg``
the Office.js decorators; ``xlwings.server.custom_functions_meta`` then builds
the metadata Excel loads, and ``custom_functions_call`` runs a function with
the JSON body Excel's custom-functions runtime posts (see xlwings'
custom_functions_code.js: func_name, args as 2-D matrices, caller_address,
content_language, version, runtime). That part of xlwings is under the
PolyForm Noncommercial licence; the tests use ``XLWINGS_LICENSE_KEY=noncommercial``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from tradecalc_udfs import reference

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    import xlwings as xw
    from xlwings import server
    import tradecalc_udfs

    calls = json.loads(sys.stdin.read())
    out = {"meta": server.custom_functions_meta(tradecalc_udfs), "results": []}
    for name, args in calls:
        body = {"func_name": name, "args": args, "caller_address": "Book1[Derived]!C5",
                "content_language": "en-US", "version": xw.__version__, "runtime": "1.4",
                "client": "Office.js", "culture_info_name": "en-US", "date_format": "M/d/yyyy"}
        try:
            out["results"].append(asyncio.run(server.custom_functions_call(body, tradecalc_udfs)))
        except Exception as e:  # an exception would reach Excel as #VALUE!
            out["results"].append({"raised": repr(e)})
    print(json.dumps(out))
    """
)

NA = {"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}
SPILL = {"type": "Error", "basicValue": "#SPILL!", "errorType": "Spill"}
NUM_ERROR = {"type": "Error", "errorType": "Num"}
VALUE_ERROR = {"type": "Error", "errorType": "Value"}
NA_ERROR = {"type": "Error", "errorType": "NotAvailable"}

CALLS = [
    ("trade_base", [[[180.24]], [[0.604]]]),
    ("trade_base", [[[""]], [[0.604]]]),  # a blank cell
    ("trade_base", [[["180.24"]], [["60.4%"]]]),  # numbers stored as text
    ("trade_base", [[[180.24]], [[-1.2]]]),
    ("trade_base", [[[NA]], [[0.604]]]),  # an error cell
    ("trade_base", [[[True]], [[0.604]]]),
    ("trade_base", [[[180.24], [112.32]], [[0.604], [0.757]]]),  # a column range
    ("trade_base", [[[180.24], [112.32]], [[0.604], [0.757], [0.402]]]),
    ("trade_reference_rate", [[[0.604]], [[31.2]]]),
    ("trade_base_bounds", [[[180.24]], [[0.604]], [[2]], [[1]]]),
    ("trade_base_bounds", [[[180.24]], [[0.604]], [[""]], [[""]]]),
    ("trade_number", [[["1.2 trillion"]]]),  # optional argument left out
    ("trade_number", [[["1.2 trillion"]], [["multiplier"]]]),
    ("trade_compound", [[[-0.1459], [0.604]]]),
    ("trade_base", [[[SPILL]], [[0.604]]]),  # a newer error: no Office.js code of its own
    (
        "trade_base",
        [[[180.24], [""], [10]], [[0.604], [0.1], [-1]]],
    ),  # a value, a blank, #NUM! in one range
    (
        "trade_years",
        [[[44256]], [[43891]]],
    ),  # dates typed as 2021-03 and 2020-03 arrive as serial numbers
    ("trade_base", [[[180.24]], [["60.4"]]]),  # growth typed as text: a printed percentage
    # the reason, as text; a repeating parameter arrives as the list of its values
    ("trade_why", [[["TRADE_BASE"]], [[[180.24]], [[-1.2]]]]),
    ("trade_why", [[["TRADE_BASE"]], [[[NA]], [[0.604]]]]),
    ("trade_why", [[["TRADE_BASE"]], [[[180.24], [10]], [[0.604], [-1]]]]),
    ("trade_base_bounds", [[[180.24]], [[-1.5]], [[2]], [[1]]]),
]


@pytest.fixture(scope="module")
def server_run():
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps(CALLS),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_metadata_registers_every_function_with_its_descriptions(server_run):
    meta = {f["name"]: f for f in server_run["meta"]["functions"]}
    ref = {f["name"]: f for f in reference.function_reference()}
    assert set(meta) == set(ref)
    for name, f in ref.items():
        m = meta[name]
        assert m["id"] == name
        assert m["description"] == f["description"]
        assert [(p["name"], p["description"]) for p in m["parameters"]] == [
            tuple(a) for a in f["args"]
        ]
        assert all(p["dimensionality"] == "matrix" and p["type"] == "any" for p in m["parameters"])
    assert meta["TRADE_NUMBER"]["parameters"][1].get("optional") is True
    assert meta["TRADE_WHY"]["parameters"][1].get("repeating") is True
    assert not any(p.get("optional") for p in meta["TRADE_BASE"]["parameters"])
    assert server_run["meta"]["allowErrorForDataTypeAny"] is True


def test_calls_with_the_payload_excel_sends(server_run):
    r = server_run["results"]
    assert r[0] == [[pytest.approx(180.24 / 1.604)]]
    assert r[1] == [[""]]  # a blank in, an empty string out (not an empty cell: ISBLANK is FALSE)
    assert r[2] == [[pytest.approx(180.24 / 1.604)]]
    assert r[6] == [[pytest.approx(180.24 / 1.604)], [pytest.approx(112.32 / 1.757)]]
    assert r[8] == [[pytest.approx(0.292)]]
    assert r[9] == [[pytest.approx(180.235 / 1.6045), pytest.approx(180.245 / 1.6035)]]
    assert r[10] == [[pytest.approx(180.24 / 1.604), pytest.approx(180.24 / 1.604)]]
    assert r[11] == [[1.2]]
    assert r[12] == [[1e12]]
    assert r[13] == [[pytest.approx((1 - 0.1459) * 1.604 - 1)]]
    assert r[16] == [[1.0]]  # 2021-03 on 2020-03: one year
    assert r[17] == [[pytest.approx(180.24 / 1.604)]]
    assert not any(isinstance(x, dict) and "raised" in x for x in r), (
        "a UDF raised instead of returning an error"
    )


def test_errors_are_real_excel_errors_on_office_js(server_run):
    """xlwings' own result formatting turns the bare codes into Office.js error values."""
    r = server_run["results"]
    assert r[3] == [[NUM_ERROR]]  # growth ≤ -100%: #NUM!, which IFERROR and ISERROR see
    assert r[4] == [[NA_ERROR]]  # an input's #N/A passed on as a real #N/A
    assert r[5] == [[VALUE_ERROR]]  # TRUE where a number is expected
    assert r[7] == [[VALUE_ERROR]]  # mismatched shapes
    assert r[14] == [[NA_ERROR]]  # an input's #SPILL!: Office.js cannot return #SPILL!, so #N/A
    assert r[15] == [[pytest.approx(180.24 / 1.604)], [""], [NUM_ERROR]]
    assert r[21] == [[NUM_ERROR, NUM_ERROR]]


def test_trade_why_gives_the_reason_as_text(server_run):
    r = server_run["results"]
    assert r[18] == [["#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)"]]
    assert r[19] == [["#N/A passed on from an input"]]
    assert r[20] == [[""], ["#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1)"]]
