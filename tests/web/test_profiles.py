"""Borough, organisation and person pages against the network they describe."""

from __future__ import annotations

from collections import Counter

import pytest


def test_a_boroughs_ties_to_the_others_are_counted_from_the_network(client, demo_service):
    data = client.get("/api/boroughs/Wigan").get_json()
    graph = demo_service.data.network("organisations").to_networkx()
    borough = dict(graph.nodes(data="borough"))
    counted = Counter()
    for u, v in graph.edges:
        if borough[u] == "Wigan" and borough[v] not in ("Wigan", "", None):
            counted[borough[v]] += 1
        elif borough[v] == "Wigan" and borough[u] not in ("Wigan", "", None):
            counted[borough[u]] += 1
    assert {r["borough"]: r["ties"] for r in data["ties_to_boroughs"] if r["ties"]} == \
        dict(counted)
    mix = Counter(graph.nodes[n].get("sector") or "Sector not known" for n in graph
                  if borough[n] == "Wigan")
    assert {r["sector"]: r["organisations"] for r in data["sector_mix"]} == dict(mix)


def test_the_gm_average_is_the_mean_over_the_boroughs(client):
    wigan = client.get("/api/boroughs/Wigan").get_json()
    everyone = client.get("/api/overview?metric=cross_sector_share").get_json()["boroughs"]
    mean = sum(b["value"] for b in everyone) / len(everyone)
    assert wigan["average_components"]["cross_sector_share"] == pytest.approx(mean, abs=1e-6)
    html = client.get("/boroughs/Wigan").get_data(as_text=True)
    assert html.count('<rect x=') >= 2 and 'id="trend-table"' in html


def test_an_organisations_strongest_ties_come_first(client, demo_service):
    graph = demo_service.data.network("organisations", window_months=None).to_networkx()
    org = max(graph.degree, key=lambda item: item[1])[0]
    data = client.get(f"/api/nodes/{org}?window=all").get_json()
    weights = sorted((w for _, _, w in graph.edges(org, data="weight")), reverse=True)
    assert [t["weight"] for t in data["ties"]] == pytest.approx(weights[:25])
    assert data["ties_in_window"] == graph.degree(org)


def test_people_who_are_not_named_have_no_page(client, demo_service):
    hidden = next(p for p in demo_service.store.people() if p.consent != "named")
    for path in (f"/people/{hidden.id}", f"/api/nodes/{hidden.id}"):
        response = client.get(path)
        assert response.status_code == 404
        assert hidden.name not in response.get_data(as_text=True)
    assert client.get("/boroughs/Leeds").status_code == 404
