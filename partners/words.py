"""Joining phrases in the reader's language: "a, b, c" in English, "a、b、c" in Japanese.
Generated sentences and lists of names use this rather than a literal ", "."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def phrases_join(items: Iterable) -> str:
    """``items`` (translated phrases or names) joined by the active language's separator."""
    return list_separator().join(str(item) for item in items)


def list_separator() -> str:
    """The separator between the items of a list in a sentence: ", " or "、"."""
    return pgettext("list separator", ", ")
