"""The network explorer: pyvis data drawn by the app's own vis-network, filters, ego view,
the table beside it, and names that stay text however hostile; a search that centres and
rings a node, tooltips, names on the largest nodes, a colour per sector, a paged table, and a
layout that settles before it is drawn."""

from __future__ import annotations

import io

import pytest
from markupsafe import escape

from graphsvc.model import Batch, Organisation

HOSTILE = "<img src=x onerror=alert(1)>"


def test_the_api_and_page_agree(client):
    data = client.get("/api/network?borough=Bolton&window=all").get_json()
    assert data["ok"] and data["nodes"] and all(n["borough"] == "Bolton" for n in data["nodes"])
    html = client.get("/network?borough=Bolton&window=all").get_data(as_text=True)
    assert html.count("data-node=") == len(data["nodes"])
    csv_text = client.get("/network.csv?borough=Bolton&window=all").get_data(as_text=True)
    assert len(csv_text.strip().splitlines()) == len(data["nodes"]) + 1


def test_the_page_loads_nothing_from_other_hosts(client):
    html = client.get("/network").get_data(as_text=True)
    for marker in ("http://", "https://", "//cdn", "cdnjs", "jsdelivr", "unpkg", "bootstrap"):
        assert marker not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), marker
    script = client.get("/vendor/vis-network.min.js")
    assert script.status_code == 200 and b"vis" in script.data[:2000]
    assert client.get("/vendor/../../etc/passwd").status_code == 404
    assert client.get("/vendor/other.js").status_code == 404


def renamed(service, organisation, name: str) -> None:
    """Give an organisation a new name, by a word stronger than its register's."""
    service.store.apply(Batch(organisations=[Organisation(organisation.id, name)],
                              default_stamp="9" + "9999-12-31"))


def hostile_first_organisation(service) -> str:
    """The id of the organisation network's first node, now named :data:`HOSTILE`."""
    org = service.data.network("organisations").node_ids[0]
    renamed(service, next(o for o in service.store.organisations() if o.id == org), HOSTILE)
    return org


def test_a_hostile_name_is_escaped_in_the_page(client, demo_service):
    org = hostile_first_organisation(demo_service)
    html = client.get("/network?limit=1000").get_data(as_text=True)
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "\\u003cimg" in html


@pytest.mark.browser
def test_the_network_in_chromium(live_server, page, demo_service):
    from PIL import Image

    org = hostile_first_organisation(demo_service)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server + "/network")
    page.wait_for_selector("#network[data-ready=yes]", timeout=60_000)
    picture = Image.open(io.BytesIO(page.locator("#network").screenshot())).convert("RGB")
    assert len(picture.getcolors(maxcolors=1 << 16) or []) > 10  # drawn, not blank
    page.evaluate("id => window.graphsvcNetwork.show(id)", org)
    assert page.locator("#details h2").inner_text() == HOSTILE
    assert page.locator("img[src=x]").count() == 0 and dialogs == []
    # the ego view from the table
    page.goto(live_server + f"/network?ego={org}&depth=1")
    page.wait_for_selector("#network[data-ready=yes]", timeout=60_000)
    assert page.locator("#node-table tbody tr").count() >= 2
    assert page.watch.console_errors == [] and page.watch.failed == []
    assert page.watch.hosts == {"127.0.0.1"}


# -- finding on the map: search, tooltips, labels, colours, paging, settling ------------------
SETTLED = "#network[data-ready=yes]"


def opened(page, url: str):
    page.goto(url)
    page.wait_for_selector(SETTLED, state="attached", timeout=60_000)
    return page


def node_info(page) -> dict:
    return {n["id"]: n for n in page.evaluate(
        "JSON.parse(document.getElementById('node-info').textContent)")}


@pytest.mark.browser
def test_search_centres_and_highlights_a_node(live_server, page):
    opened(page, live_server + "/network")
    rows = page.locator("#node-table tbody tr[data-row]").evaluate_all(
        "rows => rows.map(r => r.dataset.row)")
    wanted = rows[40]  # on the table's second page, not the biggest node
    name = node_info(page)[wanted]["name"]
    page.fill("#find", name.upper())
    page.press("#find", "Enter")
    network = "window.graphsvcNetwork.network"
    assert page.evaluate(f"{network}.getSelectedNodes()") == [wanted]
    centre = page.evaluate(f"{network}.getViewPosition()")
    there = page.evaluate(f"id => {network}.getPosition(id)", wanted)
    assert abs(centre["x"] - there["x"]) < 1 and abs(centre["y"] - there["y"]) < 1
    assert page.locator("#details h2").inner_text() == name
    row = page.locator(f'#node-table tr[data-row="{wanted}"]')
    assert row.is_visible() and "found" in row.get_attribute("class")
    assert name in page.locator("#find-status").inner_text()
    page.fill("#find", "no such organisation anywhere")
    page.press("#find", "Enter")
    assert "No one called" in page.locator("#find-status").inner_text()
    assert page.watch.console_errors == [] and page.watch.hosts == {"127.0.0.1"}


@pytest.mark.browser
def test_the_node_table_is_paged(live_server, page):
    opened(page, live_server + "/network")
    size = int(page.locator("#node-table").get_attribute("data-page-rows"))
    rows = page.locator("#node-table tbody tr[data-row]")
    order = rows.evaluate_all("rows => rows.map(r => r.dataset.row)")
    assert len(order) > 2 * size

    def shown():
        return rows.evaluate_all("rows => rows.filter(r => !r.hidden).map(r => r.dataset.row)")
    assert shown() == order[:size]
    assert page.locator("#node-pager [data-step='-1']").is_disabled()
    page.click("#node-pager [data-step='1']")
    assert shown() == order[size:2 * size]
    assert page.locator("#pager-status").inner_text().startswith(f"Rows {size + 1} to {2 * size}")
    assert page.evaluate("document.documentElement.scrollHeight") < 6000
    assert page.watch.console_errors == []


