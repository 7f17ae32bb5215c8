import subprocess
import sys


def test_core_never_imports_frameworks():
    code = (
        "import sys, stepcache_core, stepcache_core.engine, stepcache_core.cli;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('langchain_core','langchain','llama_index','chromadb','sentence_transformers','torch','llama_cpp')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
