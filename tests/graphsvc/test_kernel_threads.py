"""The compiled parallel kernels called from several threads at once, as the web app's
background work does, on numba's workqueue layer (the one left where neither OpenMP nor TBB
loads, as in a slim image without libgomp): it ends the process on concurrent use, so the
kernels must take turns."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import threading
    import numpy as np
    import numba
    from graphsvc.ties import AttendanceTable, ProjectionRule, project
    from graphsvc.ties_kernels import symmetric_arcs
    from tests.graphsvc.test_ties import random_attendance

    rng = np.random.default_rng(0)
    n = 100_000
    pairs = np.unique(rng.integers(0, n, (2_000_000, 2)), axis=0)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    source, target = pairs[:, 0].astype(np.int32), pairs[:, 1].astype(np.int32)
    keep, weight = np.ones(len(source), dtype=bool), np.ones(len(source))
    sessions, rows = random_attendance(1, sessions=200, people=400)
    table = AttendanceTable.from_records(sessions, rows)
    rule = ProjectionRule(max_session_size=None)

    def work():
        for _ in range(6):
            symmetric_arcs(source, target, weight, keep, np.arange(n), n)
            project(table, "people", rule=rule)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("layer", numba.threading_layer())
""")


def test_parallel_kernels_take_turns_on_the_workqueue_layer():
    import os

    env = {**os.environ, "NUMBA_THREADING_LAYER": "workqueue"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "layer workqueue" in done.stdout
