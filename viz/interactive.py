"""The explorer's network for vis-network, built with pyvis.

pyvis lays out the nodes, edges and physics options; its own HTML is not used (it links Bootstrap
and vis-network from CDNs): the app's page loads the vis-network that pyvis bundles, served by
the app (:func:`vis_asset`). Labels are drawn on a canvas, so they are text; node details are
shown by the page's own script with ``textContent``, never as HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

from graphsvc.analyses.explore import View

# Paul Tol's "muted" scheme (distinct for the common colour-vision deficiencies), then shapes
# tell apart the sectors beyond nine
PALETTE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99",
           "#999933", "#AA4499")
SHAPES = ("dot", "square", "triangle", "diamond")
UNKNOWN = "#BBBBBB"
VIS_VERSION = "9.1.2"


def sector_styles(sectors: list[str]) -> dict[str, dict]:
    """A colour and shape per sector, stable for a given list of sectors."""
    styles = {}
    for i, sector in enumerate(sorted(s for s in set(sectors) if s)):
        styles[sector] = {"color": PALETTE[i % len(PALETTE)],
                          "shape": SHAPES[(i // len(PALETTE)) % len(SHAPES)]}
    return styles


def _label(node: dict) -> str:
    """A node's label: its name (a group's with how many it holds, where that is shown)."""
    label = node.get("name") or "(not named)"
    if str(node["id"]).startswith("group:"):
        members = node.get("members")
        label += f" ({members:,})" if members is not None else " (a few)"
    return label


def vis_data(view: View, sectors: list[str]) -> dict:
    """Nodes, edges and options for ``new vis.Network``, built with pyvis."""
    from pyvis.network import Network as Pyvis

    styles = sector_styles(sectors)
    net = Pyvis(height="640px", width="100%", directed=False, cdn_resources="local")
    sizes = [n.get("size") or 0.0 for n in view.nodes]  # a suppressed size counts as none
    largest = max(sizes, default=1.0) or 1.0
    for node, size in zip(view.nodes, sizes):
        style = styles.get(node.get("sector", ""), {"color": UNKNOWN, "shape": "dot"})
        marked = node.get("broker") or node.get("ego")
        net.add_node(node["id"], label=_label(node), shape=style["shape"],
                     color={"background": style["color"],
                            "border": "#000000" if marked else "#ffffff"},
                     borderWidth=4 if marked else 1, size=10 + 30 * (size / largest) ** 0.5)
    strongest = max((e["weight"] for e in view.edges), default=1.0) or 1.0
    for edge in view.edges:
        net.add_edge(edge["from"], edge["to"], width=0.5 + 4 * edge["weight"] / strongest,
                     color={"color": "#5f6b73", "opacity": 0.35})
    net.barnes_hut(gravity=-2500, central_gravity=0.6, spring_length=60, damping=0.4)
    nodes, edges, _, _, _, options = net.get_network_data()
    options = json.loads(options)
    # settle quickly, then stop moving: a big selection must never freeze the tab
    options["physics"]["stabilization"] = {"enabled": True, "iterations": 150, "fit": True}
    options["interaction"] = {"hover": True, "keyboard": {"enabled": True}, "navigationButtons": False}
    return {"nodes": nodes, "edges": edges, "options": options}


def vis_asset(name: str) -> Path:
    """The file of vis-network that pyvis bundles: ``vis-network.min.js`` or ``.css``."""
    import pyvis

    if name not in ("vis-network.min.js", "vis-network.css"):
        raise FileNotFoundError(name)
    return Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}" / name
