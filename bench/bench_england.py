"""Benchmark at England scale on one machine (issue 17, target 4), each step beside a baseline
run in the same process.

    python bench/bench_england.py [--scale england|gm] [--data DIR] [--work DIR]
                                  [--timeout 900] [--load-timeout 3600] [--memory-limit 16]
                                  [--seconds 10] [--connections 4]

``--scale england`` is ten times ``gm``: 160,000 organisations, 620,000 people, 60,000
sessions, 6 million attendance rows, over GM's boroughs and 90 synthetic areas. The data is
written once to ``DIR/SCALE`` (kept; ``--data /work/bench-new --scale gm`` reuses GM data) and
loaded into a fresh SQLite file in ``--work`` (default: a temporary folder). Steps:

* load through the real loaders; baseline: the same attendance rows read with ``csv`` and
  written with one ``executemany`` into a bare table of a fresh SQLite file;
* projection of both tie networks (read, project, the active network); baseline: scipy's
  sparse products ``B.T @ diag(w) @ B`` and ``B.T @ B`` of the same incidence matrix;
* every organisation analysis as the service runs it: in sequence, in one process;
* person brokerage (betweenness sampled from pivots, as the service runs it), then
  bench_analyses' comparison of 64 sources and of constraint with igraph;
* the overview and the network page over loopback under wrk (p95; baseline: /api/health,
  the app's floor), after the first uncached overview;
* last (no target hangs on them), bench_analyses' comparisons of the organisation analyses
  with pandas/numpy, igraph, networkit and leidenalg;
* the peak resident memory of the process and of every step's process.

Targets (2 cores): load under 3 min, projection under 30 s, all organisation analyses under
3 min, pages p95 under 1.5 s, peak under 16 GiB. A step runs in a forked copy of the process
(it starts from the parent's caches) with a time limit; one that runs out of time, or out of
``--memory-limit`` GiB of address space, is reported as such and the run goes on.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np
import scipy.sparse as sp

import bench_analyses as analyses
import bench_web as web
from _timing import peak_mib, timed
from graphsvc.accounts import LOCAL
from graphsvc.data import generate_demo
from graphsvc.data.demo_formats import ATTENDANCE_HEADER
from graphsvc.service import Graphsvc

# the steps run in forked copies of a process that has run parallel kernels itself (the
# projection): GNU OpenMP, numba's default layer on Linux, kills a forked child that runs one
numba.config.THREADING_LAYER = "forksafe"
TARGETS = {"load": 180.0, "projection": 30.0, "analyses": 180.0, "page_ms": 1500.0, "peak": 16.0}
PEAKS: list[float] = []  # MiB, of every step's process


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def row(label: str, ours: float, theirs: float | None, target: str, ok: bool | None = None,
        note: str = "") -> None:
    base = f"{theirs:9.2f} s {ours / theirs:7.2f}x" if theirs else f"{'':>11} {'':>8}"
    mark = "" if ok is None else verdict(ok)
    print(f"{label:<46}{ours:9.2f} s {base}  {target:<14}{mark:<5} {note}")


def header(title: str) -> None:
    print(f"\n{title:<46}{'graphsvc':>11} {'baseline':>11} {'ratio':>8}  {'target':<14}")


def isolated(label: str, action, timeout: float):
    """``action()`` in a forked copy of this process within ``timeout`` seconds: its result,
    seconds and peak MiB, or None after a line saying why (out of time, out of memory, failed)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        try:
            result, seconds = timed(action)
            send.send(("ok", result, seconds, peak_mib()))
        except BaseException as exc:  # reported by the parent, whatever it was
            send.send(("failed", f"{type(exc).__name__}: {exc}"[:200], 0.0, peak_mib()))
        sys.stdout.flush()

    sys.stdout.flush()
    process = context.Process(target=child, daemon=True)
    process.start()
    deadline = time.monotonic() + timeout
    while not receive.poll(1.0):
        if not process.is_alive() and not receive.poll(0):
            print(f"{label:<46}DIED (exit code {process.exitcode}; the run goes on)")
            return None
        if time.monotonic() > deadline:
            process.kill()
            process.join()
            print(f"{label:<46}TIMEOUT after {timeout:.0f} s (stopped; the run goes on)")
            return None
    status, result, seconds, peak = receive.recv()
    process.join()
    PEAKS.append(peak)
    if status != "ok":
        print(f"{label:<46}FAILED: {result}")
        return None
    return result, seconds, peak


