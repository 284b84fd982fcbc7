"""Distinct counts by a table of flags are those np.unique gives, on either path."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.analyses import counting

pairs = st.lists(st.tuples(st.integers(-1, 5), st.integers(0, 30)), max_size=40)


def by_sorting(groups: np.ndarray, items: np.ndarray, count: int) -> np.ndarray:
    keep = (groups >= 0) & (groups < count)
    found = {(g, i) for g, i in zip(groups[keep].tolist(), items[keep].tolist())}
    return np.array([sum(1 for g, _ in found if g == c) for c in range(count)], dtype=np.int64)


@pytest.mark.parametrize("dense", [counting.DENSE_CELLS, 0])
@given(given_pairs=pairs, count=st.integers(1, 6))
def test_distinct_counts_are_those_of_the_pairs(dense, given_pairs, count):
    groups = np.array([g for g, _ in given_pairs], dtype=np.int64)
    items = np.array([i for _, i in given_pairs], dtype=np.int64)
    saved, counting.DENSE_CELLS = counting.DENSE_CELLS, dense
    try:
        got = counting.distinct(groups, items, count)
        values = counting.distinct_values(groups * 31 + items, count * 31)
    finally:
        counting.DENSE_CELLS = saved
    assert got.dtype == np.int64 and np.array_equal(got, by_sorting(groups, items, count))
    combined = groups * 31 + items
    assert values.tolist() == sorted({v for v in combined.tolist() if 0 <= v < count * 31})
