"""What else goes when a count is withheld: the rules that stop a withheld value being worked
out from the others shown beside it (by subtraction, by its place in a list, by what was made
from it). :mod:`graphsvc.service.present` applies them as it walks a result."""

from __future__ import annotations

import json
import math

PERSON, ANONYMOUS, GROUP = "person:", "anon:", "group:"
TIE_ENDS = ("from", "to", "source", "target")
# A mixing matrix's cells made from its observed ties and its totals (expected is the row's
# total times the column's over all tie ends; ratio, z and p_below compare it with observed):
# a cell is withheld where its row's or column's total is, and, but for expected, where its
# observed count is (ratio x expected gave the observed count back).
CELLS_MADE_FROM = ("expected", "ratio", "z", "p_below")


def few(count, small_cell: int) -> bool:
    """A count of people too small to show (4.0 counts as much as 4)."""
    return isinstance(count, (int, float)) and not isinstance(count, bool) \
        and 0 < count < small_cell


def rounded(count, base: int):
    """A count of people as shown beside others: to the nearest multiple of ``base`` (halves
    up; a float stays a float). A borough's people less the sizes of its groups, or a group's
    size asked for on its own, gave back a group withheld; rounded, they give a range.

    >>> [rounded(n, 5) for n in (0, 5, 7, 8, 12, 13, 911)], rounded(2.5, 5)
    ([0, 5, 5, 10, 10, 15, 910], 5.0)
    """
    if isinstance(count, bool) or not isinstance(count, (int, float)) or base <= 1:
        return count
    near = math.floor(count / base + 0.5) * base
    return float(near) if isinstance(count, float) else int(near)


def withheld_groups(value: dict, small_cell: int) -> set[str]:
    """The groups of people (the explorer's sector groups) whose size is not shown: those too
    small to show and, when any is, the smallest others until those withheld hold at least
    ``small_cell`` together. A borough's people are counted on other pages: less the sizes
    shown, one group of 2 withheld alone would be 2 again."""
    sizes = {node["id"]: node.get("members") or node.get("size") or 0
             for node in value.get("nodes") or ()
             if isinstance(node, dict) and str(node.get("id", "")).startswith(GROUP)}
    withheld = {group for group, size in sizes.items() if few(size, small_cell)}
    others = sorted((size, group) for group, size in sizes.items() if group not in withheld)
    while withheld and others and sum(sizes[g] for g in withheld) < small_cell:
        withheld.add(others.pop(0)[1])
    return withheld


def matrix_cells(matrix: dict, out: dict, small_cell: int) -> None:
    """Withhold the cells of a mixing matrix of people that would give a withheld count
    back (see :data:`CELLS_MADE_FROM`)."""
    rows = [few(t, small_cell) for t in matrix.get("row_totals") or ()]
    columns = [few(t, small_cell) for t in matrix.get("column_totals") or ()]
    for key in CELLS_MADE_FROM:
        if not isinstance(out.get(key), list):
            continue
        out[key] = [[None if (i < len(rows) and rows[i]) or (j < len(columns) and columns[j])
                     or (key != "expected" and few(observed, small_cell)) else cell
                     for j, (cell, observed) in enumerate(zip(cells, observed_row))]
                    for i, (cells, observed_row) in enumerate(zip(out[key],
                                                                  matrix["observed"]))]


def unlinkable(records: list) -> list:
    """``records`` with those shown by token that show the same values trading places in the
    order of their tokens. Lists come in the order of ids (or ranked, ties broken by id): two
    answers' tokens differ, but the same place in both would join them up."""
    places: dict[str, list[int]] = {}
    for place, record in enumerate(records):
        if isinstance(record, dict) and _tokens(record):
            places.setdefault(_values(record), []).append(place)
    out = list(records)
    for shared in places.values():
        for place, record in zip(shared, sorted((records[p] for p in shared), key=_tokens)):
            out[place] = record
    return out


def _tokens(record: dict) -> tuple:
    """The tokens a record is shown by (a person's, or a tie's ends)."""
    return tuple(str(record.get(key)) for key in ("id", *TIE_ENDS)
                 if str(record.get(key, "")).startswith(ANONYMOUS))


def _values(record: dict) -> str:
    """What a record shows besides its tokens."""
    return json.dumps({key: value for key, value in record.items()
                       if not str(value).startswith(ANONYMOUS)}, sort_keys=True, default=str)
