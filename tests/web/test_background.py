"""Every page whose first answer can be slow on a region's data says it is working and
refreshes itself to the answer; the API and the downloads answer when the answer is ready."""

from __future__ import annotations

import time

import pytest

from tests.conftest import make_app, sign_in

# each page, and what its answer (not the working page) shows
SLOW_PAGES = {
    "/brokers": 'id="brokers-table"',
    "/gaps": "<h1>Gaps between",
    "/communities": "<h1>Communities of practice",
    "/bridges?a=Housing&b=Faith+group": "<h1>Bridge finder",
    "/boroughs/Wigan": "<h1>Wigan",
    "/organisations/org:manchester-canal-trust": "<h1>Manchester Canal Trust",
    "/network": 'id="node-table"',
    "/network?network=people": 'id="node-table"',
}


@pytest.fixture
def slow_app(demo_service, tmp_path):
    return make_app(demo_service, tmp_path, BACKGROUND_ALWAYS=True)


def _until_answered(client, path: str) -> str:
    for _ in range(600):
        html = client.get(path).get_data(as_text=True)
        if "Working out" not in html:
            return html
        assert 'http-equiv="refresh"' in html
        time.sleep(0.1)
    raise AssertionError(f"{path} was still working after a minute")


def _working_then_answered(client, path: str, answer: str) -> None:
    first = client.get(path)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "Working out" in html, path
    assert 'http-equiv="refresh"' in html and "<progress" in html
    assert answer not in html
    done = _until_answered(client, path)
    assert answer in done, path


@pytest.mark.parametrize("path", SLOW_PAGES)
def test_a_slow_first_page_says_it_is_working_then_answers(slow_app, path):
    client = sign_in(slow_app.test_client(), "admin")
    _working_then_answered(client, path, SLOW_PAGES[path])


def test_introductions_and_a_persons_page_work_in_the_background(slow_app):
    client = sign_in(slow_app.test_client(), "admin")
    people = client.get("/api/people?q=a&limit=2").get_json()["people"]
    assert len(people) == 2
    one, other = people
    from markupsafe import escape

    _working_then_answered(client, f"/people/{one['id']}", f"<h1>{escape(one['name'])}")
    path = f"/introductions?from={one['id']}&to={other['id']}"
    _working_then_answered(client, path, 'id="question"')


def test_an_unknown_borough_is_not_found_once_the_data_is_read(slow_app):
    """The first look waits for the attendance to be read (as every page does); then an
    unknown borough is not found, without working on it."""
    client = sign_in(slow_app.test_client(), "viewer")
    _until_answered(client, "/boroughs/Atlantis")
    assert client.get("/boroughs/Atlantis").status_code == 404
    assert client.get("/boroughs/Atlantis?window=all").status_code == 404


@pytest.mark.parametrize("path", ["/api/brokers", "/brokers.csv", "/api/boroughs/Wigan",
                                  "/api/communities", "/api/network", "/gaps.csv"])
def test_the_api_and_downloads_answer_without_a_working_page(slow_app, path):
    client = sign_in(slow_app.test_client(), "viewer")
    response = client.get(path)
    assert response.status_code == 200
    assert "Working out" not in response.get_data(as_text=True)
