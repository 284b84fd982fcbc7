FROM python:3.11-slim
RUN useradd --create-home --uid 10001 graphsvc && mkdir /data && chown graphsvc /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphsvc graphsvc
COPY loaders loaders
COPY viz viz
COPY data data
RUN pip install --no-cache-dir ".[neo4j,maps]" gunicorn
USER graphsvc
EXPOSE 5000
# GRAPHSVC_DATABASE names the store: a SQLite file under /data, or bolt://neo4j:7687 (compose)
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "--workers", "2", "graphsvc.web.wsgi:app"]
