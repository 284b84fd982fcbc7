"""Exports from the web: each format opens in the library that reads it, with the same ties."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest


@pytest.mark.parametrize("network", ["organisations", "people"])
def test_graphml_and_gexf_read_back_with_the_same_ties(client, demo_service, network):
    ties = demo_service.data.ties(network)
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        response = client.get(f"/exports/{network}/{fmt}?window=all")
        assert response.status_code == 200
        assert f"graphsvc-{network}-all-time-to-" in response.headers["Content-Disposition"]
        graph = reader(io.BytesIO(response.data))
        assert graph.number_of_edges() == len(ties)


def test_kumu_blueprint_joins_every_connection_to_an_element(client, demo_service):
    blueprint = json.loads(client.get("/exports/organisations/kumu?window=all").data)
    labels = [e["label"] for e in blueprint["elements"]]
    assert len(labels) == len(set(labels))  # Kumu joins by label: they must be unique
    assert all(c["from"] in set(labels) and c["to"] in set(labels)
               for c in blueprint["connections"])
    assert len(blueprint["connections"]) == len(demo_service.data.ties("organisations"))
    assert "1/(n-1)" in blueprint["description"]


def test_people_export_names_only_those_who_agreed(client, demo_service):
    text = client.get("/exports/people/kumu").get_data(as_text=True)
    people = demo_service.store.people()
    named = {p.name for p in people if p.consent == "named"}
    hidden = [p.name for p in people if p.consent != "named" and p.name not in named]
    assert hidden and not [name for name in hidden if f'"{name}' in text]


def test_unknown_network_or_format_is_a_400(client):
    assert client.get("/exports/nodes/gexf").status_code == 400
    assert client.get("/exports/people/pdf").status_code == 400
    assert "Kumu" in client.get("/exports").get_data(as_text=True)


def _graphml(client, path: str) -> nx.Graph:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return nx.read_graphml(io.BytesIO(response.data))


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_organisations_are_labelled_by_name(app, demo_service, role):
    """Gephi shows a node's label: an organisation's is its name, for everyone."""
    from tests.conftest import sign_in

    client = sign_in(app.test_client(), role)
    names = {o.id: o.name for o in demo_service.store.organisations()}
    graph = _graphml(client, "/exports/organisations/graphml")
    assert graph.number_of_nodes() > 10
    assert all(data.get("label") == names[node] for node, data in graph.nodes(data=True))


def test_people_are_labelled_by_name_only_where_they_agreed(client, demo_service):
    """The admin's people network: a person who agreed to be named is labelled by name, anyone
    else by their id (as the allow-list shows people to an admin), in GraphML and GEXF."""
    people = {p.id: p for p in demo_service.store.people()}
    graph = _graphml(client, "/exports/people/graphml")
    unnamed = [node for node in graph if people[node].consent != "named"]
    assert unnamed and len(unnamed) < graph.number_of_nodes()
    for node, data in graph.nodes(data=True):
        wanted = people[node].name if people[node].consent == "named" else node
        assert data["label"] == wanted and (data.get("name") or node) == wanted
    gexf = nx.read_gexf(io.BytesIO(client.get("/exports/people/gexf").data))
    assert {n: d["label"] for n, d in gexf.nodes(data=True)} == {
        n: d["label"] for n, d in graph.nodes(data=True)}


@pytest.mark.parametrize("window", ["18", "6", "all"])
def test_exports_hold_the_ties_the_pages_show_and_say_which(client, window):
    """By default the pages' window: the same active ties the analyses count, the date and
    the window stated in the file, its name and the CSV."""
    api = client.get("/api/communities" + ("" if window == "18" else f"?window={window}"))
    shown = api.get_json()
    query = "" if window == "18" else f"?window={window}"
    response = client.get(f"/exports/organisations/graphml{query}")
    graph = nx.read_graphml(io.BytesIO(response.data))
    assert graph.number_of_edges() == shown["active_ties"]
    assert graph.graph["as_of"] == shown["as_of"]
    assert graph.graph["active_window_months"] == ("all" if window == "all" else window)
    months = "all-time" if window == "all" else f"{window}-months"
    assert (f'graphsvc-organisations-{months}-to-{shown["as_of"]}.graphml'
            in response.headers["Content-Disposition"])
    words = ("every tie up to" if window == "all" else f"the {window} months to")
    rows = client.get(f"/exports/organisations/csv{query}").get_data(as_text=True).splitlines()
    assert rows[0].endswith(",ties") and all(words in row for row in rows[1:])
    assert len(rows) - 1 == shown["active_ties"]
    page = client.get(f"/exports{query}").get_data(as_text=True)
    assert f'value="{shown["as_of"]}"' in page and (f"window={window}" in page
                                                     or window == "18")


@pytest.mark.parametrize("role", ["viewer", "facilitator", "admin"])
def test_the_exports_page_offers_only_what_the_role_may_download(app, role):
    import re

    from tests.conftest import sign_in

    client = sign_in(app.test_client(), role)
    page = client.get("/exports?window=12").get_data(as_text=True)
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="(/exports/[^"]+)"', page)]
    networks = {link.split("/")[2] for link in links if "attendance" not in link}
    assert networks == ({"organisations", "people"} if role == "admin" else {"organisations"})
    for link in links:
        assert "window=12" in link or link.endswith("attendance.csv")
        assert client.get(link).status_code == 200, link


def test_the_exports_page_takes_any_words_in_its_address(app):
    """A link that carries other pages' words (a network, a format) still shows the page, and
    its downloads keep only the date and window."""
    import re

    from tests.conftest import sign_in

    client = sign_in(app.test_client(), "admin")
    response = client.get("/exports?network=people&fmt=csv&window=12&seed=3")
    assert response.status_code == 200
    links = re.findall(r'href="(/exports/[^"]+)"', response.get_data(as_text=True))
    downloads = [link.replace("&amp;", "&") for link in links if "attendance" not in link]
    assert len(downloads) == 10
    assert all(link.endswith("?window=12") for link in downloads), downloads
