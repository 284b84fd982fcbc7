"""Who may call what: every endpoint's least role, in one table, enforced before each request.

An endpoint missing from :data:`RULES` is for admins only, so a new route is closed until it
is placed here. Roles rank viewer < facilitator < admin. Viewers see people only as anonymous
nodes (:mod:`graphsvc.privacy`); what needs names is for facilitators, within their scope.
"""

from __future__ import annotations

from flask import request

PUBLIC = frozenset({"auth.login", "static", "overview.health"})

VIEWER = (
    "overview.index", "overview.api_overview", "overview.overview_csv", "overview.api_stats",
    "network.network_page", "network.api_network", "network.network_csv", "network.vendor",
    "analyses.brokers_page", "analyses.api_brokers", "analyses.brokers_csv",
    "analyses.gaps_page", "analyses.api_gaps", "analyses.gaps_csv",
    "analyses.bridges_page", "analyses.api_bridges", "analyses.bridges_csv",
    "analyses.communities_page", "analyses.api_communities",
    "profiles.borough_page", "profiles.api_borough", "profiles.organisation_page",
    "profiles.api_node", "exports.exports_page", "exports.download",
    "openapi.openapi_json", "auth.logout", "auth.account", "auth.api_me",
)
FACILITATOR = (
    "analyses.introductions_page", "analyses.api_introductions", "analyses.api_people",
    "profiles.person_page",
)
RULES = {**{e: "viewer" for e in VIEWER}, **{e: "facilitator" for e in FACILITATOR}}

# Endpoints whose answer can name people: a view by someone who may see names is audited.
PERSONAL = frozenset({
    "analyses.introductions_page", "analyses.api_introductions", "analyses.api_people",
    "profiles.person_page", "exports.download", "imports.review_page", "imports.api_reviews",
})


def least_role(endpoint: str | None) -> str | None:
    """The least role for this request; None when it is public. Some answers depend on the
    question: a person through the node API needs a facilitator, and so does an export of
    the people network (which carries names and attributes) an admin."""
    if endpoint is None or endpoint in PUBLIC:
        return None
    if endpoint == "profiles.api_node" and (request.view_args or {}).get(
            "node_id", "").startswith("person:"):
        return "facilitator"
    if endpoint == "exports.download" and (request.view_args or {}).get("network") == "people":
        return "admin"
    return RULES.get(endpoint, "admin")


def is_personal(endpoint: str | None) -> bool:
    """Could this request's answer carry people's names?"""
    if endpoint in PERSONAL:
        return True
    if endpoint == "profiles.api_node":
        return (request.view_args or {}).get("node_id", "").startswith("person:")
    return request.args.get("network") == "people"
