"""The analysis pages: each page's table, its JSON twin and its CSV say the same as the
analysis run directly."""

from __future__ import annotations

import csv
import re
import io

import pytest
from markupsafe import escape



def plain(html: str) -> str:
    """A page's text as a reader sees it: tags gone, entities read."""
    import html as markup
    import re

    return markup.unescape(re.sub(r"<[^>]+>", "", html))


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_brokers_json_csv_and_page_agree(client, demo_service):
    direct = demo_service.analyses.compute("brokers", partition="borough")
    data = client.get("/api/brokers?partition=borough&limit=20").get_json()
    assert [n["id"] for n in data["nodes"]] == [n["id"] for n in direct["nodes"][:20]]
    rows = rows_of(client.get("/brokers.csv?partition=borough&limit=20"))
    assert [r["id"] for r in rows] == [n["id"] for n in data["nodes"]]
    assert float(rows[0]["betweenness"]) == direct["nodes"][0]["betweenness"]
    html = client.get("/brokers?partition=borough&limit=20").get_data(as_text=True)
    assert html.count("ego=org") == 20


def test_gaps_put_faith_groups_and_housing_first_and_filter_by_borough(client, demo_service):
    data = client.get("/api/gaps").get_json()
    top = data["gaps"][0]
    assert {top["a"], top["b"]} == {"Faith group", "Housing"} and top["observed"] == 0
    html = client.get("/gaps").get_data(as_text=True)
    assert html.count('class="num heat-0"') >= 2  # the gap, both ways round
    wigan = client.get("/api/gaps?borough=Wigan").get_json()
    direct = demo_service.analyses.compute("gaps", within="borough=Wigan")
    assert wigan["matrix"]["observed"] == direct["matrix"]["observed"]
    rows = rows_of(client.get("/gaps.csv"))
    assert len(rows) == len(data["gaps"])
    assert rows[0]["why"] == top["why"] and "Faith group" in rows[0]["candidate_brokers"]


def test_each_gap_says_its_shortfall_and_who_could_bridge_it_on_the_page(client):
    data = client.get("/api/gaps").get_json()
    top = data["gaps"][0]
    assert top["why"].startswith("Faith group and Housing: 0 ties where about ")
    assert top["why"].endswith("would be expected if sectors mixed at random")
    html = client.get("/gaps").get_data(as_text=True)
    assert escape(top["why"]) in html
    text = plain(html)
    for contact in top["candidate_brokers"]:
        assert (f"{contact['name']}: works with {contact['ties_to_a']} in Faith group and "
                f"{contact['ties_to_b']} in Housing; could introduce {contact['pairs']} pairs"
                in text)


def test_a_borough_with_few_ties_is_too_few_to_judge_on_the_gaps_page(client):
    data = client.get("/api/gaps?borough=Wigan").get_json()
    assert data["gaps"] == [] and data["too_few_to_judge"]
    assert not any(any(row) for row in data["matrix"]["judged"])
    html = client.get("/gaps?borough=Wigan").get_data(as_text=True)
    assert "too few to judge" in html and 'id="no-gaps"' in html
    cells = len(data["matrix"]["rows"]) * len(data["matrix"]["columns"])
    assert html.count('class="num heat-none too-few"') == cells


def test_bridges_name_contacts_tied_to_both_groups(client, demo_service):
    query = "a=Housing&b=Faith+group"
    data = client.get(f"/api/bridges?{query}").get_json()
    assert data["contacts"]
    net = demo_service.data.network("organisations")
    sector = dict(zip(net.node_ids, net.attribute("sector")))
    pairs = [contact["pairs"] for contact in data["contacts"]]
    assert pairs == sorted(pairs, reverse=True)
    for contact in data["contacts"]:
        assert contact["ties_to_a"] > 0 and contact["ties_to_b"] > 0
        assert all(sector[t["to"]] == "Housing" for t in contact["ties"]["a"])
        assert all(sector[t["to"]] == "Faith group" for t in contact["ties"]["b"])
    assert client.get("/api/bridges").status_code == 400


def test_introductions_only_go_through_named_people(client, demo_service):
    named = {p.id for p in demo_service.store.people() if p.consent == "named"}
    net = demo_service.data.network("people", window_months=None)
    ids = [i for i in net.node_ids if i in named]
    data = client.get(f"/api/introductions?from={ids[0]}&to={ids[-1]}&window=all").get_json()
    assert data["paths"], data
    for path in data["paths"]:
        assert path["nodes"][0] == ids[0] and path["nodes"][-1] == ids[-1]
        assert set(path["nodes"]) <= named
    html = client.get(f"/introductions?from={ids[0]}&to={ids[-1]}&window=all").get_data(
        as_text=True)
    assert html.count('class="path"') == len(data["paths"])


