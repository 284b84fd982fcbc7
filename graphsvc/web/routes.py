"""Every route registers itself once, with its least role and, for the API, its OpenAPI
description: the permission table (:func:`least_role`) and ``/api/openapi.json`` are made from
these registrations. A request to an endpoint that did not register is for admins only, so a
route added without a role fails closed.

>>> from flask import Blueprint
>>> bp = Blueprint("example", __name__)
>>> @route(bp, "/api/example", role="viewer", summary="An example")
... def api_example():
...     return {}
>>> REGISTERED["example.api_example"].role
'viewer'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

PUBLIC = None  # the role of a route anyone may call


@dataclass(frozen=True)
class Route:
    endpoint: str
    rule: str
    methods: tuple[str, ...]
    role: str | None
    summary: str | None = None  # an API operation's summary (only /api/ routes have one)
    params: tuple = ()
    body: dict | None = None
    may_404: bool = False
    responses: dict = field(default_factory=dict)
    # a stricter role for some questions, from the path's values (a person through the node
    # API needs a facilitator; the people network's export, an admin)
    role_for: Callable[[dict], str | None] | None = None

    @property
    def openapi_path(self) -> str:
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", self.rule)


REGISTERED: dict[str, Route] = {}


def route(bp, rule: str, *, role: str | None, methods=("GET",), summary: str | None = None,
          params=(), body: dict | None = None, may_404: bool = False, responses=None,
          role_for: Callable[[dict], str | None] | None = None):
    """Register a view on ``bp`` with who may call it (``role``: viewer, facilitator, admin,
    or :data:`PUBLIC`) and, for an API route, what the OpenAPI document says of it."""
    def register(view):
        endpoint = f"{bp.name}.{view.__name__}"
        REGISTERED[endpoint] = Route(endpoint, rule, tuple(methods), role, summary,
                                     tuple(params), body, may_404, responses or {}, role_for)
        bp.add_url_rule(rule, view_func=view, methods=list(methods))
        return view
    return register


def least_role(endpoint: str | None, view_args: dict | None = None) -> str | None:
    """The least role an endpoint needs (None: anyone); unregistered endpoints are for
    admins, except Flask's static files (which hold no data)."""
    if endpoint is None:
        return "admin"
    if endpoint == "static":
        return PUBLIC
    found = REGISTERED.get(endpoint)
    if found is None:
        return "admin"
    stricter = found.role_for(view_args or {}) if found.role_for else None
    return stricter or found.role
