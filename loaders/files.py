"""Opening and decoding files: the only place loaders touch the disk."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from graphsvc.errors import InputError

MAX_BYTES = 200 * 1024 * 1024


def xlsx_rows(raw: bytes, source: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise InputError(f"the spreadsheet cannot be opened ({type(exc).__name__})",
                         file=source) from exc
    sheet = book.worksheets[0]
    rows = [["" if v is None else _cell_text(v) for v in row]
            for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _cell_text(value) -> str:
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat() if (value.hour, value.minute) == (0, 0) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(path: str | Path, max_bytes: int = MAX_BYTES) -> list[list[str]]:
    """All rows of a CSV, TSV or XLSX file, however it was encoded (small files; big ones are
    better read with :func:`stream_rows`)."""
    return list(stream_rows(path, max_bytes))


class RowStream:
    """The rows of a CSV or TSV file, read as they are needed, so a million-row file is never
    held whole. ``head`` holds the first rows, for telling the format."""

    HEAD = 64

    def __init__(self, path: Path, source: str, encoding: str, delimiter: str):
        self.path, self.source, self.encoding, self.delimiter = path, source, encoding, delimiter
        self.head = list(_take(self._rows(), self.HEAD))

    def _rows(self):
        with open(self.path, encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            try:
                yield from reader
            except UnicodeDecodeError as exc:
                name = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(self.encoding, self.encoding)
                raise InputError(f"the text is not {name} near line {reader.line_num + 1}; "
                                 "save the file as UTF-8", file=self.source) from exc
            except csv.Error as exc:
                raise InputError(f"the CSV cannot be read at line {reader.line_num} ({exc})",
                                 file=self.source) from exc

    def __iter__(self):
        return self._rows()

    def __getitem__(self, index):  # the head, for code that looks at the first rows
        return self.head[index]

    def __len__(self) -> int:
        return len(self.head)


def _take(rows, count: int) -> list:
    out = []
    for row in rows:
        out.append(row)
        if len(out) >= count:
            break
    return out


def stream_rows(path: str | Path, max_bytes: int = MAX_BYTES):
    """Rows of a file: a :class:`RowStream` for CSV and TSV text, a list for XLSX."""
    path = Path(path)
    source = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", file=str(path)) from exc
    if size > max_bytes:
        raise InputError(f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
                         file=source)
    with open(path, "rb") as handle:
        start = handle.read(1 << 20)
    if start.startswith(b"PK\x03\x04"):
        return xlsx_rows(path.read_bytes(), source)
    encoding = _encoding(start, source, complete=size <= len(start))
    sample = start[:16384].decode(encoding, errors="ignore")
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return RowStream(path, source, encoding, delimiter)


def _encoding(start: bytes, source: str, complete: bool) -> str:
    if not start.strip():
        raise InputError("the file is empty", file=source)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in start[:4096]:
        raise InputError("this is a binary file, not a CSV or spreadsheet export", file=source)
    try:
        start.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(start) - 4:
            return "utf-8-sig"  # a character cut at the end of the sample
        return "cp1252"
