"""Erasure, tried where a name hides: an upload nobody confirmed, a Windows-1252 sheet, a
workbook's comments and properties, the files of an undone import (the person no longer held),
session titles and import file names, and the audit log. Each test searches the bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment

from graphsvc.service import Graphsvc
from loaders import SessionDefaults
from tests.conftest import ADMIN, build

NAME, EMAIL = "Zoë Brontë-Ashworth", "zoe.bronte@moorside.example"
DEFAULTS = SessionDefaults("Peer support", date(2021, 3, 4), "Bolton", "Peer support")


def spellings(text: str) -> list[bytes]:
    """The ways a name sits in a file: UTF-8, Windows-1252, UTF-16 both ends, XML character
    references (as openpyxl writes cells), any case."""
    found = []
    for variant in (text, text.lower(), text.upper()):
        for encoding in ("utf-8", "cp1252", "utf-16-le", "utf-16-be"):
            found.append(variant.encode(encoding))
        found.append(variant.encode("ascii", "xmlcharrefreplace"))
    return found


def file_bytes(path: Path) -> bytes:
    """A file's bytes, and every part of it when it is a zip (an XLSX is compressed)."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as book:
            data += b"".join(book.read(n) for n in book.namelist())
    return data


def traces_in(folder: Path, *texts: str) -> list[str]:
    return [f"{path.name}: {token!r}" for path in folder.rglob("*") if path.is_file()
            for text in texts for token in spellings(text) if token in file_bytes(path)]


def sheet(folder: Path, name: str = "sign-in.csv", encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes((f"Name,Email,Organisation\n{NAME},{EMAIL},Moorside Carers\n"
                      "Sam Okafor,sam@moorside.example,Moorside Carers\n").encode(encoding))
    return path


def workbook(folder: Path) -> Path:
    """A sign-in workbook whose author, last editor, title and a comment name the person."""
    book = openpyxl.Workbook()
    rows = book.active
    rows.append(["Name", "Email", "Organisation"])
    rows.append([NAME, EMAIL, "Moorside Carers"])
    rows.append(["Sam Okafor", "sam@moorside.example", "Moorside Carers"])
    rows["A2"].comment = Comment(f"{NAME} arrived late", "Desk")
    rows["C3"].comment = Comment("came with a colleague", "Desk")
    book.properties.creator = NAME
    book.properties.lastModifiedBy = NAME
    book.properties.title = f"Sign-in kept by {NAME}"
    path = folder / "sign-in.xlsx"
    book.save(path)
    return path


def everything(service: Graphsvc, tmp_path: Path) -> list[str]:
    """Traces of the person anywhere under the test's folder: database (and its log),
    accounts and audit, archive, staging."""
    return traces_in(tmp_path, NAME, EMAIL)


def test_an_upload_waiting_for_confirmation_is_erased_too(tmp_path):
    service = build(tmp_path / "graphsvc.db")
    incoming = tmp_path / "in"
    incoming.mkdir()
    service.imports.load(ADMIN, [sheet(incoming)], defaults=DEFAULTS)
    staged = incoming / "again.csv"
    staged.write_text(f"Name,Email\n{NAME},{EMAIL}\nAl Moss,al@moorside.example\n")
    token = service.imports.stage(ADMIN, [("again.csv", lambda p: p.write_bytes(
        staged.read_bytes()))])
    for path in incoming.iterdir():
        path.unlink()  # the user's own copies are theirs, not ours
    assert everything(service, tmp_path)
    service.records.forget(ADMIN, EMAIL)
    assert everything(service, tmp_path) == []
    [kept] = service.imports.staging.paths(token)
    assert "Al Moss" in kept.read_text()  # the upload stays, without them
    service.close()


def test_windows_1252_archives_and_workbook_parts_are_scrubbed(tmp_path):
    service = build(tmp_path / "graphsvc.db")
    incoming = tmp_path / "in"
    incoming.mkdir()
    service.imports.load(ADMIN, [sheet(incoming, "windows.csv", "cp1252")], defaults=DEFAULTS)
    service.imports.load(ADMIN, [workbook(incoming)], defaults=SessionDefaults(
        "Peer support", date(2021, 4, 1), "Bolton", "Peer support"))
    for path in incoming.iterdir():
        path.unlink()
    [book, csv] = sorted((Path(f.archive) for r in service.store.imports() for f in r.files),
                         key=lambda path: path.read_bytes()[:2] != b"PK")
    assert NAME.encode("cp1252") in csv.read_bytes()
    with zipfile.ZipFile(book) as parts:
        holding = {n for n in parts.namelist()
                   if any(token in parts.read(n) for token in spellings(NAME))}
    assert {"docProps/core.xml", "xl/worksheets/sheet1.xml"} <= holding
    assert any("comment" in n for n in holding)
    service.records.forget(ADMIN, NAME)
    assert everything(service, tmp_path) == []
    rows = list(openpyxl.load_workbook(io.BytesIO(book.read_bytes())).active.values)
    assert rows[1:] == [("Sam Okafor", "sam@moorside.example", "Moorside Carers")]
    service.close()


def test_an_undone_import_is_erased_by_email_though_nobody_holds_the_person(tmp_path):
    service = build(tmp_path / "graphsvc.db")
    incoming = tmp_path / "in"
    incoming.mkdir()
    plan = service.imports.load(ADMIN, [sheet(incoming)], defaults=DEFAULTS)
    (incoming / "sign-in.csv").unlink()
    service.imports.undo(ADMIN, plan.record.id)
    assert not [p for p in service.store.people() if p.email == EMAIL]
    assert everything(service, tmp_path)  # the undone import's file is still archived
    report = service.records.forget(ADMIN, EMAIL.upper())
    assert report["archived_rows_removed"] == 1
    assert everything(service, tmp_path) == []
    again = service.imports.load(ADMIN, [sheet(incoming)], defaults=DEFAULTS)
    [latest] = [r for r in service.store.imports() if r.id == again.record.id]
    assert latest.counts["erased_people_skipped"] == 1
    (incoming / "sign-in.csv").unlink()
    assert everything(service, tmp_path) == []
    service.close()


def test_titles_file_names_and_the_audit_log_keep_no_name(tmp_path):
    service = build(tmp_path / "graphsvc.db", accounts=tmp_path / "accounts.db")
    incoming = tmp_path / "in"
    incoming.mkdir()
    named = sheet(incoming, f"Peer support - 2021-03-04 - Bolton - Coffee with {NAME}.csv")
    service.imports.load(ADMIN, [named], defaults=SessionDefaults(community="Peer support"))
    named.unlink()
    person = next(p for p in service.store.people() if p.email == EMAIL)
    service.views.node(ADMIN, person.id)
    assert any(NAME in s.title for s in service.store.sessions())
    assert any(NAME in f.source for r in service.store.imports() for f in r.files)
    service.records.forget(ADMIN, person.id)
    assert not any(NAME in s.title for s in service.store.sessions())
    assert not any(NAME in f.source for r in service.store.imports() for f in r.files)
    entries = service.access.accounts.audit_entries(limit=100)
    assert {"view", "erasure"} <= {e["action"] for e in entries}
    assert everything(service, tmp_path) == []
    assert service.access.accounts.verify() is None  # the chain holds after the erasure
    service.close()
