"""Hypothesis strategies for tradecalc's property tests.

Modelled on numpy-financial's ``tests/strategies.py``: module-level strategies
named for what they draw. Values are trade levels (billions, positive or, for
balances, signed); growth rates are fractions strictly above -100%; printed
numbers carry the decimals they were published with.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as npst

#: A positive trade level as published: 0.01 to 10,000 (billions).
trade_values = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)

#: A signed level (a trade balance), kept away from zero.
signed_values = st.one_of(trade_values, trade_values.map(lambda x: -x))

#: Year-on-year growth as a fraction: -95% to +2,500% ("up 2020%" happens).
growth_rates = st.floats(min_value=-0.95, max_value=25.0, allow_nan=False, allow_infinity=False)

#: Growth of the whole that is clearly non-zero (contribution rates need a change).
nonzero_growth_rates = growth_rates.filter(lambda g: abs(g) > 1e-3)

#: Number of years a multi-year growth spans.
year_counts = st.integers(min_value=1, max_value=10)

#: Growth over several consecutive periods, along axis 0.
growth_sequences = st.lists(growth_rates, min_size=1, max_size=6)

#: Float arrays of growth rates / values of one shared shape, 0-d to 2-d.
array_shapes = npst.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=5)


def value_arrays(shape):
    return npst.arrays(np.float64, shape, elements=trade_values)


def growth_arrays(shape):
    return npst.arrays(np.float64, shape, elements=growth_rates)


@st.composite
def complete_breakdowns(draw, min_parts=2, max_parts=6):
    """(values, growths) of the parts of a whole that they exhaust (exports + imports = total)."""
    n = draw(st.integers(min_value=min_parts, max_value=max_parts))
    values = draw(st.lists(trade_values, min_size=n, max_size=n))
    growths = draw(st.lists(growth_rates, min_size=n, max_size=n))
    return values, growths


@st.composite
def printed_levels(draw, min_value=0.01, max_value=1e4):
    """(value, decimals) of a level as printed: "24" is (24.0, 0), "112.32" is (112.32, 2)."""
    decimals = draw(st.integers(min_value=0, max_value=3))
    lo, hi = int(np.ceil(min_value * 10**decimals)), int(max_value * 10**decimals)
    units = draw(st.integers(min_value=lo, max_value=hi))
    return units / 10**decimals, decimals


@st.composite
def printed_rates(draw, min_percent=-95.0, max_percent=2500.0):
    """(fraction, decimals in percent) of a growth as printed: "60.4%" is (0.604, 1)."""
    decimals = draw(st.integers(min_value=0, max_value=2))
    lo, hi = int(np.ceil(min_percent * 10**decimals)), int(max_percent * 10**decimals)
    units = draw(st.integers(min_value=lo, max_value=hi))
    return units / 10**decimals / 100.0, decimals


#: Where inside a rounding box a true value lies: -1 is the low edge, +1 the high edge.
box_positions = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)


@st.composite
def printed_signed_levels(draw):
    """A printed level that may be zero or negative (a balance, a tiny whole): poles included."""
    value, decimals = draw(printed_levels(min_value=0.0, max_value=50.0))
    return (value if draw(st.booleans()) else -value), decimals
