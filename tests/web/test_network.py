"""The network explorer: pyvis data drawn by the app's own vis-network, filters, ego view,
the table beside it, and names that stay text however hostile."""

from __future__ import annotations

import io

import pytest

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


def test_a_hostile_name_is_escaped_in_the_page(client, demo_service):
    org = demo_service.data.network("organisations").node_ids[0]
    known = next(o for o in demo_service.store.organisations() if o.id == org)
    renamed(demo_service, known, HOSTILE)
    html = client.get("/network?limit=1000").get_data(as_text=True)
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "\\u003cimg" in html


@pytest.mark.browser
def test_the_network_in_chromium(live_server, page, demo_service):
    from PIL import Image

    org = demo_service.data.network("organisations").node_ids[0]
    known = next(o for o in demo_service.store.organisations() if o.id == org)
    renamed(demo_service, known, HOSTILE)
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
