"""Sign-in sheets and attendance logs, from rows as the real files lay them out."""

import csv
import io
from datetime import date

import pytest

from graphsvc.errors import InputError
from loaders import detect_format, parse_rows
from loaders.attendance import SessionDefaults, parse_attendance
from loaders.files import read_rows

SESSION = SessionDefaults("GM peer support", date(2019, 5, 1), "Bolton")


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_a_paper_sign_in_sheet_typed_up():
    parsed = parse_attendance(rows(
        "First name,Surname,Organisation,Job title,E-mail address,Post code\n"
        "Ann,Lee,Bolton Carers,Chief Executive,Ann.Lee@Carers.example,BL1 1AA\n"
        ",,,,,\n"
        "Bob,Khan,,,,\n"), defaults=SESSION)
    assert parsed.problems == []
    assert parsed.format == "sign-in"
    ann, bob = (r.person for r in parsed.records)
    assert (ann.name, ann.email, ann.organisation, ann.job_title, ann.postcode) == (
        "Ann Lee", "ann.lee@carers.example", "Bolton Carers", "Chief Executive", "BL1 1AA")
    assert bob.name == "Bob Khan" and bob.email is None
    assert parsed.records[0].session.community == "GM peer support"
    assert parsed.records[1].row == 4  # the blank row is skipped, numbering is not


def test_an_attendance_log_holds_many_sessions():
    parsed = parse_attendance(rows(
        "Date,Session,Community,Place,Name,Organisation,Attending as,Session role,Minutes\n"
        "2017-03-01,Kick-off,Peer support,Online,Ann Lee,Oak Trust,Professional,Facilitator,90\n"
        "02/03/2017,Next,Peer support,Wigan,Cat Ng,,Carer,,45\n"))
    assert parsed.problems == [] and parsed.format == "attendance-log"
    first, second = parsed.records
    assert (first.session.held_on, first.session.place, first.session_role, first.minutes) == (
        date(2017, 3, 1), "Online", "facilitator", 90)
    assert (second.session.held_on, second.person.lived_experience) == (date(2017, 3, 2), "carer")


@pytest.mark.parametrize("line, column, value, reason", [
    ("2017-13-45,T,C,Online,Ann Lee,x@y.example,30", "Date", "2017-13-45", "not a date"),
    ("2017-03-01,T,C,Online,Ann Lee,not-an-email,30", "Email", "not-an-email", "email"),
    ("2017-03-01,T,C,Online,Ann Lee,x@y.example,half an hour", "Minutes", "half an hour", "whole number"),
    ("2017-03-01,T,,Online,Ann Lee,x@y.example,30", "Community", "", "community is empty"),
])
def test_a_bad_cell_is_named_by_row_column_and_value(line, column, value, reason):
    parsed = parse_attendance(rows("Date,Session,Community,Place,Name,Email,Minutes\n"
                                   "2017-03-01,T,C,Online,Bob Khan,b@y.example,30\n" + line + "\n"),
                              source="march.csv")
    [problem] = parsed.problems
    assert (problem.file, problem.row, problem.column, problem.value) == ("march.csv", 3, column, value)
    assert reason in str(problem) and "march.csv" in str(problem) and "row 3" in str(problem)
    assert len(parsed.records) == 1


def test_every_row_with_the_same_bad_value_is_reported():
    parsed = parse_attendance(rows("Name,Email\nAnn Lee,nope\nAnn Lee,nope\n"), defaults=SESSION)
    assert [p.row for p in parsed.problems] == [2, 3]


def test_missing_columns_say_what_is_needed():
    parsed = parse_attendance(rows("Name,Email\nAnn,a@b.example\n"), source="s.csv")
    assert parsed.problems[0].option == "community"
    parsed = parse_attendance(rows("Colour,Shape\nred,round\n"), defaults=SESSION)
    assert "no name column" in str(parsed.problems[0])


def test_a_column_mapping_names_what_the_table_does_not_know():
    parsed = parse_attendance(rows("Delegate,Employer org\nAnn Lee,Oak Trust\n"), defaults=SESSION,
                              mapping={"Delegate": "name", "Employer org": "organisation"})
    assert (parsed.records[0].person.name, parsed.records[0].person.organisation) == ("Ann Lee", "Oak Trust")


def test_formula_like_cells_stay_text():
    parsed = parse_attendance(rows('Name,Organisation\n"=HYPERLINK(""x"")",@SUM(A1)\n'),
                              defaults=SESSION)
    person = parsed.records[0].person
    assert (person.name, person.organisation) == ('=HYPERLINK("x")', "@SUM(A1)")


def test_format_detection_from_headers():
    assert detect_format(["Name", "Email", "Organisation"]) == "sign-in"
    assert detect_format(["Date", "Community", "Full name"]) == "attendance-log"
    assert detect_format(["Name", "Sector", "Borough"]) == "organisations"
    assert detect_format(["Community", "Domain", "Scope"]) == "communities"
    with pytest.raises(InputError, match="cannot tell what kind of file"):
        parse_rows([["Colour", "Shape"]], source="odd.csv")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_files_decode_whatever_their_encoding(tmp_path, encoding):
    path = tmp_path / "sheet.csv"
    path.write_bytes("Name,Organisation\nZoë Brontë,Café Trust\n".encode(encoding))
    assert read_rows(path)[1] == ["Zoë Brontë", "Café Trust"]


def test_spreadsheets_are_read_from_the_first_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Name", "Date", "Community", "Minutes"])
    book.active.append(["Ann Lee", date(2018, 6, 1), "Peer support", 60])
    book.save(tmp_path / "sheet.xlsx")
    parsed = parse_rows(read_rows(tmp_path / "sheet.xlsx"), source="sheet.xlsx")
    assert parsed.problems == []
    assert (parsed.records[0].session.held_on, parsed.records[0].minutes) == (date(2018, 6, 1), 60)


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"PK\x03\x04 truncated zip", "cannot be opened"),
])
def test_unreadable_files_get_a_clear_error(tmp_path, content, reason):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason) as caught:
        read_rows(path)
    assert "upload.csv" in str(caught.value)


def test_files_over_the_size_limit_are_refused(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("Name\n" + "Ann Lee\n" * 1000)
    with pytest.raises(InputError, match="over the limit"):
        read_rows(path, max_bytes=100)


def test_big_text_files_are_read_as_a_stream(tmp_path):
    from loaders.files import RowStream, stream_rows

    path = tmp_path / "log.csv"
    path.write_text("Name,Email\n" + "".join(f"P{i},p{i}@x.example\n" for i in range(5000)))
    rows = stream_rows(path)
    assert isinstance(rows, RowStream) and len(rows.head) == RowStream.HEAD
    assert sum(1 for _ in rows) == 5001


def test_a_bad_byte_deep_in_a_utf8_file_is_named(tmp_path):
    from loaders.files import stream_rows

    path = tmp_path / "late.csv"
    good = "Name,Organisation\n" + "Ann Lee,Oak Trust\n" * 80_000  # over the 1 MiB sample
    path.write_bytes(good.encode() + "Zoë,Café\n".encode("cp1252"))
    rows = stream_rows(path)
    with pytest.raises(InputError, match="not UTF-8 near line"):
        list(rows)
