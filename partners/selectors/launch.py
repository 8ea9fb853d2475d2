"""Reads for launch. Every selector takes ``vendor`` and ``actor``."""

from __future__ import annotations


def distributor_launch_panel(*, vendor, actor, distributor) -> dict:
    """Context for the launch panel of the distributor page
    (templates/partners/distributor/_launch.html)."""
    return {}
