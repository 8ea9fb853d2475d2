"""Reads for enablement. Every selector takes ``vendor`` and ``actor``."""

from __future__ import annotations


def distributor_enablement_panel(*, vendor, actor, distributor) -> dict:
    """Context for the enablement panel of the distributor page
    (templates/partners/distributor/_enablement.html)."""
    return {}