def guarded(section, *args):
    """A section of the run; one that fails says so and the run goes on."""
    try:
        return section(*args)
    except Exception as exc:  # a bench reports; it does not stop at the first failure
        print(f"{section.__name__}: FAILED: {type(exc).__name__}: {exc}"[:300])
        return None


# -- data and load -------------------------------------------------------------------------
def data_files(folder: Path, scale: str) -> list[Path]:
    data = folder / scale
    if not (data / "organisations.csv").exists():
        summary, seconds = timed(lambda: generate_demo.write(
            data, 2016, generate_demo.SCALES[scale]))
        print(f"wrote --scale {scale} data to {data} in {seconds:.0f} s (not a target)")
    files = [data / "organisations.csv", data / "communities.csv",
             *sorted((data / "attendance").glob("*.csv"))]
    print(f"data: {data} ({sum(p.stat().st_size for p in files) / 2**20:,.0f} MiB of CSV)")
    return files


def bare_load(files: list[Path], database: Path) -> int:
    """The attendance rows, read with csv and written with one executemany, nothing else."""
    def rows():
        for path in files[2:]:
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                yield from reader

    columns = ", ".join(f"c{i} TEXT" for i in range(len(ATTENDANCE_HEADER)))
    with sqlite3.connect(database) as connection:
        connection.execute(f"CREATE TABLE attendance ({columns})")
        marks = ", ".join("?" * len(ATTENDANCE_HEADER))
        connection.executemany(f"INSERT INTO attendance VALUES ({marks})", rows())
        return connection.execute("SELECT count(*) FROM attendance").fetchone()[0]


def load(files: list[Path], work: Path, timeout: float, reuse: bool = False) -> Path | None:
    header("load into SQLite")
    database = work / "england.db"
    if reuse and database.exists():
        print(f"load: skipped, reusing {database} (--reuse)")
        return database
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)

    def real_load() -> int:
        service = Graphsvc(database)
        service.imports.load(LOCAL, files)
        return service.store.counts()["attendance"]

    ours = isolated("load (real loaders)", real_load, timeout)
    theirs = isolated("bare executemany", lambda: bare_load(files, work / "bare.db"), timeout)
    if ours is None:
        return None
    rows, seconds, peak = ours
    row(f"load {rows:,} rows (real loaders)", seconds, theirs[1] if theirs else None,
        "< 180 s", seconds < TARGETS["load"],
        f"{rows / seconds:,.0f} rows/s; peak {peak / 1024:.1f} GiB; baseline: one executemany")
    return database


# -- projection ----------------------------------------------------------------------------
def product_baseline(table, network: str, rule) -> int:
    """scipy's sparse products of the same incidence matrix (weighted, and counted over the
    sessions the rule keeps), as a skilled user would project; the number of ties."""
    nodes = table.organisation if network == "organisations" else table.person
    known = nodes >= 0
    n = len(table.organisation_ids if network == "organisations" else table.person_ids)
    incidence = sp.csr_matrix((np.ones(int(known.sum())), (table.session[known], nodes[known])),
                              shape=(len(table.session_ids), n))
    incidence.sum_duplicates()
    incidence.data[:] = 1.0
    size, per_session = table.session_sizes(), np.diff(incidence.indptr)
    weight = np.where(size > rule.large_session_size, 1 / np.maximum(per_session - 1, 1), 1.0)
    weight[(size > rule.max_session_size) | (per_session < 2)] = 0.0
    sp.triu(incidence.T @ sp.diags(weight) @ incidence, k=1)
    kept = sp.diags((weight > 0).astype(np.float64)) @ incidence
    return sp.triu(kept.T @ kept, k=1).nnz


