"""Coding joined texts (graphsvc.text_codes): the compiled route gives what splitting the texts
and coding the strings in Python gives, whatever the tokens, and when hashes collide."""

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graphsvc.text_codes import code_texts, code_values

SEPARATOR = "\x1e"
# ids as the store may hold them: short, from a few letters (so repeats are common), with
# accents, characters beyond the BMP, control characters and nothing at all
tokens = st.text(alphabet=st.sampled_from(["a", "b", "é", "\U0001f600", "\x1f", "0", "-"]),
                 max_size=4)
texts = st.lists(st.lists(tokens, min_size=1, max_size=6).map(SEPARATOR.join), max_size=12)


def plain(texts: list[str]):
    """The route the compiled one replaces: split every text, code the strings."""
    split = [text.split(SEPARATOR) for text in texts]
    codes, distinct = code_values([token for parts in split for token in parts])
    return codes, distinct, [len(parts) for parts in split]


def check(texts: list[str], **options) -> None:
    codes, distinct, counts = code_texts(texts, SEPARATOR, **options)
    want_codes, want_distinct, want_counts = plain(texts)
    assert distinct == want_distinct
    assert codes.tolist() == want_codes.tolist()
    assert counts.tolist() == want_counts


@settings(max_examples=300, deadline=None)
@given(texts)
def test_codes_are_those_of_the_split_strings(texts):
    check(texts)


@settings(max_examples=100, deadline=None)
@given(texts, st.sampled_from([0, 1, 3]))
@example(["a\x1eb", "b"], 0)  # the same length, apart in their one byte
@example(["ab\x1eaa\x1eab"], 0)  # apart in their last byte
@example(["\x1e"], 0)  # two empty tokens, the same
def test_tokens_that_share_a_hash_stay_apart(texts, mask):
    """With the hash cut to two bits or none, most different tokens share one."""
    check(texts, hash_mask=mask)


def test_many_distinct_tokens_grow_the_table():
    """More distinct tokens than the table's first size, each seen more than once, in an
    order that is not sorted."""
    ids = [f"person:{(k * 7919) % 5000:05d}" for k in range(5000)]
    texts = [SEPARATOR.join(ids[k:k + 50]) for k in range(0, 5000, 50)] * 2
    check(texts)
    codes, distinct, _ = code_texts(texts, SEPARATOR)
    assert len(distinct) == 5000 and distinct == sorted(distinct)
    assert np.array_equal(np.array(distinct, dtype=object)[codes],
                          np.array(SEPARATOR.join(texts).split(SEPARATOR), dtype=object))


def test_a_separator_must_be_one_ascii_character():
    import pytest

    with pytest.raises(ValueError):
        code_texts(["a"], "é")
