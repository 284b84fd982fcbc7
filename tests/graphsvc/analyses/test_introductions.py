"""Introduction routes against brute force: every simple path of small random networks, with
exact lengths, and the rule "each route is the shortest through none of the intermediaries of
the routes before it"."""

from __future__ import annotations

import random
from fractions import Fraction

import networkx as nx
import pytest

from graphsvc.analyses import Network
from graphsvc.analyses.introductions import introduction_paths
from graphsvc.errors import InputError

SECTORS = ("Housing", "Charity", "Faith group")


def small_network(seed: int, sizes: tuple[int, int] = (7, 11), density: float = 2) -> nx.Graph:
    rng = random.Random(seed)
    n = rng.randint(*sizes)
    graph = nx.gnm_random_graph(n, rng.randint(n, int(density * n)), seed=seed)
    for u, v in graph.edges:
        graph[u][v]["weight"] = rng.choice([1, 2, 3, 4])
    for v in graph:
        graph.nodes[v].update(name=f"p{v}", consent=rng.choice(["named"] * 4 + ["aggregate"]),
                              organisation=f"org {v % 3}", sector=rng.choice(SECTORS),
                              borough=rng.choice(["Bury", "Wigan"]))
    return graph


def shortest_by_brute_force(graph: nx.Graph, source, is_end, blocked: set):
    """The exact length of the shortest simple path from source to a node where ``is_end``
    holds, through consenting people not in ``blocked`` (None: no such path)."""
    best = None

    def walk(node, seen, length):
        nonlocal best
        for nxt in graph[node]:
            if nxt in seen:
                continue
            step = length + Fraction(1, graph[node][nxt]["weight"])
            if is_end(nxt):
                best = step if best is None or step < best else best
            elif nxt not in blocked and graph.nodes[nxt]["consent"] == "named":
                walk(nxt, seen | {nxt}, step)

    walk(source, {source}, Fraction(0))
    return best


def check_routes(graph: nx.Graph, source, is_end, result: dict, k: int) -> int:
    """Each route obeys the rule given the routes before it; fewer than k only when no route
    is left. Returns how many routes there were."""
    blocked: set = set()
    for path in result["paths"]:
        nodes = [int(v) for v in path["nodes"]]
        middle = nodes[1:-1]
        assert nodes[0] == source and is_end(nodes[-1]) and middle
        assert not any(is_end(v) for v in middle)
        assert all(graph.has_edge(u, v) for u, v in zip(nodes, nodes[1:]))
        assert not set(middle) & blocked, "an intermediary of an earlier route again"
        assert len(set(nodes)) == len(nodes)
        length = sum(Fraction(1, graph[u][v]["weight"]) for u, v in zip(nodes, nodes[1:]))
        assert path["length"] == pytest.approx(float(length), abs=1e-6)  # to 6 places
        assert length == shortest_by_brute_force(graph, source, is_end, blocked)
        blocked |= set(middle)
    if len(result["paths"]) < k:
        assert shortest_by_brute_force(graph, source, is_end, blocked) is None
    return len(result["paths"])


@pytest.mark.parametrize("seed", range(40))
def test_routes_to_a_person_go_through_different_people(seed):
    graph = small_network(seed)
    rng = random.Random(seed)
    pairs = [(s, t) for s in graph for t in graph if s < t and not graph.has_edge(s, t)]
    source, target = rng.choice(pairs)
    result = introduction_paths(Network.from_networkx(graph), str(source), str(target), k=3)
    assert result["already_know_each_other"] is False and result["direct"] == []
    check_routes(graph, source, lambda v: v == target, result, 3)


