"""``graphsvc compile`` leaves nothing for the service to compile: after it has filled an empty
numba cache, a second process that serves every page and API route the app has (demo data,
both networks, then an import carried forward and every route again) loads each kernel it
calls from that cache and compiles none."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# the service's routes, crawled; then the kernels' cache statistics as JSON
WORKLOAD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from graphsvc import bootstrap
    from graphsvc.accounts import LOCAL
    from graphsvc.cli.compile import kernels
    from graphsvc.resources import demo_files
    from graphsvc.web import create_app

    folder = Path(sys.argv[1])
    files = demo_files()
    later = min(p for p in files if p.parent.name == "attendance")
    service = bootstrap.build(database=str(folder / "crawl.db"))
    service.imports.load(LOCAL, [p for p in files if p != later])
    app = create_app({"DEMO": True, "TESTING": True}, service=service)
    client = app.test_client()
    routes = sorted(r.rule for r in app.url_map.iter_rules()
                    if "GET" in r.methods and not r.arguments)
    asked = 0
    for _ in range(2):
        for route in routes:
            for query in ("", "?network=people", "?network=people&window=all"):
                client.get(route + query)
                asked += 1
        service.imports.load(LOCAL, [later])
    print(json.dumps({"asked": asked, "kernels": {
        name: [sum(k.stats.cache_hits.values()), sum(k.stats.cache_misses.values())]
        for name, k in kernels().items()}}))
""")


def test_after_graphsvc_compile_serving_every_route_compiles_no_kernel(tmp_path):
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    compiled = subprocess.run([sys.executable, "-c", "from graphsvc.cli import main; main()",
                               "compile"], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=600)
    assert compiled.returncode == 0, compiled.stderr[-2000:]
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    served = subprocess.run([sys.executable, "-c", WORKLOAD, str(crawl)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert served.returncode == 0, served.stderr[-2000:]
    found = json.loads(served.stdout.strip().splitlines()[-1])
    assert found["asked"] > 100
    missed = {name: misses for name, (_, misses) in found["kernels"].items() if misses}
    assert not missed, f"compiled while serving, after graphsvc compile: {missed}"
    called = {name for name, (hits, _) in found["kernels"].items() if hits}
    # the kernels the service calls from Python (the rest are compiled into these)
    assert called >= {"graphsvc.text_codes._split_hash", "graphsvc.text_codes._distinct",
                      "graphsvc.text_codes._same_bytes", "graphsvc.ties_kernels.tie_sessions",
                      "graphsvc.ties_kernels.symmetric_arcs",
                      "graphsvc.analyses.kernels.two_path_sums",
                      "graphsvc.analyses.kernels.all_two_paths_by_role",
                      "graphsvc.analyses.kernels_paths.dependency_sums",
                      "graphsvc.analyses.kernels_leiden.leiden"}, called
