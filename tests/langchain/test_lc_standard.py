"""LangChain's standard cache suites on a StepCache over fakes (HashEmbedder, MemoryStore)."""

from __future__ import annotations

import pytest
from langchain_core.caches import BaseCache
from langchain_tests.integration_tests import AsyncCacheTestSuite, SyncCacheTestSuite

from stepcache_core import StepCacheEngine
from stepcache_core.fakes import HashEmbedder, MemoryStore
from stepcache_langchain import StepCache


def _fresh() -> StepCache:
    return StepCache(engine=StepCacheEngine(store=MemoryStore(), embedder=HashEmbedder()))


class TestStepCacheSync(SyncCacheTestSuite):
    @pytest.fixture
    def cache(self) -> BaseCache:
        return _fresh()


class TestStepCacheAsync(AsyncCacheTestSuite):
    @pytest.fixture
    async def cache(self) -> BaseCache:
        return _fresh()


class TestStepCacheSyncOnChroma(SyncCacheTestSuite):
    """Same suite through an in-memory Chroma store (metadata round trip of the stored envelopes)."""

    @pytest.fixture
    def cache(self) -> BaseCache:
        from stepcache_core import ChromaStore

        cache = StepCache(engine=StepCacheEngine(store=ChromaStore(in_memory=True), embedder=HashEmbedder()))
        cache.clear()  # ephemeral Chroma clients share state within a process
        return cache
