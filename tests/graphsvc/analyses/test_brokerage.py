"""Brokerage measures against networkx as an oracle, brute force, simulation and classic data
(betweenness has its own tests, in test_betweenness.py)."""

import math
import random
from itertools import permutations

import networkx as nx
import numpy as np
import pytest

from graphsvc.analyses import Network, betweenness, brokers, role_counts, role_expectations
from graphsvc.analyses.brokerage import structural_holes
from graphsvc.analyses.kernels import ROLES


def random_weighted_graph(seed: int, n: int = 40, m: int = 120) -> nx.Graph:
    graph = nx.gnm_random_graph(n, m, seed=seed)
    rng = random.Random(seed)
    for u, v in graph.edges:
        graph[u][v]["weight"] = rng.choice([1, 1, 2, 3, 0.5, 1 / 3, 5])
    graph.add_node(n)  # an isolate
    for node in graph:
        graph.nodes[node]["sector"] = rng.choice("abcd")
    return graph


@pytest.mark.parametrize("seed", range(10))
def test_effective_size_and_constraint_equal_networkx(seed):
    graph = random_weighted_graph(seed)
    holes = structural_holes(Network.from_networkx(graph))
    # networkx's per-node route is the formula as published; its all-nodes sparse shortcut
    # gives slightly different weighted effective sizes, so the oracle names the nodes.
    expected_size = nx.effective_size(graph, nodes=list(graph), weight="weight")
    expected_constraint = nx.constraint(graph, nodes=list(graph), weight="weight")
    for i, node in enumerate(graph):
        if math.isnan(expected_size[node]):
            assert math.isnan(holes.effective_size[i]) and math.isnan(holes.constraint[i])
            continue
        assert holes.effective_size[i] == pytest.approx(expected_size[node], rel=1e-9, abs=1e-12)
        assert holes.constraint[i] == pytest.approx(expected_constraint[node], rel=1e-9)
        assert holes.efficiency[i] == pytest.approx(expected_size[node] / graph.degree(node))


@pytest.mark.parametrize("seed", range(5))
def test_hierarchy_from_networkx_local_constraints(seed):
    graph = random_weighted_graph(seed)
    holes = structural_holes(Network.from_networkx(graph))
    for i, node in enumerate(graph):
        contacts = list(graph[node])
        if len(contacts) < 2:
            continue
        local = [nx.local_constraint(graph, node, v, weight="weight") for v in contacts]
        total, count = sum(local), len(local)
        expected = sum((c / (total / count)) * math.log(c / (total / count)) for c in local) / (
            count * math.log(count))
        assert holes.hierarchy[i] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_hierarchy_is_zero_when_constraint_is_spread_evenly_and_high_when_concentrated():
    star = structural_holes(Network.from_networkx(nx.star_graph(5)))
    assert star.hierarchy[0] == pytest.approx(0.0)
    lopsided = nx.star_graph(5)
    lopsided[0][1]["weight"] = 20
    assert structural_holes(Network.from_networkx(lopsided)).hierarchy[0] > 0.3


def brute_force_roles(graph: nx.Graph, group: dict) -> dict:
    counts = {n: dict.fromkeys(ROLES, 0) for n in graph}
    for v in graph:
        for a, c in permutations(graph[v], 2):
            if graph.has_edge(a, c):
                continue
            ga, gv, gc = group[a], group[v], group[c]
            if ga == gv == gc:
                role = "coordinator"
            elif ga == gc:
                role = "itinerant"
            elif ga == gv:
                role = "representative"
            elif gc == gv:
                role = "gatekeeper"
            else:
                role = "liaison"
            counts[v][role] += 1
    return counts


@pytest.mark.parametrize("seed", range(10))
def test_role_counts_equal_brute_force(seed):
    graph = random_weighted_graph(seed, n=25, m=70)
    network = Network.from_networkx(graph)
    groups, names = network.partition("sector")
    observed = role_counts(network, groups)
    expected = brute_force_roles(graph, nx.get_node_attributes(graph, "sector"))
    for i, node in enumerate(graph):
        assert dict(zip(ROLES, observed[i].tolist())) == expected[node]


def test_role_expectations_match_a_simulation_of_the_null_model():
    """Gould-Fernandez moments: arcs independent with the observed density, groups fixed."""
    rng = np.random.default_rng(11)
    sizes = [5, 4, 3]
    groups = np.repeat(np.arange(3), sizes)
    n = len(groups)
    graph = nx.gnp_random_graph(n, 0.3, seed=2)
    network = Network.from_networkx(graph, weight=None)
    expected, sd = role_expectations(network, groups)
    d = network.adjacency.nnz / (n * (n - 1))
    samples = np.zeros((4000, 5))
    broker = 0
    for t in range(len(samples)):
        arcs = rng.random((n, n)) < d
        np.fill_diagonal(arcs, False)
        into, out = arcs[:, broker], arcs[broker, :]
        for a in np.flatnonzero(into):
            for c in np.flatnonzero(out):
                if a == c or a == broker or c == broker or arcs[a, c]:
                    continue
                ga, gc, gv = groups[a], groups[c], groups[broker]
                role = (0 if ga == gv == gc else 1 if ga == gc else 2 if ga == gv
                        else 3 if gc == gv else 4)
                samples[t, role] += 1
    assert samples.mean(axis=0) == pytest.approx(expected[broker], rel=0.08, abs=0.05)
    assert samples.std(axis=0) == pytest.approx(sd[broker], rel=0.1, abs=0.05)


FLORENTINE_BETWEENNESS = {  # Padgett's marriage network, normalised betweenness
    "Medici": 0.522, "Guadagni": 0.255, "Albizzi": 0.212, "Salviati": 0.143,
    "Ridolfi": 0.114, "Bischeri": 0.104, "Strozzi": 0.103, "Barbadori": 0.093,
    "Tornabuoni": 0.092, "Castellani": 0.055, "Peruzzi": 0.022, "Acciaiuoli": 0.0,
    "Ginori": 0.0, "Lamberteschi": 0.0, "Pazzi": 0.0,
}


def test_florentine_families_published_betweenness_and_medici_holes():
    graph = nx.florentine_families_graph()
    network = Network.from_networkx(graph, weight=None)
    values, _ = betweenness(network)
    for i, family in enumerate(network.node_ids):
        assert values[i] == pytest.approx(FLORENTINE_BETWEENNESS[family], abs=5e-4)
    holes = structural_holes(network)
    medici = network.index()["Medici"]
    # six contacts, one tie among them (Ridolfi-Tornabuoni): 6 - 2 * 1 / 6
    assert holes.effective_size[medici] == pytest.approx(6 - 2 / 6)


def test_brokers_output_has_the_scripting_contract():
    graph = nx.florentine_families_graph()
    for node in graph:
        graph.nodes[node]["sector"] = "banking" if node in {"Medici", "Strozzi", "Pazzi"} else "wool"
        graph.nodes[node]["name"] = node
    result = brokers(Network.from_networkx(graph, weight=None), "sector")
    first = result["nodes"][0]
    assert first["name"] == "Medici"
    assert set(first) >= {"id", "name", "betweenness", "effective_size", "efficiency",
                          "constraint", "hierarchy", "roles"}
    assert set(first["roles"]) == set(ROLES)
    assert set(first["roles"]["liaison"]) == {"observed", "expected", "z"}