@pytest.mark.parametrize("seed", range(20))
def test_routes_to_a_group_go_through_different_people(seed):
    graph = small_network(seed, (12, 14), 1.4)
    network, routes = Network.from_networkx(graph), 0
    for sector in SECTORS:
        members = {v for v in graph if graph.nodes[v]["sector"] == sector}
        if not members:
            continue
        for source in (v for v in graph if v not in members and not set(graph[v]) & members):
            result = introduction_paths(network, str(source), {"sector": sector}, k=3)
            assert result["already_know_each_other"] is False
            routes += check_routes(graph, source, lambda v: v in members, result, 3)
    assert routes  # every network here has someone a route away from a group


def test_the_brute_force_sees_routes_that_share_an_introducer():
    """Yen's three shortest paths here all end through bob; the routes go through bob once,
    then through dan, then stop."""
    graph = nx.Graph()
    graph.add_weighted_edges_from([("ann", "bob", 4), ("bob", "cat", 4), ("ann", "eve", 3),
                                   ("eve", "bob", 3), ("ann", "fay", 2), ("fay", "bob", 2),
                                   ("ann", "dan", 1), ("dan", "cat", 1)])
    nx.set_node_attributes(graph, "named", "consent")
    result = introduction_paths(Network.from_networkx(graph), "ann", "cat", k=3)
    assert [p["nodes"] for p in result["paths"]] == [["ann", "bob", "cat"],
                                                      ["ann", "dan", "cat"]]


def test_people_already_tied_already_know_each_other():
    graph = small_network(3)
    u, v = next(iter(graph.edges))
    network = Network.from_networkx(graph)
    result = introduction_paths(network, str(u), str(v))
    assert result["already_know_each_other"] is True and result["paths"] == []
    assert [(h["from"], h["to"]) for h in result["direct"]] == [(str(u), str(v))]
    member = graph.nodes[v]["sector"]
    group = introduction_paths(network, str(u), {"sector": member}, k=2)
    tied = sorted((-graph[u][w]["weight"], w) for w in graph[u]
                  if graph.nodes[w]["sector"] == member and w != u)
    assert group["already_know_each_other"] is True
    assert [h["to"] for h in group["direct"]] == [str(w) for _, w in tied[:2]]


def test_everyone_on_a_route_comes_with_organisation_sector_and_borough():
    graph = small_network(5)
    pairs = [(s, t) for s in graph for t in graph if s < t and not graph.has_edge(s, t)
             and nx.has_path(graph, s, t)]
    for source, target in pairs:
        result = introduction_paths(Network.from_networkx(graph), str(source), str(target))
        for path in result["paths"]:
            assert [p["id"] for p in path["persons"]] == path["nodes"]
            for step, person in enumerate(path["persons"]):
                node = graph.nodes[int(person["id"])]
                assert person["step"] == step
                assert (person["organisation"], person["sector"], person["borough"]) == (
                    node["organisation"], node["sector"], node["borough"])
    assert any(introduction_paths(Network.from_networkx(graph), str(s), str(t))["paths"]
               for s, t in pairs)


def test_a_group_with_no_one_in_the_network_is_an_error_not_an_empty_answer():
    """Said in the words the user chose it by (a walk with real files found the page printing
    a Python dict, and saying the group was empty when both ends were one person)."""
    graph = small_network(2)
    with pytest.raises(InputError) as empty:
        introduction_paths(Network.from_networkx(graph), "0", {"sector": "Public health"})
    assert (empty.value.column, empty.value.value) == ("to", "sector=Public health")
    assert "no one else in the network belongs to this group" in empty.value.reason
    with pytest.raises(InputError) as same:
        introduction_paths(Network.from_networkx(graph), "0", "0")
    assert (same.value.column, same.value.value) == ("to", "0")
    assert "the two ends are the same" in same.value.reason


def test_an_end_not_given_is_asked_for_by_its_field():
    """``graphsvc analyse paths`` without --from said "no node ''"."""
    network = Network.from_networkx(small_network(2))
    for source, target, column in (("", "1", "from"), ("0", "", "to"), ("0", {}, "to")):
        with pytest.raises(InputError) as missing:
            introduction_paths(network, source, target)
        assert missing.value.column == column and "give the person to start from" in str(
            missing.value)
