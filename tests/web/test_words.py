"""No page a viewer or facilitator sees shows a raw value: "None", "True" or "False", an ISO
date or timestamp where a reader expects "3 March 2025", a code ("vcse") or an id as a
label."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in

PAGES = ["/", "/brokers", "/brokers?network=people", "/gaps", "/gaps?partition=type",
         "/communities", "/bridges?a=Housing&b=Faith+group",
         "/bridges?a=Housing&b=Faith+group&network=people", "/boroughs/Wigan",
         "/boroughs/Manchester?window=all", "/organisations/org:manchester-canal-trust",
         "/network", "/network?network=people", "/exports", "/account"]
# raw values, and codes or ids a reader would not say ("VCSE" is fine, "vcse" is not)
RAW = re.compile(r"\b(None|True|False)\b|\b\d{4}-\d{2}-\d{2}(T[\d:.]+)?\b|"
                 r"\b(vcse|lived_experience|person:\w+|org:[\w-]+)\b")


def visible_text(html: str) -> str:
    """What a reader sees: the page without scripts, styles, tags and their attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def _people(client) -> list[str]:
    found = client.get("/api/people?q=a&limit=3").get_json()["people"]
    return [f"/people/{p['id']}" for p in found]


@pytest.mark.parametrize("role", ["viewer", "facilitator"])
def test_no_page_shows_a_raw_value(app, role):
    client = sign_in(app.test_client(), role)
    pages = PAGES + (_people(client) + ["/introductions?from=" + _people(client)[0][8:]]
                     if role == "facilitator" else [])
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        raw = [m.group(0) for m in RAW.finditer(visible_text(response.get_data(as_text=True)))]
        if raw:
            found[path] = raw[:5]
    assert found == {}
