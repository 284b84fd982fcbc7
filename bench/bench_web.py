"""Benchmark of the web app under load, on loopback: every page and API route, with analyses
cached, driven by wrk; and the first (uncached) overview.

    python bench/bench_web.py [--gm-db PATH] [--seconds 5] [--connections 4] [--role viewer]

The demo database is built from ``data/demo``; ``--gm-db`` adds a run on a ``--scale gm``
database (``bench/bench_foundation.py --keep DIR`` leaves one at DIR/gm.db). Targets (2 cores):
p95 under 300 ms on the demo and under 1.5 s on the gm data with analyses cached; the first
uncached overview on the gm data under 20 s. Needs ``wrk`` (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import make_server  # noqa: E402

from graphsvc.accounts import LOCAL, Accounts  # noqa: E402
from graphsvc.resources import demo_files  # noqa: E402
from graphsvc.service.audience import nameable_people  # noqa: E402
from graphsvc.service import Graphsvc  # noqa: E402
from graphsvc.web import create_app  # noqa: E402

REPORT = """done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.1f %.1f %.1f %.1f %d\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
"""


def routes(service: Graphsvc, user) -> list[str]:
    """Every page and API route this user may call; people's routes ask about two people
    they may name (for a facilitator, people of their community)."""
    org = service.data.network("organisations").node_ids[0]
    everything = [
        "/", "/api/overview", "/api/overview?metric=people", "/network", "/api/network",
        "/network?network=people", "/api/network?network=people", "/brokers",
        "/api/brokers?network=people", "/api/brokers", "/gaps", "/api/gaps",
        "/bridges?a=Housing&b=Faith+group", "/api/bridges?a=Housing&b=Faith+group",
        "/communities", "/api/communities", "/boroughs/Wigan", "/api/boroughs/Wigan",
        f"/organisations/{org}", f"/api/nodes/{org}", "/exports", "/api/stats", "/api/health",
        "/api/openapi.json"]
    if user.at_least("facilitator"):
        named = sorted(nameable_people(service.data, user))
        first, last = named[0], named[-1]
        everything += [f"/people/{first}", f"/introductions?from={first}&to={last}",
                       f"/api/introductions?from={first}&to={last}"]
    if user.at_least("admin"):
        everything += ["/imports", "/api/imports"]
    return everything


def serve(service: Graphsvc, folder: Path, role: str):
    """The app on loopback, and the header of an API token for a user of ``role`` (whose
    scope, for a facilitator, is the first community)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    # a file of its own each time (an id() of a service gone may come back)
    accounts = Accounts(folder / f"accounts-{role}-{uuid.uuid4().hex}.db")
    served = Graphsvc(service.store, rule=service.rule, archive=service.archive,
                      accounts=accounts)
    app = create_app({"TESTING": False}, service=served)
    scope = [sorted(c.name for c in service.store.communities())[0]]
    accounts.add_user("bench", "bench-password-" + role, role,
                      communities=scope if role == "facilitator" else ())
    _, secret = accounts.issue_token("bench", "bench_web")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return (server, f"http://127.0.0.1:{server.server_port}", f"Bearer {secret}",
            accounts.user("bench"))


AUTHORIZATION = {}


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers=AUTHORIZATION)
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.read()


WORKING = b'<progress id="working"'  # the page a slow first view shows meanwhile


def settled(url: str) -> bytes:
    """The page once its answer is ready: a slow first view shows a page saying it is
    working (which refreshes itself) until then."""
    while True:
        page = fetch(url)
        if WORKING not in page:
            return page
        time.sleep(0.25)


def first_map(url: str) -> tuple[float, float]:
    """Seconds until the overview shows its map (a big database first shows a progress page
    that refreshes itself), and how long the first response took."""
    start = time.perf_counter()
    first = None
    while True:
        page = fetch(url)
        first = first or time.perf_counter() - start
        if b"borough-map" in page:
            return time.perf_counter() - start, first
        time.sleep(0.25)


def load(url: str, seconds: int, connections: int, script: Path) -> tuple:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
                          "-s", str(script), url], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT"))
    count, p50, p95, p99, worst, errors = line.split()[1:]
    return int(count), float(p50), float(p95), float(p99), float(worst), int(errors)


def run(label: str, service: Graphsvc, target_ms: float, args, folder: Path) -> float:
    server, base, authorization, user = serve(service, folder, args.role)
    AUTHORIZATION["Authorization"] = authorization
    script = folder / f"report-{args.role}.lua"
    script.write_text(f'wrk.headers["Authorization"] = "{authorization}"\n' + REPORT)
    try:
        print(f"\n{label}: first hit of each route (fills the caches)")
        start = time.perf_counter()
        first, answered = first_map(base + "/")
        print(f"  first overview, nothing cached: map after {first:.1f} s "
              f"(first response, a page saying it is working or the map, {answered:.2f} s)")
        for route in routes(service, user):
            settled(base + route)  # measured below once ready, not while it says "working"
        print(f"  every route once: {time.perf_counter() - start:.1f} s")
        print(f"\n  {'route':<52}{'req':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  target")
        worst = 0.0
        for route in routes(service, user):
            count, p50, p95, p99, _, errors = load(base + route, args.seconds,
                                                   args.connections, script)
            if not count:  # not one answer within the run: slower than the run itself
                p50 = p95 = p99 = args.seconds * 1000.0
            worst = max(worst, p95)
            verdict = "ok" if p95 < target_ms and not errors else "OVER"
            print(f"  {route[:50]:<52}{count:>6}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}  "
                  f"< {target_ms:.0f} {verdict}{f' ({errors} errors)' if errors else ''}")
        print(f"  slowest p95 {worst:.0f} ms against {target_ms:.0f} ms: "
              f"{'ok' if worst < target_ms else 'OVER'}")
    finally:
        server.shutdown()
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gm-db", type=Path, help="a --scale gm SQLite database (copied)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--role", choices=("admin", "facilitator", "viewer"), default="admin",
                        help="who asks (viewers and facilitators see redacted people)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench_web needs wrk: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="graphsvc-bench-web-"))
    demo = Graphsvc(folder / "demo.db")
    demo.imports.load(LOCAL, demo_files())
    run(f"demo data, as {args.role}", demo, 300, args, folder)
    if args.gm_db:
        copy = folder / "gm.db"
        shutil.copy(args.gm_db, copy)
        first = run(f"--scale gm data, as {args.role}", Graphsvc(copy), 1500, args, folder)
        print(f"  first overview on gm data {first:.1f} s against 20 s: "
              f"{'ok' if first < 20 else 'OVER'}")


if __name__ == "__main__":
    main()
