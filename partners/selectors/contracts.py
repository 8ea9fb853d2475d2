"""Reads for contracts. Every selector takes ``vendor`` and ``actor``."""

from __future__ import annotations


def distributor_contracts_panel(*, vendor, actor, distributor) -> dict:
    """Context for the contracts panel of the distributor page
    (templates/partners/distributor/_contracts.html)."""
    return {}
