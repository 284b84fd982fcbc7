"""``graphsvc user``, ``token`` and ``audit``: accounts, API tokens and the audit log."""

from __future__ import annotations

import sys

import click

from graphsvc.accounts import ROLES
from graphsvc.cli.common import ACTOR, db_option, friendly, open_service


def access(database: str):
    return open_service(database).access


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password (12 characters or more)", hide_input=True,
                        confirmation_prompt=True)


@click.group()
def user() -> None:
    """Add, list, remove users, or reset a password."""


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--community", "communities", multiple=True,
              help="A facilitator's community (name or id); repeat for more.")
@click.option("--borough", "boroughs", multiple=True,
              help="A facilitator's borough (name or ONS code); repeat for more.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@friendly
def user_add(username, role, communities, boroughs, password_stdin, database) -> None:
    made = access(database).add_user(ACTOR, username, _password(password_stdin), role,
                                     communities=communities, boroughs=boroughs)
    click.echo(f"added {made.username} ({made.role})")


@user.command("list")
@db_option
@friendly
def user_list(database) -> None:
    for u in access(database).users(ACTOR):
        scope = ", ".join(sorted(u.communities | u.boroughs))
        click.echo(f"{u.username}\t{u.role}" + (f"\t{scope}" if scope else ""))


@user.command("remove")
@click.argument("username")
@db_option
@friendly
def user_remove(username, database) -> None:
    access(database).remove_user(ACTOR, username)
    click.echo(f"removed {username} (their sessions and tokens end now)")


@user.command("reset")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@friendly
def user_reset(username, password_stdin, database) -> None:
    access(database).reset_password(ACTOR, username, _password(password_stdin))
    click.echo(f"reset {username}'s password (their other sessions end now)")


@click.group()
def token() -> None:
    """API tokens for scripts: issue, list, revoke."""


@token.command("add")
@click.argument("username")
@click.argument("name")
@db_option
@friendly
def token_add(username, name, database) -> None:
    token_id, secret = access(database).issue_token(ACTOR, name, username=username)
    click.echo(f"token {token_id} for {username}; send it as 'Authorization: Bearer {secret}'. "
               "It is shown only now.", err=True)
    click.echo(secret)


@token.command("list")
@db_option
@friendly
def token_list(database) -> None:
    for t in access(database).tokens(ACTOR, everyone=True):
        state = f"revoked {t['revoked']}" if t["revoked"] else "active"
        click.echo(f"{t['id']}\t{t['username']}\t{t['name']}\t{t['created']}\t{state}")


@token.command("revoke")
@click.argument("token_id", type=int)
@db_option
@friendly
def token_revoke(token_id, database) -> None:
    access(database).revoke_token(ACTOR, token_id)
    click.echo(f"revoked token {token_id}")


@click.command()
@click.option("--limit", default=50, show_default=True)
@click.option("--verify", is_flag=True, help="Check the log's hash chain for edits.")
@db_option
@friendly
def audit(limit, verify, database) -> None:
    """The audit log, newest first: sign-ins, views of personal data, exports, imports,
    merges, erasures."""
    log = access(database)
    if verify:
        problem = log.audit_problem(ACTOR)
        if problem is not None:
            raise click.ClickException(f"the audit log is not whole: {problem}")
        click.echo("the audit log is whole")
        return
    for e in log.audit_entries(ACTOR, limit):
        click.echo(f"{e['id']}\t{e['at']}\t{e['actor']}\t{e['action']}\t{e['target']}\t"
                   f"{e['detail']}")


COMMANDS = (user, token, audit)
