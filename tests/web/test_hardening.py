"""Hardening, tried as an attacker would: a burst of sign-in tries at once, a huge username, a
cookie kept after sign-out, a token kept after a reset, a crafted workbook, odd form values and
file names (each answered in the JSON error shape or the error page, never a 500), and a
spreadsheet formula hidden after a semicolon."""

from __future__ import annotations

import io
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from http.cookiejar import CookieJar

import openpyxl
import pytest

from tests.conftest import USER_PASSWORD, sign_in

FORM = {"community": "Peer support", "date": "2020-02-03", "place": "Bolton"}


def sign_in_over_http(base: str, username: str, password: str) -> int:
    """One browser's sign-in through a real socket: the login form, then its POST."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                         NoRedirects)
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrf_token": token}).encode()
    try:
        return opener.open(f"{base}/login", data=body).status
    except urllib.error.HTTPError as answer:
        return answer.code


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_thirty_simultaneous_tries_are_throttled_like_thirty_in_a_row(app, live_server,
                                                                      monkeypatch):
    """Twenty-nine guesses and the right password, all at once: five passwords are checked
    (the right one gets in only if it was among them), the rest are refused unchecked."""
    accounts = app.extensions["accounts"]
    checked: list[str] = []
    real_check = accounts.check_password

    def counted(username, password):
        checked.append(password)
        return real_check(username, password)

    monkeypatch.setattr(accounts, "check_password", counted)
    results: list[int] = []
    start = threading.Barrier(30)

    def attempt(n: int) -> None:
        start.wait()
        password = USER_PASSWORD if n == 17 else f"guess {n}"
        results.append(sign_in_over_http(live_server, "viewer", password))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= 5 and results.count(429) >= 25
    assert (302 in results) == (USER_PASSWORD in checked)


def test_a_huge_username_is_refused_before_it_is_kept_or_logged(app, anonymous, tmp_path):
    accounts_file = tmp_path / "accounts.db"
    before = sum(p.stat().st_size for p in tmp_path.glob("accounts.db*"))
    page = anonymous.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = anonymous.post("/login", data={"username": "x" * 5_000_000,
                                              "password": "y", "csrf_token": token})
    assert response.status_code in (400, 401, 413)
    grown = sum(p.stat().st_size for p in tmp_path.glob("accounts.db*")) - before
    assert accounts_file.exists() and grown < 100_000
    assert all(len(e["actor"]) + len(e["detail"]) < 1000
               for e in app.extensions["accounts"].audit_entries(limit=50))


def test_a_cookie_kept_after_sign_out_no_longer_works(app):
    client = sign_in(app.test_client(), "viewer")
    cookie = client.get_cookie("graphsvc_session").value
    assert client.get("/api/me").status_code == 200
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("graphsvc_session", cookie)
    assert thief.get("/api/me").status_code == 401


def test_a_token_issued_before_a_password_reset_is_revoked(app, anonymous):
    accounts = app.extensions["accounts"]
    _, secret = accounts.issue_token("viewer", "old laptop")
    headers = {"Authorization": f"Bearer {secret}"}
    assert anonymous.get("/api/me", headers=headers).status_code == 200
    accounts.reset_password("viewer", USER_PASSWORD + " renewed")
    assert anonymous.get("/api/me", headers=headers).status_code == 401


def bomb() -> bytes:
    """A valid workbook with one more part: 200 MB of zeros packed into a few hundred KB."""
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as parts:
        parts.writestr("xl/media/padding.xml", b"\0" * 200_000_000)
    return book.getvalue()


def with_entities() -> bytes:
    """A workbook whose shared strings declare an external entity (XXE)."""
    book = io.BytesIO()
    sheet = openpyxl.Workbook()
    sheet.active.append(["Name", "Email"])
    sheet.active.append(["Ann Lee", "ann@example.org"])
    sheet.save(book)
    out = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                        b'"file:///etc/passwd">]>' + data.replace(b"Ann Lee", b"&e;"))
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("content, said", [(bomb, "unpack"), (with_entities, "entities")])
def test_crafted_workbooks_are_refused_unopened(client, demo_service, content, said):
    before = demo_service.store.revision()
    response = client.post("/api/imports", data={**FORM, "files": (io.BytesIO(content()),
                                                                  "sign-in.xlsx")},
                           content_type="multipart/form-data")
    body = response.get_json()
    assert response.status_code == 400 and body["ok"] is False and said in body["error"]
    assert demo_service.store.revision() == before


@pytest.mark.parametrize("ask", [
    lambda c: c.post("/account", data={"revoke": "abc"}),
    lambda c: c.post("/account", data={"revoke": "9" * 40}),
    lambda c: c.post("/api/imports", data={**FORM, "files": (io.BytesIO(b"Name,Email\n"),
                                                            "é" * 200 + ".csv")},
                     content_type="multipart/form-data"),
    lambda c: c.post("/api/imports", data={**FORM, "date": "2020-02-31", "files": (
        io.BytesIO(b"Name,Email\nAnn Lee,ann@example.org\n"), "sheet.csv")},
        content_type="multipart/form-data"),
    lambda c: c.get("/api/network?network=people&limit=abc"),
    lambda c: c.get("/api/overview?as_of=2020-13-45"),
    lambda c: c.get("/api/reviews/abc"),
    lambda c: c.post("/admin/tokens/99999999999999999999999/revoke"),
])
def test_odd_values_get_an_error_not_a_crash(client, ask):
    response = ask(client)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400 and response.is_json:
        assert response.get_json()["ok"] is False and response.get_json()["error"]


def test_a_formula_after_a_semicolon_is_not_a_formula(client, demo_service, tmp_path):
    from datetime import date

    from loaders import SessionDefaults
    from tests.conftest import ADMIN

    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Name,Email,Organisation\n"
                     'Ann Lee,ann@semi.example,"Semi;=HYPERLINK(""http://x"");"\n'
                     "Bob Khan,bob@elm.example,Elm Trust\n")
    demo_service.imports.load(ADMIN, [sheet], defaults=SessionDefaults(
        "Peer support", date(2020, 2, 3), "Bolton", "Semicolons"))
    exported = client.get("/exports/organisations/csv")
    text = exported.get_data(as_text=True)
    assert "HYPERLINK" in text
    for cell in re.split(r"[;,\n]", text):
        assert not cell.strip().strip('"').startswith(("=", "+", "-", "@")), cell
