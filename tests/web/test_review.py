"""The review list of uncertain matches, in the test client and in Chromium."""

from datetime import date

import pytest

from loaders import SessionDefaults
from tests.conftest import ADMIN


@pytest.fixture
def pending(demo_service, tmp_path):
    """One uncertain match: a known organisation's name with a long suffix."""
    known = max(demo_service.store.organisations(), key=lambda o: len(o.name))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"Name,Organisation\nZed Able,{known.name} North West\n")
    demo_service.imports.load(ADMIN, [sheet], defaults=SessionDefaults("Peer support", date(2019, 12, 30)))
    [review] = demo_service.store.reviews()
    assert review.candidate_id == known.id
    return review, known


def test_reviews_are_listed_as_json_and_decided(client, pending):
    review, known = pending
    listed = client.get("/api/reviews").get_json()["reviews"]
    assert [(r["id"], r["candidate"]) for r in listed] == [(review.id, known.name)]
    bad = client.post(f"/api/reviews/{review.id}", json={"decision": "maybe"})
    assert bad.status_code == 400 and bad.get_json()["ok"] is False
    done = client.post(f"/api/reviews/{review.id}", json={"decision": "reject"})
    assert done.get_json() == {"ok": True, "id": review.id, "status": "rejected"}
    assert client.get("/api/reviews").get_json()["reviews"] == []
    again = client.post(f"/api/reviews/{review.id}", json={"decision": "confirm"})
    assert again.status_code == 404


def test_imports_page_and_api(client, demo_service):
    data = client.get("/api/imports").get_json()
    assert data["ok"] and len(data["imports"]) == 1
    assert len(data["imports"][0]["files"]) == len(list(demo_service.store.imports()[0].files))
    assert "Imports" in client.get("/imports").get_data(as_text=True)


@pytest.mark.browser
def test_confirming_a_match_in_the_browser_merges_it(live_server, page, pending, demo_service):
    review, known = pending
    page.goto(live_server + "/review")
    row = page.locator("tbody tr")
    assert row.count() == 1 and known.name in row.inner_text()
    page.get_by_role("button", name=f"Confirm {review.name} is {known.name}").click()
    page.wait_for_load_state("networkidle")
    assert "No uncertain matches are waiting" in page.content()
    assert review.new_id not in {o.id for o in demo_service.store.organisations()}
    merged = next(o for o in demo_service.store.organisations() if o.id == known.id)
    assert review.name in merged.aliases
    assert page.watch.console_errors == [] and page.watch.hosts == {"127.0.0.1"}
