"""Reads for bulk import and export. Every selector takes ``vendor`` and ``actor``."""

from __future__ import annotations
