"""Classic xlwings (Windows): registration metadata and the VBA wrappers "Import Functions" writes.

pywin32 exists only on Windows, so a fresh interpreter stands in empty
``pythoncom``/``pywintypes``/``win32com`` modules just to import
``xlwings.udfs``; its real ``xlfunc``/``xlarg`` decorators then register the
module, and its real ``generate_vba_wrapper`` writes the VBA that Excel
would import. Calling through COM cannot be tested here.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tradecalc_udfs import reference

SCRIPT = textwrap.dedent(
    """
    import io, json, sys, types
    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["win32com.client"].Dispatch = object
    sys.modules["pythoncom"].CoInitialize = lambda: None
    import xlwings as xw
    from xlwings import udfs
    xw.func, xw.arg, xw.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret
    import tradecalc_udfs as m

    class Workbook:
        Name = "chongqing-2021-q1.xlsm"

    buf = io.StringIO()
    udfs.generate_vba_wrapper("tradecalc_udfs", m, buf, Workbook())
    funcs = {f.__name__: {"category": f.__xlfunc__["category"], "doc": f.__xlfunc__["ret"]["doc"],
                          "args": [[a["name"], a["doc"], a["options"]] for a in f.__xlfunc__["args"]]}
             for f in m.REGISTRY}
    print(json.dumps({"vba": buf.getvalue(), "funcs": funcs}))
    """
)


@pytest.fixture(scope="module")
def classic():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_classic_registration_carries_category_and_descriptions(classic):
    for f in reference.function_reference():
        got = classic["funcs"][f["name"].lower()]
        assert got["category"] == "Trade release arithmetic"
        assert got["doc"] == f["description"]
        assert [(a, d) for a, d, _ in got["args"]] == [tuple(a) for a in f["args"]]
        # every argument read as a 2-D array, error cells as "#N/A" text (not blanks)
        assert all(opts == {"ndim": 2, "err_to_str": True} for _, _, opts in got["args"])


def test_import_functions_writes_one_vba_wrapper_per_function(classic):
    vba = classic["vba"]
    for f in reference.function_reference():
        assert f"Function {f['name'].lower()}(" in vba
    assert "Function trade_base(value, growth)" in vba
    assert "Function trade_number(text, Optional part)" in vba
    assert 'XLPy.CallUDF("tradecalc_udfs", "trade_base", Array(value, growth)' in vba