def test_introductions_take_a_name_and_list_the_people_a_vague_one_could_mean(client,
                                                                           demo_service):
    named = [p for p in demo_service.store.people() if p.consent == "named"]
    hidden = next(p for p in demo_service.store.people() if p.consent != "named")
    one, other = named[0], named[-1]
    by_name = client.get(f"/api/introductions?from={one.name.upper()}&to={other.id}"
                         "&window=all").get_json()
    by_id = client.get(f"/api/introductions?from={one.id}&to={other.id}&window=all").get_json()
    assert by_name == by_id and by_id["source"] == one.id
    first = one.name.split()[0]
    sharing = {p.id for p in named if any(w.casefold().startswith(first.casefold())
                                          for w in p.name.split())}
    html = client.get(f"/introductions?from={first}&to={other.id}").get_data(as_text=True)
    if len(sharing) > 1:
        assert 'id="from-choices"' in html and 'class="path"' not in html
        assert sum(person_id in html for person_id in sharing) == min(len(sharing), 20)
    error = client.get(f"/api/introductions?from={hidden.name}&to={other.id}")
    assert error.status_code == 400 and error.get_json()["errors"][0]["column"] == "from"
    assert "no named person" in error.get_json()["error"]
    found = client.get(f"/api/people?q={first[:2]}&limit=100").get_json()["people"]
    assert found and hidden.id not in {p["id"] for p in found}
    assert all(any(w.casefold().startswith(first[:2].casefold()) for w in p["name"].split())
               for p in found)


def two_named(demo_service, tied: bool) -> tuple[str, str]:
    """Two people who agreed to be named, tied to each other or not (a route apart)."""
    named = {p.id for p in demo_service.store.people() if p.consent == "named"}
    net = demo_service.data.network("people", window_months=None)
    index = net.index()
    source = next(i for i in net.node_ids if i in named and net.adjacency[index[i]].nnz)
    row = net.adjacency[index[source]]
    if tied:
        return source, next(net.node_ids[v] for v in row.indices if net.node_ids[v] in named)
    tied_to = {net.node_ids[v] for v in row.indices}
    return source, next(i for i in reversed(net.node_ids) if i in named and i != source
                        and i not in tied_to)


def test_introductions_say_who_is_on_each_route_and_when_they_already_know_each_other(
        client, demo_service):
    source, target = two_named(demo_service, tied=False)
    data = client.get(f"/api/introductions?from={source}&to={target}&window=all").get_json()
    assert data["already_know_each_other"] is False and len(data["paths"]) > 1
    between = [set(path["nodes"][1:-1]) for path in data["paths"]]
    assert all(not a & b for i, a in enumerate(between) for b in between[i + 1:])
    html = client.get(f"/introductions?from={source}&to={target}&window=all").get_data(
        as_text=True)
    for person in data["paths"][0]["persons"]:
        assert person["organisation"] and person["sector"] and person["borough"]
        assert all(str(escape(person[key])) in html
                   for key in ("name", "organisation", "sector", "borough"))
    source, friend = two_named(demo_service, tied=True)
    data = client.get(f"/api/introductions?from={source}&to={friend}&window=all").get_json()
    assert data["already_know_each_other"] is True and data["paths"] == []
    assert data["direct"][0]["to"] == friend and data["direct"][0]["sessions"] >= 1
    html = client.get(f"/introductions?from={source}&to={friend}&window=all").get_data(
        as_text=True)
    assert "They already know each other" in html and 'id="no-route"' not in html


