"""Uploaded files waiting to be imported: kept outside the web root under names of our own,
judged by their content, previewed, then loaded or discarded. Uploads nobody confirmed or
cancelled are removed after a day, and erasure reaches them while they wait.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
import zipfile
from pathlib import Path
from typing import Callable, Iterator

from graphsvc.errors import InputError, NotFound

EXPIRES_SECONDS = 24 * 3600
MAX_NAME = 100  # characters of an uploaded file's name that are kept
_TOKEN = re.compile(r"[0-9a-f]{32}")
MAGIC = {b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"%PDF": "a PDF",
         b"\x7fELF": "a program", b"MZ": "a Windows program", b"\xff\xd8\xff": "a JPEG image",
         b"<!DOCTYPE html": "a web page", b"<html": "a web page", b"\x1f\x8b": "a gzip archive"}


def safe_name(name: str) -> str:
    """An uploaded file's name made safe to keep: ASCII letters, digits, ``-_.`` and spaces, at
    most :data:`MAX_NAME` characters (the extension kept).

    >>> safe_name("../../etc/passwd"), safe_name("C:\\\\x\\\\b.csv"), safe_name("")
    ('passwd', 'b.csv', 'upload')
    >>> len(safe_name("a" * 300 + ".csv")), safe_name("a" * 300 + ".csv")[-8:]
    (100, 'aaaa.csv')
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^\w .-]", "_", base, flags=re.ASCII).strip(" ._") or "upload"
    stem, dot, ending = cleaned.rpartition(".")
    if dot and len(ending) <= 8:
        return stem[:MAX_NAME - len(ending) - 1] + "." + ending
    return cleaned[:MAX_NAME]


def sniff(path: Path, name: str) -> None:
    """Refuse what is not an export by its content, whatever its name says: loaders read
    text (CSV, TSV, UTF-8 or UTF-16) and XLSX workbooks only."""
    head = path.read_bytes()[:8192]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                if "[Content_Types].xml" in archive.namelist():
                    return
            kind = "a zip archive"
        except zipfile.BadZipFile:
            kind = "a damaged zip archive"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    else:
        kind = next((k for magic, k in MAGIC.items() if head.lstrip().lower().startswith(
            magic.lower())), "binary data" if b"\x00" in head else None)
    if kind:
        raise InputError(f"{name}: this is {kind}, not an attendance export (CSV or XLSX)",
                         column="files", value=name)


class Staging:
    """A folder of staged uploads, one folder per upload, a folder per file within it."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def stage(self, files: list[tuple[str, Callable[[Path], None]]]) -> str:
        """Keep uploaded files (each a name and a function saving it to a path); the token
        that names them. Refused, and nothing kept, if any is not an export."""
        if not files:
            raise InputError("choose at least one file to import", column="files")
        self.expire()
        token = secrets.token_hex(16)
        folder = self.root / token
        folder.mkdir(parents=True)
        try:
            for number, (name, save) in enumerate(files):
                path = folder / f"{number:03d}" / safe_name(name)
                path.parent.mkdir()
                save(path)
                sniff(path, path.name)
        except BaseException:
            self.discard(token)
            raise
        return token

    def paths(self, token: str) -> list[Path]:
        if not _TOKEN.fullmatch(token or "") or not (self.root / token).is_dir():
            raise NotFound("no such upload (it was loaded, cancelled, or is over a day old)")
        folder = self.root / token
        return sorted(path for sub in sorted(folder.iterdir()) for path in sub.iterdir())

    def discard(self, token: str) -> None:
        if _TOKEN.fullmatch(token or ""):
            shutil.rmtree(self.root / token, ignore_errors=True)

    def expire(self, now: float | None = None) -> None:
        """Remove uploads nobody confirmed or cancelled within a day."""
        now = now or time.time()
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.is_dir() and now - folder.stat().st_mtime > EXPIRES_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)

    def files(self) -> Iterator[Path]:
        """Every staged file (for erasure)."""
        if self.root.is_dir():
            yield from (p for p in self.root.rglob("*") if p.is_file())
