"""``graphsvc migrate``: copy a whole database between stores (SQLite and Neo4j, either way)."""

from __future__ import annotations

import click

from graphsvc.cli.common import friendly
from graphsvc.config import Settings
from graphsvc.migrate import migrate as copy


@click.command()
@click.option("--from", "source", required=True, metavar="DATABASE",
              help="The database to copy: sqlite:PATH (or a path), neo4j://... or bolt://...")
@click.option("--to", "target", required=True, metavar="DATABASE",
              help="The empty database to fill (created if a new SQLite file).")
@friendly
def migrate(source: str, target: str) -> None:
    """Copy every fact and the import history from one store to another, in one transaction,
    then check the copy: the counts of every part, and a checksum of each tie network."""
    source_store = Settings.load(database=source).open_store()
    try:
        target_store = Settings.load(database=target).open_store()
        try:
            report = copy(source_store, target_store)
        finally:
            target_store.close()
    finally:
        source_store.close()
    for line in report.lines():
        click.echo(line)


COMMANDS = (migrate,)
