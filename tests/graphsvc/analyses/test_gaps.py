"""Gaps between groups: the test of a shortfall against exact arithmetic and brute force, the
pairs too small to judge, the shortfall in words, and bridges specific to each gap."""

from __future__ import annotations

import random
from decimal import Decimal, localcontext
from fractions import Fraction
from itertools import combinations

import networkx as nx
import numpy as np
import pytest

from graphsvc.analyses import Network
from graphsvc.analyses.bridges import bridging_contacts
from graphsvc.analyses.gaps import holm, poisson_lower_tail, sector_gaps, shortfall_in_words


# -- exact arithmetic -----------------------------------------------------------------------

def exact_lower_tail(observed: int, expected: Fraction) -> Decimal:
    """P(X <= observed), X ~ Poisson(expected): the pmf summed in fractions, times e^-E to 50
    digits."""
    term, total = Fraction(1), Fraction(1)
    for k in range(1, observed + 1):
        term = term * expected / k
        total += term
    with localcontext() as context:
        context.prec = 50
        scale = (-(Decimal(expected.numerator) / Decimal(expected.denominator))).exp()
        return scale * Decimal(total.numerator) / Decimal(total.denominator)


@pytest.mark.parametrize("observed", [0, 1, 2, 5, 13, 40])
@pytest.mark.parametrize("expected", [Fraction(1, 3), Fraction(5, 2), Fraction(25, 2),
                                      Fraction(210), Fraction(2315, 7)])
def test_the_lower_tail_equals_exact_arithmetic(observed, expected):
    ours = float(poisson_lower_tail(observed, float(expected)))
    exact = float(exact_lower_tail(observed, expected))
    assert ours == pytest.approx(exact, rel=1e-12, abs=1e-300)


def test_no_ties_where_some_are_expected_is_as_likely_as_exp_minus_expected():
    assert float(poisson_lower_tail(0, 12.5)) == pytest.approx(np.exp(-12.5), rel=1e-14)
    assert np.isnan(poisson_lower_tail(0, 0.0))


def holm_by_definition(p: list[float]) -> list[float]:
    """Holm (1979): the i-th smallest p-value is multiplied by (k - i + 1), and a value is
    rejected only after every smaller one was: the adjusted value is the running maximum."""
    k = len(p)
    ranked = sorted(range(k), key=lambda i: p[i])
    adjusted, running = [0.0] * k, 0.0
    for step, i in enumerate(ranked):
        running = max(running, min(1.0, (k - step) * p[i]))
        adjusted[i] = running
    return adjusted


def test_holm_equals_its_definition():
    rng = random.Random(3)
    for _ in range(50):
        p = [rng.choice([rng.random(), rng.random() ** 6, 0.0, 1.0]) for _ in range(rng.randint(1, 12))]
        assert holm(p).tolist() == pytest.approx(holm_by_definition(p), abs=1e-15)


# -- which pairs are gaps -------------------------------------------------------------------

def planted_network(seed: int, n: int = 80, m: int = 420, groups: str = "abcd") -> nx.Graph:
    """A random network; in odd seeds groups a and b never meet."""
    rng = random.Random(seed)
    graph = nx.Graph()
    label = {v: rng.choice(groups) for v in range(n)}
    for v in range(n):
        graph.add_node(v, sector=label[v], name=f"n{v}")
    while graph.number_of_edges() < m:
        u, v = rng.sample(range(n), 2)
        if seed % 2 and {label[u], label[v]} == {"a", "b"}:
            continue
        graph.add_edge(u, v, weight=rng.choice([1, 2]))
    return graph


def gaps_by_brute_force(graph: nx.Graph, min_expected=5, max_ratio=Fraction(1, 2),
                        alpha=0.05) -> tuple[set, set]:
    """The rule, from its statement: counts and expectations in fractions, exact tails."""
    sector = nx.get_node_attributes(graph, "sector")
    two_m = 2 * graph.number_of_edges()
    ends = {g: sum(d for v, d in graph.degree if sector[v] == g) for g in set(sector.values())}
    judged, too_few = [], set()
    for g, h in combinations(sorted(ends), 2):
        observed = sum(1 for u, v in graph.edges if {sector[u], sector[v]} == {g, h})
        expected = Fraction(ends[g] * ends[h], two_m)
        if expected < min_expected:
            too_few.add((g, h))
        else:
            judged.append(((g, h), observed, expected,
                           float(exact_lower_tail(observed, expected))))
    adjusted = holm_by_definition([p for *_, p in judged])
    gaps = {pair for (pair, observed, expected, _), p in zip(judged, adjusted)
            if p < alpha and observed <= max_ratio * expected}
    return gaps, too_few


