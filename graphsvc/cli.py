"""The ``graphsvc`` command: a thin wrapper over :class:`graphsvc.service.Graphsvc`."""

from __future__ import annotations

import functools
import json
import sys
from datetime import date
from pathlib import Path

import click

from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError, ImportProblems
from graphsvc.exports import EXPORT_FORMATS
from graphsvc.paths import demo_dir
from graphsvc.service import Graphsvc
from graphsvc.store import DEFAULT_DATABASE
from graphsvc.ties import NETWORKS
from loaders import FORMATS, SessionDefaults

DEMO_DATABASE = "graphsvc-demo.db"
db_option = click.option(
    "--db", "database", envvar="GRAPHSVC_DATABASE", default=DEFAULT_DATABASE, show_default=True,
    help="Database: a SQLite file (default in the working folder), or set GRAPHSVC_DATABASE.",
)


def friendly(command):
    """Turn the project's own errors into one clear sentence and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ImportProblems as exc:
            lines = [f"nothing was loaded: {len(exc.problems)} problem(s) in {exc.file}"]
            lines += [f"  {p}" for p in exc.problems[:20]]
            if len(exc.problems) > 20:
                lines.append(f"  ... and {len(exc.problems) - 20} more")
            raise click.ClickException("\n".join(lines)) from None
        except GraphsvcError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def open_service(database: str) -> Graphsvc:
    settings = Settings.load(database=database)
    return Graphsvc(settings.open_store(), rule=settings.rule(),
                    max_upload_bytes=settings.max_upload_bytes, archive=settings.archive)


@click.group(help=f"""graphsvc: relationship maps for place-based partnerships.

Turns who-came-to-which-session into a map of ties between people, organisations, sectors
and places. Every command takes --db; the default database is ./{DEFAULT_DATABASE}.""")
@click.version_option(package_name="graphsvc")
def main() -> None:
    pass


@main.command()
@db_option
@friendly
def init(database: str) -> None:
    """Create the database (if new) with Greater Manchester's boroughs and the sectors."""
    service = open_service(database)
    counts = service.store.counts()
    click.echo(f"{service.store.url}: ready, {counts['places']} places and "
               f"{counts['sectors']} sectors")


def _parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Override format detection.")
@click.option("--community", help="The community, for files that do not name it.")
@click.option("--date", "held_on", callback=_parse_date, help="Session date (YYYY-MM-DD).")
@click.option("--place", help="Where the session was held: a borough, or 'online'.")
@click.option("--title", help="The session's title, for files that do not name it.")
@click.option("--map", "mapping", multiple=True, metavar="HEADER=FIELD",
              help="Read a column the loader does not know, e.g. --map 'Delegate=name'.")
@click.option("--dry-run", is_flag=True, help="Show the preview; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@db_option
@friendly
def load(files, fmt, community, held_on, place, title, mapping, dry_run, as_json, database) -> None:
    """Load attendance exports, sign-in sheets, registers and declared ties, all in one
    transaction: everything, or (on any problem) nothing."""
    service = open_service(database)
    defaults = SessionDefaults(community, held_on, place, title)
    columns = dict(_pair(m, "--map") for m in mapping)
    with click.progressbar(length=len(files), label="Reading", file=sys.stderr) as bar:
        plan = service.preview(files, format=fmt, defaults=defaults, mapping=columns,
                               progress=lambda _: bar.update(1))
    if dry_run:
        plan.close()
    else:
        service.load_plan(plan)
        if plan.record:
            _audit(database, "import", plan.record.id, files=[r.source for r in plan.reports])
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, "import": plan.record.id if plan.record else None,
                               "files": [r.as_dict() for r in plan.reports]},
                              indent=1, default=str))
        return
    for report in plan.reports:
        click.echo(_report_line(report))
        for line in _report_details(report):
            click.echo("    " + line)
    click.echo("dry run: nothing was written" if dry_run else
               "nothing changed" if plan.record is None else
               f"loaded as import {plan.record.id} (undo with: graphsvc undo {plan.record.id}); "
               f"database revision {service.store.revision()}")


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
    return lines


def _report_line(report) -> str:
    if report.already_loaded:
        return f"{report.source}: already loaded (same content), nothing to do"
    if report.format in ("organisations", "communities"):
        return f"{report.source}: {report.format} register, {report.rows} rows"
    if report.format == "declared-ties":
        return f"{report.source}: declared ties, {report.declared_ties} ties"
    return (f"{report.source}: {report.format}, {report.rows} rows, {report.sessions} sessions, "
            f"{report.people} people ({report.new_people} new), {report.organisations} "
            f"organisations ({report.new_organisations} new)"
            + (f", {report.merged_rows} repeated rows merged" if report.merged_rows else ""))


