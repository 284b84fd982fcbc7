"""The archive of imported files, and rewriting an archived file without the rows that name an
erased person: a row goes when it holds their email, or every word of their name as a word of
its own (so "Smith, Chloe" and separate first- and last-name columns go too)."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from graphsvc.model import fold

WORD = re.compile(r"[\w'@.+-]+")
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def names_them(text: str, name: str, email: str | None) -> bool:
    """Does this row of a file name the person?

    >>> names_them("Smith, Chloe,chloe@x.org", "Chloe Smith", None)
    True
    >>> names_them("Chloe Smithson", "Chloe Smith", None)
    False
    >>> names_them("someone,CHLOE@X.ORG", "Ann Other", "chloe@x.org")
    True
    """
    folded = fold(text)
    if email and email.casefold() in folded:
        return True
    words = fold(name).split()
    return bool(words) and set(words) <= set(WORD.findall(folded)) | set(folded.split())


REMOVED = "(name removed)"


def names_in(text: str | None, name: str) -> bool:
    """Does a title or a file name hold a person's full name (any case or accents)?

    >>> names_in("Farewell to Chloé Smith", "chloe smith"), names_in("Smithy's", "Chloe Smith")
    (True, False)
    """
    wanted = " ".join(WORD.findall(fold(name)))
    return bool(text and wanted) and wanted in " ".join(WORD.findall(fold(text)))


def without_name(text: str, name: str) -> str:
    """A title or file name with a person's name taken out (all of it, where an accent
    differs and the name cannot be cut out alone).

    >>> without_name("Farewell to Chloe SMITH.csv", "Chloe Smith")
    'Farewell to (name removed).csv'
    """
    words = name.split()
    pattern = re.compile(r"\W+".join(re.escape(w) for w in words), re.IGNORECASE)
    cut = pattern.sub(REMOVED, text)
    return cut if cut != text else REMOVED


def scrub(path: Path, name: str, email: str | None) -> int:
    """Rewrite an archived (or staged) file without what names the person: the rows, and in
    a workbook also the comments and document properties; how many rows went."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data)):
        return _scrub_workbook(path, name, email)
    bom, encoding = _encoding(data)
    text = data[len(bom):].decode(encoding, errors="surrogateescape")
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if not names_them(line, name, email)]
    if len(kept) == len(lines):
        return 0
    _replace(path, bom + "".join(kept).encode(encoding, errors="surrogateescape"))
    return len(lines) - len(kept)


def _encoding(data: bytes) -> tuple[bytes, str]:
    """A text file's byte-order mark and encoding, as the loaders read it (UTF-8, UTF-16 with
    a mark, else Windows-1252), so a name with an accent is found in any of them."""
    bom, encoding = next(((b, e) for b, e in BOMS if data.startswith(b)), (b"", None))
    if encoding is not None:
        return bom, encoding
    try:
        data.decode("utf-8")
        return b"", "utf-8"
    except UnicodeDecodeError:
        return b"", "cp1252"


PROPERTIES = ("creator", "lastModifiedBy", "title", "subject", "description", "keywords",
              "category", "identifier", "contentStatus")


def _scrub_workbook(path: Path, name: str, email: str | None) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(path.read_bytes()))
    dropped, changed = 0, False
    for sheet in book.worksheets:
        for row in range(sheet.max_row, 0, -1):
            cells = " , ".join(str(c.value) for c in sheet[row] if c.value is not None)
            if cells and names_them(cells, name, email):
                sheet.delete_rows(row)
                dropped += 1
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None and names_them(
                        f"{cell.comment.text} {cell.comment.author or ''}", name, email):
                    cell.comment, changed = None, True
    for field in PROPERTIES:
        value = getattr(book.properties, field, None)
        if isinstance(value, str) and names_them(value, name, email):
            setattr(book.properties, field, None)
            changed = True
    if dropped or changed:
        out = io.BytesIO()
        book.save(out)
        _replace(path, out.getvalue())
    return dropped


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".scrub")
    temporary.write_bytes(data)
    os.replace(temporary, path)
