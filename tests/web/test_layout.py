"""Layout in real Chromium: no page scrolls sideways on a phone, for any role that may see it;
the menu folds there; wide tables are whole on a laptop; the overview and borough pages print
on A4."""

from __future__ import annotations

import re

import pytest

from graphsvc.accounts import ROLES
from graphsvc.web.routes import REGISTERED
from tests.web.conftest import browser_sign_in, open_page

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
# every page, by endpoint; a person's page is found at run time (one the facilitator may name)
PAGES = {
    "overview.index": "/", "network.network_page": "/network",
    "analyses.brokers_page": "/brokers", "analyses.gaps_page": "/gaps",
    "analyses.bridges_page": "/bridges?a=Housing&b=Faith+group",
    "analyses.introductions_page": "/introductions",
    "analyses.communities_page": "/communities", "imports.imports_page": "/imports",
    "imports.review_page": "/review", "profiles.borough_page": "/boroughs/Manchester",
    "profiles.organisation_page": "/organisations/org:manchester-canal-trust",
    "profiles.person_page": None, "exports.exports_page": "/exports",
    "uploads.upload_form": "/imports/new", "auth.account": "/account",
    "admin.users_page": "/admin/users", "admin.audit_page": "/admin/audit",
    "admin.forget_page": "/admin/forget?person=nobody@nowhere.example", "auth.login": "/login",
}
# what a GET returns that is not a page: data, downloads, the explorer's scripts
NOT_PAGES = {"overview.overview_csv", "analyses.brokers_csv", "analyses.gaps_csv",
             "analyses.bridges_csv", "network.network_csv", "network.vendor",
             "exports.download", "exports.attendance"}
# sideways overflow, and what sticks out: the deepest elements past the right edge that no
# scrolling box of their own contains
OVERFLOW = """() => { const width = window.innerWidth, out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.getBoundingClientRect().right <= width + 1) continue;
    let boxed = false;
    for (let a = e.parentElement; a && !boxed; a = a.parentElement)
      boxed = getComputedStyle(a).overflowX !== 'visible';
    if (!boxed && ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
      out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''));
  }
  return [document.documentElement.scrollWidth, width, out.slice(0, 5)]; }"""


def test_every_page_is_listed():
    from graphsvc.web import blueprints

    blueprints()  # importing them registers their routes
    gets = {e for e, r in REGISTERED.items() if "GET" in r.methods and not
            r.rule.startswith("/api/")}
    assert gets == set(PAGES) | NOT_PAGES


def _pages_for(role: str | None) -> list[str]:
    least = {e: REGISTERED[e].role for e in PAGES}
    if role is None:
        return [e for e, r in least.items() if r is None]
    return [e for e, r in least.items() if r is not None and
            ROLES.index(r) <= ROLES.index(role)]


def _person_page(page, base: str) -> str:
    """The page of the first person this user may name."""
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        people = page.request.get(f"{base}/api/people?q={letter}&limit=1").json()["people"]
        if people:
            return "/people/" + people[0]["id"]
    raise AssertionError("this user may name nobody")


def _overflowing(page, base: str, role: str | None) -> list:
    found = []
    for endpoint in _pages_for(role):
        path = PAGES[endpoint] or _person_page(page, base)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() == 1, path
        scroll_width, width, culprits = page.evaluate(OVERFLOW)
        if scroll_width > width:
            found.append((path, scroll_width, culprits))
    return found


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_page_scrolls_sideways_on_a_phone(live_server, browser, role):
    context, page = open_page(browser, viewport=PHONE)
    if role is not None:
        browser_sign_in(page, live_server, role)
    assert _overflowing(page, live_server, role) == []
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_every_page_passes_axe_on_a_phone(live_server, axe_page):
    """Tables that scroll in their own box must be reachable from the keyboard, and so on."""
    from tests.web.conftest import serious_violations

    axe_page.set_viewport_size(PHONE)
    found = {}
    for endpoint in _pages_for("admin"):
        path = PAGES[endpoint] or _person_page(axe_page, live_server)
        axe_page.goto(live_server + path)
        axe_page.wait_for_load_state("networkidle")
        found[path] = serious_violations(axe_page)
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.browser
def test_the_import_preview_fits_a_phone(live_server, browser, tmp_path):
    from tests.web.test_overview_page import _sign_in_sheet

    context, page = open_page(browser, live_server, viewport=PHONE)
    page.goto(live_server + "/imports/new")
    page.set_input_files("#files", str(_sign_in_sheet(tmp_path, 6)))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Preview" in page.locator("h1").inner_text()
    scroll_width, width, culprits = page.evaluate(OVERFLOW)
    assert scroll_width <= width, culprits
    context.close()


@pytest.mark.browser
def test_the_menu_folds_behind_a_button_on_a_phone(live_server, browser):
    context, page = open_page(browser, live_server, viewport=PHONE)
    toggle, brokers = page.locator(".menu-toggle"), page.locator("nav.site >> text=Brokers")
    assert toggle.is_visible() and not brokers.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert brokers.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    brokers.click()
    page.wait_for_url("**/brokers")
    assert page.locator("nav.site [aria-current=page]").inner_text() == "Brokers"
    page.set_viewport_size(LAPTOP)  # on a laptop the menu is simply there
    assert not page.locator(".menu-toggle").is_visible()
    assert page.locator("nav.site >> text=Gaps").is_visible()
    context.close()


@pytest.mark.browser
def test_brokers_shows_every_column_on_a_laptop(live_server, browser):
    context, page = open_page(browser, live_server, viewport=LAPTOP)
    page.goto(live_server + "/brokers")
    page.wait_for_load_state("networkidle")
    table = page.locator("#brokers-table")
    box = table.evaluate("t => { const s = t.closest('.scroll') || t; "
                         "return [s.scrollWidth, s.clientWidth]; }")
    assert box[0] <= box[1]
    for heading in table.locator("thead th").all():
        right = heading.evaluate("th => th.getBoundingClientRect().right")
        assert heading.is_visible() and right <= LAPTOP["width"], heading.inner_text()
    context.close()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.browser
@pytest.mark.parametrize("path, most", [("/", 2), ("/boroughs/Manchester", 2),
                                        ("/boroughs/Wigan", 2)])
def test_overview_and_borough_pages_print_on_a4(live_server, browser, path, most):
    context, page = open_page(browser, live_server)
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    pages = _pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert 1 <= pages <= most, pages
    # and nothing is cut off at the side: the width of A4 less the margins, at 96 dpi
    page.emulate_media(media="print")
    page.set_viewport_size({"width": round((210 - 24) / 25.4 * 96), "height": 1000})
    scroll_width, width, culprits = page.evaluate(OVERFLOW)
    assert scroll_width <= width, culprits
    assert page.locator("form.controls").is_hidden() and page.locator("h1").is_visible()
    context.close()


@pytest.mark.browser
def test_a_persons_ties_fit_a_phone(live_server, browser):
    """The ties table is as wide as the phone (cards), not wider, however long its cells: it
    does not even need to scroll in its own box."""
    context, page = open_page(browser, viewport=PHONE)
    browser_sign_in(page, live_server, "facilitator")
    page.goto(live_server + _person_page(page, live_server))
    page.wait_for_load_state("networkidle")
    table = page.locator("#ties")
    assert table.count() == 1
    right, inside, box = table.evaluate(
        "t => [t.getBoundingClientRect().right, t.scrollWidth, t.clientWidth]")
    assert right <= PHONE["width"] and inside <= box, (right, inside, box)
    context.close()
