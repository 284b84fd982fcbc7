"""Opening and decoding files: the only place loaders touch the disk."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from graphsvc.errors import InputError

MAX_BYTES = 200 * 1024 * 1024


MAX_UNPACKED = 256 * 1024 * 1024  # what a workbook's parts may hold, unpacked, in all
MAX_RATIO = 100  # how many times smaller a big part may be packed than unpacked


def check_workbook(raw: bytes, source: str) -> None:
    """Refuse a workbook before it is opened if it would unpack to too much (a "zip bomb")
    or its XML declares entities (which could read other files or multiply themselves)."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(f"the spreadsheet cannot be opened ({exc})", file=source) from exc
    total = sum(p.file_size for p in parts)
    packed = [p for p in parts if p.file_size > 1 << 20
              and p.file_size > MAX_RATIO * max(p.compress_size, 1)]
    if total > MAX_UNPACKED or packed:
        raise InputError(f"the spreadsheet would unpack to {total:,} bytes"
                         + (f" ({packed[0].filename} is packed over {MAX_RATIO} times)"
                            if packed else f", over the limit of {MAX_UNPACKED:,}")
                         + "; it is refused unopened", file=source)
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            with archive.open(part) as handle:
                head = handle.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise InputError(f"the spreadsheet's {part.filename} declares a DOCTYPE or "
                                 "entities, which a workbook never needs; it is refused "
                                 "unopened", file=source)


def xlsx_rows(raw: bytes, source: str) -> list[list[str]]:
    from openpyxl import load_workbook

    check_workbook(raw, source)
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