def test_an_unknown_group_is_an_error_naming_the_nearest_known_ones(client, demo_service,
                                                                   runner, demo_database):
    from graphsvc.cli import main

    source, _ = two_named(demo_service, tied=False)
    response = client.get(f"/api/introductions?from={source}&to=sector=Hosuing")
    body = response.get_json()
    assert response.status_code == 400 and body["ok"] is False and body["status"] == 400
    assert "no sector is called 'Hosuing'; the nearest: Housing" in body["error"]
    assert body["errors"][0]["column"] == "to"
    page = client.get(f"/introductions?from={source}&to=sector%3DHosuing")
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="problem"' in html and "Housing" in html
    assert 'value="sector=Hosuing"' in html  # the form, to correct it
    for url, nearest in ((f"/api/introductions?from={source}&to=borough=wigam", "Wigan"),
                         (f"/api/introductions?from={source}&to=community=Peer+suport",
                          "Peer support"),
                         ("/api/bridges?a=Hosuing&b=Faith+group", "Housing"),
                         ("/api/gaps?borough=Manchster", "Manchester")):
        response = client.get(url)
        assert response.status_code == 400, url
        assert f"the nearest: {nearest}" in response.get_json()["error"], url
    result = runner.invoke(main, ["analyse", "paths", "--from", source, "--to",
                                  "sector=Hosuing", "--db", str(demo_database)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: column 'to': no sector is called 'Hosuing'; the nearest: Housing, "
        "Community group, Charity"]


@pytest.mark.browser
def test_typing_a_name_offers_people_to_choose(live_server, page, demo_service):
    person = next(p for p in demo_service.store.people() if p.consent == "named")
    page.goto(live_server + "/introductions")
    page.locator("#from").press_sequentially(person.name[:4], delay=30)
    page.locator("#from-people option").first.wait_for(state="attached")
    values = page.locator("#from-people option").evaluate_all("o => o.map(x => x.value)")
    assert person.id in values or len(values) == 20
    assert page.watch.console_errors == [] and page.watch.hosts == {"127.0.0.1"}


def test_communities_page_lists_every_community(client, demo_service):
    html = client.get("/communities").get_data(as_text=True)
    for community in demo_service.store.communities():
        assert community.name.replace("'", "&#39;") in html


PAGES = ["/", "/network", "/brokers", "/gaps", "/gaps?borough=Wigan",
         "/bridges?a=Housing&b=Faith+group", "/gaps?partition=type&sector=Charity",
         "/bridges?network=people&a_sector=Housing&a_borough=Manchester&b_sector=Charity",
         "/network?ego=org:manchester-canal-trust&network=organisations",
         "/network?network=people&borough=Bolton",
         "/introductions", "/communities", "/imports", "/review", "/boroughs/Wigan",
         "/organisations/org:manchester-canal-trust", "/exports", "/imports/new", "/account",
         "/admin/users", "/admin/audit", "/admin/forget?person=nobody@nowhere.example",
         "/login"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_chromium(live_server, page, path):
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert page.locator("main").is_visible()
    assert page.watch.console_errors == [] and page.watch.failed == []
    assert page.watch.hosts == {"127.0.0.1"}


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_axe(live_server, axe_page, path):
    from tests.web.conftest import serious_violations

    axe_page.goto(live_server + path)
    axe_page.wait_for_load_state("networkidle")
    assert serious_violations(axe_page) == []


@pytest.mark.browser
def test_introduction_routes_and_problems_pass_axe(live_server, axe_page, demo_service):
    from tests.web.conftest import serious_violations

    source, target = two_named(demo_service, tied=False)
    _, friend = two_named(demo_service, tied=True)
    for query in (f"from={source}&to={target}&window=all", f"from={source}&to={friend}",
                  f"from={source}&to=sector%3DHosuing"):
        axe_page.goto(f"{live_server}/introductions?{query}")
        axe_page.wait_for_load_state("networkidle")
        assert serious_violations(axe_page) == [], query


@pytest.mark.browser
def test_the_axe_check_can_fail(axe_page):
    from tests.web.conftest import serious_violations

    axe_page.set_content('<html lang="en"><body><main><h1>Form</h1><input type="text">'
                         '<img src="data:,"></main></body></html>')
    found = " ".join(serious_violations(axe_page))
    assert "label" in found and "image-alt" in found


IN_FORCE_PAGES = ["/brokers", "/gaps", "/communities", "/bridges?a=Housing&b=Faith+group",
                  "/introductions", "/boroughs/Wigan"]


@pytest.mark.parametrize("path", IN_FORCE_PAGES)
@pytest.mark.parametrize("window", ["18", "all"])
def test_as_of_shows_the_date_in_force_and_figures_say_their_window(app, path, window):
    """Without a date chosen, the "As of" field holds the date the figures are for (the
    latest session's, as the API says), and the page says whether they count a window or
    all time."""
    import re

    from tests.conftest import sign_in

    client = sign_in(app.test_client(), "facilitator")
    latest = client.get(f"/api/communities?window={window}").get_json()["as_of"]
    html = client.get(f"{path}{'&' if '?' in path else '?'}window={window}").get_data(
        as_text=True)
    assert re.search(r'id="as_of"[^>]*value="([^"]*)"', html).group(1) == latest
    if path == "/introductions":
        return  # no figures until a question is asked
    if window == "all":
        assert re.search(r"over all time|from every session up to", html), path
    else:
        assert re.search(r"over the last 18 months|active in the 18 months to", html), path


JARGON = re.compile(r"constraint|effective size|z-score|\(z\)|\bnmi\b|mutual information|leiden|"
                    r"gould|burt|modularity|p-value", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/brokers", "/brokers?network=people&partition=borough",
                                  "/communities", "/gaps", "/gaps?partition=borough"])
def test_method_words_only_in_the_fold_under_a_plain_answer(client, path):
    """Brokers, Communities and Gaps say what their figures mean in plain words; the
    measures' own names (constraint, z-scores, NMI, Leiden...) only in "How this is worked
    out"."""
    html = client.get(path).get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    folds = re.findall(r'<details class="how">.*?</details>', main, re.DOTALL)
    assert len(folds) >= 1 and "How this is worked out" in folds[0]
    plain = re.sub(r'<details class="how">.*?</details>', "", main, flags=re.DOTALL)
    plain = re.sub(r"<[^>]+>", " ", plain)
    assert JARGON.findall(plain) == [], path
