"""``graphsvc analyse NAME``: a subcommand for each registered analysis
(:data:`graphsvc.service.analyses.ANALYSES`), with its own options, made from the registration."""

from __future__ import annotations

import json

import click

from graphsvc.cli.common import ACTOR, db_option, friendly, open_service, parse_date
from graphsvc.service.analyses import ANALYSES, COMMON, Analysis, Option


def _click_option(option: Option) -> click.Option:
    flag = option.flag or "--" + option.name.replace("_", "-")
    extra: dict = {"help": option.help}
    if option.kind == "choice":
        extra["type"] = click.Choice(option.choices)
    elif option.kind == "int":
        extra["type"] = int
    elif option.kind == "date":
        extra["callback"] = parse_date
    if option.default is not None:
        extra.update(default=option.default, show_default=True)
    return click.Option([flag, option.name], **extra)


def _command(entry: Analysis) -> click.Command:
    @friendly
    def run(database: str, as_json: bool, **options) -> None:
        network = options.pop("network")
        as_of, window = options.pop("as_of"), options.pop("window_months")
        result = open_service(database).analyses.run(
            ACTOR, entry.name, network=network, as_of=as_of, window_months=window or None,
            **options)
        if as_json:
            click.echo(json.dumps(result, default=str))
            return
        click.echo(f"{entry.name} of the {result['network']} network as of {result['as_of']} "
                   f"({result['active_ties']:,} active ties; rule: {result['rule']})")
        for line in entry.text(result):
            click.echo(line)
        click.echo("(--json for everything)")

    params = [_click_option(o) for o in (*COMMON, *entry.options)]
    params.append(click.Option(["--json", "as_json"], is_flag=True, help="Print one JSON object."))
    command = click.Command(entry.name, callback=run, params=params,
                            help=entry.summary[0].upper() + entry.summary[1:] + ".")
    return db_option(command)


@click.group()
def analyse() -> None:
    """Run an analysis (see each one's --help; --json prints everything)."""


for _entry in ANALYSES.values():
    analyse.add_command(_command(_entry))

COMMANDS = (analyse,)
