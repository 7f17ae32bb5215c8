"""StepCache for LangChain: a drop-in LLM cache and a caching model wrapper.

The integration is thin: it converts LangChain prompts and generations to
``stepcache_core`` requests and outputs and delegates everything else
(task detection, reuse, adaptation, verification, patching) to
:class:`stepcache_core.StepCacheEngine`.

``StepCache`` — a ``BaseCache`` for ``set_llm_cache``; chains stay unchanged::

    from langchain_core.globals import set_llm_cache
    from stepcache_langchain import StepCache

    set_llm_cache(StepCache())                                  # ~/.cache/stepcache/chroma (or $STEPCACHE_DIR), MiniLM
    set_llm_cache(StepCache(persist_directory="/tmp/sc", tenant="app1", backend=llm))  # backend: patch failing steps
    set_llm_cache(StepCache(host="localhost", port=8000))       # a Chroma server
    set_llm_cache(StepCache(key_fn=lambda p: p.rsplit("Equation:", 1)[-1]))  # key few-shot prompts on the question

``StepCacheRunnable`` / ``with_step_cache`` — a Runnable around a model that
runs the full pipeline (reuse, patch, generate) with the model as backend::

    from stepcache_langchain import with_step_cache

    solver = with_step_cache(llm, persist_directory="/tmp/sc")
    solver.invoke("Solve for x: 3x + 5 = 20")                   # str (LLM) or AIMessage (chat model)
    solver.invoke("Solve for x: 3x + 7 = 20", with_trace=True)  # {"output": ..., "trace": {"path": "reuse", ...}}
    for chunk in solver.stream("Solve for x: 3x + 9 = 20"):     # hits replay the served text as chunks
        print(chunk, end="")

``LangChainBackend`` — any LangChain LLM or chat model as a core ``Backend``::

    from stepcache_core import StepCacheEngine, Request
    from stepcache_langchain import LangChainBackend

    engine = StepCacheEngine(backend=LangChainBackend(llm))
    engine.run(Request("Solve for x: 3x + 5 = 20")).trace.path  # "miss"
"""

from .backend import LangChainBackend
from .cache import StepCache
from .runnable import StepCacheRunnable, with_step_cache

__all__ = ["LangChainBackend", "StepCache", "StepCacheRunnable", "with_step_cache"]
