"""The group pickers of the finding pages (bridges, introductions, gaps).

A group is chosen by sector, borough and community, alone or together (Housing in Wigan), each
picked from every value the service knows; the query string carries them as ``a_sector``,
``a_borough``, ... and they reach the analyses as the selector they take
(``sector=Housing,borough=Wigan``). The older single field (``a=Housing&a_kind=sector``, or
``a_kind=id`` for one node) is still read, for links and scripts written before the pickers.
"""

from __future__ import annotations

from flask import request

from graphsvc.errors import InputError
from graphsvc.web import params

GROUP_FIELDS = ("sector", "borough", "community")
KINDS = (*GROUP_FIELDS, "id")


def picked(prefix: str = "") -> dict[str, str]:
    """What the pickers ``{prefix}_sector``, ``{prefix}_borough`` and ``{prefix}_community``
    (without a prefix: ``sector``, ...) hold, in that order; empty ones left out."""
    chosen = {}
    for field in GROUP_FIELDS:
        name = f"{prefix}_{field}" if prefix else field
        value = (request.args.get(name) or "").strip()
        if value:
            chosen[field] = _one_value(name, value)
    return chosen


def _one_value(name: str, value: str) -> str:
    """A picker holds one value: with ``,`` or ``=`` in it, the selector made from it would
    choose by another field (``Housing,organisation=Bolton CVS`` chose people by employer)."""
    if "," in value or "=" in value:
        raise InputError(f"{name} takes one value, without ',' or '=' (choose by another field "
                         "with its own picker)", column=name, value=value[:200])
    return value


def side(name: str) -> dict[str, str]:
    """One side of a question (``a`` or ``b``): its pickers, else the older single field
    read as its kind says (a sector by default)."""
    chosen = picked(name)
    if chosen:
        return chosen
    value = (request.args.get(name) or "").strip()
    if not value:
        return {}
    kind = params.choice(f"{name}_kind", KINDS, "sector")
    return {kind: value if kind == "id" else _one_value(name, value)}


def selector(group: dict[str, str]) -> str | None:
    """The selector an analysis takes: ``sector=Housing,borough=Wigan``, or a node's id."""
    if not group:
        return None
    if "id" in group:
        return group["id"]
    return ",".join(f"{key}={value}" for key, value in group.items())


def query_params(prefix: str, what: str) -> tuple[dict, ...]:
    """The OpenAPI descriptions of one group's pickers."""
    return tuple(params.query(f"{prefix}_{field}" if prefix else field,
                              f"{what}: its {field} (with the others: all of them)",
                              {"type": "string"})
                 for field in GROUP_FIELDS)
