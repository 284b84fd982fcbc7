"""The groups a question may name: the known sectors, boroughs, communities and organisations.

A group named in a question (an introduction's target, a bridge's side, the part of the map a
gap matrix is drawn within) must be one of these; a name that is not is an error naming the
nearest known ones, never an empty answer that looks like "nobody".
"""

from __future__ import annotations

import difflib

from graphsvc.errors import InputError
from graphsvc.model import name_order

NEAREST = 3


def known_groups(data) -> dict[str, list[str]]:
    """The names each group key accepts, from the store (kept by the revision cache)."""
    def read() -> dict[str, list[str]]:
        return {
            "sector": sorted({s.name for s in data.read("sectors")}, key=name_order),
            "borough": sorted({p.name for p in data.read("places") if p.kind == "borough"},
                              key=name_order),
            "community": sorted({c.name for c in data.read("communities")}, key=name_order),
            "organisation": sorted({o.name for o in data.read("organisations")},
                                   key=name_order),
        }
    return data.cached(("groups", "known"), read)


def check_known(selector: dict[str, str], option: str, known: dict[str, list[str]]) -> None:
    """Raise :class:`InputError` for the first value of ``selector`` that names no known
    group, with the nearest known names (values compare without regard to case; ``a|b`` is
    checked value by value)."""
    for key, text in selector.items():
        names = known.get(key)
        if names is None:
            continue
        folded = {name.casefold(): name for name in names}
        for value in (v.strip() for v in str(text).split("|")):
            if value.casefold() not in folded:
                raise InputError(unknown_group(key, value, names), column=option)


def unknown_group(key: str, value: str, names: list[str]) -> str:
    """``no sector is called 'Hosuing'; the nearest: Housing, Charity, Faith group``."""
    if not names:
        return f"no {key} is known yet, so none can be called {value!r}"
    folded = {name.casefold(): name for name in names}
    nearest = difflib.get_close_matches(value.casefold(), list(folded), n=NEAREST, cutoff=0.0)
    return (f"no {key} is called {value!r}; the nearest: "
            + ", ".join(folded[n] for n in nearest))
