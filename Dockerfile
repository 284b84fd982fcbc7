FROM python:3.11-slim
RUN useradd --create-home --uid 10001 graphsvc && mkdir /data && chown graphsvc /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphsvc graphsvc
COPY loaders loaders
COPY viz viz
COPY data data
RUN pip install --no-cache-dir . gunicorn
USER graphsvc
EXPOSE 5000
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "--workers", "2", "graphsvc.web.wsgi:app"]
