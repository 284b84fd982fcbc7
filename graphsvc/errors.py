"""One error hierarchy for the whole project.

Every error a user can cause is a :class:`GraphsvcError` whose message is one sentence that
names what was wrong and what would be accepted. The CLI turns these into
``click.ClickException``; the web layer turns them into the one JSON error shape.
"""

from __future__ import annotations


class GraphsvcError(Exception):
    """Base class of every error the project raises on purpose."""


class ConfigurationError(GraphsvcError):
    """A setting (environment variable, option) has a value we cannot use."""


class MissingExtraError(GraphsvcError, ImportError):
    """An optional dependency is not installed; the message names the pip command."""

    def __init__(self, package: str, extra: str):
        super().__init__(
            f"{package} is not installed; install it with: pip install 'graphsvc[{extra}]'"
        )


class StoreError(GraphsvcError):
    """The store could not do what was asked (a broken file, an integrity problem)."""


class SchemaError(StoreError):
    """The database was written by a newer graphsvc, or is not a graphsvc database."""


class NotFound(StoreError):
    """A node id that the store does not hold."""


class NothingLoaded(GraphsvcError):
    """No attendance is held yet, so there is nothing to analyse: the state of a new
    deployment, or of one that holds only a register (the web shows it as an empty state that
    says where to import, and the API answers 409)."""


class Forbidden(GraphsvcError):
    """The acting user's role does not allow this (the web answers 403)."""


class InputError(GraphsvcError):
    """A user's file or value is wrong. Carries where: file, row, column, value; and, where an
    option of the import would settle it, which (``date``, ``community``, ``format``,
    ``count``...): the command line names it as a flag, the web form as a field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        option: str | None = None,
    ):
        self.reason = message
        self.file, self.row, self.column, self.value = file, row, column, value
        self.option = option
        super().__init__(self._sentence())

    @property
    def of_a_row(self) -> bool:
        """A problem of one row (leaving the row out settles it), not of the whole file: it
        has a row, and no option of the import would settle it."""
        return self.row is not None and self.option is None

    def _sentence(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        value = f" (value {self.value!r})" if self.value is not None else ""
        return f"{prefix}: {self.reason}{value}" if prefix else f"{self.reason}{value}"

    def as_dict(self) -> dict:
        return {
            "message": str(self),
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "option": self.option,
        }


class ImportProblems(InputError):
    """Several problems found while validating one file; nothing was applied."""

    def __init__(self, file: str, problems: list[InputError]):
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(
            f"{first.reason}{'' if first.value is None else f' (value {first.value!r})'}{more}",
            file=file,
            row=first.row,
            column=first.column,
        )
