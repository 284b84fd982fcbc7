"""What a new partnership sees first: a database with nothing loaded, then only a register,
then one small attendance sheet, or a real meeting export that names no organisation. Every
page and its API twin says what is true (nothing is loaded yet, and where to import it), never
an error about the request."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphsvc.errors import NothingLoaded
from graphsvc.resources import demo_dir
from loaders import SessionDefaults
from tests.conftest import ADMIN, build, make_app, sign_in

# each page built from attendance, and its JSON twin
PAGES = {
    "/": "/api/overview",
    "/network": "/api/network",
    "/network?network=people": "/api/network?network=people",
    "/brokers": "/api/brokers",
    "/gaps": "/api/gaps",
    "/communities": "/api/communities",
    "/boroughs/Wigan": "/api/boroughs/Wigan",
    "/bridges?a_sector=Housing&b_sector=Charity": "/api/bridges?a_sector=Housing&b_sector=Charity",
}
# each download built from attendance: a spreadsheet or a script gets a line of text, not a page
DOWNLOADS = ["/overview.csv", "/network.csv", "/network.csv?network=people", "/brokers.csv",
             "/gaps.csv", "/bridges.csv?a_sector=Housing&b_sector=Charity"]

SHEET = """Date,Session,Community,Place,Name,Email,Organisation,Job title,Consent to be named,Minutes
2026-10-14,Peer support catch-up,Peer support,Wigan,Asha Patel,asha@peers.example,Wigan Peer Network,Coordinator,Yes,60
2026-10-14,Peer support catch-up,Peer support,Wigan,Ben Hughes,ben@wwl.example,Wigan Hospital,Nurse,Yes,60
2026-10-14,Peer support catch-up,Peer support,Wigan,Cara Doyle,cara@council.example,Wigan Council,Social worker,No,45
"""


def _app(tmp_path: Path, files: list[Path] = (), **options):
    service = build(tmp_path / "graphsvc.db")
    if files:
        service.imports.load(ADMIN, list(files), **options)
    app = make_app(service, tmp_path / "accounts")
    service.close()
    return app


@pytest.fixture
def empty_app(tmp_path):
    return _app(tmp_path)


@pytest.fixture
def register_app(tmp_path):
    return _app(tmp_path, [demo_dir() / "organisations.csv"])


@pytest.fixture
def sheet_app(tmp_path):
    sheet = tmp_path / "attendance-log.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    return _app(tmp_path, [sheet])


@pytest.fixture
def meet_app(tmp_path):
    """A Google Meet attendance export someone else published (tests/fixtures/real): ten
    people, no organisation, sector or place."""
    meet = Path(__file__).parents[1] / "fixtures" / "real" / "meet_attendance_extension_2020.csv"
    return _app(tmp_path, [meet], defaults=SessionDefaults(community="Peer support"))


def test_an_analysis_of_an_empty_store_says_nothing_is_loaded(service):
    with pytest.raises(NothingLoaded, match="no attendance has been loaded"):
        service.analyses.compute("strength")


@pytest.mark.parametrize("who", ["admin", "viewer"])
def test_every_page_of_an_empty_database_says_nothing_is_loaded_yet(empty_app, who):
    client = sign_in(empty_app.test_client(), who)
    for page, api in PAGES.items():
        response = client.get(page)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (page, html)
        assert 'id="nothing-loaded"' in html and "No attendance has been loaded yet" in html, page
        assert "unknown node attribute" not in html and "Please check" not in html, page
        # admins are told where to import; others, who does it
        assert ('href="/imports/new"' in html) == (who == "admin"), page
        answer = client.get(api)
        assert answer.status_code == 409, api
        body = answer.get_json()
        assert body["ok"] is False and body["status"] == 409 and body["errors"] == [], api
        assert body["error"].startswith("nothing to analyse yet: no attendance has been loaded")


def test_every_download_of_an_empty_database_says_so_in_plain_text(empty_app):
    client = sign_in(empty_app.test_client(), "viewer")
    routes = {rule.rule for rule in empty_app.url_map.iter_rules()
              if rule.rule.endswith(".csv") and "/exports/" not in rule.rule}  # admins' exports
    assert routes == {download.split("?")[0] for download in DOWNLOADS}
    for download in DOWNLOADS:
        answer = client.get(download)
        assert answer.status_code == 409 and answer.mimetype == "text/plain", download
        assert answer.get_data(as_text=True).startswith(
            "nothing to analyse yet: no attendance has been loaded"), download


def test_a_register_alone_is_counted_but_nothing_is_analysed(register_app):
    client = sign_in(register_app.test_client(), "viewer")
    registered = sum(1 for _ in open(demo_dir() / "organisations.csv", encoding="utf-8")) - 1
    for page in PAGES:
        html = client.get(page).get_data(as_text=True)
        assert 'id="nothing-loaded"' in html, page
        assert f"So far the data holds {registered} organisations" in html, page
    assert client.get("/api/overview").status_code == 409


def test_one_small_sheet_is_analysed(sheet_app):
    client = sign_in(sheet_app.test_client(), "viewer")
    for page, api in PAGES.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert 'id="nothing-loaded"' not in response.get_data(as_text=True), page
        assert client.get(api).status_code == 200, api
    for download in DOWNLOADS:
        answer = client.get(download)
        assert answer.status_code == 200 and answer.mimetype == "text/csv", download


def test_a_sheet_of_three_people_says_how_many_to_no_viewer(sheet_app):
    """Three people are a count under five wherever it is shown. Before, the totals, the
    people brokers (three rows, "not named"), the brokers' network size and the community's
    new ties that quarter (3 of 3 people) each said three while the community's members
    were withheld."""
    admin, viewer = (sign_in(sheet_app.test_client(), who) for who in ("admin", "viewer"))
    stats = admin.get("/api/stats").get_json()
    assert stats["counts"]["people"] == 3 and stats["ties"]["people"] == 3
    seen = viewer.get("/api/stats").get_json()
    assert seen["counts"]["people"] is seen["counts"]["attendance"] is None
    assert seen["ties"]["people"] is None and seen["counts"]["sessions"] == 1
    brokers = viewer.get("/api/brokers?network=people").get_json()
    assert brokers["nodes"] == [] and brokers["nodes_in_network"] is None
    assert brokers["active_ties"] is None
    assert len(admin.get("/api/brokers?network=people").get_json()["nodes"]) == 3
    quarters = [q for c in viewer.get("/api/communities").get_json()["health"]["communities"]
                for q in c["quarters"]]
    assert quarters and all(q["people"] is None and q["new_person_ties"] is None
                            for q in quarters)
    for page in ("/brokers?network=people", "/network?network=people"):
        html = viewer.get(page).get_data(as_text=True)
        assert 'id="too-few"' in html and "Fewer than 5 people" in html, page
        assert "(not named)" not in html and "No people" not in html, page
    html = viewer.get("/").get_data(as_text=True)
    assert 'data-count="people">–<' in html and "No attendance yet" not in html


def test_a_meeting_export_without_organisations_is_analysed(meet_app):
    """Before, every analysis of it failed: with no organisation held, the organisation
    network had no attributes at all, and the pages said "unknown node attribute"."""
    client = sign_in(meet_app.test_client(), "viewer")
    for page, api in {**PAGES, "/communities?network=people": "/api/communities?network=people",
                      "/brokers?network=people": "/api/brokers?network=people"}.items():
        response = client.get(page)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (page, html)
        assert "unknown node attribute" not in html and 'id="nothing-loaded"' not in html, page
        answer = client.get(api)
        assert answer.status_code == 200, (api, answer.get_data(as_text=True))
    communities = client.get("/api/communities?network=people").get_json()
    health = {c["community"]: c["members"] for c in communities["health"]["communities"]}
    assert health == {"Peer support": 10}
    for download in DOWNLOADS:
        answer = client.get(download)
        assert answer.status_code == 200 and answer.mimetype == "text/csv", download


@pytest.fixture
def app(empty_app):
    """The live server's app (tests/web/conftest.py): an empty database."""
    return empty_app


