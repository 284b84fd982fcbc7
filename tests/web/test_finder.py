"""Finding and introducing, as a facilitator does it: group pickers on bridges, introductions
and gaps offering every known group, alone or combined; results naming where each contact
works with links; a chosen person kept by name; words a reader can use; an empty state on
every table."""

from __future__ import annotations

import csv
import html as markup
import re

import pytest

from graphsvc.resources import demo_dir
from graphsvc.service.audience import nameable_people
from tests.conftest import sign_in
from tests.web.shown import unlisted_keys

FINDING_PAGES = ("/bridges", "/introductions", "/gaps", "/network")
PICKERS = {"/bridges": ("a_", "b_"), "/introductions": ("to_",), "/gaps": ("",),
           "/network": ("",)}


@pytest.fixture
def facilitator(app):
    return sign_in(app.test_client(), "facilitator")


def reference_sectors() -> list[str]:
    """The sectors the project ships (data/sectors.csv), read independently of the service."""
    with open(demo_dir().parent / "sectors.csv", newline="", encoding="utf-8") as f:
        return sorted((row["name"] for row in csv.DictReader(f)), key=str.casefold)


def options(html: str, select_id: str) -> list[str]:
    """The non-blank option values of one select on a page."""
    found = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found, select_id
    return [markup.unescape(v) for v in re.findall(r'<option value="([^"]*)"', found.group(1))
            if v]


