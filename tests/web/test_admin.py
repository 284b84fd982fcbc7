"""The admin pages: users, the audit log, and erasing a person from the browser's forms."""

from __future__ import annotations

from tests.conftest import ADMIN, USER_PASSWORD


def test_adding_and_removing_a_user_through_the_forms(client, app):
    made = client.post("/admin/users", data={
        "username": "dee", "password": USER_PASSWORD, "role": "facilitator",
        "communities": "Carers\nPeer support", "boroughs": "Wigan"})
    assert made.status_code == 302
    dee = app.extensions["accounts"].user("dee")
    assert dee.communities == {"Carers", "Peer support"} and dee.boroughs == {"Wigan"}
    weak = client.post("/admin/users", data={"username": "eve", "password": "short",
                                             "role": "viewer"})
    assert weak.status_code == 400 and "12 characters" in weak.get_data(as_text=True)
    assert client.post("/admin/users/dee/remove").status_code == 302
    assert "dee" not in {u.username for u in app.extensions["accounts"].users()}
    assert client.post("/admin/users/admin/remove").status_code == 400  # not yourself


def test_erasing_a_person_from_the_admin_page(client, app, demo_service):
    person = next(p for p in demo_service.store.people() if p.email and p.consent == "named")
    sessions = len(demo_service.store.sessions())
    page = client.get(f"/admin/forget?person={person.email}").get_data(as_text=True)
    assert 'id="confirm-erasure"' in page and person.id in page
    done = client.post("/admin/forget", data={"person": person.id, "confirm": "1"})
    assert done.status_code == 200 and 'id="erased"' in done.get_data(as_text=True)
    assert person.id not in {p.id for p in demo_service.store.people()}
    assert len(demo_service.store.sessions()) == sessions
    assert client.get(f"/people/{person.id}").status_code == 404
    [entry] = [e for e in app.extensions["accounts"].audit_entries() if e["action"] == "erasure"]
    assert entry["actor"] == "admin" and entry["target"] == person.id
    assert person.name not in entry["detail"] and person.email not in entry["detail"]


def test_the_audit_page_and_its_json(client, app):
    client.get("/exports/people/csv")
    data = client.get("/api/audit").get_json()
    assert data["problem"] is None
    assert any(e["action"] == "export" for e in data["entries"])
    assert "people.csv" in client.get("/admin/audit").get_data(as_text=True)


def test_making_someone_aggregate_only_hides_their_name_and_sticks(client, app, demo_service,
                                                                   tmp_path):
    from tests.conftest import sign_in
    from tests.web.test_auth import _sheet

    facilitator = sign_in(app.test_client(), "facilitator")
    named = facilitator.get("/api/brokers?network=people&window=all&limit=5000").get_json()
    person = next(n for n in named["nodes"] if n.get("name"))
    email = next(p.email for p in demo_service.store.people() if p.id == person["id"])
    page = client.post("/admin/forget", data={"person": person["id"], "consent": "aggregate"})
    assert "aggregate only" in page.get_data(as_text=True)
    after = facilitator.get("/api/brokers?network=people&window=all&limit=5000").get_json()
    assert person["id"] not in {n["id"] for n in after["nodes"]}
    assert person["name"] not in {n.get("name") for n in after["nodes"]}
    assert facilitator.get(f"/people/{person['id']}").status_code == 404
    sheet = _sheet(tmp_path)  # a later sign-in sheet, with no consent column, naming them
    sheet.write_text(sheet.read_text() + f"Monday,2021-03-01,Bolton,Peer support,"
                                         f"{person['name']},{email},Bolton Carers\n")
    demo_service.imports.load(ADMIN, [sheet])
    assert next(p.consent for p in demo_service.store.people()
                if p.id == person["id"]) == "aggregate"
    assert any(e["action"] == "consent" and e["target"] == person["id"]
               for e in app.extensions["accounts"].audit_entries())
