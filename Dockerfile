# Stage 1 builds the wheel (the one scripts/check-wheel installs and tests in CI);
# stage 2 installs that wheel, and nothing else from the checkout.
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY pyproject.toml README.md ./
COPY graphsvc graphsvc
COPY loaders loaders
COPY viz viz
COPY data data
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 graphsvc && mkdir /data && chown graphsvc /data
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir "$(ls /wheels/graphsvc-*.whl)[neo4j]" gunicorn \
    && rm -rf /wheels
# numba's cache for the compiled kernels: kept in the image, compiled for any x86-64 CPU
ENV NUMBA_CACHE_DIR=/home/graphsvc/numba-cache NUMBA_CPU_NAME=generic
USER graphsvc
WORKDIR /home/graphsvc
# compiled now, so that no container's first overview waits for them (bench_fresh.py, part c)
RUN graphsvc compile
EXPOSE 5000
# GRAPHSVC_DATABASE names the store: a SQLite file under /data, or bolt://neo4j:7687 (compose)
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "--workers", "2", "graphsvc.web.wsgi:app"]