@main.command()
@click.option("--json", "as_json", is_flag=True)
@db_option
@friendly
def imports(as_json: bool, database: str) -> None:
    """List imports: when, which files, what they wrote, and whether undone."""
    records = open_service(database).store.imports()
    if as_json:
        click.echo(json.dumps([{"id": r.id, "loaded_at": r.loaded_at, "undone_at": r.undone_at,
                                "counts": r.counts, "files": [f.__dict__ for f in r.files]}
                               for r in records], indent=1))
        return
    for r in records:
        state = f"undone {r.undone_at}" if r.undone_at else f"{r.counts.get('attendance', 0)} attendance rows"
        click.echo(f"{r.id}  {r.loaded_at}  {state}  {r.source}")


@main.command()
@click.argument("import_id")
@db_option
@friendly
def undo(import_id: str, database: str) -> None:
    """Undo an import: remove the rows it added and what it created that nothing else uses."""
    removed = open_service(database).store.undo_import(import_id)
    _audit(database, "undo", import_id, **removed)
    click.echo(f"undid import {import_id}: removed " + ", ".join(
        f"{n} {part.replace('_', ' ')}" for part, n in removed.items() if n) + "")


@main.command()
@click.argument("kind", type=click.Choice(["people", "organisations"]))
@click.argument("keep")
@click.argument("other")
@db_option
@friendly
def merge(kind: str, keep: str, other: str, database: str) -> None:
    """Merge OTHER into KEEP (two records of one person or organisation); later imports that
    would make OTHER again resolve to KEEP."""
    store = open_service(database).store
    (store.merge_people if kind == "people" else store.merge_organisations)(keep, other)
    _audit(database, "merge", keep, kind=kind, other=other)
    click.echo(f"merged {other} into {keep}")


