"""The overview page as a regional lead reads it: one figure per column, the date in force,
all-time figures said to be so, areas that are links with their value, fixed colours."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from graphsvc.web.measures import MEASURES
from tests.conftest import ADMIN, make_app, sign_in

COUNTS = [key for key, m in MEASURES.items() if m.scale.whole]


def _table(page: str, table_id: str):
    return lxml_html.fromstring(page).get_element_by_id(table_id)


def test_the_table_shows_every_figure_once(client):
    page = client.get("/?metric=people").get_data(as_text=True)
    table = _table(page, "borough-table")
    headings = [th.get("title") for th in table.xpath("thead/tr/th")[1:]]
    assert headings == [m.label for m in MEASURES.values()]  # each once, the index included
    chosen = table.xpath("thead/tr/th[contains(@class, 'chosen')]")
    assert [th.get("title") for th in chosen] == ["People taking part"]
    assert len(table.xpath("tbody/tr")) == 10


def test_counts_are_whole_numbers_with_thousands_separated(client):
    page = client.get("/?window=all").get_data(as_text=True)
    table = _table(page, "borough-table")
    columns = [m.label for m in MEASURES.values()]
    for row in table.xpath("tbody/tr"):
        cells = dict(zip(columns, (td.text_content() for td in row.xpath("td"))))
        for key in COUNTS:
            assert re.fullmatch(r"\d{1,3}(,\d{3})*|–", cells[MEASURES[key].label]), cells
    assert MEASURES["people"].show(12345.0) == "12,345"
    assert MEASURES["sessions"].show(None) == "–"
    trend = _table(page, "trend-table").xpath("tbody/tr/td")
    assert any("," in td.text_content() for td in trend)  # the demo's new ties run to 2,606
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*", td.text_content()) for td in trend)


def test_the_as_of_field_shows_the_date_in_force(client):
    page = client.get("/").get_data(as_text=True)
    in_force = client.get("/api/overview").get_json()["as_of"]
    field = lxml_html.fromstring(page).get_element_by_id("as_of")
    assert field.get("value") == in_force == "2019-12-19"  # the demo's last session
    page = client.get("/?as_of=2018-06-30").get_data(as_text=True)
    assert lxml_html.fromstring(page).get_element_by_id("as_of").get("value") == "2018-06-30"


def test_headline_figures_say_they_are_all_time_and_the_map_its_window(client):
    tree = lxml_html.fromstring(client.get("/?window=12").get_data(as_text=True))
    headline = tree.xpath("//ul[@class='headline']")[0]
    assert headline.get("aria-label") == "All-time totals"
    assert headline.getprevious().getprevious().text_content() == "All time"
    assert "over the last 12 months" in tree.get_element_by_id("map-legend").text_content()
    assert "the last 8 quarters to 19 December 2019" in tree.xpath("//table[@id='trend-table']"
                                                              "/caption")[0].text_content()


def test_withheld_figures_are_dashes_on_the_map_and_in_the_table(demo_service, tmp_path):
    app = make_app(demo_service, tmp_path)
    viewer = sign_in(app.test_client(), "viewer")
    query = "metric=people&window=6&as_of=2018-03-31"  # Wigan: 4 people
    data = viewer.get(f"/api/overview?{query}").get_json()
    withheld = [r for r in data["boroughs"] if r["value"] is None]
    assert withheld  # a borough with fewer than five people taking part: suppressed
    tree = lxml_html.fromstring(viewer.get(f"/?{query}").get_data(as_text=True))
    for row in withheld:
        area = tree.xpath(f"//*[@class='borough'][@data-code='{row['code']}']")[0]
        assert area.get("aria-label").endswith(": –")
        cells = tree.xpath(f"//table[@id='borough-table']//tr[th/a='{row['borough']}']"
                           "/td[contains(@class, 'chosen')]")
        assert cells[0].text_content() == "–"


def _sign_in_sheet(folder, people: int) -> object:
    """A sign-in sheet for one session in Wigan, of people from Wigan's organisations only."""
    organisations = [("Orchard Community Hub Wigan", "ochw0"), ("Aspen Foundation Wigan", "afw14"),
                     ("Wigan Riverside Health Services", "wrhs39"), ("Tame Homes Wigan", "thw45"),
                     ("Wigan Oak Charity", "woc53"), ("Bridge Medical Practice Wigan", "bmpw96")]
    rows = ["Name,Email,Organisation,Job title,Postcode,Attending as,Consent to be named,"
            "Session role,Minutes"]
    for i in range(people):
        name, domain = organisations[i % len(organisations)]
        rows.append(f"Wren Tester{i},wren.tester{i}@{domain}.example,{name},Officer,WN3 5GY,"
                    f"Professional,Yes,{'Facilitator' if i == 0 else 'Attendee'},60")
    path = folder / "sign-in-GM peer support - 2019-11-20 - Wigan - Local conversations (990).csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def _fills(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        'svg.borough-map .borough')].map(a => [a.dataset.code,
        getComputedStyle(a.querySelector('path.area')).fill]))""")


@pytest.mark.browser
def test_after_an_import_touching_one_borough_only_its_colour_changes(live_server, page, app,
                                                                      tmp_path):
    query = "as_of=2019-12-31&window=18"
    before = {}
    for metric in MEASURES:
        page.goto(f"{live_server}/?metric={metric}&{query}")
        before[metric] = (_fills(page), page.request.get(
            f"{live_server}/api/overview?metric={metric}&{query}").json())
    app.extensions["graphsvc"].imports.load(ADMIN, [_sign_in_sheet(tmp_path, 30)])
    changed = set()
    for metric in MEASURES:
        page.goto(f"{live_server}/?metric={metric}&{query}")
        fills = _fills(page)
        data = page.request.get(f"{live_server}/api/overview?metric={metric}&{query}").json()
        old_fills, old_data = before[metric]
        old = {r["code"]: r["value"] for r in old_data["boroughs"]}
        for row in data["boroughs"]:
            if row["value"] == old[row["code"]]:
                assert fills[row["code"]] == old_fills[row["code"]], (metric, row["borough"])
            elif fills[row["code"]] != old_fills[row["code"]]:
                changed.add((metric, row["borough"]))
        if metric in COUNTS:  # the file's people, sessions and organisations are Wigan's
            assert [r["borough"] for r in data["boroughs"]
                    if r["value"] != old[r["code"]]] == ["Wigan"], metric
    assert ("people", "Wigan") in changed  # 18 people become 48: a class up
    assert page.watch.console_errors == []


@pytest.mark.browser
def test_each_area_is_a_link_the_keyboard_reaches_with_its_value(live_server, page):
    page.goto(live_server + "/?metric=people")
    data = page.request.get(live_server + "/api/overview?metric=people").json()
    expected = {r["borough"]: r["shown"] for r in data["boroughs"]}
    reached = {}
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return e.matches('svg .borough') ? [e.getAttribute('aria-label'),
            e.getAttribute('href')] : null; }""")
        if focused:
            reached[focused[0]] = focused[1]
    assert reached == {f"{b}, People taking part: {v}": f"/boroughs/{b}"
                       for b, v in expected.items()}
    labels = page.locator("svg.borough-map g.labels text").all_text_contents()
    assert sorted(labels) == sorted(f"{b}{v}" for b, v in expected.items())
    page.locator("svg.borough-map a.borough[href='/boroughs/Wigan']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/boroughs/Wigan")
    assert page.locator("h1").inner_text() == "Wigan"


@pytest.mark.browser
def test_the_table_sorts_by_any_column(live_server, page):
    page.goto(live_server + "/?window=all")
    table = page.locator("#borough-table")

    def column(n: int) -> list[str]:
        return table.locator(f"tbody tr > :nth-child({n})").all_text_contents()

    people = list(MEASURES).index("people") + 2
    heading = table.locator(f"thead th:nth-child({people})")
    heading.locator("button").click()
    values = [int(v.replace(",", "")) for v in column(people)]
    assert values == sorted(values) and heading.get_attribute("aria-sort") == "ascending"
    heading.locator("button").press("Enter")  # the keyboard sorts too
    values = [int(v.replace(",", "")) for v in column(people)]
    assert values == sorted(values, reverse=True)
    assert heading.get_attribute("aria-sort") == "descending"
    table.locator("thead th:nth-child(1) button").click()
    assert column(1) == sorted(column(1))
    assert heading.get_attribute("aria-sort") is None
