"""Borough, organisation and person pages against the network they describe."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from markupsafe import escape


def test_a_boroughs_ties_to_the_others_are_counted_from_the_network(client, demo_service):
    data = client.get("/api/boroughs/Wigan").get_json()
    graph = demo_service.data.network("organisations").to_networkx()
    borough = dict(graph.nodes(data="borough"))
    counted = Counter()
    for u, v in graph.edges:
        if borough[u] == "Wigan" and borough[v] not in ("Wigan", "", None):
            counted[borough[v]] += 1
        elif borough[v] == "Wigan" and borough[u] not in ("Wigan", "", None):
            counted[borough[u]] += 1
    assert {r["borough"]: r["ties"] for r in data["ties_to_boroughs"] if r["ties"]} == \
        dict(counted)
    mix = Counter(graph.nodes[n].get("sector") or "Sector not known" for n in graph
                  if borough[n] == "Wigan")
    assert {r["sector"]: r["organisations"] for r in data["sector_mix"]} == dict(mix)


def test_the_gm_average_is_the_mean_over_the_boroughs(client, demo_service):
    wigan = client.get("/api/boroughs/Wigan").get_json()
    everyone = demo_service.analyses.compute("strength")["boroughs"]
    for key, average in wigan["average_components"].items():
        mean = sum(b["components"][key] for b in everyone) / len(everyone)
        assert average == pytest.approx(mean, abs=1e-6), key
    html = client.get("/boroughs/Wigan").get_data(as_text=True)
    assert html.count('<rect x=') >= 2 and 'id="trend-table"' in html


def test_an_organisations_strongest_ties_come_first(client, demo_service):
    graph = demo_service.data.network("organisations", window_months=None).to_networkx()
    org = max(graph.degree, key=lambda item: item[1])[0]
    data = client.get(f"/api/nodes/{org}?window=all").get_json()
    weights = sorted((w for _, _, w in graph.edges(org, data="weight")), reverse=True)
    assert [t["weight"] for t in data["ties"]] == pytest.approx(weights[:25])
    assert data["ties_in_window"] == graph.degree(org)


def test_people_who_are_not_named_have_no_page(client, demo_service):
    hidden = next(p for p in demo_service.store.people() if p.consent != "named")
    for path in (f"/people/{hidden.id}", f"/api/nodes/{hidden.id}"):
        response = client.get(path)
        assert response.status_code == 404
        assert hidden.name not in response.get_data(as_text=True)
    assert client.get("/boroughs/Leeds").status_code == 404


def _quarter(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def sessions_attended_from(demo_service, borough: str) -> Counter:
    """Per quarter, the sessions someone from ``borough`` attended (a person based there, by
    their own place or else their organisation's, or on behalf of an organisation there),
    from the store."""
    places = {p.id: p.name for p in demo_service.store.places() if p.kind == "borough"}
    org_borough = {o.id: places.get(o.place_id, "") for o in demo_service.store.organisations()}
    first_job = {}
    for job in demo_service.store.employments():
        first_job.setdefault(job.person_id, job.organisation_id)
    person_borough = {p.id: places.get(p.place_id, "") or org_borough.get(first_job.get(p.id), "")
                      for p in demo_service.store.people()}
    held_on = {s.id: s.held_on for s in demo_service.store.sessions()}
    sessions = {row.session_id for row in demo_service.store.attendance()
                if row.role != "registered" and borough in (
                    person_borough[row.person_id], org_borough.get(row.organisation_id))}
    return Counter(_quarter(held_on[s]) for s in sessions)


def test_a_borough_whose_sessions_are_held_elsewhere_shows_sessions_attended_from_it(
        app, demo_service):
    from tests.conftest import sign_in

    places = {p.id: p.name for p in demo_service.store.places() if p.kind == "borough"}
    hosts = {places.get(s.place_id) for s in demo_service.store.sessions()}
    online_only = sorted(set(places.values()) - hosts)
    assert online_only  # the demo has boroughs that never host a session
    viewer = sign_in(app.test_client(), "viewer")  # the keys are on the viewer's allow-list
    for borough in online_only:
        trend = viewer.get(f"/api/boroughs/{borough}?window=all").get_json()["trend"]
        assert sum(q["sessions_held"] for q in trend) == 0
        attended = {q["quarter"]: q["sessions_attended"] for q in trend if q["sessions_attended"]}
        assert attended and attended == dict(sessions_attended_from(demo_service, borough))
    html = viewer.get(f"/boroughs/{online_only[0]}?window=all").get_data(as_text=True)
    table = html[html.index('id="trend-table"'):]
    table = table[:table.index("</table>")]
    assert "Sessions attended from here" in table
    rows = re.findall(r'<th scope="row">[^<]+</th><td class="num">(\d+)</td>'
                      r'<td class="num">(\d+)</td>', table)
    assert rows and all(held == "0" for held, _ in rows) and any(n != "0" for _, n in rows)


def test_brokers_on_a_borough_page_show_their_rank_in_the_region_and_no_zeros(
        client, demo_service):
    everyone = demo_service.analyses.compute("brokers")["nodes"]
    values = [n["betweenness"] or 0 for n in everyone]
    small = 0
    for borough in ("Wigan", "Tameside", "Trafford", "Bury"):
        data = client.get(f"/api/boroughs/{borough}").get_json()
        assert data["brokers_ranked"] == len(everyone)
        for broker in data["brokers"]:
            value = broker["betweenness"]
            assert value > 0
            assert broker["rank"] == 1 + sum(v > value for v in values)
            assert broker["percentile"] == pytest.approx(
                100 * sum(v < value for v in values) / len(values), abs=0.05)
            small += value < 1e-4  # under 0.01%: never rounded away to 0%
        html = client.get(f"/boroughs/{borough}").get_data(as_text=True)
        table = html[html.index('id="borough-brokers"'):]
        table = table[:table.index("</table>")]
        cells = re.findall(r'<td class="num">([^<]*)</td><td class="num">(\d+) of (\d+)</td>',
                           table)
        assert len(cells) == len(data["brokers"])
        for (shown, rank, of), broker in zip(cells, data["brokers"]):
            percent = 100 * broker["betweenness"]  # as the Brokers page shows it
            if shown == "under 0.01%":
                assert percent < 0.01
            else:
                assert shown.endswith("%") and float(shown[:-1]) == pytest.approx(
                    percent, abs=0.5 if percent >= 10 else 0.05 if percent >= 1 else 0.005)
            assert (int(rank), int(of)) == (broker["rank"], len(everyone))
    assert small  # the demo has brokers whose betweenness is small


def test_each_borough_says_why_it_stands_where_it_does(app, demo_service):
    from tests.conftest import sign_in

    rows = {r["borough"]: r for r in demo_service.analyses.compute("strength")["boroughs"]}
    viewer = sign_in(app.test_client(), "viewer")
    data = viewer.get("/api/boroughs/Wigan").get_json()
    assert data["strength"]["why"] == rows["Wigan"]["why"]
    assert data["strength"]["why"].startswith("Wigan is the lowest of the 10 boroughs")
    html = viewer.get("/boroughs/Wigan").get_data(as_text=True)
    assert escape(rows["Wigan"]["why"]) in html


def test_a_borough_without_gaps_says_whether_its_pairs_were_judged(client, demo_service):
    """'Too few ties to judge' only when no pair of sectors could be judged; otherwise the page
    says how many pairs were judged and found no gap (counted here from the matrix's expected
    ties, against the gaps analysis's own threshold)."""
    seen = set()
    for borough in ("Manchester", "Wigan", "Bolton", "Salford"):
        data = client.get(f"/api/boroughs/{borough}").get_json()
        if data["gaps"]:
            continue
        gaps = client.get(f"/api/gaps?borough={borough}").get_json()
        rows, expected = gaps["matrix"]["rows"], gaps["matrix"]["expected"]
        judged = sum(1 for g in range(len(rows)) for h in range(g + 1, len(rows))
                     if rows[g] and rows[h] and expected[g][h] is not None
                     and expected[g][h] >= gaps["min_expected"])
        assert data["sector_pairs_judged"] == judged
        html = client.get(f"/boroughs/{borough}").get_data(as_text=True)
        if judged:
            assert f"each of the {judged} pairs" in html and "Too few ties" not in html
        else:
            assert "Too few ties" in html
        seen.add(bool(judged))
    assert True in seen


@pytest.mark.parametrize("role", ["viewer", "facilitator"])
def test_withheld_figures_show_as_a_dash_never_as_none(app, demo_service, role):
    from tests.conftest import sign_in

    reader = sign_in(app.test_client(), role)
    boroughs = [p.name for p in demo_service.store.places() if p.kind == "borough"]
    for path in ["/", "/gaps", "/brokers", *(f"/boroughs/{b}" for b in boroughs)]:
        html = reader.get(path).get_data(as_text=True)
        assert not re.search(r">\s*None\s*<", html), (role, path)


def test_an_empty_trend_chart_says_so(client, demo_service):
    """A chart with nothing to draw says what did not happen, where and when (each chart
    judged from the borough's own figures, early in the data when some boroughs had none)."""
    first = min(s.held_on for s in demo_service.store.sessions())
    seen = set()
    boroughs = sorted(p.name for p in demo_service.store.places() if p.kind == "borough")
    for days in (20, 1200):
        day = (first + timedelta(days=days)).isoformat()
        for borough in boroughs:
            trend = client.get(f"/api/boroughs/{borough}?as_of={day}").get_json()["trend"]
            held = any(q["sessions_held"] for q in trend[-12:])
            html = client.get(f"/boroughs/{borough}?as_of={day}").get_data(as_text=True)
            said = f"No sessions were held in {borough} " in html
            assert said != held, (borough, day)
            assert (f'aria-label="Sessions held in {borough} per quarter"' in html) == held
            seen.add(held)
    assert seen == {True, False}
