"""Each row's codes read from the attendance table's own (facts.codes_of_rows) are those
counting.sorted_codes gives from the rows' ids as text, or none at all."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.analyses.counting import sorted_codes
from graphsvc.analyses.facts import codes_of_rows

ids = st.lists(st.text(min_size=0, max_size=3), max_size=6, unique=True)


@given(ids=ids, data=st.data())
def test_codes_from_the_table_are_those_from_the_text(ids, data):
    ids = sorted(ids)
    at = np.array(data.draw(st.lists(st.integers(-1, len(ids) - 1), max_size=20)), dtype=np.intp)
    got = codes_of_rows(ids, at)
    text = np.array([ids[i] if i >= 0 else "" for i in at.tolist()], dtype=object)
    names, codes = sorted_codes(text)
    if got is None:  # only when the table cannot say: an id unused, or an id of ""
        assert not set(ids) <= set(text.tolist()) or "" in ids
        return
    assert got[0].tolist() == names.tolist() and got[0].dtype.kind == names.dtype.kind
    assert np.array_equal(got[1], codes)