def projection(service: Graphsvc) -> None:
    header("projection of the tie networks")
    table, t_read = timed(service.data.attendance_table)
    row("read attendance from SQLite", t_read, None, "(in the total)",
        note=f"{len(table.session):,} rows")
    as_of = service.data.latest_session()
    total, complete = t_read, True
    for network in ("organisations", "people"):
        try:
            ties, t_project = timed(lambda: service.data.ties(network, window=(None, as_of)))
            active, t_active = timed(lambda: service.data.network(network))
            count, t_base = timed(lambda: product_baseline(table, network, service.rule))
        except MemoryError:
            print(f"project {network:<38}FAILED: out of the memory limit")
            complete = False
            continue
        total += t_project + t_active
        row(f"project {network}", t_project, t_base, "(in the total)",
            note=f"{len(ties):,} ties" + ("" if count == len(ties) else
                                          f"; BASELINE FINDS {count:,}"))
        row(f"  active {network} network (18 months)", t_active, None, "(in the total)",
            note=f"{active.n:,} nodes, {active.edges:,} active ties")
    print(f"projection, reading and active networks included: {total:.1f} s (target < 30 s) "
          f"{verdict(complete and total < TARGETS['projection'])}")


# -- analyses ------------------------------------------------------------------------------
def organisation_analyses(service: Graphsvc, timeout: float) -> dict:
    """Every organisation analysis, one after another in one process, as the service computes
    them for its pages: in one process whose caches they share (``change`` takes the current
    betweenness that ``brokers`` computed). Each step prints as it ends; ``timeout`` is per
    step, so the sequence gets their sum."""
    header("organisation analyses (service, in sequence)")

    def sequence() -> tuple[dict, float]:
        results, total = {}, 0.0
        for name, options in analyses.STEPS:
            result, seconds = timed(lambda: service.analyses.compute(name, **options))
            results[name] = result if name == "strength" else bool(result)
            total += seconds
            below = " (baseline below)" if name in ("strength", "brokers", "communities") else ""
            row(f"organisations: {name}", seconds, None, "(in the total)",
                note=f"peak so far {peak_mib() / 1024:.1f} GiB{below}")
            sys.stdout.flush()
        return results, total

    done = isolated("organisation analyses", sequence, timeout * len(analyses.STEPS))
    if done is None:
        print("all organisation analyses: did not finish (target < 180 s) OVER")
        return {}
    (results, total), _, _ = done
    print(f"all organisation analyses: {total:.1f} s (target < 180 s) "
          f"{verdict(total < TARGETS['analyses'])}")
    return results


def comparisons(service: Graphsvc, results: dict, timeout: float) -> None:
    header("the part a baseline computes (bench_analyses)")
    print("  (ratio target 2x is issue 17's target 1, at GM scale)")
    orgs = service.data.network("organisations")
    if "strength" in results:
        isolated("  strength", lambda: analyses.compare_strength(service, results["strength"]),
                 timeout)
    isolated("  brokers", lambda: analyses.compare_brokers(orgs), timeout)
    isolated("  communities", lambda: analyses.compare_communities(orgs), timeout)


def person_brokerage(service: Graphsvc, timeout: float) -> None:
    header("person brokerage (sampled)")
    done = isolated("people: brokers", lambda: service.analyses.compute(
        "brokers", network="people", partition="sector")["betweenness"], timeout)
    if done is not None:
        sampled, seconds, peak = done
        pivots = f"from {sampled['k']} pivots" if sampled.get("k") else "exact"
        row("people: brokers (service)", seconds, None, "", note=f"betweenness {pivots}; "
            f"peak {peak / 1024:.1f} GiB")
    isolated("people: against igraph", lambda: analyses.people_brokerage(service), timeout)


