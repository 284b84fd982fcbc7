"""Uploading files to import: staged on the server (never under the web root, never under the
name the browser sent), previewed, then confirmed or cancelled. Undo from the imports page."""

from __future__ import annotations

import re
import secrets
import shutil
from datetime import date
from pathlib import Path

from flask import (Blueprint, abort, current_app, g, jsonify, redirect, render_template,
                   request, url_for)
from werkzeug.utils import secure_filename

from graphsvc.errors import ImportProblems, InputError
from graphsvc.web.routes import route
from loaders import FORMATS, SessionDefaults

bp = Blueprint("uploads", __name__)
_TOKEN = re.compile(r"[0-9a-f]{32}")


def service():
    return current_app.extensions["graphsvc"]


def staging_root() -> Path:
    archive = service().imports.archive or Path(current_app.instance_path)
    return Path(archive).parent / f"{Path(archive).name}.staging"


def _stage() -> tuple[str, list[Path]]:
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        raise InputError("choose at least one file to import", column="files")
    token = secrets.token_hex(16)
    folder = staging_root() / token
    folder.mkdir(parents=True)
    paths = []
    try:
        for number, upload in enumerate(files):
            # a folder per file keeps two uploads of one name apart; the name is made safe
            path = folder / f"{number:03d}" / (secure_filename(upload.filename) or "upload")
            path.parent.mkdir()
            upload.save(path)
            sniff(path, upload.filename)
            paths.append(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return token, paths


MAGIC = {b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"%PDF": "a PDF",
         b"\x7fELF": "a program", b"MZ": "a Windows program", b"\xff\xd8\xff": "a JPEG image",
         b"<!DOCTYPE html": "a web page", b"<html": "a web page", b"\x1f\x8b": "a gzip archive"}


def sniff(path: Path, name: str) -> None:
    """Refuse what is not an export by its content, whatever its name says: loaders read
    text (CSV, TSV, UTF-8 or UTF-16) and XLSX workbooks only."""
    import zipfile

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


def _staged(token: str) -> list[Path]:
    if not _TOKEN.fullmatch(token):
        abort(404)
    folder = staging_root() / token
    if not folder.is_dir():
        abort(404)
    return sorted(path for sub in sorted(folder.iterdir()) for path in sub.iterdir())


def _defaults(form) -> tuple[str | None, SessionDefaults]:
    fmt = form.get("format") or None
    if fmt is not None and fmt not in FORMATS:
        raise InputError("accepted: " + ", ".join(FORMATS), column="format", value=fmt)
    held = (form.get("date") or "").strip()
    try:
        held_on = date.fromisoformat(held) if held else None
    except ValueError:
        raise InputError("give the date as YYYY-MM-DD", column="date", value=held) from None
    return fmt, SessionDefaults(form.get("community") or None, held_on,
                                form.get("place") or None, form.get("title") or None)


def _preview(paths: list[Path], form):
    fmt, defaults = _defaults(form)
    return service().imports.preview(g.user, paths, format=fmt, defaults=defaults)


@route(bp, "/imports/new", role="admin")
def upload_form():
    return render_template("upload.html", formats=FORMATS, stats=service().views.stats(g.user))


@route(bp, "/imports/new", role="admin", methods=("POST",))
def upload():
    token, paths = _stage()
    try:
        plan = _preview(paths, request.form)
    except ImportProblems as exc:
        shutil.rmtree(staging_root() / token, ignore_errors=True)
        return render_template("upload.html", formats=FORMATS, problems=exc.problems,
                               file=exc.file, stats=service().views.stats(g.user)), 400
    plan.close()
    return render_template("preview.html", reports=plan.reports, token=token,
                           form=request.form.to_dict(), new=plan.record is not None,
                           stats=service().views.stats(g.user))


@route(bp, "/imports/<token>/confirm", role="admin", methods=("POST",))
def confirm(token: str):
    paths = _staged(token)
    try:
        plan = _preview(paths, request.form)
        service().imports.confirm(g.user, plan)
    finally:
        shutil.rmtree(staging_root() / token, ignore_errors=True)
    done = f"loaded as import {plan.record.id}" if plan.record else "nothing changed"
    return redirect(url_for("imports.imports_page", done=done))


@route(bp, "/imports/<token>/cancel", role="admin", methods=("POST",))
def cancel(token: str):
    _staged(token)
    shutil.rmtree(staging_root() / token, ignore_errors=True)
    return redirect(url_for("imports.imports_page", done="import cancelled; nothing written"))


@route(bp, "/imports/<import_id>/undo", role="admin", methods=("POST",))
def undo(import_id: str):
    removed = service().imports.undo(g.user, import_id)
    total = sum(removed.values())
    return redirect(url_for("imports.imports_page",
                            done=f"import {import_id} undone ({total:,} rows removed)"))


IMPORT_FORM = {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"], "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "format": {"type": "string"}, "community": {"type": "string"},
        "date": {"type": "string", "format": "date"}, "place": {"type": "string"},
        "title": {"type": "string"}, "dry_run": {"enum": ["true", "false"]}}}}}


@route(bp, "/api/imports", role="admin", methods=("POST",),
       summary="Load uploaded files as one import (dry_run=true: preview only)",
       body=IMPORT_FORM, responses={"413": "Too large"})
def api_import():
    """Load uploaded files as one import; ``dry_run=true`` previews without writing."""
    token, paths = _stage()
    try:
        plan = _preview(paths, request.form)
        dry_run = request.form.get("dry_run", "false").lower() in ("1", "true", "yes")
        if dry_run:
            plan.close()
        else:
            service().imports.confirm(g.user, plan)
    finally:
        shutil.rmtree(staging_root() / token, ignore_errors=True)
    return jsonify({"ok": True, "dry_run": dry_run,
                    "import": plan.record.id if plan.record and not dry_run else None,
                    "files": [r.as_dict() for r in plan.reports]})
