"""The explorer's selections, checked against networkx on the same active network."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import pytest

from graphsvc.errors import NotFound
from graphsvc.analyses.explore import explore
from tests.conftest import ADMIN


@pytest.fixture
def graph(demo_service):
    return demo_service.data.network("organisations").to_networkx()


def test_a_borough_filter_keeps_its_organisations_and_their_ties(demo_service, graph):
    view = demo_service.views.explore(ADMIN, "organisations", borough="Wigan", min_weight=0, limit=10_000)
    wanted = {n for n, d in graph.nodes(data=True) if d.get("borough") == "Wigan"}
    assert {n["id"] for n in view.nodes} == wanted
    drawn = {frozenset((e["from"], e["to"])) for e in view.edges}
    expected = {frozenset(e) for e in graph.subgraph(wanted).edges}
    assert drawn <= expected and (drawn == expected or view.message)


@pytest.mark.parametrize("depth", [1, 2])
def test_the_ego_view_is_networkx_ego_graph(demo_service, graph, depth):
    strong = nx.Graph([(u, v) for u, v, w in graph.edges(data="weight") if w >= 2])
    centre = max(strong.degree, key=lambda item: item[1])[0]
    view = demo_service.views.explore(ADMIN, "organisations", ego=centre, depth=depth, min_weight=2, limit=10_000)
    assert {n["id"] for n in view.nodes} == set(nx.ego_graph(strong, centre, radius=depth))
    assert [n["id"] for n in view.nodes if n["ego"]] == [centre]


def test_too_many_nodes_are_grouped_by_sector_with_ties_summed(demo_service, graph):
    view = demo_service.views.explore(ADMIN, "organisations", limit=20)
    assert view.aggregated and "grouped by sector" in view.message
    sector = {n: d.get("sector") or "Sector not known" for n, d in graph.nodes(data=True)}
    assert sum(n["members"] for n in view.nodes) == graph.number_of_nodes() == view.matched
    between = defaultdict(float)
    for u, v, w in graph.edges(data="weight"):
        if sector[u] != sector[v]:
            between[frozenset((sector[u], sector[v]))] += w
    drawn = {frozenset((e["from"][6:], e["to"][6:])): e["weight"] for e in view.edges}
    assert drawn.keys() == between.keys()
    for pair, weight in between.items():
        assert drawn[pair] == pytest.approx(weight)


def test_an_unknown_ego_is_not_found(demo_service):
    with pytest.raises(NotFound):
        demo_service.views.explore(ADMIN, "organisations", ego="org:no-such-organisation")
