"""Optional heavy dependencies, imported only where needed, with the install command when not."""

from __future__ import annotations

import importlib

from graphsvc.errors import MissingExtraError


def require(module: str, extra: str):
    """Import ``module``, or raise an error naming ``pip install 'graphsvc[extra]'``.

    >>> require("json", "none").__name__
    'json'
    """
    try:
        __import__(module)
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module, extra) from None
