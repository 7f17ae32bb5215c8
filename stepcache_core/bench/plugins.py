"""Benchmark routes that packages above the core add to ``stepcache bench``: declared as entry points, each run in
its own process, so the core neither imports nor names them.

A distribution registers a route in one of :data:`GROUPS` as ``name = "module:function"``. The function takes the
route's command-line arguments (``argv: list[str]``), prints its result on stdout and returns an exit code:

- ``stepcache.bench_formats``: the formats corpus through the package's routes, one JSON row a line
  (``stepcache bench --formats``, no arguments);
- ``stepcache.bench_traps``: the traps corpus through the package's routes, one JSON row a line (same);
- ``stepcache.bench_cache``: one JSON line, the package's cache against its framework's own
  (``stepcache bench --scale``, called with ``--n N``).

StepCache's integrations register theirs in ``pyproject.toml`` under the name of the extra they need::

    [project.entry-points."stepcache.bench_formats"]
    langchain = "stepcache_langchain.bench_formats:main"

:func:`run` starts ``python -m stepcache_core.bench.plugins GROUP NAME VALUE ARGS...``: the child loads the
function and calls it. A module it cannot find is a message naming the module (and the extra to install, when
``stepcache`` has one of the route's name) and the exit code :data:`MISSING_PACKAGE`, not a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from importlib.metadata import EntryPoint, PackageNotFoundError, entry_points, metadata

from ..errors import ConfigError

__all__ = ["FORMATS", "TRAPS", "CACHE", "GROUPS", "MISSING_PACKAGE", "routes", "run"]

FORMATS = "stepcache.bench_formats"
TRAPS = "stepcache.bench_traps"
CACHE = "stepcache.bench_cache"
GROUPS = (FORMATS, TRAPS, CACHE)
"""The entry-point groups ``stepcache bench`` reads: formats rows, traps rows, a cache comparison."""

MISSING_PACKAGE = 3
"""The exit code of a route whose function, or something it imports, is not installed."""


def routes(group: str) -> list[EntryPoint]:
    """The routes registered in ``group`` (one of :data:`GROUPS`), by name: the order their rows are reported in."""
    if group not in GROUPS:
        raise ConfigError(f"unknown bench route group {group!r}; choose from {GROUPS}")
    return sorted(entry_points(group=group), key=lambda route: route.name)


def run(route: EntryPoint, *args: str, timeout: float, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``route``'s function called with ``args`` in a child process: its exit code, stdout and stderr."""
    command = [sys.executable, "-m", __name__, route.group, route.name, route.value, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def _install_hint(name: str) -> str:
    try:
        extras = metadata("stepcache").get_all("Provides-Extra") or []
    except PackageNotFoundError:
        return ""
    return f"; install the extra it needs: pip install 'stepcache[{name}]'" if name in extras else ""


def _child(argv: list[str]) -> int:
    group, name, value, *args = argv
    try:
        return int(EntryPoint(name=name, value=value, group=group).load()(args))
    except ModuleNotFoundError as e:
        print(
            f"bench route {name!r} of {group} ({value}) needs {e.name!r}, which is not installed{_install_hint(name)}",
            file=sys.stderr,
        )
        return MISSING_PACKAGE


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