@main.command()
@click.argument("action", type=click.Choice(["list", "confirm", "reject"]), default="list")
@click.argument("review_id", required=False, type=int)
@db_option
@friendly
def review(action: str, review_id: int | None, database: str) -> None:
    """Uncertain organisation matches: list them, confirm one (merge; the spelling becomes an
    alias) or reject one (kept apart, not asked again)."""
    store = open_service(database).store
    if action == "list":
        names = {o.id: o.name for o in store.organisations()}
        pending = store.reviews()
        for r in pending:
            click.echo(f"{r.id:>5}  {r.name!r} may be {names.get(r.candidate_id, r.candidate_id)!r}"
                       f" (similarity {r.score})")
        click.echo(f"{len(pending)} uncertain match(es) waiting")
        return
    if review_id is None:
        raise click.UsageError(f"give the review number: graphsvc review {action} N")
    decided = store.decide_review(review_id, confirm=action == "confirm")
    _audit(database, "review", str(review_id), decision=decided.status)
    click.echo(f"review {review_id}: {decided.status}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@db_option
@friendly
def stats(as_json: bool, database: str) -> None:
    """Counts of everything in the database, and of the tie networks."""
    data = open_service(database).stats()
    if as_json:
        click.echo(json.dumps(data, indent=1))
        return
    click.echo(f"database {data['database']} (revision {data['revision']})")
    for name, count in {**data["counts"], **{f"{k} ties": v for k, v in data["ties"].items()}}.items():
        click.echo(f"  {name.replace('_', ' '):<22}{count:>10,}")
    click.echo(f"tie rule: {data['rule']}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("--network", type=click.Choice(NETWORKS), default="organisations", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout).")
@db_option
@friendly
def export(fmt: str, network: str, out: str | None, database: str) -> None:
    """Export a tie network as GraphML, GEXF, node-link JSON or CSV."""
    text = open_service(database).export(fmt, network)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


def _serve(service: Graphsvc, host: str, port: int, open_browser: bool, banner: str = "",
           demo: bool = False) -> None:
    from werkzeug.serving import run_simple

    from graphsvc.web import create_app

    app = create_app({"DEMO": True} if demo else None, service=service)
    url = f"http://{host}:{port}/"
    if demo:
        banner += "open access (demo mode: synthetic data only)\n"
    elif not app.extensions["accounts"].users():
        banner += ("there are no users yet: add one with "
                   "graphsvc user add NAME --role admin\n")
    click.echo(f"{banner}graphsvc is running: open {url} in your browser (Ctrl+C stops it)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    run_simple(host, port, app, threaded=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@db_option
@friendly
def serve(host: str, port: int, no_browser: bool, database: str) -> None:
    """Serve the web app (for production, run it under gunicorn: see README)."""
    _serve(open_service(database), host, port, not no_browser)


@main.command()
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@click.option("--no-serve", is_flag=True, help="Build the demo database and stop.")
@click.option("--db", "database", default=DEMO_DATABASE, show_default=True,
              help="Where to build the demo database (rebuilt each time).")
@friendly
def demo(port: int, no_browser: bool, no_serve: bool, database: str) -> None:
    """Build a demo database from the synthetic data in data/demo and serve it."""
    for suffix in ("", "-wal", "-shm"):
        Path(database + suffix).unlink(missing_ok=True)
    service = open_service(database)
    files = sorted(p for p in demo_dir().rglob("*") if p.suffix in (".csv", ".xlsx"))
    with click.progressbar(length=len(files), label="Loading demo data", file=sys.stderr) as bar:
        plan = service.preview(files, progress=lambda _: bar.update(1))
    service.load_plan(plan)
    data = service.stats()
    counts = data["counts"]
    click.echo(f"demo database {database}: {counts['organisations']} organisations, "
               f"{counts['people']} people, {counts['sessions']} sessions, "
               f"{data['ties']['people']:,} person ties, "
               f"{data['ties']['organisations']:,} organisation ties (synthetic data)")
    if not no_serve:
        _serve(service, "127.0.0.1", port, not no_browser, demo=True)


@main.command()
@click.argument("analysis", type=click.Choice(["strength", "brokers", "bridges", "paths", "gaps",
                                               "communities", "change"]))
@click.option("--network", type=click.Choice(NETWORKS), default="organisations", show_default=True)
@click.option("--partition", help="Node attribute for groups: sector, borough, type, scope, community.")
@click.option("--as-of", "as_of", callback=_parse_date, help="Date (YYYY-MM-DD); default: latest session.")
@click.option("--window-months", type=int, default=18, show_default=True,
              help="Ties are active when last seen this many months before --as-of (0: all).")
@click.option("--a", "side_a", help="bridges: group A, e.g. sector=Housing,borough=Wigan")
@click.option("--b", "side_b", help="bridges: group B")
@click.option("--from", "source", help="paths: the person to start from (an id)")
@click.option("--to", "target", help="paths: a person id, or a group such as sector=Housing")
@click.option("--within", help="gaps: only ties inside a group, e.g. borough=Wigan")
@click.option("--columns", help="gaps: a second partition for a cross matrix, e.g. borough")
@click.option("--before", callback=_parse_date, help="change: the earlier date (default a year before)")
@click.option("-k", "k", type=int, help="brokers: betweenness pivots; paths: how many paths")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--limit", type=int, default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@db_option
@friendly
def analyse(analysis, network, partition, as_of, window_months, side_a, side_b, source, target,
            within, columns, before, k, seed, limit, as_json, database) -> None:
    """Run an analysis: strength, brokers, bridges, paths, gaps, communities or change."""
    from graphsvc import analysing

    service = open_service(database)
    result = analysing.run(service, analysis, network=network, as_of=as_of,
                           window_months=window_months or None, partition=partition, a=side_a,
                           b=side_b, source=source, to=target, within=within, columns=columns,
                           before=before, k=k, seed=seed, limit=limit)
    if as_json:
        click.echo(json.dumps(result, default=str))
        return
    click.echo(_summary(result))


def _summary(result: dict) -> str:
    head = (f"{result['analysis']} of the {result['network']} network as of {result['as_of']} "
            f"({result['active_ties']:,} active ties; rule: {result['rule']})")
    lines = [head]
    name = result["analysis"]
    if name == "brokers":
        lines += [f"  {n['name'] or n['id']:<40} betweenness {n['betweenness'] or 0:.4f}  "
                  f"constraint {n['constraint'] or 0:.3f}" for n in result["nodes"][:15]]
    elif name == "bridges":
        lines += [f"  {c['name'] or c['id']:<40} score {c['score']:.3f}  ties to A {c['ties_to_a']}, "
                  f"to B {c['ties_to_b']}" for c in result["contacts"]]
    elif name == "paths":
        lines += ["  " + " -> ".join(n or "(not named)" for n in p["names"]) for p in result["paths"]]
    elif name == "gaps":
        lines += [f"  {g['a']} x {g['b']}: {g['observed']} ties, {g['expected']:.1f} expected"
                  for g in result["gaps"][:15]]
    elif name == "strength":
        lines += [f"  {b['borough']:<12} index {b['index']}" for b in result["boroughs"]]
    elif name == "communities":
        lines += [f"  {c['community']:<45} members {c['members']:>4}"
                  + ("  WANING" if c["waning"] else "") for c in result["health"]["communities"]]
    else:
        lines += [f"  brokers gained {len(result['brokers']['gained'])}, "
                  f"lost {len(result['brokers']['lost'])}"]
    lines.append("(--json for everything)")
    return "\n".join(lines)


def _audit(database: str, action: str, target: str, **detail) -> None:
    from graphsvc.cli_accounts import ACTOR, open_accounts

    accounts = open_accounts(database)
    accounts.audit(ACTOR, action, target, **detail)
    accounts.close()


def _register() -> None:
    from graphsvc import cli_accounts
    from graphsvc.cli_migrate import migrate

    main.add_command(migrate)
    cli_accounts.register(main)


_register()
