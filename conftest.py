# The WSGI module builds an app from the environment at import; doctest collection must not.
collect_ignore = ["graphsvc/web/wsgi.py", "data", "bench"]
