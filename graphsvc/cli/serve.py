"""``graphsvc serve`` and ``graphsvc demo``: the web app on this machine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graphsvc.cli.common import ACTOR, db_option, friendly, open_service
from graphsvc.resources import demo_files

DEMO_DATABASE = "graphsvc-demo.db"


def _serve(service, host: str, port: int, open_browser: bool, demo: bool = False) -> None:
    from werkzeug.serving import run_simple

    from graphsvc.web import create_app

    app = create_app({"DEMO": True} if demo else None, service=service)
    url = f"http://{host}:{port}/"
    banner = ""
    if demo:
        banner += "open access (demo mode: synthetic data only)\n"
    elif not service.access.users(ACTOR):
        banner += "there are no users yet: add one with graphsvc user add NAME --role admin\n"
    click.echo(f"{banner}graphsvc is running: open {url} in your browser (Ctrl+C stops it)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    run_simple(host, port, app, threaded=True)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@db_option
@friendly
def serve(host: str, port: int, no_browser: bool, database: str) -> None:
    """Serve the web app (for production, run it under gunicorn: see README)."""
    _serve(open_service(database), host, port, not no_browser)


@click.command()
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
    files = demo_files()
    with click.progressbar(length=len(files), label="Loading demo data", file=sys.stderr) as bar:
        plan = service.imports.preview(ACTOR, files, progress=lambda _: bar.update(1))
    service.imports.confirm(ACTOR, plan)
    data = service.views.stats(ACTOR)
    counts = data["counts"]
    click.echo(f"demo database {database}: {counts['organisations']} organisations, "
               f"{counts['people']} people, {counts['sessions']} sessions, "
               f"{data['ties']['people']:,} person ties, "
               f"{data['ties']['organisations']:,} organisation ties (synthetic data)")
    if not no_serve:
        _serve(service, "127.0.0.1", port, not no_browser, demo=True)


COMMANDS = (serve, demo)
