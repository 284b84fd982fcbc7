"""Counting per group in one vectorised pass: integer codes for names, ties touching each
group, and distinct items per group (used by the borough measures)."""

from __future__ import annotations

import numpy as np

from graphsvc.text_codes import code_values


def codes(values, names: list[str]) -> np.ndarray:
    """Each value's index in ``names`` (-1 if absent).

    >>> codes(["b", "x", "a"], ["a", "b"]).tolist()
    [1, -1, 0]
    """
    index = {n: i for i, n in enumerate(names)}
    return np.fromiter((index.get(v, -1) for v in values), dtype=np.int64, count=len(values))


def sorted_codes(values) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (as strings) in sorted order, and each value's index among them:
    ``np.unique(values.astype(str), return_inverse=True)``, by hashing rather than sorting
    every value (:func:`graphsvc.text_codes.code_values`).

    >>> names, at = sorted_codes(np.array(["b", "a", "b"], dtype=object))
    >>> names.tolist(), at.tolist()
    (['a', 'b'], [1, 0, 1])
    """
    at, names = code_values([str(v) for v in values])
    return np.array(names, dtype=str), at.astype(np.intp)


def touching(bu: np.ndarray, bv: np.ndarray, mask: np.ndarray, count: int,
             bins: np.ndarray | None = None, width: int = 1) -> np.ndarray:
    """Per group (and per bin, if ``bins`` gives each tie one of ``width``), how many of the
    masked ties u - v have an end in it, each tie once; groups are codes, -1 for none.

    >>> touching(np.array([0, 0, 1]), np.array([0, 1, -1]), np.ones(3, bool), 2).tolist()
    [2, 2]
    """
    first = mask & (bu >= 0)
    second = mask & (bv >= 0) & (bv != bu)
    ku, kv = (bu, bv) if bins is None else (bu * width + bins, bv * width + bins)
    spare = count * width  # a cell past the table for the ends left out (no copies of the rest)
    out = (np.bincount(np.where(first, ku, spare), minlength=spare + 1)[:spare]
           + np.bincount(np.where(second, kv, spare), minlength=spare + 1)[:spare])
    return out if width == 1 else out.reshape(count, width)


def distinct(groups: np.ndarray, items: np.ndarray, count: int) -> np.ndarray:
    """Per group (code >= 0), how many distinct items it has among the pairs given.

    >>> distinct(np.array([0, 0, 1, -1]), np.array([5, 5, 5, 7]), 2).tolist()
    [1, 1]
    """
    keep = (groups >= 0) & (groups < count)
    return distinct_per_cell(groups[keep], items[keep], count)


DENSE_CELLS = 64_000_000  # up to this many (cell, item) pairs, counted in a table of flags


def distinct_per_cell(cells: np.ndarray, items: np.ndarray, count: int) -> np.ndarray:
    """Per cell (``0 <= cells < count``), how many distinct items its entries have: by
    flags in a (cell, item) table when that is small enough, else by sorting the pairs.

    >>> distinct_per_cell(np.array([0, 0, 2, 0]), np.array([4, 4, 1, 2]), 3).tolist()
    [2, 0, 1]
    """
    span = int(items.max(initial=-1)) + 1
    pairs = cells.astype(np.int64) * span + items
    if count * span <= DENSE_CELLS:
        seen = np.zeros(count * span, dtype=bool)
        seen[pairs] = True
        return np.count_nonzero(seen.reshape(count, span), axis=1).astype(np.int64)
    return np.bincount(np.unique(pairs) // span, minlength=count)[:count]


def distinct_values(values: np.ndarray, size: int) -> np.ndarray:
    """The distinct values in ``[0, size)``, in order (``np.unique`` of those, by flags when
    ``size`` is small enough).

    >>> distinct_values(np.array([5, -3, 2, 5, 0]), 6).tolist()
    [0, 2, 5]
    """
    values = values[(values >= 0) & (values < size)]
    if size > DENSE_CELLS:
        return np.unique(values)
    seen = np.zeros(size, dtype=bool)
    seen[values] = True
    return np.flatnonzero(seen)
