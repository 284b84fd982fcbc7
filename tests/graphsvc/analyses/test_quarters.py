"""Quarter numbers worked out by a table of days are numpy's calendar's, unknown dates and
dates before 1970 included."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.analyses.facts import quarter_numbers


@given(st.lists(st.one_of(st.integers(-40_000, 40_000), st.none()), max_size=60))
def test_quarter_numbers_are_numpys_months_in_threes(days):
    dates = np.array([np.datetime64("NaT") if d is None else np.datetime64(d, "D")
                      for d in days], dtype="datetime64[D]")
    want = dates.astype("datetime64[M]").astype(np.int64) // 3
    assert quarter_numbers(dates).tolist() == want.tolist()