@pytest.mark.parametrize("seed", range(8))
def test_gaps_are_the_pairs_the_rule_names(seed):
    graph = planted_network(seed)
    result = sector_gaps(Network.from_networkx(graph))
    gaps, too_few = gaps_by_brute_force(graph)
    assert {(g["a"], g["b"]) for g in result["gaps"]} == gaps
    assert {(p["a"], p["b"]) for p in result["too_few_to_judge"]} == too_few
    assert (("a", "b") in gaps) == bool(seed % 2)  # the planted gap, and only when planted


def blocks(sizes: dict[str, int], ties: dict[tuple[str, str], int], seed: int = 0) -> nx.Graph:
    """A network with exactly ``ties[(g, h)]`` ties between groups g and h, placed at random."""
    rng = random.Random(seed)
    graph, members, start = nx.Graph(), {}, 0
    for group, size in sizes.items():
        members[group] = list(range(start, start + size))
        graph.add_nodes_from(members[group], sector=group)
        start += size
    for (g, h), count in ties.items():
        placed = 0
        while placed < count:
            u, v = rng.choice(members[g]), rng.choice(members[h])
            if u != v and not graph.has_edge(u, v):
                graph.add_edge(u, v, weight=1)
                placed += 1
    return graph


def pair(result: dict, a: str, b: str) -> tuple:
    i, j = result["matrix"]["rows"].index(a), result["matrix"]["rows"].index(b)
    return result["matrix"]["observed"][i][j], result["matrix"]["expected"][i][j]


def test_a_small_shortfall_is_not_a_gap_even_when_it_is_beyond_chance():
    """190 ties against 210 expected is not a gap; nor, in a network the size of Greater
    Manchester's, 95 per cent of the ties expected, however unlikely by chance."""
    graph = blocks({"a": 400, "b": 400, "c": 400},
                   {("a", "a"): 2500, ("b", "b"): 2500, ("c", "c"): 2500, ("a", "b"): 4600,
                    ("a", "c"): 5700, ("b", "c"): 5700})
    result = sector_gaps(Network.from_networkx(graph))
    observed, expected = pair(result, "a", "b")
    assert 0.9 < observed / expected < 0.95
    assert float(poisson_lower_tail(observed, expected)) * 3 < 1e-4  # beyond chance
    assert result["gaps"] == []
    assert [(g["a"], g["b"]) for g in sector_gaps(Network.from_networkx(graph),
                                                  max_ratio=1.0)["gaps"]] == [("a", "b")]


def test_190_against_210_is_not_a_gap_at_all():
    graph = blocks({"a": 120, "b": 120, "c": 120},
                   {("a", "a"): 120, ("b", "b"): 120, ("c", "c"): 310, ("a", "b"): 190,
                    ("a", "c"): 345, ("b", "c"): 345})
    result = sector_gaps(Network.from_networkx(graph), max_ratio=1.0)
    observed, expected = pair(result, "a", "b")
    assert observed == 190 and expected == pytest.approx(210, abs=0.5)
    assert result["gaps"] == []


def test_no_ties_among_many_pairs_can_be_chance():
    """0 ties where 6.4 are expected is unlikely for one pair (p = 0.002) but not among the 45
    pairs of ten groups: after Holm's correction it is not a gap."""
    groups = [f"g{i}" for i in range(10)]
    ties = {(g, g): 10 for g in groups}
    ties.update({(g, h): 6 for g, h in combinations(groups, 2) if (g, h) != ("g0", "g1")})
    result = sector_gaps(Network.from_networkx(blocks(dict.fromkeys(groups, 12), ties)))
    observed, expected = pair(result, "g0", "g1")
    assert observed == 0 and 6 < expected < 7 and np.exp(-expected) < 0.05 / 20
    assert result["gaps"] == []


def test_tiny_cells_are_too_few_to_judge_not_gaps():
    graph = blocks({"a": 3, "b": 3, "c": 30},
                   {("a", "c"): 4, ("b", "c"): 4, ("c", "c"): 150})
    result = sector_gaps(Network.from_networkx(graph))
    observed, expected = pair(result, "a", "b")
    assert observed == 0 and 0 < expected < 5
    assert result["gaps"] == []
    assert {"a": "a", "b": "b", "observed": 0, "expected": expected} in result[
        "too_few_to_judge"]
    assert result["matrix"]["judged"][0][1] is False
    assert "too few to judge" in result["method"]


