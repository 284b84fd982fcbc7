"""Every route x every role (and anonymous): the status each gets, and for answers a role may
not have, no personal field in the body. The routes come from the app's own URL map, so a new
route fails here until it is given example arguments."""

from __future__ import annotations

import html
from urllib.parse import quote_plus

import pytest

from graphsvc.service.audience import nameable_people
from tests.conftest import sign_in
from tests.web.shown import unlisted_keys

ROLES = ("viewer", "facilitator", "admin")
PATH_ARGUMENTS = {
    "name": "Wigan", "network": "organisations", "fmt": "graphml", "review_id": "999",
    "token": "0" * 32, "import_id": "nosuchimport", "username": "nobody", "token_id": "999",
    "filename": "style.css",
}


def examples(app, service) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule, with example arguments; people's pages and the
    people network are asked about one named person."""
    person = next(p.id for p in service.store.people() if p.consent == "named")
    org = service.store.organisations()[0].id
    found = []
    for rule in app.url_map.iter_rules():
        values = dict(PATH_ARGUMENTS)
        if rule.endpoint == "network.vendor":
            values["name"] = "vis-network.min.js"
        if "node_id" in rule.arguments:
            values["node_id"] = person if "person" in rule.endpoint else org
        missing = rule.arguments - set(values)
        assert not missing, f"give {rule.endpoint} example values for {missing}"
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint in ("auth.login", "auth.logout") and method == "POST":
                continue  # signing in and out are tested on their own
            found.append((rule.endpoint, method, url))
            if method == "GET" and rule.endpoint in ("network.api_network",
                                                     "analyses.api_brokers"):
                found.append((rule.endpoint, method, url + "?network=people&window=all"))
        if rule.endpoint == "profiles.api_node":
            found.append((rule.endpoint, "GET", url.replace(org, person)))
    return found


def personal_strings(service) -> set[str]:
    """Names, emails and ids of people: none may reach a role that may not see them."""
    found = set()
    for p in service.store.people():
        found.add(p.id)
        if p.email:
            found.add(p.email)
        if len(p.name.split()) > 1:
            found |= {p.name, html.escape(p.name)}
    return found


def leaked(body: str, strings: set[str]) -> list[str]:
    return sorted(s for s in strings if s in body)[:5]


# The policy, written out independently of graphsvc.web.permissions: the least role per
# endpoint (None: public). Exceptions by argument are in expected().
POLICY = {
    None: {"auth.login", "static", "overview.health"},
    "facilitator": {"analyses.introductions_page", "analyses.api_introductions",
                    "analyses.api_people", "profiles.person_page"},
    "admin": {"imports.api_imports", "imports.api_review_decide", "imports.api_reviews",
              "imports.imports_page", "imports.review_decide", "imports.review_page",
              "uploads.api_import", "uploads.cancel", "uploads.confirm", "uploads.undo",
              "uploads.upload", "uploads.upload_form", "admin.users_page", "admin.add_user",
              "admin.remove_user", "admin.revoke_token", "admin.audit_page", "admin.api_audit",
              "admin.forget_page", "exports.attendance"},
    "viewer": {"overview.index", "overview.api_overview", "overview.overview_csv",
               "overview.api_stats", "network.network_page", "network.api_network",
               "network.network_csv", "network.vendor", "analyses.brokers_page",
               "analyses.api_brokers", "analyses.brokers_csv", "analyses.gaps_page",
               "analyses.api_gaps", "analyses.gaps_csv", "analyses.bridges_page",
               "analyses.api_bridges", "analyses.bridges_csv", "analyses.communities_page",
               "analyses.api_communities", "profiles.borough_page", "profiles.api_borough",
               "profiles.organisation_page", "profiles.api_node", "exports.exports_page",
               "exports.download", "openapi.openapi_json", "auth.logout", "auth.account",
               "auth.api_me"},
}


# Answers in JSON that are not results about the data: every other JSON answer a viewer or a
# facilitator gets has only keys the allow-list gives.
NOT_ABOUT_THE_DATA = {"auth.api_me": "the asker's own account",
                      "openapi.openapi_json": "the API's own description"}


def expected(endpoint: str, role: str | None, url: str) -> str:
    least = next(r for r, endpoints in POLICY.items() if endpoint in endpoints)
    if endpoint == "profiles.api_node" and "/person:" in url:
        least = "facilitator"  # a person through the node API
    if endpoint == "exports.download" and "/people/" in url:
        least = "admin"  # the people network with its attributes
    if least is None:
        return "allowed"
    if role is None:
        return "sign in"
    return "allowed" if ROLES.index(role) >= ROLES.index(least) else "denied"


def test_every_endpoint_has_a_decided_policy(app):
    decided = set().union(*POLICY.values())
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == decided


@pytest.fixture
def clients(app):
    made = {None: app.test_client()}
    for role in ROLES:
        made[role] = sign_in(app.test_client(), role)
    return made


def test_the_matrix(app, clients, demo_service):
    personal = personal_strings(demo_service)
    cases = examples(app, demo_service)
    assert len(cases) > 50
    checked = {"allowed": 0, "denied": 0, "sign in": 0}
    keys = 0
    for endpoint, method, url in cases:
        for role, client in clients.items():
            outcome = expected(endpoint, role, url)
            response = client.open(url, method=method)
            body = response.get_data(as_text=True)
            where = f"{role or 'anonymous'} {method} {url}"
            if outcome == "sign in":
                assert response.status_code in (302, 401), where
                if response.status_code == 302:
                    assert "/login" in response.headers["Location"], where
            elif outcome == "denied":
                assert response.status_code == 403, where
            else:
                assert response.status_code not in (401, 403, 500), (where, body[:300])
            if outcome == "allowed" and role != "admin" and response.status_code == 200 \
                    and response.is_json \
                    and endpoint not in NOT_ABOUT_THE_DATA:
                unlisted = unlisted_keys(response.get_json())
                assert not unlisted, (where, unlisted[:5])
                keys += 1
            if outcome != "allowed" or role == "viewer":
                given = {s for s in personal if s in url}  # echoing the asker's own words
                assert not leaked(body, personal - given), (where, leaked(body, personal - given))
            checked[outcome] += 1
    assert all(checked.values()) and keys > 20, (checked, keys)


def test_the_viewer_sees_people_only_as_anonymous_nodes(clients, demo_service):
    personal = personal_strings(demo_service)
    viewer = clients["viewer"]
    data = viewer.get("/api/network?network=people&window=all&limit=2000").get_json()
    people = [n for n in data["nodes"] if not n["id"].startswith("group:")]
    assert people and all(n["id"].startswith("anon:") and "name" not in n for n in people)
    for url in ("/network?network=people&window=all", "/network.csv?network=people&window=all",
                "/brokers?network=people&window=all", "/brokers.csv?network=people&window=all",
                "/api/bridges?network=people&a=Housing&b=Faith+group&window=all"):
        response = viewer.get(url)
        assert response.status_code == 200, url
        assert not leaked(response.get_data(as_text=True), personal), url


def test_a_facilitator_names_only_people_of_their_community(app, clients, demo_service):

    allowed = nameable_people(demo_service.data, app.extensions["accounts"].user("facilitator"))
    everyone = {p.id: p for p in demo_service.store.people()}
    hidden = {p.name for pid, p in everyone.items() if pid not in allowed
              and len(p.name.split()) > 1
              and not any(everyone[a].name == p.name for a in allowed)}
    assert allowed and hidden
    facilitator = clients["facilitator"]
    body = facilitator.get("/api/brokers?network=people&window=all&limit=5000").get_data(
        as_text=True)
    named = [n for n in facilitator.get("/api/brokers?network=people&window=all&limit=5000")
             .get_json()["nodes"] if n.get("name")]
    assert named and all(n["id"] in allowed for n in named)
    assert not leaked(body, hidden)
    outsider = next(pid for pid, p in everyone.items() if pid not in allowed)
    assert facilitator.get(f"/people/{outsider}").status_code == 404
    assert facilitator.get(f"/network?network=people&ego={outsider}").status_code == 404
    insider = next(iter(allowed))
    assert facilitator.get(f"/people/{insider}").status_code == 200
    found = facilitator.get("/api/people?q=a&limit=100").get_json()["people"]
    assert all(p["id"] in allowed for p in found)


def test_personal_views_and_exports_are_audited(app, clients, demo_service):
    person = next(p.id for p in demo_service.store.people() if p.consent == "named")
    clients["admin"].get(f"/people/{person}")
    clients["admin"].get("/exports/people/csv")
    clients["viewer"].get("/network")
    entries = app.extensions["accounts"].audit_entries()
    seen = {(e["actor"], e["action"], e["target"]) for e in entries}
    assert ("admin", "view", person) in seen
    assert ("admin", "export", "people.csv") in seen
    assert not any(e["actor"] == "viewer" and e["action"] in ("view", "export")
                   for e in entries)


def test_the_audit_log_keeps_no_typed_name(app, clients, demo_service):
    """The log cannot be erased, so a name typed to find someone is recorded as the id it
    resolved to."""
    named = [p for p in demo_service.store.people() if p.consent == "named"]
    one, other = named[0], named[-1]
    assert clients["admin"].get(f"/api/introductions?from={one.name}&to={other.id}"
                                "&window=all").status_code == 200
    entries = [e for e in app.extensions["accounts"].audit_entries()
               if e["actor"] == "admin" and e["action"] == "view"]
    [entry] = [e for e in entries if e["target"] == "analysis paths"]
    recorded = " ".join(e["target"] + e["detail"] for e in entries)
    assert one.name not in recorded and quote_plus(one.name) not in recorded
    assert one.id in entry["detail"] and other.id in entry["detail"]