@pytest.mark.browser
@pytest.mark.parametrize("width", [1440, 390])
def test_the_empty_overview_in_chromium(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/")
    assert page.locator("#nothing-loaded").is_visible()
    assert page.locator("h1").inner_text() == "Nothing to show yet"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#nothing-loaded a", has_text="Import files").click()
    page.wait_for_url(live_server + "/imports/new")
    assert page.watch.console_errors == [] and page.watch.hosts == {"127.0.0.1"}


def test_a_borough_that_only_holds_sessions_has_a_trend(tmp_path):
    """With no register, no organisation is based anywhere; the one session of the sheet was
    held in Wigan, and the quarter-by-quarter panel says so as the borough table does."""
    sheet = tmp_path / "attendance-log.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    service = build(tmp_path / "graphsvc.db")
    service.imports.load(ADMIN, [sheet])
    trend = service.analyses.compute("strength")["trend"]["boroughs"]
    assert sum(q["sessions_held"] for q in trend["Wigan"]) == 1
    assert sum(q["sessions_held"] for b in trend.values() for q in b) == 1
    # nobody is based there (it said "nobody taking part" of the borough the session was in)
    why = {row["borough"]: row["why"] for row in service.analyses.compute("strength")["boroughs"]}
    assert why["Wigan"].startswith("Wigan held 1 session in this window, but no one taking "
                                   "part is known to be based here")
    assert why["Bolton"] == "Bolton had nobody taking part in this window, so nothing to measure."
    service.close()
