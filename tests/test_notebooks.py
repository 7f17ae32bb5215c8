"""The notebooks in ``notebooks/``: stored clean, and (real) executed end to end.

Run the real part with ``STEPCACHE_THREADS=1 pytest -m real tests/test_notebooks.py`` (a few minutes:
every notebook runs the packaged Gemma 3 270M; ``05`` runs ``stepcache bench --quick`` unless a stored
run is found through ``$STEPCACHE_BENCH_DIR`` or ``bench-out/seed42``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
TABLE_MIMES = ("text/html", "text/markdown")


def test_notebooks_exist() -> None:
    assert len(NOTEBOOKS) >= 5, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stored_without_outputs(path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.get("outputs") == [], f"{path.name} cell {i} has stored outputs"
        assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A ``python3`` kernelspec that runs this interpreter (the venv's), whatever is installed globally."""
    prefix = tmp_path_factory.mktemp("kernelspec")
    subprocess.run(
        [sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", "python3"],
        check=True,
        capture_output=True,
    )
    # the checkout first on the kernel's path: the kernel starts in notebooks/, and an editable install
    # made before a package had its __init__.py resolves that package as an empty namespace package
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {"JUPYTER_PATH": str(prefix / "share" / "jupyter"), "PYTHONPATH": pythonpath}


def _outputs(nb: Any) -> list[dict[str, Any]]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


@pytest.mark.real
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path: Path, kernel_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    for key, value in kernel_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("STEPCACHE_THREADS", os.environ.get("STEPCACHE_THREADS") or "2")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()  # raises CellExecutionError on any error

    outputs = _outputs(nb)
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, errors
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    tables = [
        o
        for o in outputs
        if "<table" in str(o.get("data", {}).get("text/html", "")) or "|---" in str(o.get("data", {}).get("text/markdown", ""))
    ]
    assert images or tables, f"{path.name} produced no image and no table"
