"""Verification stage: cheap task-aware checks. Built-ins: equations (sympy), JSON (jsonschema)."""

from .equation import EquationVerifier
from .jsonout import JsonVerifier

__all__ = ["EquationVerifier", "JsonVerifier"]
