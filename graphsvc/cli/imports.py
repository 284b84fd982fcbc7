"""``graphsvc init``, ``load``, ``imports``, ``undo``, ``stats`` and ``export``: getting files in,
seeing what came in, taking an import back out, and getting the networks out."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from graphsvc.cli.common import ACTOR, db_option, friendly, open_service, parse_date, with_flag
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS
from graphsvc.exports import EXPORT_FORMATS
from graphsvc.ties import NETWORKS
from loaders import FORMATS, SessionDefaults
from loaders.eventbrite import COUNTS


@click.command()
@db_option
@friendly
def init(database: str) -> None:
    """Create the database (if new) with Greater Manchester's boroughs and the sectors."""
    service = open_service(database)
    counts = service.views.counts(ACTOR)["counts"]
    click.echo(f"{database}: ready, {counts['places']} places and {counts['sectors']} sectors")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Override format detection.")
@click.option("--community", help="The community, for files that do not name it.")
@click.option("--date", "held_on", callback=parse_date, help="Session date (YYYY-MM-DD).")
@click.option("--place", help="Where the session was held: a borough, or 'online'.")
@click.option("--title", help="The session's title, for files that do not name it.")
@click.option("--map", "mapping", multiple=True, metavar="HEADER=FIELD",
              help="Read a column the loader does not know, e.g. --map 'Delegate=name'.")
@click.option("--count", type=click.Choice(COUNTS), default="attended", show_default=True,
              help="Who an Eventbrite report counts: those who attended (checked in), or "
                   "everyone registered (kept with the role 'registered').")
@click.option("--skip-invalid", is_flag=True,
              help="Leave out rows with problems (each listed, and kept with the import) and "
                   "load the rest; without it, any problem loads nothing.")
@click.option("--dry-run", is_flag=True, help="Show the preview; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@db_option
@friendly
def load(files, fmt, community, held_on, place, title, mapping, count, skip_invalid, dry_run,
         as_json, database) -> None:
    """Load attendance exports, sign-in sheets, registers and declared ties, all in one
    transaction: everything, or (on any problem) nothing."""
    service = open_service(database)
    defaults = SessionDefaults(community, held_on, place, title)
    columns = dict(_pair(m, "--map") for m in mapping)
    with _progress(len(files)) as advance:
        plan = service.imports.preview(ACTOR, files, format=fmt, defaults=defaults,
                                       mapping=columns, count=count, skip_invalid=skip_invalid,
                                       progress=advance)
    if dry_run:
        plan.close()
    else:
        service.imports.confirm(ACTOR, plan)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run,
                               "import": plan.record.id if plan.record else None,
                               "files": [r.as_dict() for r in plan.reports]},
                              indent=1, default=str))
        return
    for report in plan.reports:
        click.echo(_report_line(report))
        for line in _report_details(report):
            click.echo("    " + line)
    click.echo("dry run: nothing was written" if dry_run else
               "nothing changed" if plan.record is None else
               f"loaded as import {plan.record.id} (undo with: graphsvc undo {plan.record.id})")


