# Stubs for django-scopes 2.x, which ships no type hints: just what Partnerdesk uses.
# ScopedManager builds a Manager subclass at run time; for the checker it is a plain Manager,
# which lets the django-stubs plugin type each model's ``objects`` and related managers.
from contextlib import AbstractContextManager
from typing import Any

from django.db import models

class ScopeError(Exception): ...

def ScopedManager(
    _manager_class: type[models.Manager[Any]] = ..., **scopes: str
) -> models.Manager[Any]: ...
def scope(**scope_kwargs: Any) -> AbstractContextManager[None]: ...
def scopes_disabled() -> AbstractContextManager[None]: ...
def get_scope() -> dict[str, Any]: ...

__all__ = ["ScopeError", "ScopedManager", "get_scope", "scope", "scopes_disabled"]
