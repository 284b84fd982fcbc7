"""``graphsvc user``, ``token``, ``audit``, ``consent`` and ``forget``: accounts, API tokens,
the audit log, consent and erasure. Registered on the ``graphsvc`` group by :mod:`graphsvc.cli`."""

from __future__ import annotations

import getpass
import json
import sys

import click

from graphsvc.accounts import ROLES, Accounts
from graphsvc.cli import db_option, friendly, open_service
from graphsvc.config import Settings

ACTOR = f"cli:{getpass.getuser()}"


def open_accounts(database: str) -> Accounts:
    return Accounts(Settings.load(database=database).accounts_path())


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
    accounts = open_accounts(database)
    made = accounts.add_user(username, _password(password_stdin), role,
                             communities=communities, boroughs=boroughs)
    accounts.audit(ACTOR, "user added", made.username, role=role,
                   communities=sorted(communities), boroughs=sorted(boroughs))
    click.echo(f"added {made.username} ({made.role})")


@user.command("list")
@db_option
@friendly
def user_list(database) -> None:
    for u in open_accounts(database).users():
        scope = ", ".join(sorted(u.communities | u.boroughs))
        click.echo(f"{u.username}\t{u.role}" + (f"\t{scope}" if scope else ""))


@user.command("remove")
@click.argument("username")
@db_option
@friendly
def user_remove(username, database) -> None:
    accounts = open_accounts(database)
    accounts.remove_user(username)
    accounts.audit(ACTOR, "user removed", username)
    click.echo(f"removed {username} (their sessions and tokens end now)")


@user.command("reset")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@friendly
def user_reset(username, password_stdin, database) -> None:
    accounts = open_accounts(database)
    accounts.reset_password(username, _password(password_stdin))
    accounts.audit(ACTOR, "password reset", username)
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
    accounts = open_accounts(database)
    token_id, secret = accounts.issue_token(username, name)
    accounts.audit(ACTOR, "token issued", str(token_id), user=username, name=name)
    click.echo(f"token {token_id} for {username}; send it as 'Authorization: Bearer {secret}'. "
               "It is shown only now.", err=True)
    click.echo(secret)


@token.command("list")
@db_option
@friendly
def token_list(database) -> None:
    for t in open_accounts(database).tokens():
        state = f"revoked {t['revoked']}" if t["revoked"] else "active"
        click.echo(f"{t['id']}\t{t['username']}\t{t['name']}\t{t['created']}\t{state}")


@token.command("revoke")
@click.argument("token_id", type=int)
@db_option
@friendly
def token_revoke(token_id, database) -> None:
    accounts = open_accounts(database)
    accounts.revoke_token(token_id)
    accounts.audit(ACTOR, "token revoked", str(token_id))
    click.echo(f"revoked token {token_id}")


@click.command()
@click.option("--limit", default=50, show_default=True)
@click.option("--verify", is_flag=True, help="Check the log's hash chain for edits.")
@db_option
@friendly
def audit(limit, verify, database) -> None:
    """The audit log, newest first: sign-ins, views of personal data, exports, imports,
    merges, erasures."""
    accounts = open_accounts(database)
    if verify:
        broken = accounts.verify()
        if broken is not None:
            raise click.ClickException(f"the audit log was edited outside graphsvc at entry "
                                       f"{broken}")
        click.echo("the audit log is whole")
        return
    for e in accounts.audit_entries(limit):
        click.echo(f"{e['id']}\t{e['at']}\t{e['actor']}\t{e['action']}\t{e['target']}\t"
                   f"{e['detail']}")


@click.command()
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
@friendly
def forget(person, yes, database) -> None:
    """Erase PERSON (an id, email or full name): their node, attendance, ties, and the rows
    naming them in archived imports. Sessions stay. This cannot be undone."""
    from graphsvc.erasure import find_person
    from graphsvc.erasure import forget as erase

    service = open_service(database)
    found = find_person(service.store, person)
    if not yes:
        click.confirm(f"Erase {found.id} for good?", abort=True)
    report = erase(service, found.id)
    open_accounts(database).audit(ACTOR, "erasure", found.id,
                                  **{k: v for k, v in report.items() if k != "person"})
    click.echo(json.dumps(report, indent=2))


@click.command()
@click.argument("person")
@click.argument("state", type=click.Choice(["named", "aggregate"]))
@db_option
@friendly
def consent(person, state, database) -> None:
    """Record PERSON's consent (an id, email or full name): named (may be named to those
    allowed, and suggested as a bridge) or aggregate (counted, never named). Files that say
    nothing of consent keep it; to withdraw consent, forget them."""
    from graphsvc.erasure import find_person

    service = open_service(database)
    found = find_person(service.store, person)
    service.store.set_consent(found.id, state)
    open_accounts(database).audit(ACTOR, "consent", found.id, consent=state)
    click.echo(f"{found.id}: {state}")


def register(main: click.Group) -> None:
    for command in (user, token, audit, forget, consent):
        main.add_command(command)
