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
        response = client.get(f"/exports/{network}/{fmt}")
        assert response.status_code == 200
        assert f"graphsvc-{network}." in response.headers["Content-Disposition"]
        graph = reader(io.BytesIO(response.data))
        assert graph.number_of_edges() == len(ties)


def test_kumu_blueprint_joins_every_connection_to_an_element(client, demo_service):
    blueprint = json.loads(client.get("/exports/organisations/kumu").data)
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