def test_every_gap_carries_its_shortfall_in_words():
    graph = planted_network(1)
    result = sector_gaps(Network.from_networkx(graph))
    gap = next(g for g in result["gaps"] if (g["a"], g["b"]) == ("a", "b"))
    about = round(gap["expected"] + 1e-9)
    assert gap["why"] == (f"a and b: 0 ties where about {about} would be expected if sectors "
                          "mixed at random")
    assert shortfall_in_words({"a": "Faith group", "b": "Housing", "observed": 1,
                               "expected": 4.25}, "community", {"borough": "Wigan"}) == (
        "Faith group and Housing in Wigan: 1 tie where about 4.2 would be expected if "
        "communities mixed at random")


# -- who could bridge each gap --------------------------------------------------------------

def pairs_by_brute_force(graph: nx.Graph, node, a: str, b: str) -> int:
    side = nx.get_node_attributes(graph, "sector")
    ends_a = [x for x in graph[node] if side[x] == a]
    ends_b = [y for y in graph[node] if side[y] == b]
    return sum(1 for x in ends_a for y in ends_b if x != y and not graph.has_edge(x, y))


@pytest.mark.parametrize("seed", range(5))
def test_bridges_are_ranked_by_the_untied_pairs_they_could_introduce(seed):
    graph = planted_network(seed, n=40, m=140)
    result = bridging_contacts(Network.from_networkx(graph), {"sector": "a"},
                               {"sector": "b"}, limit=1000)
    side = nx.get_node_attributes(graph, "sector")
    expected = {v for v in graph if any(side[x] == "a" for x in graph[v])
                and any(side[y] == "b" for y in graph[v])}
    assert {int(c["id"]) for c in result["contacts"]} == expected
    for contact in result["contacts"]:
        node = int(contact["id"])
        assert contact["pairs"] == pairs_by_brute_force(graph, node, "a", "b")
        assert contact["ties_to_a"] == sum(side[x] == "a" for x in graph[node])
        assert contact["ties_to_b"] == sum(side[x] == "b" for x in graph[node])
    pairs = [c["pairs"] for c in result["contacts"]]
    assert pairs == sorted(pairs, reverse=True)


def two_gaps(seed: int = 5) -> nx.Graph:
    """Groups a, b, c, d: a never meets b and c never meets d; x0-x3 are tied to members of
    a and b, y0-y3 to members of c and d; a hub (of group e) is tied to a few of everyone."""
    rng = random.Random(seed)
    graph = nx.Graph()
    members = {g: [f"{g}{i}" for i in range(12)] for g in "abcd"}
    for g, nodes in members.items():
        graph.add_nodes_from(nodes, sector=g)
    for u, v in combinations([n for nodes in members.values() for n in nodes], 2):
        if {u[0], v[0]} not in ({"a", "b"}, {"c", "d"}) and rng.random() < 0.25:
            graph.add_edge(u, v)
    for prefix, (g, h) in (("x", "ab"), ("y", "cd")):
        for i in range(4):
            node = f"{prefix}{i}"
            graph.add_node(node, sector="e")
            graph.add_edges_from((node, n) for n in rng.sample(members[g], 6))
            graph.add_edges_from((node, n) for n in rng.sample(members[h], 6))
    graph.add_node("hub", sector="e")
    graph.add_edges_from(("hub", members[g][i]) for g in "abcd" for i in range(2))
    for u, v in graph.edges:
        graph[u][v]["weight"] = 1
    return graph


def test_two_gaps_get_each_its_own_bridges():
    graph = two_gaps()
    result = sector_gaps(Network.from_networkx(graph), bridges=5)
    found = {(g["a"], g["b"]): g for g in result["gaps"]}
    assert set(found) >= {("a", "b"), ("c", "d")}
    ab = [c["id"] for c in found[("a", "b")]["candidate_brokers"]]
    cd = [c["id"] for c in found[("c", "d")]["candidate_brokers"]]
    assert {c[0] for c in ab[:4]} == {"x"} and {c[0] for c in cd[:4]} == {"y"}
    for (a, b), gap in found.items():
        for contact in gap["candidate_brokers"]:
            assert contact["pairs"] == pairs_by_brute_force(graph, contact["id"], a, b)
            assert contact["ties_to_a"] > 0 and contact["ties_to_b"] > 0
