"""Millions of short strings coded as integers without a Python object each.

The projection numbers people, organisations and roles by the sorted order of their ids. The
store hands the ids over joined, a text per session; splitting those texts into six million
strings, hashing each into a set and looking each up again took most of reading attendance at
England scale. Here the texts are joined into one UTF-8 buffer, compiled passes hash every
token in place (64-bit FNV-1a, mixed) and number the distinct hashes, and a last pass checks
that the tokens of each hash are the same bytes. Only the distinct tokens become strings, sorted
as Python sorts strings (UTF-8's byte order is the order of code points). Should two different
tokens share a hash, the codes come from the plain route (:func:`code_values`): the answer is
the same either way.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


def code_values(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each value's place among the distinct values, sorted: the plain route."""
    distinct = sorted(set(values))
    index = {value: i for i, value in enumerate(distinct)}
    return np.fromiter(map(index.__getitem__, values), dtype=np.int32,
                       count=len(values)), distinct


def code_texts(texts: list[str], separator: str, *,
               hash_mask: int = 2**64 - 1) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The tokens of ``texts`` (each split at ``separator``, a character below U+0080), in
    order, coded by their place among the distinct tokens sorted: the codes, the distinct
    tokens, and how many tokens each text holds. ``hash_mask`` keeps fewer bits of the hash
    (tests use it to make different tokens share one)."""
    if len(separator) != 1 or ord(separator) >= 0x80:
        raise ValueError("the separator is one ASCII character")
    counts = np.fromiter((text.count(separator) + 1 for text in texts), dtype=np.int64,
                         count=len(texts))
    if not texts:
        return np.zeros(0, dtype=np.int32), [], counts
    data = separator.join(texts).encode("utf-8")
    buffer = np.frombuffer(data, dtype=np.uint8)
    starts, hashes = _split_hash(buffer, ord(separator), int(counts.sum()))
    seen, firsts = _distinct(hashes & np.uint64(hash_mask))
    if not _same_bytes(buffer, starts, seen, firsts):  # two tokens share a hash
        codes, distinct = code_values(data.decode("utf-8").split(separator))
        return codes, distinct, counts
    tokens = [data[starts[i]:starts[i + 1] - 1].decode("utf-8") for i in firsts.tolist()]
    order = sorted(range(len(tokens)), key=tokens.__getitem__)
    rank = np.empty(len(tokens), dtype=np.int32)
    rank[order] = np.arange(len(tokens), dtype=np.int32)
    return rank[seen], [tokens[i] for i in order], counts


@njit(cache=True)
def _split_hash(buffer, separator, n_tokens):
    """Where each token starts (and, one past the separator, where the next does) and its
    hash."""
    starts = np.empty(n_tokens + 1, dtype=np.int64)
    hashes = np.empty(n_tokens, dtype=np.uint64)
    k, h = 0, _FNV_OFFSET
    starts[0] = 0
    for i in range(len(buffer)):
        byte = buffer[i]
        if byte == separator:
            hashes[k] = _mixed(h)
            k += 1
            starts[k] = i + 1
            h = _FNV_OFFSET
        else:
            h = (h ^ np.uint64(byte)) * _FNV_PRIME
    hashes[k] = _mixed(h)
    starts[k + 1] = len(buffer) + 1
    return starts, hashes


@njit(cache=True, inline="always")
def _mixed(h):
    """FNV's low bits depend only on the bytes' low bits: mixed (MurmurHash3's finaliser)
    before the table takes them."""
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


@njit(cache=True)
def _distinct(hashes):
    """Each token's number among the distinct hashes in the order first seen, and where each
    is first seen: an open-addressing table of (hash, number), grown as they come."""
    n = len(hashes)
    size = 1024
    table = np.full((size, 2), -1, dtype=np.int64)  # hash (as int64), number
    seen = np.empty(n, dtype=np.int32)
    firsts = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        h = np.int64(hashes[i])
        slot = h & (size - 1)
        while True:
            code = table[slot, 1]
            if code < 0:
                table[slot, 0], table[slot, 1] = h, m
                firsts[m], seen[i] = i, m
                m += 1
                if 2 * m > size:
                    size *= 2
                    table = _regrown(table, size)
                break
            if table[slot, 0] == h:
                seen[i] = code
                break
            slot = (slot + 1) & (size - 1)
    return seen, firsts[:m]


@njit(cache=True)
def _regrown(table, size):
    """The table's entries in a table of ``size`` slots."""
    grown = np.full((size, 2), -1, dtype=np.int64)
    for old in range(len(table)):
        if table[old, 1] >= 0:
            slot = table[old, 0] & (size - 1)
            while grown[slot, 1] >= 0:
                slot = (slot + 1) & (size - 1)
            grown[slot, 0], grown[slot, 1] = table[old, 0], table[old, 1]
    return grown


@njit(cache=True)
def _same_bytes(buffer, starts, seen, firsts):
    """Whether every token is the same bytes as the first of its number (compared with a copy
    of the distinct tokens side by side, which stays nearer the processor than the buffer)."""
    m = len(firsts)
    kept_at = np.zeros(m + 1, dtype=np.int64)
    for code in range(m):
        kept_at[code + 1] = kept_at[code] + starts[firsts[code] + 1] - starts[firsts[code]] - 1
    kept = np.empty(kept_at[m], dtype=np.uint8)
    for code in range(m):
        a = starts[firsts[code]]
        for k in range(kept_at[code + 1] - kept_at[code]):
            kept[kept_at[code] + k] = buffer[a + k]
    for i in range(len(seen)):
        code = seen[i]
        a, b = starts[i], kept_at[code]
        length = starts[i + 1] - a - 1
        if kept_at[code + 1] - b != length:
            return False
        for k in range(length):
            if buffer[a + k] != kept[b + k]:
                return False
    return True