@contextmanager
def _progress(total: int):
    """A progress bar on a terminal (several files take a while); nothing in a pipe."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda _name: None
        return
    with click.progressbar(length=total, label="Reading", file=sys.stderr) as bar:
        yield lambda _name: bar.update(1)


def _pair(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise click.BadParameter(f"{text!r}: expected HEADER=FIELD", param_hint=option)
    return key.strip(), value.strip()


def _report_details(report) -> list[str]:
    lines = [f"skipped {n}: {why}" for why, n in report.skipped.items()]
    lines += [f"matched {m['name']!r} to {m['matched']!r} (similarity {m['score']})"
              for m in report.matched_fuzzily]
    lines += [f"uncertain: {u['name']!r} may be {u['candidate']!r} (similarity {u['score']}); "
              "kept apart until reviewed (graphsvc review)" for u in report.uncertain]
    lines += report.notes[:10]
    lines += [f"left out row {p.row}: {with_flag(p)}" for p in report.invalid_rows[:20]]
    if len(report.invalid_rows) > 20:
        lines.append(f"... and {len(report.invalid_rows) - 20} more rows left out")
    return lines


def _report_line(report) -> str:
    if report.already_loaded:
        return (f"{report.source}: already loaded (the same content, for the same sessions), "
                "nothing to do")
    if report.format in ("organisations", "communities"):
        return f"{report.source}: {report.format} register, {report.rows} rows"
    if report.format == "declared-ties":
        return f"{report.source}: declared ties, {report.declared_ties} ties"
    return (f"{report.source}: {report.format}, {report.rows} rows, {report.sessions} sessions, "
            f"{report.people} people ({report.new_people} new), {report.organisations} "
            f"organisations ({report.new_organisations} new)"
            + (f", {report.merged_rows} repeated rows merged" if report.merged_rows else ""))


@click.command()
@click.option("--json", "as_json", is_flag=True)
@db_option
@friendly
def imports(as_json: bool, database: str) -> None:
    """List imports: when, which files, what they wrote, and whether undone."""
    records = open_service(database).imports.list(ACTOR)
    if as_json:
        click.echo(json.dumps([{"id": r.id, "loaded_at": r.loaded_at, "undone_at": r.undone_at,
                                "counts": r.counts, "files": [f.__dict__ for f in r.files]}
                               for r in records], indent=1))
        return
    for r in records:
        state = (f"undone {r.undone_at}" if r.undone_at
                 else f"{r.counts.get('attendance', 0)} attendance rows")
        click.echo(f"{r.id}  {r.loaded_at}  {state}  {r.source}")


@click.command()
@click.argument("import_id")
@db_option
@friendly
def undo(import_id: str, database: str) -> None:
    """Undo an import, as if it had never been loaded: what only it said goes, what other
    imports also said stays."""
    removed = open_service(database).imports.undo(ACTOR, import_id)
    gone = ", ".join(f"{n} {part.replace('_', ' ')}" for part, n in removed.items() if n)
    click.echo(f"undid import {import_id}: " + (f"removed {gone}" if gone else
                                               "nothing was only its own; its claims are gone"))


@click.command()
@click.option("--json", "as_json", is_flag=True)
@db_option
@friendly
def stats(as_json: bool, database: str) -> None:
    """Counts of everything in the database, and of the tie networks."""
    data = open_service(database).views.stats(ACTOR)
    if as_json:
        click.echo(json.dumps(data, indent=1))
        return
    click.echo(f"database {data['database']} (revision {data['revision']})")
    for name, count in {**data["counts"],
                        **{f"{k} ties": v for k, v in data["ties"].items()}}.items():
        click.echo(f"  {name.replace('_', ' '):<22}{count:>10,}")
    click.echo(f"tie rule: {data['rule']}")


@click.command()
@click.option("--format", "fmt", type=click.Choice((*EXPORT_FORMATS, "attendance")),
              required=True)
@click.option("--network", type=click.Choice(NETWORKS), default="organisations",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help="File (default: stdout).")
@click.option("--window", "window_months", type=click.IntRange(0, 1200),
              default=DEFAULT_WINDOW_MONTHS, show_default=True,
              help="Ties last seen this many months before the latest session (0: all time), "
                   "as the pages show them.")
@db_option
@friendly
def export(fmt: str, network: str, out: str | None, window_months: int,
           database: str) -> None:
    """Export a tie network as GraphML, GEXF, node-link JSON, CSV or Kumu's blueprint; or,
    with --format attendance, the cleaned attendance as CSV (one row per person per session:
    date, session, community, place, person_id, name, email, organisation, minutes, role)."""
    views = open_service(database).views
    text = (views.export_attendance(ACTOR) if fmt == "attendance"
            else views.export(ACTOR, fmt, network, window_months=window_months or None).text)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


COMMANDS = (init, load, imports, undo, stats, export)