@pytest.mark.browser
def test_every_sector_has_its_own_colour_on_the_map_and_in_the_legend(live_server, page):
    opened(page, live_server + "/network?window=all")
    info = node_info(page)
    drawn = page.evaluate("window.graphsvcNetwork.network.body.data.nodes.get()"
                          ".map(n => [n.id, n.color.background])")
    colours: dict[str, set] = {}
    for node, colour in drawn:
        colours.setdefault(info[node]["sector"], set()).add(colour)
    grey = colours.pop("", set())
    assert all(len(c) == 1 for c in colours.values()), colours
    assert len({c for cs in colours.values() for c in cs}) == len(colours) >= 10
    assert grey <= {"#BBBBBB"} and not any("#BBBBBB" in c for c in colours.values())
    legend = dict(page.locator("ul.legend.sectors li:not(.unknown)").evaluate_all(
        "items => items.map(li => [li.textContent.trim(), li.querySelector('rect')"
        ".getAttribute('fill')])"))
    assert all(legend[sector] in c for sector, c in colours.items())
    assert "Grey" in page.locator("#grey-legend").inner_text()
    assert page.watch.console_errors == []


# wraps vis.Network as the page's script makes it, to log what it does from the first moment
RECORD_DRAWING = """
(() => {
  window.drawingLog = [];
  let Original;
  const holder = {};
  Object.defineProperty(holder, "Network", {configurable: true, enumerable: true,
    set(value) { Original = value; },
    get() { return function (...args) {
      const made = new Original(...args);
      made.on("afterDrawing", () => window.drawingLog.push("drawn"));
      made.on("stabilizationIterationsDone", () => window.drawingLog.push("settled"));
      return made;
    }; }});
  window.vis = holder;
})();
"""


@pytest.mark.browser
def test_the_layout_settles_before_it_is_drawn_then_stays_still(live_server, page):
    page.add_init_script(RECORD_DRAWING)
    opened(page, live_server + "/network")
    log = page.evaluate("window.drawingLog")
    assert log[:1] == ["settled"] and "drawn" in log
    assert page.evaluate("window.graphsvcNetwork.network.physics.physicsEnabled") is False
    assert page.locator("#network-status").is_hidden()
    assert page.watch.console_errors == []


@pytest.mark.browser
def test_hovering_a_node_shows_who_it_is_as_text(live_server, page, demo_service):
    org = hostile_first_organisation(demo_service)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened(page, live_server + f"/network?ego={org}")
    page.locator("#network").scroll_into_view_if_needed()
    x, y = page.evaluate("""id => { const n = window.graphsvcNetwork.network;
        const p = n.canvasToDOM(n.getPosition(id));
        const r = document.getElementById('network').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""", org)
    page.mouse.move(x, y)
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible")
    node = node_info(page)[org]
    assert tip.inner_text().splitlines() == [HOSTILE, f"{node['sector']}, {node['borough']}"]
    assert page.locator("img[src=x]").count() == 0 and dialogs == []
    assert page.locator("#ego-heading").inner_text() == f"Around {HOSTILE}"
    assert page.watch.console_errors == []


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour such as ``#CC3311``."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    rgb = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
    xyz = [sum(m * c for m, c in zip(row, rgb)) / white for row, white in zip(
        ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505)),
        (0.95047, 1.0, 1.08883))]
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_the_palette_gives_every_sector_its_own_colour_far_from_grey(demo_service):
    import csv
    import itertools
    import math

    from graphsvc.resources import demo_dir
    from viz.interactive import UNKNOWN, sector_colours

    with open(demo_dir().parent / "sectors.csv", newline="", encoding="utf-8") as f:
        sectors = [row["name"] for row in csv.DictReader(f)]
    colours = sector_colours(sectors)
    assert sorted(colours) == sorted(sectors)
    assert len(set(colours.values()) | {UNKNOWN}) == len(sectors) + 1
    closest = min(math.dist(lab(a), lab(b)) for a, b in itertools.combinations(
        [*colours.values(), UNKNOWN], 2))
    assert closest > 20  # CIE76: clearly different side by side
    many = sector_colours([f"Sector {i}" for i in range(80)])
    assert len(set(many.values()) | {UNKNOWN}) == 81


def test_only_the_largest_nodes_are_named_on_the_picture(demo_service):
    from graphsvc.analyses.explore import explore
    from viz.interactive import LABELLED, vis_data

    view = explore(demo_service.data.network("organisations"), "organisations")
    drawn = vis_data(view, sorted(s.name for s in demo_service.store.sectors()))
    labelled = {n["id"] for n in drawn["nodes"] if n.get("label")}
    largest = sorted(view.nodes, key=lambda n: -n["size"])[:LABELLED]
    assert labelled == {n["id"] for n in largest}
    assert drawn["options"]["physics"]["stabilization"]["enabled"] is True


def test_an_ego_view_is_headed_by_its_centre(client, demo_service):
    org = demo_service.data.network("organisations").node_ids[3]
    name = next(o.name for o in demo_service.store.organisations() if o.id == org)
    html = client.get(f"/network?ego={org}").get_data(as_text=True)
    assert f'<h1 id="ego-heading">Around {escape(name)}</h1>' in html
