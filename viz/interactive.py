"""The explorer's network for vis-network, built with pyvis.

pyvis lays out the nodes, edges and physics options; its own HTML is not used (it links Bootstrap
and vis-network from CDNs): the app's page loads the vis-network that pyvis bundles, served by
the app (:func:`vis_asset`). Labels are drawn on a canvas, so they are text; tooltips and node
details are built by the page's own script with ``textContent``, never as HTML.
"""

from __future__ import annotations

import colorsys
import json
from pathlib import Path

from graphsvc.analyses.explore import View

# One colour per sector, none shared: chosen greedily from Kelly's, Paul Tol's and Okabe and
# Ito's sets so that each next colour is as far as it can be (in CIELAB) from those before it
# and from grey, white and black; the first 13 are at least 31 apart (CIE76). Beyond these,
# colours are generated around the hue circle (distinct, if less far apart).
PALETTE = ("#CC3311", "#DCD300", "#332288", "#228833", "#B3446C", "#0077BB", "#654522",
           "#F99379", "#DDCC77", "#009988", "#F6A600", "#66CCEE", "#875692", "#882D17",
           "#2B3D26", "#8DB600", "#E68FAC", "#EE3377", "#BE0032", "#EE7733")
UNKNOWN = "#BBBBBB"  # no sector: not recorded, or not shown to this reader
LABELLED = 12  # the largest nodes carry their name on the picture; the rest on hover
VIS_VERSION = "9.1.2"


def sector_colours(sectors: list[str]) -> dict[str, str]:
    """A distinct colour per sector, stable for a given list of sectors (in name order).

    >>> colours = sector_colours(["Housing", "Charity", "Housing", ""])
    >>> list(colours), len(set(colours.values()))
    (['Charity', 'Housing'], 2)
    """
    colours: dict[str, str] = {}
    used = {UNKNOWN}
    for i, sector in enumerate(sorted(s for s in set(sectors) if s)):
        colour = PALETTE[i] if i < len(PALETTE) else _generated(i, used)
        colours[sector] = colour
        used.add(colour)
    return colours


def _generated(i: int, used: set[str]) -> str:
    """A colour not yet used: hues a golden angle apart, at two lightnesses."""
    step = 0
    while True:
        hue = ((i + step) * 0.381966) % 1.0
        lightness = 0.38 if (i + step) % 2 else 0.55
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, 0.65)
        colour = "#{:02X}{:02X}{:02X}".format(*(round(255 * c) for c in (red, green, blue)))
        if colour not in used:
            return colour
        step += 1


def _label(node: dict) -> str:
    """A node's label: its name (a group's with how many it holds, where that is shown)."""
    label = node.get("name") or "(not named)"
    if str(node["id"]).startswith("group:"):
        members = node.get("members")
        label += f" ({members:,})" if members is not None else " (not counted)"
    return label


def _labelled(view: View) -> set[str]:
    """The nodes named on the picture: every group, the ego, and the largest named ones."""
    named = [n for n in view.nodes if n.get("name")]
    largest = sorted(named, key=lambda n: -(n.get("size") or 0.0))[:LABELLED]
    return ({n["id"] for n in largest} | {n["id"] for n in view.nodes if n.get("ego")}
            | {n["id"] for n in view.nodes if str(n["id"]).startswith("group:")})


def vis_data(view: View, sectors: list[str]) -> dict:
    """Nodes, edges and options for ``new vis.Network``, built with pyvis."""
    from pyvis.network import Network as Pyvis

    colours = sector_colours(sectors)
    labelled = _labelled(view)
    net = Pyvis(height="640px", width="100%", directed=False, cdn_resources="local")
    sizes = [n.get("size") or 0.0 for n in view.nodes]  # a suppressed size counts as none
    largest = max(sizes, default=1.0) or 1.0
    for node, size in zip(view.nodes, sizes):
        colour = colours.get(node.get("sector", ""), UNKNOWN)
        marked = node.get("broker") or node.get("ego")
        border = "#000000" if marked else "#ffffff"
        net.add_node(node["id"], label=_label(node), shape="dot",
                     color={"background": colour, "border": border,
                            "highlight": {"background": colour, "border": "#000000"},
                            "hover": {"background": colour, "border": "#000000"}},
                     borderWidth=4 if marked else 1, borderWidthSelected=6,
                     size=10 + 30 * (size / largest) ** 0.5)
    known = [e["weight"] for e in view.edges if e.get("weight") is not None]
    strongest = max(known, default=1.0) or 1.0
    for edge in view.edges:
        weight = edge.get("weight")
        # a withheld weight (a few ties) is drawn thin and dashed: its width says nothing
        drawn = {"width": 0.5, "dashes": True} if weight is None else \
            {"width": 0.5 + 4 * weight / strongest}
        net.add_edge(edge["from"], edge["to"], color={"color": "#5f6b73", "opacity": 0.35},
                     **drawn)
    # ForceAtlas2 spreads the busy centre out, so the labels of the largest nodes can be read
    net.force_atlas_2based(gravity=-120, central_gravity=0.05, spring_length=60,
                           spring_strength=0.05, damping=0.4, overlap=0.6)
    nodes, edges, _, _, _, options = net.get_network_data()
    for node in nodes:  # pyvis labels every node (with its id when not told otherwise)
        if node["id"] not in labelled:
            node.pop("label", None)
    return {"nodes": nodes, "edges": edges, "options": _options(json.loads(options))}


def _options(options: dict) -> dict:
    """Settle the layout before anything is drawn, the same way each time; the page turns
    the physics off once it has settled, so a big selection never keeps the tab busy."""
    options["physics"]["stabilization"] = {"enabled": True, "iterations": 200,
                                           "updateInterval": 50, "fit": True}
    options["layout"] = {"randomSeed": 7, "improvedLayout": False}  # vis: too slow above 100
    options["edges"]["smooth"] = False  # curved ties would add a hidden node each to settle
    options["interaction"] = {**options.get("interaction", {}), "hover": True,
                              "tooltipDelay": 150, "keyboard": {"enabled": True},
                              "navigationButtons": False}
    options["nodes"] = {"font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}}
    return options


def vis_asset(name: str) -> Path:
    """The file of vis-network that pyvis bundles: ``vis-network.min.js`` or ``.css``."""
    import pyvis

    if name not in ("vis-network.min.js", "vis-network.css"):
        raise FileNotFoundError(name)
    return Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}" / name
