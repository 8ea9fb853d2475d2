"""Events reporting announces to higher apps (which it never imports).

A higher app (scorecards) subscribes in its ``AppConfig.ready()`` with ``listen``; reporting's
services call ``announce`` after a write, inside their transaction, so a listener can queue its
own work with ``transaction.on_commit``. Listeners take keyword arguments only.

* ``REPORT_SUBMITTED``: ``vendor_id``, ``distributor_id``, ``kind``, ``period_start`` (a report was
  submitted or resubmitted);
* ``SALES_CHANGED``: ``vendor_id``, ``distributor_id``, ``first_date``, ``last_date`` (sales lines
  were written; the invoice dates they span).
"""

from __future__ import annotations

from collections.abc import Callable

REPORT_SUBMITTED = "report_submitted"
SALES_CHANGED = "sales_changed"

_listeners: dict[str, list[Callable[..., None]]] = {REPORT_SUBMITTED: [], SALES_CHANGED: []}


def listen(event: str, listener: Callable[..., None]) -> None:
    """Call ``listener(**details)`` whenever ``event`` is announced (registering twice is one)."""
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def announce(event: str, **details) -> None:
    for listener in _listeners[event]:
        listener(**details)
