"""Importing from the browser: upload, preview, confirm or cancel, undo; and the API twin."""

from __future__ import annotations

import io
import re

import pytest

SHEET = ("Name,Email,Organisation,Job title\n"
         "Ann Lee,ann@bolton-carers.example,Bolton Carers Network,Coordinator\n"
         "Bob Khan,bob@elm.example,Elm Trust,Chief Executive\n")
FORM = {"community": "Peer support", "date": "2020-02-03", "place": "Bolton"}


def upload(client, url, name="sheet.csv", text=SHEET, **form):
    data = {**FORM, **form, "files": (io.BytesIO(text.encode()), name)}
    return client.post(url, data=data, content_type="multipart/form-data")


def test_preview_then_confirm_loads_once(client, demo_service):
    before = demo_service.store.counts()
    page = upload(client, "/imports/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "sign-in" in html and "Confirm and load" in html
    assert demo_service.store.counts() == before  # a preview writes nothing
    token = html.split("/imports/")[1].split("/confirm")[0]
    done = client.post(f"/imports/{token}/confirm", data=FORM)
    assert done.status_code == 302 and "loaded+as+import" in done.headers["Location"]
    after = demo_service.store.counts()
    assert after["attendance"] == before["attendance"] + 2 and after["sessions"] == \
        before["sessions"] + 1
    assert client.post(f"/imports/{token}/confirm", data=FORM).status_code == 404  # used up
    [latest] = [r for r in demo_service.store.imports() if r.source == "sheet.csv"]
    client.post(f"/imports/{latest.id}/undo", data={"confirm": "1"})
    assert demo_service.store.counts() == before


def test_cancel_writes_nothing_and_forgets_the_files(client, demo_service):
    before = demo_service.store.counts()
    html = upload(client, "/imports/new").get_data(as_text=True)
    token = html.split("/imports/")[1].split("/confirm")[0]
    assert client.post(f"/imports/{token}/cancel").status_code == 302
    assert client.post(f"/imports/{token}/confirm", data=FORM).status_code == 404
    assert demo_service.store.counts() == before


def test_problems_are_listed_by_row_and_column(client, demo_service):
    before = demo_service.store.counts()
    bad = "Name,Email\nAnn Lee,not-an-email\n,\nBob Khan,bob@x.example\n"
    page = upload(client, "/imports/new", text=bad)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "Nothing was loaded" in html
    assert "sheet.csv, row 2, column Email" in html and "not-an-email" in html
    assert demo_service.store.counts() == before


def test_an_upload_name_never_becomes_a_path(client, demo_service):
    page = upload(client, "/api/imports", name="../../../etc/passwd.csv")
    assert page.status_code == 200
    [report] = page.get_json()["files"]
    assert report["source"] == "passwd.csv"


def test_the_api_previews_and_loads(client, demo_service):
    before = demo_service.store.counts()
    dry = upload(client, "/api/imports", dry_run="true").get_json()
    assert dry["ok"] and dry["dry_run"] and dry["import"] is None
    assert demo_service.store.counts() == before
    done = upload(client, "/api/imports").get_json()
    assert done["import"] and demo_service.store.counts() != before
    again = upload(client, "/api/imports").get_json()
    assert again["import"] is None and again["files"][0]["already_loaded"]
    bad = upload(client, "/api/imports", text="\x00\x01binary").get_json()
    assert bad["ok"] is False and bad["status"] == 400


@pytest.mark.browser
def test_importing_in_chromium(live_server, page, demo_service, tmp_path):
    sheet = tmp_path / "monday-sign-in.csv"
    sheet.write_text(SHEET)
    page.goto(live_server + "/imports/new")
    page.set_input_files("#files", str(sheet))
    page.fill("#community", "Peer support")
    page.fill("#date", "2020-03-04")
    page.fill("#place", "Bolton")
    page.click("main button[type=submit]")
    page.wait_for_selector("#confirm")
    assert "monday-sign-in.csv" in page.locator("main").inner_text()
    page.click("#confirm")
    page.wait_for_selector("#done")
    assert "loaded as import" in page.locator("#done").inner_text()
    assert page.watch.console_errors == [] and page.watch.hosts == {"127.0.0.1"}


@pytest.mark.parametrize("content, kind", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG image"),
    (b"<!DOCTYPE html><script>alert(1)</script>", "web page"),
    (b"PK\x03\x04not really a workbook", "zip"),
    (b"Name,Email\x00\x01\x02", "binary data"),
])
def test_uploads_are_judged_by_content_not_name(client, demo_service, content, kind):
    before = demo_service.store.revision()
    response = client.post("/api/imports", data={**FORM, "files": (io.BytesIO(content),
                                                                  "register.csv")},
                           content_type="multipart/form-data")
    body = response.get_json()
    assert response.status_code == 400 and kind in body["error"]
    assert body["errors"][0]["value"] == "register.csv"
    assert demo_service.store.revision() == before
    staging = demo_service.archive.parent / f"{demo_service.archive.name}.staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_an_upload_over_the_size_limit_is_refused(app, client, demo_service):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = upload(client, "/api/imports", text=SHEET * 50)
    assert response.status_code == 413 and response.get_json()["ok"] is False


def test_a_problem_an_option_settles_names_the_form_field_not_a_flag(client, demo_service):
    from pathlib import Path

    real = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "eventbrite_us_attending.csv"
    data = {"files": (io.BytesIO(real.read_bytes()), real.name), "community": "Peer support",
            "date": "2024-12-05", "place": "Bolton"}
    page = client.post("/imports/new", data=data, content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "nobody is checked in" in html
    assert 'href="#count"' in html and "--count" not in html
    data = {**data, "files": (io.BytesIO(real.read_bytes()), real.name), "count": "registered"}
    preview = client.post("/imports/new", data=data, content_type="multipart/form-data")
    assert preview.status_code == 200
    token = re.search(r'/imports/([0-9a-f]{32})/confirm', preview.get_data(as_text=True))[1]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                             preview.get_data(as_text=True)))
    assert hidden["count"] == "registered"
    client.post(f"/imports/{token}/confirm", data=hidden)
    assert {r.role for r in demo_service.store.attendance()} >= {"registered"}


def test_skipping_invalid_rows_from_the_form(client, demo_service):
    bad = "Name,Email\nAnn Lee,not-an-email\nBob Khan,bob@skip.example\n"
    page = upload(client, "/imports/new", text=bad, skip_invalid="1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Rows with problems, left out (1)" in html
    assert "not-an-email" in html
