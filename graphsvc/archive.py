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


def scrub(path: Path, name: str, email: str | None) -> int:
    """Rewrite an archived file without the rows naming the person; how many went."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data)):
        return _scrub_workbook(path, name, email)
    bom, encoding = next(((b, e) for b, e in BOMS if data.startswith(b)), (b"", "utf-8"))
    text = data[len(bom):].decode(encoding, errors="surrogateescape")
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if not names_them(line, name, email)]
    if len(kept) == len(lines):
        return 0
    _replace(path, bom + "".join(kept).encode(encoding, errors="surrogateescape"))
    return len(lines) - len(kept)


def _scrub_workbook(path: Path, name: str, email: str | None) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(path.read_bytes()))
    dropped = 0
    for sheet in book.worksheets:
        for row in range(sheet.max_row, 0, -1):
            cells = " , ".join(str(c.value) for c in sheet[row] if c.value is not None)
            if cells and names_them(cells, name, email):
                sheet.delete_rows(row)
                dropped += 1
    if dropped:
        out = io.BytesIO()
        book.save(out)
        _replace(path, out.getvalue())
    return dropped


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".scrub")
    temporary.write_bytes(data)
    os.replace(temporary, path)