def plain(html: str) -> str:
    """A page's text as a reader sees it: no tags, no attributes, no scripts."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return markup.unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_pickers_offer_every_known_sector_borough_and_community(facilitator, demo_service):
    # as a reader looks for them: regardless of case ("National body" before "NHS trust")
    known = {"sector": sorted((s.name for s in demo_service.store.sectors()), key=str.casefold),
             "borough": sorted((p.name for p in demo_service.store.places()
                                if p.kind == "borough"), key=str.casefold),
             "community": sorted((c.name for c in demo_service.store.communities()),
                                 key=str.casefold)}
    assert known["sector"] == reference_sectors() and len(known["borough"]) == 10
    for page, prefixes in PICKERS.items():
        html = facilitator.get(page).get_data(as_text=True)
        for prefix in prefixes:
            for field, names in known.items():
                assert options(html, prefix + field) == names, (page, prefix + field)


def test_groups_combine_sector_borough_and_community(client, demo_service):
    combined = client.get("/api/bridges?a_sector=Housing&a_borough=Manchester"
                          "&b_sector=Faith+group").get_json()
    direct = demo_service.analyses.compute("bridges", a="sector=Housing,borough=Manchester",
                                           b="sector=Faith group")
    assert combined["contacts"] == direct["contacts"] and combined["a"] == {
        "sector": "Housing", "borough": "Manchester"}
    older = client.get("/api/bridges?a=Housing&b=Faith+group").get_json()
    assert older == client.get("/api/bridges?a_sector=Housing&b_sector=Faith+group").get_json()
    gaps = client.get("/api/gaps?sector=Charity&borough=Manchester").get_json()
    assert gaps["matrix"] == demo_service.analyses.compute(
        "gaps", within="sector=Charity,borough=Manchester")["matrix"]
    html = client.get("/bridges?a_sector=Housing&a_borough=Manchester&b_sector=Faith+group")
    assert "Who works with both Housing in Manchester and Faith group" in plain(
        html.get_data(as_text=True))


def test_bridge_contacts_say_where_they_are_with_links(client, demo_service):
    data = client.get("/api/bridges?a_sector=Housing&b_sector=Faith+group").get_json()
    html = client.get("/bridges?a_sector=Housing&b_sector=Faith+group").get_data(as_text=True)
    net = demo_service.data.network("organisations")
    where = {i: (s, b) for i, s, b in zip(net.node_ids, net.attribute("sector"),
                                          net.attribute("borough"))}
    for contact in data["contacts"]:
        assert (contact["sector"], contact["borough"]) == where[contact["id"]]
        assert f'href="/organisations/{contact["id"]}"' in html
        assert f'href="/boroughs/{contact["borough"]}"' in html
        assert f'href="/network?sector={contact["sector"].replace(" ", "+")}"' in html


def test_introductions_reach_a_group_chosen_by_pickers(facilitator, demo_service, app):
    allowed = nameable_people(demo_service.data, app.extensions["accounts"].user("facilitator"))
    source = sorted(allowed)[0]
    by_pickers = facilitator.get(f"/api/introductions?from={source}&to_sector=Housing"
                                 "&window=all").get_json()
    by_text = facilitator.get(f"/api/introductions?from={source}&to=sector=Housing"
                              "&window=all").get_json()
    assert by_pickers["ok"] and by_pickers == by_text
    both = facilitator.get(f"/api/introductions?from={source}&to=Ann&to_sector=Housing")
    assert both.status_code == 400 and "not both" in both.get_json()["error"]
    page = facilitator.get(f"/introductions?from={source}&to_sector=Housing&window=all")
    assert 'value="Housing" selected' in page.get_data(as_text=True)
    assert "to someone in Housing" in plain(page.get_data(as_text=True))


def test_a_chosen_person_stays_shown_by_name(facilitator, demo_service, app):
    allowed = nameable_people(demo_service.data, app.extensions["accounts"].user("facilitator"))
    people = {p.id: p for p in demo_service.store.people()}
    inside = people[sorted(allowed)[0]]
    html = facilitator.get(f"/introductions?from={inside.id}").get_data(as_text=True)
    assert f'id="from" name="from" type="search" value="{markup.escape(inside.name)}"' in html
    assert f'name="from_id" value="{inside.id}"' in html
    kept = facilitator.get(f"/introductions?from={inside.name}&from_id={inside.id}")
    assert f'name="from_id" value="{inside.id}"' in kept.get_data(as_text=True)
    names = {}
    for person_id in allowed:
        names.setdefault(people[person_id].name, []).append(person_id)
    other = next(ids[0] for name, ids in sorted(names.items()) if len(ids) == 1
                 and name != inside.name)  # a name only one person in scope has
    retyped = facilitator.get(f"/introductions?from={people[other].name}&from_id={inside.id}")
    assert f'name="from_id" value="{other}"' in retyped.get_data(as_text=True)
    outside = next(p for p in people.values() if p.consent == "named" and p.id not in allowed)
    hidden = facilitator.get(f"/introductions?from={outside.name}&from_id={outside.id}")
    assert hidden.status_code == 404 and outside.id not in hidden.get_data(as_text=True)


def test_a_person_page_offers_introductions_from_them(facilitator, demo_service, app):
    allowed = nameable_people(demo_service.data, app.extensions["accounts"].user("facilitator"))
    person = sorted(allowed)[0]
    html = facilitator.get(f"/people/{person}").get_data(as_text=True)
    assert f'id="find-introductions" href="/introductions?from={person}"' in html
    org = demo_service.store.organisations()[0].id
    assert "find-introductions" not in facilitator.get(f"/organisations/{org}").get_data(
        as_text=True)


def test_contacts_show_where_they_work_only_as_the_allow_list_lets_them(facilitator):
    for url in ("/api/bridges?network=people&a_sector=Housing&b_sector=Charity&window=all",
                "/api/network?network=people&window=all&limit=2000",  # (by borough: grouped)
                "/api/gaps?window=all"):
        data = facilitator.get(url).get_json()
        assert data["ok"] and unlisted_keys(data) == [], url
        people = [*data.get("contacts", []), *data.get("nodes", []),
                  *(c for gap in data.get("gaps", []) for c in gap["candidate_brokers"])]
        assert any(p["id"].startswith("person:") and p.get("organisation") for p in people)
        assert all(set(p) & {"organisation", "sector", "borough", "name"} == set()
                   for p in people if p["id"].startswith("anon:")), url


READER_PAGES = ("/bridges?a_sector=Housing&b_sector=Faith+group",
                "/bridges?network=people&a_sector=Housing&b_sector=Charity&window=all",
                "/gaps", "/gaps?partition=type", "/network", "/network?network=people")


def test_the_finding_pages_show_no_raw_values(client):
    for url in READER_PAGES:
        text = plain(client.get(url).get_data(as_text=True))
        assert not re.search(r"\b1 (sessions|ties|pairs)\b", text), url
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), url
        assert not re.search(r"\b(person|org|anon):\S", text), url
        assert not re.search(r"\b(constraint|effective size|z-score)\b", text), url
        cells = re.findall(r">\s*([^<>]*?)\s*<", client.get(url).get_data(as_text=True))
        assert not {"vcse", "statutory", "other", "True", "False"} & set(cells), url
        assert "How this is worked out" in text, url


def an_empty_group(demo_service) -> tuple[str, str]:
    """A sector and a borough with no organisation of that sector in that borough."""
    net = demo_service.data.network("organisations")
    there = set(zip(net.attribute("sector"), net.attribute("borough")))
    sectors = sorted(s.name for s in demo_service.store.sectors())
    boroughs = sorted(p.name for p in demo_service.store.places() if p.kind == "borough")
    return next((s, b) for s in sectors for b in boroughs if (s, b) not in there)


def test_every_table_has_an_empty_state(client, demo_service):
    sector, borough = an_empty_group(demo_service)
    nobody = f"sector={sector.replace(' ', '+')}&borough={borough}"
    for url, empty in ((f"/network?{nobody}", ('id="nothing-to-draw"', 'id="no-nodes"')),
                       (f"/gaps?{nobody}", ('id="no-matrix"', 'id="no-gaps"')),
                       (f"/bridges?a_{nobody.replace('&', '&a_')}&b_sector=Charity",
                        ('id="no-bridges"',))):
        html = client.get(url).get_data(as_text=True)
        assert all(marker in html for marker in empty), url


def test_an_empty_group_is_named_as_the_reason_no_one_bridges(client, demo_service):
    """An empty group was not said: the page advised a longer window for a group that has
    no one in it at all."""
    sector, borough = an_empty_group(demo_service)
    a = f"a_sector={sector.replace(' ', '+')}&a_borough={borough}"
    asked = {f"/bridges?{a}&b_sector=Charity&window=all": "Group A (",
             f"/bridges?{a}&b_sector={sector.replace(' ', '+')}&b_borough={borough}":
             "Neither group, A ("}
    for url, said in asked.items():
        html = client.get(url).get_data(as_text=True)
        assert said in html and "so no one can work with both" in html, url
    html = client.get("/bridges?a_sector=Housing&b_sector=Charity&window=all").get_data(
        as_text=True)
    assert "so no one can work with both" not in html


@pytest.mark.browser
def test_the_pickers_offer_every_known_sector_in_chromium(live_server, page):
    sectors = reference_sectors()
    for url, prefixes in PICKERS.items():
        page.goto(live_server + url)
        for prefix in prefixes:
            offered = page.locator(f"#{prefix}sector option").evaluate_all(
                "options => options.map(o => o.value).filter(Boolean)")
            assert offered == sectors, (url, prefix)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + "/bridges")
    # the two groups side by side under the hint, not group A beside it with a gap below
    hint, a, b = (page.locator(selector).bounding_box() for selector in
                  ("form.controls > p.hint", "fieldset:has(#a_sector)",
                   "fieldset:has(#b_sector)"))
    assert hint["y"] + hint["height"] <= a["y"] and abs(a["y"] - b["y"]) < 2 and a["x"] < b["x"]
    page.select_option("#a_sector", "Housing")
    page.select_option("#a_borough", "Manchester")
    page.select_option("#b_sector", "Faith group")
    page.click("main form.controls button[type=submit]")
    page.wait_for_selector("#between")
    assert page.locator("#between").inner_text() == (
        "Who works with both Housing in Manchester and Faith group")
    assert page.watch.console_errors == [] and page.watch.hosts == {"127.0.0.1"}


def facilitator_page(browser, base: str):
    from tests.web.conftest import PageWatch, browser_sign_in

    context = browser.new_context()
    page = context.new_page()
    browser_sign_in(page, base, "facilitator")
    page.watch = PageWatch(page)
    return context, page


@pytest.mark.browser
def test_introductions_from_a_person_page_in_chromium(live_server, browser, app,
                                                       demo_service):
    allowed = nameable_people(demo_service.data, app.extensions["accounts"].user("facilitator"))
    person = next(p for p in demo_service.store.people() if p.id == sorted(allowed)[0])
    context, page = facilitator_page(browser, live_server)
    page.goto(f"{live_server}/people/{person.id}")
    page.click("#find-introductions")
    page.wait_for_selector("#introductions-form")
    assert page.input_value("#from") == person.name
    assert page.input_value("#from_id") == person.id
    page.select_option("#to_sector", "Housing")
    page.select_option("#window", "all")
    page.click("#introductions-form button[type=submit]")
    page.wait_for_selector("#question")
    assert page.locator("#question").inner_text() == f"From {person.name} to someone in Housing"
    assert page.locator("section.path, #no-route").count() >= 1
    assert page.input_value("#from") == person.name  # still shown by name, not by id
    assert page.watch.console_errors == [] and page.watch.hosts == {"127.0.0.1"}
    context.close()


@pytest.mark.browser
def test_a_suggested_person_picked_stays_shown_by_name(live_server, browser, app,
                                                       demo_service):
    allowed = nameable_people(demo_service.data, app.extensions["accounts"].user("facilitator"))
    person = next(p for p in demo_service.store.people() if p.id == sorted(allowed)[-1])
    context, page = facilitator_page(browser, live_server)
    page.goto(live_server + "/introductions")
    page.locator("#to").press_sequentially(person.name, delay=30)
    page.locator(f'#to-people option[value="{person.id}"]').wait_for(state="attached")
    page.fill("#to", person.id)  # what choosing the suggestion puts in the field
    assert page.input_value("#to") == person.name
    assert page.input_value("#to_id") == person.id
    assert page.watch.console_errors == []
    context.close()
