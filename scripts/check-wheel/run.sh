#!/usr/bin/env bash
# graphsvc as its users install it: build the wheel, install it (not editable) into a fresh
# virtual environment outside the checkout, import every module, run the command line, build
# the demo, compile the kernels, and serve it with gunicorn (2 workers, as the Dockerfile does)
# while a bounded loop of concurrent requests on 127.0.0.1 must get no error.
set -euo pipefail
checkout="$(cd "$(dirname "$0")/../.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/graphsvc-wheel.XXXXXX")"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "check-wheel: building the wheel"
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$checkout" 2>/dev/null
wheel="$(ls "$work"/dist/graphsvc-*.whl)"

echo "check-wheel: installing $(basename "$wheel") into a fresh environment"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip install --quiet "$wheel" gunicorn

cd "$work"  # nothing from the checkout is on the path from here on
"$work/venv/bin/python" - <<'PY'
import importlib, pkgutil, sys
import graphsvc, loaders, viz
names = []
for package in (graphsvc, loaders, viz):
    assert "site-packages" in package.__path__[0], package.__path__
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.name != "graphsvc.web.wsgi":  # builds an app from the environment at import
            importlib.import_module(info.name)
            names.append(info.name)
from graphsvc.resources import demo_dir, geo_dir
assert all((geo_dir() / name).is_file() for name in
           ("gm_districts.geojson", "gm_wards.geojson", "README.md"))
assert any(demo_dir().rglob("*.xlsx"))
print(f"check-wheel: imported {len(names)} modules; data files inside the package")
PY
"$work/venv/bin/graphsvc" --help >/dev/null
"$work/venv/bin/graphsvc" demo --no-serve --db "$work/demo.db"
# the kernels compiled ahead, as the Dockerfile does; gunicorn below serves from that cache
export NUMBA_CACHE_DIR="$work/numba-cache" NUMBA_CPU_NAME=generic
"$work/venv/bin/graphsvc" compile
cache_digest() { find "$NUMBA_CACHE_DIR" -type f | sort | xargs sha256sum; }
compiled="$(cache_digest)"

port="$("$work/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "check-wheel: serving the demo with gunicorn on 127.0.0.1:$port"
GRAPHSVC_DATABASE="$work/demo.db" GRAPHSVC_DEMO=1 GRAPHSVC_SECRET_KEY="check-wheel-only" \
    "$work/venv/bin/gunicorn" --bind "127.0.0.1:$port" --workers 2 --timeout 120 \
    --error-logfile "$work/gunicorn.log" graphsvc.web.wsgi:app &
server=$!
"$work/venv/bin/python" - "$port" <<'PY'
import concurrent.futures, sys, time, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
for _ in range(240):
    try:
        urllib.request.urlopen(base + "/api/health", timeout=5)
        break
    except OSError:
        time.sleep(0.5)
routes = ["/", "/api/overview", "/api/stats", "/network", "/api/network?window=all",
          "/brokers", "/api/gaps", "/communities", "/boroughs/Wigan", "/api/openapi.json",
          "/exports", "/vendor/vis-network.min.js"]
def get(path):
    with urllib.request.urlopen(base + path, timeout=120) as response:
        response.read()
        return path, response.status
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    results = list(pool.map(get, routes * 8))
bad = [r for r in results if r[1] != 200]
assert not bad, bad
with urllib.request.urlopen(base + "/", timeout=120) as response:  # the map from the wheel's data
    assert "Crown copyright" in response.read().decode(), "no ONS boundaries on the overview"
print(f"check-wheel: {len(results)} concurrent requests, every one answered 200")
PY
# serving compiled nothing more: numba's cache is as graphsvc compile left it
if [[ "$(cache_digest)" != "$compiled" ]]; then
    echo "check-wheel: serving compiled kernels that graphsvc compile had not" >&2
    exit 1
fi
echo "check-wheel: the wheel works"
