"""The architecture, held by a test: the import graph of the project's own modules (every
import, at the top of a module or inside a function) has no cycle and no import upward.

    domain      graphsvc.model, graphsvc.rules, graphsvc.errors
    below       stores, loaders, analyses, viz, and the helpers they share
    service     graphsvc.service (every use case; the only way in)
    root        graphsvc.bootstrap (builds the service from settings)
    edges       graphsvc.cli, graphsvc.web (parse, call one use case, render)
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"graphsvc": ROOT / "graphsvc", "loaders": ROOT / "loaders", "viz": ROOT / "viz",
            "graphsvc.data": ROOT / "data"}
LAYERS = (
    ("domain", ("graphsvc.model", "graphsvc.rules", "graphsvc.errors", "graphsvc")),
    ("service", ("graphsvc.service",)),
    ("root", ("graphsvc.bootstrap",)),
    ("edges", ("graphsvc.cli", "graphsvc.web")),
)
ORDER = ("domain", "below", "service", "root", "edges")


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            if "node_modules" in path.parts:
                continue
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def layer(module: str) -> str:
    for name, prefixes in LAYERS:
        if any(module == p or (p != "graphsvc" and module.startswith(p + ".")) for p in prefixes):
            return name
    return "below"


def imports_of(path: Path, module: str, known: set[str]) -> set[str]:
    """The project modules a module imports: ``from a import b`` names a.b when that is a
    module, else a."""
    out = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                out.add(target if target in known else base)
    return {m for m in out if m in known and m != module}


def graph() -> nx.DiGraph:
    found = modules()
    edges = nx.DiGraph()
    for module, path in found.items():
        edges.add_node(module)
        for target in imports_of(path, module, set(found)):
            edges.add_edge(module, target)
    return edges


def test_the_import_graph_has_no_cycle():
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph()) if len(c) > 1]
    assert cycles == []


def test_no_module_imports_a_layer_above_its_own():
    upward = [(a, layer(a), b, layer(b)) for a, b in graph().edges
              if ORDER.index(layer(b)) > ORDER.index(layer(a))]
    assert upward == []


def test_the_edges_reach_the_data_only_through_the_service():
    edges = [m for m in graph() if layer(m) == "edges"]
    reached = {b for a in edges for b in graph().successors(a)}
    assert not {m for m in reached if m.startswith(("graphsvc.store.", "loaders.resolve",
                                                    "graphsvc.service.data"))}
    for module, path in modules().items():
        if layer(module) == "edges":
            text = path.read_text()
            assert ".store." not in text and "service().store" not in text, module


def test_the_test_sees_the_whole_project():
    found = graph()
    assert {"graphsvc.service", "graphsvc.web.auth", "graphsvc.cli.analyse",
            "graphsvc.store.sqlite", "loaders.zoom", "viz.maps"} <= set(found)
    assert found.has_edge("graphsvc.cli.common", "graphsvc.bootstrap")
