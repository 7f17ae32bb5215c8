"""StepCacheLLM as Settings.llm in a real query engine over a small local index (no network)."""

from __future__ import annotations

import pytest
from llama_index.core import Document, MockEmbedding, Settings, VectorStoreIndex
from llama_index.core.llms import MockLLM

from stepcache_core import EngineConfig, StepCacheEngine
from stepcache_core.fakes import HashEmbedder, MemoryStore
from stepcache_llamaindex import StepCacheLLM


@pytest.fixture
def settings():
    saved = (Settings._llm, Settings._embed_model)
    yield Settings
    Settings._llm, Settings._embed_model = saved


def test_query_engine_with_settings_llm(settings):
    inner = MockLLM()  # echoes the prompt: the answer shows what the synthesizer sent
    llm = StepCacheLLM(llm=inner, engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder(), config=EngineConfig()))
    settings.llm = llm
    settings.embed_model = MockEmbedding(embed_dim=8)
    docs = [Document(text="The Eiffel Tower is in Paris."), Document(text="The Colosseum is in Rome.")]
    engine = VectorStoreIndex.from_documents(docs).as_query_engine(similarity_top_k=2)
    first = engine.query("Where is the Eiffel Tower?")
    assert "Eiffel Tower is in Paris" in str(first) and llm.last_trace["path"] == "miss"
    second = engine.query("Where is the Eiffel Tower?")
    assert str(second) == str(first) and llm.last_trace["path"] == "reuse" and llm.last_trace["task"] == "text"
    third = engine.query("Where is the Colosseum?")
    assert "Where is the Colosseum?" in str(third) and llm.last_trace["path"] != "reuse"
