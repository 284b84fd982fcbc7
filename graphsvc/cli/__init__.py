"""The ``graphsvc`` command: a thin edge over the service (:mod:`graphsvc.service`). Each
command parses its input, calls one use case as the person at the command line, and prints
the result; the commands live by concept in this package and are gathered here."""

from __future__ import annotations

import click

from graphsvc.cli import accounts, analyse, compile, imports, migrate, records, serve
from graphsvc.config import DEFAULT_DATABASE


@click.group(help=f"""graphsvc: relationship maps for place-based partnerships.

Turns who-came-to-which-session into a map of ties between people, organisations, sectors
and places. Every command takes --db; the default database is ./{DEFAULT_DATABASE}.""")
@click.version_option(package_name="graphsvc")
def main() -> None:
    pass


for _module in (imports, records, analyse, accounts, serve, compile, migrate):
    for _command in _module.COMMANDS:
        main.add_command(_command)
