"""``graphsvc merge``, ``review``, ``consent`` and ``forget``: corrections to the records."""

from __future__ import annotations

import json

import click

from graphsvc.cli.common import ACTOR, db_option, friendly, open_service
from graphsvc.errors import NotFound
from graphsvc.service.records import MERGE_KINDS


@click.command()
@click.argument("kind", type=click.Choice(MERGE_KINDS))
@click.argument("keep")
@click.argument("other")
@db_option
@friendly
def merge(kind: str, keep: str, other: str, database: str) -> None:
    """Merge OTHER into KEEP (two records of one person or organisation); later imports that
    would make OTHER again resolve to KEEP."""
    open_service(database).records.merge(ACTOR, kind, keep, other)
    click.echo(f"merged {other} into {keep}")


@click.command()
@click.argument("action", type=click.Choice(["list", "confirm", "reject"]), default="list")
@click.argument("review_id", required=False, type=int)
@db_option
@friendly
def review(action: str, review_id: int | None, database: str) -> None:
    """Uncertain organisation matches: list them, confirm one (merge; the spelling becomes an
    alias) or reject one (kept apart, not asked again)."""
    records = open_service(database).records
    if action == "list":
        pending = records.reviews(ACTOR)
        for r in pending:
            click.echo(f"{r['id']:>5}  {r['name']!r} may be {r['candidate'] or r['candidate_id']!r}"
                       f" (similarity {r['score']})")
        click.echo(f"{len(pending)} uncertain match(es) waiting")
        return
    if review_id is None:
        raise click.UsageError(f"give the review number: graphsvc review {action} N")
    decided = records.decide(ACTOR, review_id, action)
    click.echo(f"review {review_id}: {decided.status}")


@click.command()
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
@friendly
def forget(person, yes, database) -> None:
    """Erase PERSON (an id, email or full name): their node, attendance, ties, their name in
    session titles and file names, and the rows naming them in archived imports and waiting
    uploads (also when their import was undone). Sessions stay. This cannot be undone."""
    records = open_service(database).records
    try:
        who = records.find_person(ACTOR, person).id
        question = f"Erase {who} for good?"
    except NotFound:
        who = person
        question = (f"No one in the database is {person!r} (their import may have been "
                    "undone): erase the rows naming them from every archived and waiting file?")
    if not yes:
        click.confirm(question, abort=True)
    click.echo(json.dumps(records.forget(ACTOR, who), indent=2))


@click.command()
@click.argument("person")
@click.argument("state", type=click.Choice(["named", "aggregate"]))
@db_option
@friendly
def consent(person, state, database) -> None:
    """Record PERSON's consent (an id, email or full name): named (may be named to those
    allowed, and suggested as a bridge) or aggregate (counted, never named). It stands until a
    file about a later session says otherwise; to withdraw consent, forget them."""
    records = open_service(database).records
    found = records.find_person(ACTOR, person)
    records.consent(ACTOR, found.id, state)
    click.echo(f"{found.id}: {state}")


COMMANDS = (merge, review, forget, consent)
