import ast
import re
import subprocess
import sys
from pathlib import Path

import stepcache_core

INTEGRATIONS = ("stepcache_langchain", "stepcache_llamaindex")
FRAMEWORKS = ("langchain", "langchain_core", "langchain_community", "langchain_classic", "llama_index")
HEAVY = ("chromadb", "sentence_transformers", "torch", "llama_cpp")

_UPWARD = "|".join(INTEGRATIONS + FRAMEWORKS)
_MODULE_PATH = re.compile(rf"(?:{_UPWARD})(?:\.\w+)*(?::\w+)?")
_NAMED = re.compile(rf"\b(?:{_UPWARD})\b")
_LAUNCHING_MODULES = ("subprocess", "runpy", "multiprocessing", "importlib")
_LAUNCHING_CALLS = ("os.system", "os.popen", "os.exec", "os.spawn", "__import__")


def test_core_never_imports_frameworks():
    code = (
        "import sys, stepcache_core, stepcache_core.engine, stepcache_core.cli;"
        f"bad=[m for m in sys.modules if m.split('.')[0] in {INTEGRATIONS + FRAMEWORKS + HEAVY!r}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def _launches(node: ast.AST) -> bool:
    """Whether ``node`` imports a module that starts processes or imports by name (``subprocess``, ``runpy``,
    ``multiprocessing``, ``importlib``) or calls ``os.system``, ``os.exec*``, ``os.spawn*``, ``__import__``."""
    if isinstance(node, ast.Import):
        return any(a.name.split(".")[0] in _LAUNCHING_MODULES for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] in _LAUNCHING_MODULES
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            return f"{f.value.id}.{f.attr}".startswith(_LAUNCHING_CALLS)
        return isinstance(f, ast.Name) and f.id.startswith(_LAUNCHING_CALLS)
    return False


def _upward_strings(source: str) -> list[str]:
    """The strings of ``source`` (docstrings aside) that name a package above the core for running it: anywhere, a
    string that is such a module's path (``"stepcache_langchain.bench_formats"``, ``"langchain_core"``); in a module
    that starts processes or imports by name, any string that names one (a ``-c`` program, an f-string, a
    message matched against a child's stderr)."""
    tree = ast.parse(source)
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]
    launches = any(_launches(n) for n in ast.walk(tree))
    return [s for s in strings if _MODULE_PATH.fullmatch(s.strip()) or (launches and _NAMED.search(s))]


def test_core_never_runs_what_it_must_not_import():
    """An upward call through a subprocess (``python -m stepcache_langchain...``) or ``import_module`` escapes the
    import check above; the integrations' routes are entry points the core discovers, never names it holds."""
    found = {
        str(path.relative_to(Path(stepcache_core.__file__).parent)): hits
        for path in sorted(Path(stepcache_core.__file__).parent.rglob("*.py"))
        if (hits := _upward_strings(path.read_text(encoding="utf-8")))
    }
    assert not found, found


def test_the_scan_sees_an_upward_subprocess_call():
    before = '''
import subprocess, sys
def run():
    """Runs ``stepcache_langchain.bench_formats`` (a docstring may say so)."""
    for module in ("stepcache_langchain.bench_formats", "stepcache_llamaindex.bench_traps"):
        subprocess.run([sys.executable, "-m", module])
    subprocess.run([sys.executable, "-c", "import langchain_core.caches as c; print(c)"])
    if "No module named 'stepcache_langchain" in "": pass
'''
    assert set(_upward_strings(before)) == {
        "stepcache_langchain.bench_formats",
        "stepcache_llamaindex.bench_traps",
        "import langchain_core.caches as c; print(c)",
        "No module named 'stepcache_langchain",
    }
    assert _upward_strings("import importlib\nimportlib.import_module('llama_index.core')\n") == ["llama_index.core"]
    assert _upward_strings('"""Through ``stepcache_langchain``."""\nKEY = "langchain_free_text"\n') == []


def test_the_integrations_bench_routes_are_declared_entry_points():
    from stepcache_core.bench import plugins

    declared = {(group, route.name): route.value for group in plugins.GROUPS for route in plugins.routes(group)}
    assert declared == {
        (plugins.FORMATS, "langchain"): "stepcache_langchain.bench_formats:main",
        (plugins.FORMATS, "llamaindex"): "stepcache_llamaindex.bench_formats:main",
        (plugins.TRAPS, "langchain"): "stepcache_langchain.bench_traps:main",
        (plugins.TRAPS, "llamaindex"): "stepcache_llamaindex.bench_traps:main",
        (plugins.CACHE, "langchain"): "stepcache_langchain.bench_cache:main",
    }
