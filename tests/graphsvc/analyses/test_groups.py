"""Gaps, bridges, paths and communities against brute force, networkx and classic data
(more on gaps in test_gaps.py, on introductions in test_introductions.py)."""

import math
import random

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms import bipartite

from graphsvc.analyses import Network
from graphsvc.analyses.bridges import bridging_contacts
from graphsvc.analyses.communities import clusters, normalised_mutual_information
from graphsvc.analyses.gaps import mixing, sector_gaps
from graphsvc.analyses.introductions import introduction_paths
from graphsvc.errors import NotFound


def labelled_graph(seed, n=40, m=110, groups="abcd"):
    graph = nx.gnm_random_graph(n, m, seed=seed)
    rng = random.Random(seed)
    for node in graph:
        graph.nodes[node]["sector"] = rng.choice(groups)
        graph.nodes[node]["borough"] = rng.choice(["X", "Y"])
        graph.nodes[node]["name"] = f"n{node}"
    for u, v in graph.edges:
        graph[u][v]["weight"] = rng.choice([1, 2, 3])
    return graph


@pytest.mark.parametrize("seed", range(6))
def test_mixing_matrix_equals_brute_force_counts_and_configuration_expectation(seed):
    graph = labelled_graph(seed)
    result = mixing(Network.from_networkx(graph), "sector")
    names = result["rows"]
    sector = nx.get_node_attributes(graph, "sector")
    m = graph.number_of_edges()
    total = {g: sum(d for n, d in graph.degree if sector[n] == g) for g in names}
    for i, g in enumerate(names):
        for j, h in enumerate(names):
            observed = sum(1 for u, v in graph.edges if {sector[u], sector[v]} == {g, h}
                           and (g != h or sector[u] == sector[v] == g))
            expected = total[g] * total[h] / (2 * m) if g != h else total[g] ** 2 / (4 * m)
            assert result["observed"][i][j] == observed
            assert result["expected"][i][j] == pytest.approx(expected, abs=1e-6)
    expected_sum = sum(result["expected"][i][j] for i in range(len(names))
                       for j in range(i, len(names)))
    assert expected_sum == pytest.approx(m, abs=1e-4)


def test_mixing_within_a_borough_counts_only_ties_inside_it():
    graph = labelled_graph(3)
    result = mixing(Network.from_networkx(graph), "sector", within={"borough": "X"})
    inside = [(u, v) for u, v in graph.edges
              if graph.nodes[u]["borough"] == graph.nodes[v]["borough"] == "X"]
    assert result["ties"] == len(inside)


def test_a_missing_pair_of_sectors_is_the_top_gap_with_candidates():
    graph = nx.Graph()
    rng = random.Random(1)
    people = [(f"h{i}", "Housing") for i in range(8)] + [(f"f{i}", "Faith") for i in range(8)] + [
        (f"c{i}", "Charity") for i in range(8)]
    for node, sector in people:
        graph.add_node(node, sector=sector, name=node)
    for u, su in people:
        for v, sv in people:
            if u < v and {su, sv} != {"Housing", "Faith"} and rng.random() < 0.5:
                graph.add_edge(u, v, weight=1)
    result = sector_gaps(Network.from_networkx(graph), min_expected=1)
    top = result["gaps"][0]
    assert {top["a"], top["b"]} == {"Faith", "Housing"} and top["observed"] == 0
    assert top["candidate_brokers"] and all(c["id"].startswith("c")
                                            for c in top["candidate_brokers"])


def brute_force_bridges(graph, a, b):
    found = {}
    for c in graph:
        ties_a = [n for n in graph[c] if graph.nodes[n]["sector"] == a]
        ties_b = [n for n in graph[c] if graph.nodes[n]["sector"] == b]
        if ties_a and ties_b and not (graph.nodes[c]["sector"] == a == b):
            if graph.nodes[c].get("consent", "named") != "named":
                continue
            found[c] = (sum(graph[c][n]["weight"] for n in ties_a),
                        sum(graph[c][n]["weight"] for n in ties_b))
    return found


@pytest.mark.parametrize("seed", range(5))
def test_bridging_contacts_are_exactly_those_tied_into_both_sides(seed):
    graph = labelled_graph(seed)
    for node in list(graph)[:5]:
        graph.nodes[node]["consent"] = "aggregate"
    for node in list(graph)[5:]:
        graph.nodes[node]["consent"] = "named"
    result = bridging_contacts(Network.from_networkx(graph), {"sector": "a"}, {"sector": "b"},
                               limit=1000)
    expected = brute_force_bridges(graph, "a", "b")
    assert {int(c["id"]) for c in result["contacts"]} == set(expected)
    for contact in result["contacts"]:
        strength_a, strength_b = expected[int(contact["id"])]
        assert contact["strength_to_a"] == pytest.approx(strength_a)  # no ages: no fading
        assert contact["strength_to_b"] == pytest.approx(strength_b)
    # the ranking (by the pairs across the sides they could introduce) is in test_gaps.py


def test_paths_never_pass_through_people_who_did_not_consent():
    graph = nx.Graph()
    graph.add_weighted_edges_from([("ann", "bob", 9), ("bob", "cat", 9), ("ann", "dan", 1),
                                   ("dan", "cat", 1)])
    nx.set_node_attributes(graph, {"ann": "named", "bob": "aggregate", "cat": "aggregate",
                                   "dan": "named"}, "consent")
    result = introduction_paths(Network.from_networkx(graph), "ann", "cat", k=3)
    assert [p["nodes"] for p in result["paths"]] == [["ann", "dan", "cat"]]
    with pytest.raises(NotFound):
        introduction_paths(Network.from_networkx(graph), "zed", "cat")


def brute_nmi(a, b):
    n = len(a)
    pa = {x: a.count(x) / n for x in set(a)}
    pb = {x: b.count(x) / n for x in set(b)}
    joint = {}
    for x, y in zip(a, b):
        joint[(x, y)] = joint.get((x, y), 0) + 1 / n
    mi = sum(p * math.log(p / (pa[x] * pb[y])) for (x, y), p in joint.items())
    h = lambda d: -sum(p * math.log(p) for p in d.values())  # noqa: E731
    return mi / ((h(pa) + h(pb)) / 2)


def test_nmi_equals_its_definition():
    rng = random.Random(4)
    for _ in range(20):
        a = [rng.randrange(4) for _ in range(50)]
        b = [rng.randrange(3) for _ in range(50)]
        assert normalised_mutual_information(np.array(a), np.array(b)) == pytest.approx(
            brute_nmi(a, b), abs=1e-9)


def test_davis_southern_women_split_into_the_two_published_groups():
    """Davis, Gardner and Gardner (1941): two cliques of women, around Evelyn, Laura, Theresa
    and Brenda, and around Katherine, Sylvia, Nora and Helen."""
    davis = nx.davis_southern_women_graph()
    women = [n for n, d in davis.nodes(data=True) if d["bipartite"] == 0]
    projected = bipartite.weighted_projected_graph(davis, women)
    labels = clusters(Network.from_networkx(projected), seed=1)
    label = dict(zip(projected.nodes, labels))
    first = {label[w] for w in ("Evelyn Jefferson", "Laura Mandeville", "Theresa Anderson",
                                "Brenda Rogers")}
    second = {label[w] for w in ("Katherina Rogers", "Sylvia Avondale", "Nora Fayette",
                                 "Helen Lloyd")}
    assert len(first) == 1 and len(second) == 1 and first != second
