"""Uploading files to import: staged on the server (never under the web root, never under the
name the browser sent), previewed, then confirmed or cancelled. Undo from the imports page."""

from __future__ import annotations

from datetime import date

from flask import (Blueprint, abort, current_app, g, jsonify, redirect, render_template, request,
                   url_for)

from graphsvc.errors import ImportProblems, InputError, NotFound
from graphsvc.web.routes import route
from loaders import FORMATS, SessionDefaults
from loaders.eventbrite import COUNTS

bp = Blueprint("uploads", __name__)


def service():
    return current_app.extensions["graphsvc"]


def _uploads() -> list:
    """The chosen files, as (name, save) for the service to stage."""
    return [(f.filename, f.save) for f in request.files.getlist("files") if f and f.filename]


DEMO_REFUSAL = ("This is the open demo: anyone may use it without signing in, and everyone in "
                "it is made up, so it takes no uploads. To import your own files, run graphsvc "
                "where people sign in (see the README).")


@bp.before_request
def _refuse_in_demo():
    """The open demo holds synthetic people only, and says so on every page: nobody may load
    a real file into it."""
    if current_app.config["SETTINGS"].demo and request.method == "POST" and \
            request.endpoint in ("uploads.upload", "uploads.confirm", "uploads.api_import"):
        abort(403, DEMO_REFUSAL)


def _defaults(form) -> tuple[str | None, SessionDefaults]:
    for field in ("community", "place", "title"):
        if len(form.get(field) or "") > 200:
            raise InputError("at most 200 characters", option=field,
                             value=(form.get(field) or "")[:40] + "...")
    fmt = form.get("format") or None
    if fmt is not None and fmt not in FORMATS:
        raise InputError("accepted: " + ", ".join(FORMATS), option="format", value=fmt)
    held = (form.get("date") or "").strip()
    try:
        held_on = date.fromisoformat(held) if held else None
    except ValueError:
        raise InputError("give the date as YYYY-MM-DD", option="date", value=held) from None
    return fmt, SessionDefaults(form.get("community") or None, held_on,
                                form.get("place") or None, form.get("title") or None)


# the form's fields, by the option names problems carry (graphsvc.errors.InputError.option)
FIELDS = {"files": "Files", "format": "Format", "community": "Community",
          "date": "Session date", "place": "Place", "title": "Session title", "count": "Count",
          "skip_invalid": "Leave out rows with problems (and list them); load the rest"}


def _options(form) -> dict:
    fmt, defaults = _defaults(form)
    count = form.get("count") or "attended"
    if count not in COUNTS:
        raise InputError("accepted: " + ", ".join(COUNTS), option="count", value=count[:40])
    return {"format": fmt, "defaults": defaults, "count": count,
            "skip_invalid": (form.get("skip_invalid") or "").lower() in ("1", "true", "on", "yes")}


def field_of(problem: InputError) -> str | None:
    """The form field that would settle a problem (its name in :data:`FIELDS`), if any: the
    option it names, or the column of a problem that is not in a file (the form's own)."""
    if problem.option in FIELDS:
        return problem.option
    return problem.column if problem.file is None and problem.column in FIELDS else None


def _form_page(status: int = 200, staged: str | None = None, **extra):
    kept = service().imports.staged(g.user, staged) if staged else []
    return render_template("upload.html", formats=FORMATS, fields=FIELDS, field_of=field_of,
                           staged=staged if kept else None, kept=kept,
                           refused=DEMO_REFUSAL if current_app.config["SETTINGS"].demo else None,
                           stats=service().views.stats(g.user), **extra), status


@route(bp, "/imports/new", role="admin")
def upload_form():
    return _form_page()


def _staged_upload(imports) -> str:
    """The upload to preview: the files just chosen, else those kept from the last try
    (which new files replace)."""
    chosen, kept = _uploads(), request.form.get("staged", "")
    if kept and not chosen:
        try:
            imports.staged(g.user, kept)
            return kept
        except NotFound:
            raise InputError("the files chosen before are no longer kept (they are kept for a "
                             "day); choose them again", column="files") from None
    if kept:
        imports.discard_quietly(g.user, kept)
    return imports.stage(g.user, chosen)


@route(bp, "/imports/new", role="admin", methods=("POST",))
def upload():
    imports, token = service().imports, None
    form = request.form.to_dict()
    try:
        token = _staged_upload(imports)  # kept after a problem: no need to choose it again
        plan = imports.preview_staged(g.user, token, **_options(request.form))
    except ImportProblems as exc:
        return _form_page(400, token, problems=exc.problems, file=exc.file, form=form)
    except InputError as exc:
        return _form_page(400, token, problems=[exc], file=exc.file, form=form)
    try:
        outline = imports.outline(g.user, plan)
    finally:
        plan.close()
    form.pop("staged", None)
    return render_template("preview.html", reports=plan.reports, token=token, form=form,
                           new=plan.record is not None, outline=outline,
                           stats=service().views.stats(g.user))


@route(bp, "/imports/<token>/confirm", role="admin", methods=("POST",))
def confirm(token: str):
    plan = service().imports.confirm_staged(g.user, token, **_options(request.form))
    done = f"loaded as import {plan.record.id}" if plan.record else "nothing changed"
    return redirect(url_for("imports.imports_page", done=done))


@route(bp, "/imports/<token>/cancel", role="admin", methods=("POST",))
def cancel(token: str):
    service().imports.discard(g.user, token)
    return redirect(url_for("imports.imports_page", done="import cancelled; nothing written"))


@route(bp, "/imports/<import_id>/undo", role="admin", methods=("POST",))
def undo(import_id: str):
    """Without ``confirm``, the page that says what undoing would remove and asks."""
    imports = service().imports
    if request.form.get("confirm") != "1":
        record, removed, refusal = imports.undo_preview(g.user, import_id)
        return render_template("undo.html", record=record, removed=removed, refusal=refusal,
                               span=imports.session_spans(g.user).get(import_id),
                               stats=service().views.stats(g.user))
    removed = imports.undo(g.user, import_id)
    total = sum(removed.values())
    return redirect(url_for("imports.imports_page",
                            done=f"import {import_id} undone ({total:,} things removed)"))


IMPORT_FORM = {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"], "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "format": {"type": "string"}, "community": {"type": "string"},
        "date": {"type": "string", "format": "date"}, "place": {"type": "string"},
        "title": {"type": "string"}, "count": {"enum": list(COUNTS)},
        "skip_invalid": {"enum": ["true", "false"]}, "dry_run": {"enum": ["true", "false"]}}}}}


@route(bp, "/api/imports", role="admin", methods=("POST",),
       summary="Load uploaded files as one import (dry_run=true: preview only)",
       body=IMPORT_FORM, responses={"413": "Too large"})
def api_import():
    """Load uploaded files as one import; ``dry_run=true`` previews without writing."""
    imports = service().imports
    options = _options(request.form)
    dry_run = request.form.get("dry_run", "false").lower() in ("1", "true", "yes")
    token = imports.stage(g.user, _uploads())
    if dry_run:
        try:
            plan = imports.preview_staged(g.user, token, **options)
            plan.close()
        finally:
            imports.discard_quietly(g.user, token)
    else:
        plan = imports.confirm_staged(g.user, token, **options)
    return jsonify({"ok": True, "dry_run": dry_run,
                    "import": plan.record.id if plan.record and not dry_run else None,
                    "files": [r.as_dict() for r in plan.reports]})
