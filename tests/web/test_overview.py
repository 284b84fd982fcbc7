"""The overview: a map of the boroughs by a chosen figure, with its table, JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from graphsvc.web.overview import METRICS
from tests.conftest import GEO, make_app, sign_in


def test_json_twin_gives_each_boroughs_figure(client, demo_service):
    for metric in METRICS:
        data = client.get(f"/api/overview?metric={metric}&window=all").get_json()
        assert data["ok"] and data["metric"] == metric and len(data["boroughs"]) == 10
    data = client.get("/api/overview?metric=sessions&window=all").get_json()
    held = {}
    boroughs = {p.id: p.name for p in demo_service.store.places() if p.kind == "borough"}
    for session in demo_service.store.sessions():
        if session.place_id in boroughs:
            held[boroughs[session.place_id]] = held.get(boroughs[session.place_id], 0) + 1
    assert {r["borough"]: r["value"] for r in data["boroughs"]} == \
        {b: held.get(b, 0) for b in boroughs.values()}


def test_lived_experience_is_the_share_of_ties_and_withheld_where_few(client, app):
    """The overview's lived-experience figure is the measure the borough's page shows (the
    share of ties with someone with lived experience or a carer at one end), not its 0-1
    score; a viewer sees it withheld exactly where fewer than five such people are behind it."""
    admin = client.get("/api/overview?metric=lived_experience_inclusion").get_json()
    viewer = sign_in(app.test_client(), "viewer").get(
        "/api/overview?metric=lived_experience_inclusion").get_json()
    seen = {r["borough"]: r["value"] for r in viewer["boroughs"]}
    withheld = 0
    for row in admin["boroughs"]:
        page = client.get(f"/api/boroughs/{row['borough']}").get_json()["strength"]
        lived = page["lived_experience"]
        assert row["value"] == lived["share_of_ties"], row["borough"]
        few = 0 < lived["lived_experience_people"] < 5
        withheld += few
        assert (seen[row["borough"]] is None) == few and ("lived_experience_inclusion" in
                                                          page["withheld"]) == few
        if not few:
            assert seen[row["borough"]] == row["value"]
    assert withheld  # the demo has such boroughs: the rule is exercised


def test_the_method_under_the_table_says_how_the_index_is_made(client):
    from graphsvc.analyses.strength_index import COMPONENTS

    html = client.get("/").get_data(as_text=True)
    method = html.split('id="index-method">')[1].split("</p>")[0]
    words = {6: "six", 7: "seven", 8: "eight"}
    assert f"mean of {words[len(COMPONENTS)]} scores" in method
    assert "0 the lowest borough, 1 the highest" in method and "fewer than 5 people" in method
    # as the index is made: a withheld figure scores 0 (strength_index.add_index)
    assert "scores 0" in method and "mean" not in method.split("0 to 1 scale")[1]


def test_the_map_colours_higher_values_darker(client):
    from viz.maps import RAMP

    html = client.get("/?metric=people&window=all").get_data(as_text=True)
    data = client.get("/api/overview?metric=people&window=all").get_json()
    fills = {}
    for row in data["boroughs"]:
        start = html.index(f'data-code="{row["code"]}"')
        fills[row["code"]] = html[html.index('fill="', start) + 6:][:7]
    ranked = sorted(data["boroughs"], key=lambda r: r["value"])
    shades = [RAMP.index(fills[r["code"]]) for r in ranked]
    assert shades == sorted(shades) and shades[0] < shades[-1]
    assert html.count('class="borough"') == 10


def test_csv_matches_the_json(client):
    query = "metric=cross_sector_share&window=12"
    rows = list(csv.DictReader(io.StringIO(client.get(f"/overview.csv?{query}").get_data(
        as_text=True))))
    data = client.get(f"/api/overview?{query}").get_json()
    assert [(r["borough"], float(r["value"])) for r in rows] == \
        [(b["borough"], b["value"]) for b in data["boroughs"]]


def test_the_as_of_date_and_window_reach_the_analysis(client, demo_service):
    from datetime import date

    data = client.get("/api/overview?metric=index&as_of=2018-06-30&window=6").get_json()
    direct = demo_service.analyses.compute("strength", as_of=date(2018, 6, 30), window_months=6)
    assert [b["value"] for b in data["boroughs"]] == [b["index"] for b in direct["boroughs"]]
    assert data["as_of"] == "2018-06-30" and data["window_months"] == 6


@pytest.mark.parametrize("query, column", [("metric=bogus", "metric"),
                                            ("as_of=2019-13-01", "as_of"),
                                            ("window=7", "window")])
def test_bad_parameters_are_a_400_naming_them(client, query, column):
    response = client.get(f"/api/overview?{query}")
    body = response.get_json()
    assert response.status_code == 400 and body["errors"][0]["column"] == column
    page = client.get(f"/?{query}")
    assert page.status_code == 400 and column in page.get_data(as_text=True)


def test_ons_boundaries_are_drawn_with_their_attribution(demo_service, tmp_path):
    app = make_app(demo_service, tmp_path, BOUNDARIES=str(GEO / "gm_wards.geojson"))
    html = sign_in(app.test_client(), "viewer").get("/").get_data(as_text=True)
    assert html.count('class="borough"') == 10 and "Crown copyright" in html


def test_greater_manchesters_boundaries_and_wards_are_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('<a class="borough"') == 10 and html.count('class="wards"') == 10
    assert "Contains National Statistics and OS data © Crown copyright and database right " \
        "2023" in html


def test_the_tiles_when_asked_for(demo_service, tmp_path):
    app = make_app(demo_service, tmp_path, BOUNDARIES="tiles")
    html = sign_in(app.test_client(), "viewer").get("/").get_data(as_text=True)
    assert html.count('<a class="borough"') == 10 and "Crown copyright" not in html
    assert "Tile layout" in html and 'class="wards"' not in html


@pytest.mark.browser
def test_the_map_in_chromium(live_server, page):
    from PIL import Image

    page.goto(live_server + "/?metric=organisations")
    page.wait_for_load_state("networkidle")
    figure = page.locator("figure.map svg.borough-map")
    assert figure.is_visible()
    picture = Image.open(io.BytesIO(figure.screenshot())).convert("RGB")
    colours = {c for _, c in picture.getcolors(maxcolors=1 << 16) or []}
    assert len(colours) > 5  # not a blank region: the classes' fills, edges and labels
    assert page.locator("#borough-table tbody tr").count() == 10
    page.select_option("#metric", "sessions")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "metric=sessions" in page.url
    assert page.locator("#map-title").text_content() == "Sessions held by borough"
    assert page.watch.console_errors == [] and page.watch.failed == []
    assert page.watch.hosts == {"127.0.0.1"}


def test_a_slow_first_overview_shows_progress_then_the_map(demo_service, tmp_path):
    import time

    app = make_app(demo_service, tmp_path, BACKGROUND_ALWAYS=True)
    client = sign_in(app.test_client(), "viewer")
    first = client.get("/?window=12").get_data(as_text=True)
    assert "Working out the figures" in first and 'http-equiv="refresh"' in first
    for _ in range(300):
        page = client.get("/?window=12").get_data(as_text=True)
        if 'class="borough-map"' in page:
            break
        time.sleep(0.1)
    assert 'class="borough-map"' in page and "Working out" not in page


@pytest.mark.browser
def test_the_progress_page_turns_into_the_map_in_chromium(demo_service, browser, tmp_path):
    import threading

    from werkzeug.serving import make_server

    from tests.web.conftest import browser_sign_in

    app = make_app(demo_service, tmp_path, BACKGROUND_ALWAYS=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        browser_sign_in(page, f"http://127.0.0.1:{server.server_port}", "viewer")
        page.goto(f"http://127.0.0.1:{server.server_port}/?window=24")
        assert page.locator("progress").count() == 1
        page.wait_for_selector("svg.borough-map", timeout=60_000)  # the page refreshed itself
        page.close()
    finally:
        server.shutdown()