# -- pages ---------------------------------------------------------------------------------
def first_overview(url: str, timeout: float) -> float | None:
    """Seconds until the overview shows its map (it first shows a page saying it is working)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if b"borough-map" in web.fetch(url):
            return time.perf_counter() - start
        time.sleep(0.5)
    return None


def pages_apart(database: Path, work: Path, args) -> None:
    """:func:`pages` in a process of its own, started afresh (as ``graphsvc serve`` starts:
    none of this process's caches, and none of its memory counted against the limit)."""
    process = multiprocessing.get_context("spawn").Process(target=pages,
                                                           args=(database, work, args))
    process.start()
    process.join()
    PEAKS.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    if process.exitcode:
        print(f"pages: FAILED: the server's process ended with {process.exitcode}")


def pages(database: Path, work: Path, args) -> None:
    """The overview and the network page under wrk, served from a fresh service (as after
    ``graphsvc serve``), against the app's floor (/api/health)."""
    sys.stdout.reconfigure(line_buffering=True)
    print(f"\n{'pages over loopback (wrk)':<46}{'req':>6}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p99 ms':>9} {'ratio':>7}  target")
    server, base, authorization, _ = web.serve(Graphsvc(database, cache_dir=False), work,
                                               "admin")
    web.AUTHORIZATION["Authorization"] = authorization
    script = work / "report.lua"
    script.write_text(f'wrk.headers["Authorization"] = "{authorization}"\n' + web.REPORT)
    try:
        first = first_overview(base + "/", args.timeout)
        print("  first overview, nothing cached: " + (f"map after {first:.1f} s" if first else
              f"TIMEOUT after {args.timeout:.0f} s") + " (no target at this scale)")
        if first is None:
            return
        _, seconds = timed(lambda: web.settled(base + "/network"))
        print(f"  first network page: {seconds:.1f} s (no target)")
        floor = None
        for route in ("/api/health", "/", "/network"):
            count, p50, p95, p99, _, errors = web.load(base + route, args.seconds,
                                                       args.connections, script)
            if not count:  # not one answer within the run: slower than the run itself
                p50 = p95 = p99 = args.seconds * 1000.0
            floor = floor or p95
            ok = p95 < TARGETS["page_ms"] and not errors
            print(f"  {route:<44}{count:>6}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f} "
                  f"{p95 / floor:>6.1f}x  p95 < 1500 ms {verdict(ok)}"
                  f"{f' ({errors} errors)' if errors else ''}")
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("england", "gm"), default="england")
    parser.add_argument("--data", type=Path, default=Path("bench-data"),
                        help="folder holding (or to hold) SCALE/, the CSV data")
    parser.add_argument("--work", type=Path, help="where the databases go (default: temporary)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds a step may take")
    parser.add_argument("--load-timeout", type=float, default=3600,
                        help="seconds the load (and its baseline) may take")
    parser.add_argument("--reuse", action="store_true",
                        help="skip the load if --work already holds its database")
    parser.add_argument("--memory-limit", type=float, default=16, help="GiB of address space")
    parser.add_argument("--seconds", type=int, default=10, help="wrk's run per page")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    limit = int(args.memory_limit * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    work = args.work or Path(tempfile.mkdtemp(prefix="graphsvc-bench-england-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"bench_england --scale {args.scale}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
          f"; steps limited to {args.timeout:.0f} s and {args.memory_limit:g} GiB")
    database = load(data_files(args.data, args.scale), work, args.load_timeout, args.reuse)
    if database is not None:
        service = Graphsvc(database, cache_dir=False)  # cold: no results from an earlier run
        guarded(projection, service)
        results = guarded(organisation_analyses, service, args.timeout) or {}
        guarded(person_brokerage, service, args.timeout)
        guarded(pages_apart, database, work, args)
        guarded(comparisons, service, results, args.timeout)  # last: no target hangs on them
    peak = max([peak_mib(), *PEAKS]) / 1024
    print(f"\npeak resident memory, the largest of the process and every step's: {peak:.2f} GiB "
          f"(target < 16 GiB) {verdict(peak < TARGETS['peak'])}")


if __name__ == "__main__":
    main()
