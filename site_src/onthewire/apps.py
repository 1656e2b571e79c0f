"""Load an app named `module:attribute`, as uvicorn and gunicorn do, and tell ASGI from WSGI.

`wire trace` uses both; every failure is an AppError whose one line says what is wrong.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import traceback
from typing import Any


class AppError(Exception):
    """The app cannot be loaded, or is not what the command line says it is: one line."""


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def load_app(spec: str) -> Any:
    """Import the app named `module:attribute`, the current folder first on the import path.

    Every failure is a AppError with one line saying what is wrong.
    """
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise AppError(f"APP must be module:attribute, like hello:app, not {spec!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise AppError(f"cannot import {module_name!r} (APP {spec}): {e}") from None
    except Exception as e:  # the module's own code failed: say where, in one line
        where = traceback.extract_tb(e.__traceback__)[-1]
        raise AppError(f"importing {module_name!r} raised {_error(e)} ({os.path.basename(where.filename)}, line {where.lineno})") from None
    app = module
    for part in attr.split("."):
        if not hasattr(app, part):
            raise AppError(f"module {module_name!r} has no attribute {attr!r} (APP {spec})")
        app = getattr(app, part)
    if not callable(app):
        raise AppError(f"{spec} is a {type(app).__name__}, not an app (an ASGI or WSGI callable)")
    return app


def _positional(app: Any) -> int | None:
    """How many positional arguments `app` takes, or None when it cannot be told."""
    try:
        parameters = inspect.signature(app).parameters.values()
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return None
    return sum(p.kind in kinds for p in parameters)


def _is_async(app: Any) -> bool:
    return inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(getattr(app, "__call__", None))


def check_interface(app: Any, spec: str, wsgi: bool) -> None:
    """Refuse an app that cannot be what the command line says it is (ASGI, or WSGI with --wsgi).

    An ASGI 3 app takes three arguments (scope, receive, send) and a WSGI app two (environ,
    start_response): the count tells them apart when the signature shows it.
    """
    count = _positional(app)
    if wsgi and (_is_async(app) or count == 3):
        raise AppError(f"{spec} looks like an ASGI app (async, or 3 arguments): run it without --wsgi")
    if not wsgi and count == 2 and not _is_async(app):
        raise AppError(f"{spec} takes 2 arguments, like a WSGI app (environ, start_response): add --wsgi")
