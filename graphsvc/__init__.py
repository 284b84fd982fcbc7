"""graphsvc: relationship maps for place-based partnerships.

Build the service with :func:`graphsvc.bootstrap.build` (from settings) or
:class:`graphsvc.service.Graphsvc` (from a database path or a store); every use case is a method
of one of its parts, taking the acting user. See README, "Architecture".
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("graphsvc")
except PackageNotFoundError:  # a checkout that was never installed
    __version__ = "0+unknown"
