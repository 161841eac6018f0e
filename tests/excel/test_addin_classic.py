"""Classic xlwings (Windows): registration, VBA wrappers, calls through xlwings' own conversion.

pywin32 exists only on Windows, so a fresh interpreter stands in inert
``pywintypes``/``pythoncom``/``win32*`` modules just so that xlwings' real
``xlwings.udfs`` (decorators, ``generate_vba_wrapper``) and
``xlwings._xlwindows`` (the Excel engine whose ``clean_value_data`` turns
what pywin32 delivers into Python values) import. Nothing of them is copied:
a call does what ``udfs.call_udf`` does with values VBA hands over, i.e.
``getattr(module, <name in the VBA wrapper>)``, ``conversion.read(None,
arg, arg_info["options"])`` for every argument, the function, and
``conversion.write(ret, None, ret_info["options"])``.

The values are what pywin32 gives for Excel cells: floats, ``None`` for a
blank, ``Decimal`` for currency and accounting formats (VT_CY), a
``pywintypes.TimeType`` (a datetime subclass) for a date, and for an error
cell the HRESULT 0x800A0000 + Microsoft's error number as a signed integer
(xlwings names only the seven classic ones: #SPILL! (2045) arrives as
-2146826243). Calling through COM cannot be tested here.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap

import pytest
from tradecalc_udfs import reference

SCRIPT = textwrap.dedent(
    """
    import ctypes, datetime as dt, decimal, io, json, sys, types

    class _Inert:
        def __init__(self, *a, **k): pass
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return _Inert()
        def __call__(self, *a, **k): return _Inert()

    class _Module(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            cls = type(name, (_Inert,), {})
            setattr(self, name, cls)
            return cls

    for name in ("pywintypes", "pythoncom", "win32api", "win32con", "win32com", "win32com.client",
                 "win32gui", "win32process", "win32timezone"):
        sys.modules[name] = _Module(name)
    pywintypes = sys.modules["pywintypes"]
    pywintypes.TimeType = type("TimeType", (dt.datetime,), {})  # pywin32's time type is a datetime
    pywintypes.com_error = pywintypes.error = type("com_error", (Exception,), {})
    sys.modules["pythoncom"].__file__ = "pythoncom.dll"
    ctypes.windll = ctypes.oledll = _Inert()
    real_pydll, ctypes.PyDLL = ctypes.PyDLL, _Inert

    import xlwings as xw
    from xlwings import _xlwindows, conversion, udfs
    from xlwings.main import Engine
    ctypes.PyDLL = real_pydll
    xw.engines.add(Engine(impl=_xlwindows.engine))  # what xlwings does on Windows
    xw.engines.active = xw.engines["excel"]
    xw.func, xw.arg, xw.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret
    import tradecalc_udfs as m

    class Workbook:
        Name = "chongqing-2021-q1.xlsm"

    buf = io.StringIO()
    udfs.generate_vba_wrapper("tradecalc_udfs", m, buf, Workbook())
    def options(a):
        return {k: v for k, v in a["options"].items() if k != "convert"}

    funcs = {}
    for f in m.REGISTRY:
        info = f.__xlfunc__
        funcs[info["name"]] = {"category": info["category"], "doc": info["ret"]["doc"],
                               "args": [[a["name"], a["doc"], options(a)] for a in info["args"]]}

    def from_json(x):
        # what pywin32 hands over for a cell
        if isinstance(x, list):
            return tuple(from_json(v) for v in x)
        if isinstance(x, dict):
            if "error" in x:
                return 0x800A0000 + x["error"] - 2**32
            if "decimal" in x:
                return decimal.Decimal(x["decimal"])
            if "date" in x:
                return pywintypes.TimeType.fromisoformat(x["date"]).replace(tzinfo=dt.timezone.utc)
        return x

    results = []
    for vba_name, args in json.loads(sys.stdin.read()):
        f = getattr(m, vba_name)  # as udfs.call_udf: getattr(module, func_name)
        info = f.__xlfunc__
        arg_infos = info["args"]
        options_of = [arg_infos[min(i, len(arg_infos) - 1)]["options"] for i in range(len(args))]
        values = [conversion.read(None, from_json(a), o) for a, o in zip(args, options_of)]
        out = conversion.write(f(*values), None, info["ret"]["options"])
        results.append(out)
    print(json.dumps({"vba": buf.getvalue(), "funcs": funcs, "results": results}, default=repr))
    """
)


def err(number):
    return {"error": number}


#: (Excel name as the VBA wrapper calls it, arguments as VBA passes them)
CALLS = [
    ("TRADE_BASE", [180.24, 0.604]),
    ("TRADE_BASE", [err(2045), 0.604]),  # #SPILL!: -2146826243 from pywin32
    ("TRADE_BASE", [180.24, err(2050)]),  # #CALC!
    ("TRADE_BASE", [180.24, err(2042)]),  # #N/A: xlwings names it
    ("TRADE_BASE", [[[180.24], [112.32]], [[err(2043)], [0.757]]]),  # #GETTING_DATA in a range
    ("TRADE_BASE", [180.24, err(2088)]),  # an error number Microsoft does not name
    ("TRADE_BASE", [{"decimal": "180.24"}, 0.604]),  # a currency-formatted cell
    ("TRADE_BASE", [180.24, "60.4"]),  # growth typed as text: a printed percentage
    (
        "TRADE_YEARS",
        [{"date": "2021-03-01T00:00:00"}, {"date": "2020-03-01T00:00:00"}],
    ),  # 2021-03 typed
    ("TRADE_YEARS", [{"date": "2021-03-15T00:00:00"}, "2020-03"]),
    ("TRADE_NUMBER", ["9" * 400]),  # an error text that would echo 400 characters
    (
        "TRADE_TABLE",
        [
            [
                ["id", "value", "yoy", "unit", "period"],
                ["total", err(2045), 0.604, "billion yuan", "2021-Q1"],
            ]
        ],
    ),
    ("TRADE_WHY", ["TRADE_BASE", 180.24, -1.2]),
    ("TRADE_SHARE_BOUNDS", [112.32, err(2047), 2, 2]),  # #BLOCKED!
]


@pytest.fixture(scope="module")
def classic():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps(CALLS),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_classic_registration_carries_category_and_descriptions(classic):
    for f in reference.function_reference():
        got = classic["funcs"][f["name"]]
        assert got["category"] == "Trade release arithmetic"
        assert got["doc"] == f["description"]
        assert [(a, d) for a, d, _ in got["args"]] == [tuple(a) for a in f["args"]]
        # every argument read as a 2-D array, error cells as "#N/A" text (not blanks)
        assert all(opts == {"ndim": 2, "err_to_str": True} for _, _, opts in got["args"])


def test_import_functions_writes_upper_case_wrappers(classic):
    vba = classic["vba"]
    for f in reference.function_reference():
        assert f"Function {f['name']}(" in vba
        assert f"Function {f['name'].lower()}(" not in vba  # one wrapper per function
    assert "Function TRADE_BASE(value, growth)" in vba
    assert "Function TRADE_NUMBER(text, Optional part)" in vba
    assert "Function TRADE_WHY(function, ParamArray arguments())" in vba
    assert 'XLPy.CallUDF("tradecalc_udfs", "TRADE_BASE", Array(value, growth)' in vba


def cells(classic):
    """The results as VBA receives them: a 2-D array; a single cell unwrapped."""
    return [x[0][0] if len(x) == 1 and len(x[0]) == 1 else x for x in classic["results"]]


def test_error_cells_pywin32_delivers_are_passed_on_never_computed(classic):
    r = cells(classic)
    assert r[0] == pytest.approx(180.24 / 1.604)
    # before: TRADE_BASE(#SPILL!, 0.604) computed -2146826243 / 1.604 = -1338420350.99
    assert r[1] == "#SPILL!"
    assert r[2] == "#CALC!"
    assert r[3] == "#N/A"
    assert r[4] == [["#GETTING_DATA"], [pytest.approx(112.32 / 1.757)]]
    assert r[5] == "#N/A TRADE_BASE: growth holds Excel error 2088 (CVErr(2088))"
    assert r[13] == [["#BLOCKED!", "#BLOCKED!"]]


def test_currency_text_growth_and_dates_as_excel_delivers_them(classic):
    r = cells(classic)
    assert r[6] == pytest.approx(180.24 / 1.604)  # Decimal("180.24") from a currency format
    assert r[7] == pytest.approx(180.24 / 1.604)  # "60.4" in a growth cell is 60.4%
    assert r[8] == 1.0  # 2021-03-01 and 2020-03-01 as months
    assert r[9].startswith("#VALUE! TRADE_YEARS: period is a date or time (2021-03-15T00:00:00)")


def test_every_returned_string_fits_a_vba_array(classic):
    r = classic["results"]

    def strings(x):
        if isinstance(x, list):
            for y in x:
                yield from strings(y)
        elif isinstance(x, str):
            yield x

    assert all(len(s) <= 255 for s in strings(r)), max(strings(r), key=len)
    r = cells(classic)
    assert r[10].startswith("#VALUE! TRADE_NUMBER: '9999") and len(r[10]) <= 255
    assert r[11] == "#SPILL! TRADE_TABLE: range row 2, column value holds #SPILL!"
    assert r[12] == "#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)"
    assert not any(isinstance(x, float) and math.isinf(x) for x in r if not isinstance(x, list))
