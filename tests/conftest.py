"""Shared fixtures: the Chongqing Q1 2021 release file, its text, and a loaded copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CHONGQING

pytest_plugins = ["helpers.reliability"]


@pytest.fixture(scope="session")
def chongqing_path() -> Path:
    return CHONGQING


@pytest.fixture(scope="session")
def chongqing_toml_text() -> str:
    return CHONGQING.read_text(encoding="utf-8")


@pytest.fixture()
def chongqing(chongqing_path):
    """A freshly loaded Release (function scope: tests may mutate it)."""
    from tradecalc.model.releasefile import load

    return load(chongqing_path)
