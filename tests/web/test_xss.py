"""Stored XSS: hostile names of people and organisations and hostile session titles, brought
in by a real import, stay text on every page that shows them, the network view included.
The browser here ignores the app's Content-Security-Policy, so it is the escaping that is
tested, not the policy that would otherwise block the script."""

from __future__ import annotations

import pytest
from tests.conftest import ADMIN

PERSON = "<img src=x onerror=alert(1)> Ann"
OTHER = "Bo <svg onload=alert(2)>"
ORGANISATION = '"><img src=x onerror=alert(3)> Trust'
TITLE = "<script>alert(4)</script> Monday"


def hostile_sheet(folder):
    path = folder / "hostile-sign-in.csv"
    rows = [("Session", "Date", "Place", "Community", "Name", "Email", "Organisation")]
    for name, email in ((PERSON, "ann@hostile.example"), (OTHER, "bo@hostile.example"),
                        ("Cy Plain", "cy@hostile.example")):
        rows.append((TITLE, "2021-03-01", "Bolton", "Peer support", name, email, ORGANISATION))
    import csv

    with path.open("w", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


@pytest.fixture
def hostile_page(browser, live_server, demo_service, tmp_path):
    from tests.web.conftest import open_page

    demo_service.imports.load(ADMIN, [hostile_sheet(tmp_path)])
    context, page = open_page(browser, live_server, bypass_csp=True)
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def injected(page) -> int:
    return page.evaluate("""() => document.querySelectorAll(
        'img[src="x"], svg[onload], [onerror]').length + [...document.scripts].filter(
        s => !s.type.includes('json') && s.textContent.includes('alert(')).length""")


@pytest.mark.browser
def test_hostile_names_and_titles_stay_text_everywhere(hostile_page, live_server, demo_service):
    page = hostile_page
    people = {p.name: p.id for p in demo_service.store.people()}
    ann, bo = people[PERSON], people[OTHER]
    org = next(o.id for o in demo_service.store.organisations() if o.name == ORGANISATION)
    pages = {
        f"/people/{ann}": PERSON, f"/organisations/{org}": ORGANISATION,
        "/network?network=people&community=Peer+support&window=all": PERSON,
        f"/network?network=people&ego={ann}&window=all": OTHER,
        f"/network?ego={org}&window=all": ORGANISATION,
        f"/introductions?from={ann}&to={bo}&window=all": OTHER,
        "/brokers?network=people&window=all&limit=5000": PERSON,
        "/imports": "hostile-sign-in.csv", f"/people/{bo}": TITLE,
    }
    for path, shown in pages.items():
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        # text_content: the explorer's table is paged, so a row may be on a later page
        assert shown in page.locator("main").text_content(), path
        assert injected(page) == 0 and page.dialogs == [], path
    page.goto(live_server + f"/network?network=people&ego={ann}&window=all")
    page.wait_for_selector("#network[data-ready=yes]", timeout=60_000)
    page.evaluate("id => window.graphsvcNetwork.show(id)", ann)
    assert page.locator("#details h2").inner_text() == PERSON
    assert injected(page) == 0 and page.dialogs == []
    assert page.watch.console_errors == []


@pytest.mark.browser
def test_the_check_would_see_an_injection(hostile_page):
    hostile_page.set_content(f"<main>{PERSON}</main>")
    assert injected(hostile_page) == 1
