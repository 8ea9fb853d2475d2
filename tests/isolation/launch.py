"""Isolation matrix rows for launch (joined into ROUTES by tests/test_isolation_matrix.py)."""

from __future__ import annotations

from tests.isolation.core import Route

ROUTES: dict[str, Route] = {}
