# The WSGI module builds an app from the environment at import; doctest collection must not.
# graphsvc/data is a link to data/ (how the package carries its data): collected once, as data.
collect_ignore = ["graphsvc/web/wsgi.py", "data", "graphsvc/data", "bench", "scripts"]
