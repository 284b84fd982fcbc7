"""Loading files, as a use case: preview, load (or confirm a preview), undo, and the list of
imports. Each is for admins and is audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from graphsvc.accounts import User
from graphsvc.service.audit import Auditor
from graphsvc.service.carried import claimed, sessions_named
from graphsvc.service.data import Data
from graphsvc.service.outline import ImportOutline, outline_import
from graphsvc.service.planning import ImportPlan, apply_import, plan_import
from graphsvc.service.staging import Staging
from graphsvc.store import ImportRecord
from graphsvc.errors import InputError
from loaders import SessionDefaults
from loaders.eventbrite import COUNTS


class Imports:
    def __init__(self, data: Data, auditor: Auditor, archive: Path,
                 max_upload_bytes: int | None = None):
        self._data, self._audit = data, auditor
        self.archive, self.max_upload_bytes = archive, max_upload_bytes
        self.staging = Staging(Path(archive).parent / f"{Path(archive).name}.staging")

    # -- uploads --------------------------------------------------------------------------
    def stage(self, actor: User, files: list[tuple[str, Callable[[Path], None]]]) -> str:
        """Keep uploaded files until they are previewed and loaded, or discarded: a token."""
        actor.require("admin")
        return self.staging.stage(files)

    def preview_staged(self, actor: User, token: str, **options) -> ImportPlan:
        """The preview of staged files. On a problem with them or the options
        (:class:`InputError`) the upload is kept, to be tried again with other options
        without choosing the files again; on any other it is discarded."""
        try:
            return self.preview(actor, self.staging.paths(token), **options)
        except InputError:
            raise
        except BaseException:
            self.staging.discard(token)
            raise

    def staged(self, actor: User, token: str) -> list[str]:
        """The names of the files of an upload waiting to be loaded."""
        actor.require("admin")
        return [path.name for path in self.staging.paths(token)]

    def confirm_staged(self, actor: User, token: str, **options) -> ImportPlan:
        """Load staged files as one import; the upload is discarded whatever happens."""
        try:
            plan = self.preview(actor, self.staging.paths(token), **options)
            self.confirm(actor, plan)
            return plan
        finally:
            self.staging.discard(token)

    def discard(self, actor: User, token: str) -> None:
        actor.require("admin")
        self.staging.paths(token)
        self.staging.discard(token)

    def discard_quietly(self, actor: User, token: str) -> None:
        """Discard an upload if it is still kept."""
        actor.require("admin")
        self.staging.discard(token)

    def preview(self, actor: User, paths: Sequence[str | Path], *, format: str | None = None,
                defaults: SessionDefaults = SessionDefaults(), mapping: dict | None = None,
                count: str = "attended", skip_invalid: bool = False,
                progress: Callable[[str], None] | None = None) -> ImportPlan:
        """What loading these files would do, without writing anything (see
        :func:`graphsvc.service.planning.plan_import` for the options)."""
        actor.require("admin")
        if count not in COUNTS:
            raise InputError("accepted: " + ", ".join(COUNTS), value=count, option="count")
        return plan_import(self._data.store, paths, format=format, defaults=defaults,
                           mapping=mapping, count=count, skip_invalid=skip_invalid,
                           max_bytes=self.max_upload_bytes, progress=progress)

    def load(self, actor: User, paths: Sequence[str | Path], **options) -> ImportPlan:
        """Load files as one import: all of it, or (on any problem) none of it."""
        plan = self.preview(actor, paths, **options)
        self.confirm(actor, plan)
        return plan

    def confirm(self, actor: User, plan: ImportPlan) -> dict[str, int]:
        """Apply an import that :meth:`preview` planned, whole or not at all; the original
        files are kept in the archive folder."""
        actor.require("admin")
        before, named = self._data.revision(), sessions_named(plan.batch)
        written = apply_import(self._data.store, plan, self.archive)
        if plan.record is not None:
            self._data.imported(before, named, claimed(plan.batch))
        if plan.record is not None:
            self._audit.record(actor, "import", plan.record.id, files=len(plan.record.files))
        return written

    def undo(self, actor: User, import_id: str) -> dict[str, int]:
        """Remove an import's claims, as if it had never been loaded."""
        actor.require("admin")
        removed = self._data.store.undo_import(import_id)
        self._audit.record(actor, "undo", import_id, **removed)
        return removed

    def outline(self, actor: User, plan: ImportPlan) -> ImportOutline:
        """The sessions and people a planned import holds, named as ``actor`` may see them
        (read before the plan is closed); the people named are recorded as seen."""
        actor.require("admin")
        found = outline_import(self._data, plan, actor)
        if found.named_ids or found.unnamed:
            self._audit.record(actor, "view", "import preview", people=found.named_ids,
                               unnamed=found.unnamed)
        return found

    def undo_preview(self, actor: User,
                     import_id: str) -> tuple[ImportRecord, dict[str, int], str | None]:
        """The import, what undoing it would remove (per part), and why undoing it would be
        refused now (a later import relies on something only it added), or None; nothing
        changes."""
        actor.require("admin")
        removed = self._data.store.undo_preview(import_id)
        refusal = self._data.store.undo_refusal(import_id)
        record = next(r for r in self._data.store.imports() if r.id == import_id)
        return record, removed, refusal

    def list(self, actor: User) -> list[ImportRecord]:
        actor.require("admin")
        return self._data.store.imports()

    def session_spans(self, actor: User) -> dict[str, tuple[int, date, date]]:
        """Per import: how many sessions it holds, the first and the last day (so that two
        loads of one sign-in sheet for different dates can be told apart)."""
        actor.require("admin")
        return self._data.store.session_spans()
