"""Importing from the browser: upload, preview, confirm or cancel, undo; and the API twin."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from loaders import SessionDefaults
from tests.conftest import ADMIN

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


# -- the import flow as an admin meets it: problems, the preview, undo, the demo ---------------

CONSENTING = ("Name,Email,Organisation,Consent\n"
              "Ann Lee,ann@bolton-carers.example,Bolton Carers Network,yes\n"
              "Cy Dunn,cy@elm.example,Elm Trust,no\n"
              "Bob Khan,bob@elm.example,Elm Trust,yes\n")


def _token(html: str) -> str:
    return re.search(r'/imports/([0-9a-f]{32})/confirm', html)[1]


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_a_problem_names_the_form_field_and_the_file_is_kept(client, demo_service):
    page = upload(client, "/imports/new", community="", date="")
    html = _main(page.get_data(as_text=True))
    assert page.status_code == 400 and "sheet.csv" in html
    assert 'href="#community"' in html and ">Community</a>" in html and "--" not in html
    staged = re.search(r'name="staged" value="([0-9a-f]{32})"', html)[1]
    assert "Kept from your last try" in html and 'id="files"' in html
    assert 'required' not in html.split('id="files"')[1].split(">")[0]  # no need to choose again
    again = client.post("/imports/new", data={**FORM, "staged": staged},
                        content_type="multipart/form-data")
    assert again.status_code == 200 and "sheet.csv" in again.get_data(as_text=True)
    assert 'name="staged"' not in again.get_data(as_text=True)  # not passed on to confirm


def test_a_mistake_in_the_form_itself_names_its_field_not_a_column(client, demo_service):
    page = upload(client, "/imports/new", title="x" * 201)
    html = _main(page.get_data(as_text=True))
    assert page.status_code == 400 and "the form's <a href=\"#title\">Session title</a>" in html
    assert "column" not in html.lower() and "--title" not in html
    assert "Kept from your last try" in html  # the file was fine: kept too


def test_new_files_replace_the_kept_ones(client, demo_service):
    html = upload(client, "/imports/new", community="").get_data(as_text=True)
    staged = re.search(r'name="staged" value="([0-9a-f]{32})"', html)[1]
    other = {**FORM, "staged": staged,
             "files": (io.BytesIO(CONSENTING.encode()), "tuesday.csv")}
    preview = client.post("/imports/new", data=other, content_type="multipart/form-data")
    assert preview.status_code == 200 and "tuesday.csv" in preview.get_data(as_text=True)
    assert "sheet.csv" not in _main(preview.get_data(as_text=True))
    gone = client.post("/imports/new", data={**FORM, "staged": staged},
                       content_type="multipart/form-data")
    assert gone.status_code == 400 and "choose them again" in gone.get_data(as_text=True)


def test_the_preview_shows_sessions_and_people_and_says_what_its_figures_mean(client, app):
    page = upload(client, "/imports/new", text=CONSENTING)
    html = _main(page.get_data(as_text=True))
    row = re.search(r'<table class="wide stack" id="session-table">.*?<tbody>(.*?)</tbody>',
                    html, re.S)[1]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                       row, re.S)]
    assert cells[0] == "3 February 2020" and cells[2:] == ["Peer support", "Bolton", "3"]
    assert "Ann Lee" in html and "Bob Khan" in html and "Cy Dunn" not in html
    assert "1 more person counted but not named" in html
    assert "2020-02-03" not in re.sub(r"<[^>]+>", "", html)  # in the page's words, a date
    [seen] = [e for e in app.extensions["accounts"].audit_entries()
              if e["target"] == "import preview"]
    assert seen["action"] == "view" and '"unnamed": 1' in seen["detail"]
    meaning = html.split('id="figures-explained"')[1]
    for word in ("Rows", "Repeated rows merged", "Still in the meeting", "Placeholders",
                 "Skipped", "Counted but not named"):
        assert f"<dt>{word}" in meaning


def test_a_preview_with_nothing_in_a_list_says_so(client):
    register = "Name,Sector,Borough\nNew Dawn Allotments,Community group,Wigan\n"
    html = _main(upload(client, "/imports/new", name="register.csv",
                        text=register).get_data(as_text=True))
    assert 'id="no-sessions"' in html and 'id="no-people"' in html


def _many(folder, n: int) -> list:
    paths = []
    for i in range(n):
        path = folder / f"week-{i:02d}.csv"
        path.write_text(f"Name,Email\nPerson {i},p{i}@many.example\n")
        paths.append(path)
    return paths


def test_long_file_lists_fold(client, demo_service, tmp_path):
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in _many(tmp_path, 7)]
    page = client.post("/imports/new", data={**FORM, "files": files},
                       content_type="multipart/form-data")
    listed = _main(page.get_data(as_text=True)).split('id="preview-files"')[1].split("</div>")[0]
    shown, folded = listed.split("<details", 1)
    assert [f"week-{i:02d}.csv" in shown for i in range(7)] == [True] * 3 + [False] * 4
    assert all(f"week-{i:02d}.csv" in folded for i in range(3, 7)) and "4 more files" in folded
    imports = _main(client.get("/imports").get_data(as_text=True))
    demo = imports.split("<tbody>")[1].split("</tr>")[0]  # the demo: one import of many files
    assert demo.count("<li>") == len(demo_service.store.imports()[0].files) - 3


def test_the_imports_list_says_dates_as_dates(client, demo_service):
    html = _main(client.get("/imports").get_data(as_text=True))
    loaded = demo_service.store.imports()[0].loaded_at
    assert loaded not in html and not re.search(r"\d{4}-\d\d-\d\dT", html)
    assert re.search(r"\d{1,2} (January|February|March|April|May|June|July|August|September|"
                     r"October|November|December) \d{4}, \d\d:\d\d UTC", html)


def test_the_preview_lists_names_as_a_reader_looks_for_them(client):
    """Regardless of case and accents: "de Vries" among the Ds, "Émile" among the Es (as text,
    both would come after "Zoë")."""
    written = ["Zoë Quinn", "de Vries Anna", "Émile Roux", "Adams Ben", "ellis Cara"]
    sheet = "Name,Email,Organisation,Consent\n" + "".join(
        f"{name},p{i}@elm.example,Elm Trust,yes\n" for i, name in enumerate(written))
    html = _main(upload(client, "/imports/new", text=sheet).get_data(as_text=True))
    listed = re.findall(r"<li>([^<]+)</li>", html.split('id="named-people"')[1].split("</ul>")[0])
    assert listed == ["Adams Ben", "de Vries Anna", "ellis Cara", "Émile Roux", "Zoë Quinn"]


def test_the_preview_names_a_new_community_and_the_held_one_it_is_nearest(client):
    """A typo in the community makes a community of its own: the preview says so, with the
    held community the name is nearest to; a held name, or its case, is not new."""
    def notice(community: str) -> str | None:
        html = _main(upload(client, "/imports/new", community=community).get_data(as_text=True))
        if 'id="new-communities"' not in html:
            return None
        return re.sub(r"<[^>]+>", "", html.split('id="new-communities"')[1].split("</div>")[0])

    typo = notice("Peer suport")
    assert "1 new community" in typo and "Peer suport: did you mean Peer support" in typo
    assert notice("Peer support") is None and notice("PEER SUPPORT") is None
    other = notice("Allotment growers")
    assert "Allotment growers" in other and "did you mean" not in other


def test_a_file_loaded_before_is_not_offered_for_loading_again(client, demo_service):
    token = _token(upload(client, "/imports/new").get_data(as_text=True))
    client.post(f"/imports/{token}/confirm", data=FORM)
    again = _main(upload(client, "/imports/new").get_data(as_text=True))
    assert "Every file was loaded before" in again and 'id="confirm"' not in again
    assert "Back to the imports: nothing to load" in again


def test_two_loads_of_one_sheet_for_other_dates_are_told_apart(client, demo_service):
    """The same sheet loaded for two dates: the imports list, its JSON and the Undo page say
    which sessions each import holds, so the right one can be undone."""
    ours = []  # in the order loaded (two loads within a second sort by id)
    for day in ("2020-02-03", "2020-02-10"):
        token = _token(upload(client, "/imports/new", date=day).get_data(as_text=True))
        client.post(f"/imports/{token}/confirm", data={**FORM, "date": day})
        ours += [r.id for r in demo_service.store.imports()
                 if r.source == "sheet.csv" and r.id not in ours]
    listed = {i["id"]: i["sessions"] for i in client.get("/api/imports").get_json()["imports"]}
    assert [listed[i] for i in ours] == [
        {"count": 1, "first": "2020-02-03", "last": "2020-02-03"},
        {"count": 1, "first": "2020-02-10", "last": "2020-02-10"}]
    html = _main(client.get("/imports").get_data(as_text=True))
    rows = {i: html.split(f"<code>{i}</code>")[1].split("</tr>")[0] for i in ours}
    assert "1 session, 3 February 2020" in rows[ours[0]]
    assert "1 session, 10 February 2020" in rows[ours[1]]
    asked = _main(client.post(f"/imports/{ours[1]}/undo").get_data(as_text=True))
    assert "sessions held: 1 session, 10 February 2020" in asked


def test_undo_asks_first_and_says_what_it_removes(client, demo_service):
    before = demo_service.store.counts()
    token = _token(upload(client, "/imports/new", text=CONSENTING).get_data(as_text=True))
    client.post(f"/imports/{token}/confirm", data=FORM)
    [record] = [r for r in demo_service.store.imports() if r.source == "sheet.csv"]
    loaded = demo_service.store.counts()
    asked = client.post(f"/imports/{record.id}/undo")
    html = _main(asked.get_data(as_text=True))
    assert asked.status_code == 200 and demo_service.store.counts() == loaded
    removes = re.sub(r"<[^>]+>", "", html.split('id="undo-removes"')[1].split("</ul>")[0])
    assert "1 session" in removes and "3 attendance rows" in removes
    assert "3 people who exist only through this import" in removes
    assert "sheet.csv" in html and 'name="confirm" value="1"' in html
    assert 'href="/imports" id="cancel-undo"' in html
    assert client.post(f"/imports/{record.id}/undo", data={"confirm": "1"}).status_code == 302
    assert demo_service.store.counts() == before


def test_undo_says_beforehand_when_a_later_import_relies_on_it(client, demo_service):
    """The ask page tries the undo (rolled back): when a later import relies on something only
    this one added, it says which and why, and offers no button that would only be refused."""
    from graphsvc.model import Attendance, Batch
    from graphsvc.store import ImportFile, ImportRecord

    token = _token(upload(client, "/imports/new", text=CONSENTING).get_data(as_text=True))
    client.post(f"/imports/{token}/confirm", data=FORM)
    [record] = [r for r in demo_service.store.imports() if r.source == "sheet.csv"]
    [sheet] = [s.id for s in demo_service.store.sessions() if s.held_on == date(2020, 2, 3)]
    person = next(v.person_id for v in demo_service.store.attendance([sheet]))  # new with it
    session = next(s.id for s in demo_service.store.sessions() if s.id != sheet)
    demo_service.store.apply(Batch(attendance=[Attendance(session, person, None, 30)]),
                             ImportRecord("imp-later", "2026-12-02T00:00:00+00:00",
                                          (ImportFile("later.csv", "ef" * 32, "sign-in", 1),)))
    before = demo_service.store.counts()
    html = _main(client.post(f"/imports/{record.id}/undo").get_data(as_text=True))
    refused = re.sub(r"<[^>]+>", "", html.split('id="undo-refused"')[1].split("</p>")[0])
    assert "cannot be undone" in refused and "imp-later" in refused
    assert 'id="confirm-undo"' not in html and 'name="confirm"' not in html
    assert demo_service.store.counts() == before
    # once the later import has gone, the same page asks as usual
    demo_service.store.undo_import("imp-later")
    html = _main(client.post(f"/imports/{record.id}/undo").get_data(as_text=True))
    assert 'id="undo-refused"' not in html and 'id="confirm-undo"' in html


def test_the_open_demo_takes_no_uploads(demo_service, tmp_path):
    from tests.conftest import make_app
    from graphsvc.web.uploads import DEMO_REFUSAL

    demo = make_app(demo_service, tmp_path, DEMO=True).test_client()
    before = demo_service.store.revision()
    form = demo.get("/imports/new").get_data(as_text=True)
    listed = demo.get("/imports").get_data(as_text=True)
    assert "Import files</a>" not in listed and "takes no uploads" in listed
    with demo.session_transaction() as session:  # a genuine form's token: refused all the same
        demo.environ_base["HTTP_X_CSRF_TOKEN"] = session["csrf"]
    assert DEMO_REFUSAL in form and 'type="file"' not in form
    assert "No real person" in form  # and so the demo's claim stays true
    refused = upload(demo, "/imports/new")
    assert refused.status_code == 403 and DEMO_REFUSAL in refused.get_data(as_text=True)
    api = upload(demo, "/api/imports")
    assert api.status_code == 403 and api.get_json()["error"] == DEMO_REFUSAL
    assert demo_service.store.revision() == before


@pytest.mark.browser
def test_after_a_problem_the_file_need_not_be_chosen_again_in_chromium(live_server, page,
                                                                       tmp_path):
    sheet = tmp_path / "monday-sign-in.csv"
    sheet.write_text(SHEET)
    page.goto(live_server + "/imports/new")
    page.set_input_files("#files", str(sheet))
    page.click("main button[type=submit]")
    page.wait_for_selector("#problem-table")
    problem = page.locator("#problem-table tbody").inner_text()
    assert "Community" in problem and "--" not in page.locator("main").inner_text()
    assert "monday-sign-in.csv" in page.locator("#kept").inner_text()
    page.fill("#community", "Peer support")
    page.fill("#date", "2020-03-04")
    page.click("main button[type=submit]")  # no file chosen this time
    page.wait_for_selector("#confirm")
    assert "monday-sign-in.csv" in page.locator("#preview-files").inner_text()
    assert "4 March 2020" in page.locator("#session-table").inner_text()
    assert page.watch.hosts == {"127.0.0.1"}  # (the page with problems came back as a 400)


@pytest.mark.browser
def test_undo_in_chromium_asks_and_cancel_keeps_everything(live_server, page, demo_service,
                                                           tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(CONSENTING)
    demo_service.imports.load(ADMIN, [sheet], defaults=SessionDefaults(
        "Peer support", date(2020, 2, 3)))
    loaded = demo_service.store.counts()
    [record] = [r for r in demo_service.store.imports() if r.source == "sheet.csv"]
    page.goto(live_server + "/imports")
    page.get_by_role("button", name=f"Undo import {record.id}").click()
    page.wait_for_selector("#confirm-undo")
    removes = page.locator("#undo-removes").inner_text()
    assert "1 session" in removes and "3 attendance rows" in removes
    assert "sheet.csv" in page.locator("#undo-files").inner_text()
    page.click("#cancel-undo")
    page.wait_for_selector("#import-table")
    assert demo_service.store.counts() == loaded
    page.get_by_role("button", name=f"Undo import {record.id}").click()
    page.click("#confirm-undo")
    page.wait_for_selector("#done")
    assert "undone" in page.locator("#done").inner_text()
    assert demo_service.store.counts()["attendance"] == loaded["attendance"] - 3


@pytest.mark.browser
@pytest.mark.parametrize("size", ["LAPTOP", "PHONE"])
def test_a_refused_undo_in_chromium_says_why_first(live_server, axe_page, demo_service,
                                                   tmp_path, size):
    from graphsvc.model import Attendance, Batch
    from graphsvc.store import ImportFile, ImportRecord
    from tests.web import test_layout
    from tests.web.conftest import serious_violations

    sheet = tmp_path / "sheet.csv"
    sheet.write_text(CONSENTING)
    demo_service.imports.load(ADMIN, [sheet], defaults=SessionDefaults(
        "Peer support", date(2020, 2, 3)))
    [record] = [r for r in demo_service.store.imports() if r.source == "sheet.csv"]
    [held] = [s.id for s in demo_service.store.sessions() if s.held_on == date(2020, 2, 3)]
    person = next(v.person_id for v in demo_service.store.attendance([held]))
    other = next(s.id for s in demo_service.store.sessions() if s.id != held)
    demo_service.store.apply(Batch(attendance=[Attendance(other, person, None, 30)]),
                             ImportRecord("imp-later", "2026-12-02T00:00:00+00:00",
                                          (ImportFile("later.csv", "ef" * 32, "sign-in", 1),)))
    page = axe_page
    page.set_viewport_size(getattr(test_layout, size))
    page.goto(live_server + "/imports")
    page.get_by_role("button", name=f"Undo import {record.id}").click()
    page.wait_for_selector("#undo-refused")
    assert page.locator("#undo-refused").is_visible()
    assert "imp-later" in page.locator("#undo-refused").inner_text()
    assert page.locator("#confirm-undo").count() == 0
    scroll_width, width, culprits = page.evaluate(test_layout.OVERFLOW)
    assert scroll_width <= width, culprits
    assert serious_violations(page) == []
    page.click("#cancel-undo")
    page.wait_for_selector("#import-table")


@pytest.mark.browser
def test_the_import_pages_fit_a_phone_fold_their_lists_and_pass_axe(live_server, axe_page,
                                                                     demo_service, tmp_path):
    from tests.web.conftest import serious_violations
    from tests.web.test_layout import OVERFLOW, PHONE

    page, seen = axe_page, {}

    def look(name):
        page.wait_for_load_state("networkidle")
        scroll_width, width, culprits = page.evaluate(OVERFLOW)
        seen[name] = (scroll_width <= width or culprits, serious_violations(page))

    page.set_viewport_size(PHONE)
    page.goto(live_server + "/imports/new")
    look("form")
    page.set_input_files("#files", [str(p) for p in _many(tmp_path, 7)])
    page.click("main button[type=submit]")
    look("problems")
    page.fill("#community", "Peer support")
    page.fill("#date", "2020-03-04")
    page.fill("#place", "Bolton")
    page.click("main button[type=submit]")
    page.wait_for_selector("#confirm")
    files = page.locator("#preview-files")
    assert files.get_by_text("week-02.csv").is_visible()
    assert not files.get_by_text("week-06.csv").is_visible()
    files.locator("details summary").click()
    assert files.get_by_text("week-06.csv").is_visible()
    look("preview")
    page.click("#confirm")
    page.wait_for_selector("#done")
    assert not page.locator("#import-table details").first.locator("li").first.is_visible()
    look("imports")
    page.locator("#import-table button").last.click()
    page.wait_for_selector("#confirm-undo")
    look("undo")
    page.goto(live_server + "/review")
    look("review")
    assert {name: found for name, found in seen.items() if found != (True, [])} == {}
