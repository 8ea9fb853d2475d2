"""Reads for profile. Every selector takes ``vendor`` and ``actor``."""

from __future__ import annotations


def distributor_profile_panel(*, vendor, actor, distributor) -> dict:
    """Context for the profile panel of the distributor page
    (templates/partners/distributor/_profile.html)."""
    return {}
