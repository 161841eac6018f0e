"""``check`` pauses Python's cyclic garbage collector while it builds the table (issue 16).

Safe because a check makes no reference cycles: a collection right after one,
with the collector paused throughout, finds nothing to free. The collector's
state is restored as it was, also when building the table fails.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from tradecalc.analysis import checks
from tradecalc.analysis.checks import balance
from tradecalc.model import releasefile

ROOT = Path(__file__).resolve().parents[2]
RELEASES = sorted((ROOT / "workbooks" / "releases").glob("*.toml"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp("gc") / "synthetic.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic.py"), "3000", "-o", str(path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return releasefile.load(path)


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_check_leaves_nothing_for_the_collector(synthetic, collector_on):
    for release in [*map(releasefile.load, RELEASES), synthetic]:
        checks.check(release)  # imports, caches
        gc.collect()
        gc.disable()
        try:
            table = checks.check(release)
            assert len(table) > 0
            del table
            assert gc.collect() == 0, release.source
        finally:
            gc.enable()


def test_the_collector_is_paused_during_the_check_and_restored(monkeypatch, collector_on):
    seen = []
    real = balance.balances

    def spy(ctx):
        seen.append(gc.isenabled())
        return real(ctx)

    monkeypatch.setattr(balance, "balances", spy)
    release = releasefile.load(RELEASES[0])
    checks.check(release)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    checks.check(release)
    assert seen == [False, False] and not gc.isenabled()  # paused by the caller: stays paused


def test_the_collector_is_restored_when_the_table_cannot_be_built(monkeypatch, collector_on):
    import pandas as pd

    def broken(*args, **kwargs):
        raise MemoryError("no room for the table")

    monkeypatch.setattr(pd, "DataFrame", broken)
    with pytest.raises(MemoryError):
        checks.check(releasefile.load(RELEASES[0]))
    assert gc.isenabled()
