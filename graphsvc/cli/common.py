"""What every command shares: the ``--db`` option, the service built from settings, the
acting user (whoever runs the command, as an admin: they hold the database file), and one
sentence instead of a traceback for the project's own errors."""

from __future__ import annotations

import functools
import getpass
from datetime import date

import click

from graphsvc import bootstrap
from graphsvc.accounts import User
from graphsvc.errors import GraphsvcError, ImportProblems
from graphsvc.service import Graphsvc
from graphsvc.config import DEFAULT_DATABASE

ACTOR = User(f"cli:{getpass.getuser()}", "admin", via="cli")

db_option = click.option(
    "--db", "database", envvar="GRAPHSVC_DATABASE", default=DEFAULT_DATABASE, show_default=True,
    help="Database: a SQLite file (default in the working folder), or set GRAPHSVC_DATABASE.",
)


def with_flag(error) -> str:
    """An error's sentence, with the option that would settle it written as its flag."""
    option = getattr(error, "option", None)
    return f"{error} [--{option.replace('_', '-')}]" if option else str(error)


def friendly(command):
    """Turn the project's own errors into one clear sentence and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ImportProblems as exc:
            lines = [f"nothing was loaded: {len(exc.problems)} problem(s) in {exc.file}"]
            lines += [f"  {with_flag(p)}" for p in exc.problems[:20]]
            if len(exc.problems) > 20:
                lines.append(f"  ... and {len(exc.problems) - 20} more")
            raise click.ClickException("\n".join(lines)) from None
        except GraphsvcError as exc:
            raise click.ClickException(with_flag(exc)) from None

    return wrapper


def open_service(database: str) -> Graphsvc:
    return bootstrap.build(database=database)


def parse_date(ctx, param, value):
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None
