"""Panels that higher apps add to pages this app renders (the distributor page, the homes).

``partners`` sits at the bottom of the app stack and never imports a higher app. An app such as
``reporting`` registers a panel in its ``AppConfig.ready()``: a selector called with
``vendor``, ``actor`` (and ``distributor`` on distributor pages) that returns the panel's context
(or None to show nothing), and the template that renders it. Pages render registered panels after
their own, in registration order, unless a panel asks for a place of its own (``order``): on a
partner's home, panels ordered before ``ORDER_DEFAULT`` are what the partner must do now and come
before the page's own sections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DISTRIBUTOR_PAGE = "distributor"  # a distributor's page, for everyone who may see it
STAFF_HOME = "staff_home"  # the home of vendor staff
PARTNER_HOME = "partner_home"  # the home of distributor people (their own distributor)
PLACES = (DISTRIBUTOR_PAGE, STAFF_HOME, PARTNER_HOME)
ORDER_DEFAULT = 100  # panels with a lower order lead the page


@dataclass(frozen=True)
class Panel:
    selector: Callable[..., dict | None]
    template: str
    order: int = ORDER_DEFAULT


_registry: dict[str, list[Panel]] = {place: [] for place in PLACES}


def panel_register(
    place: str,
    *,
    selector: Callable[..., dict | None],
    template: str,
    order: int = ORDER_DEFAULT,
) -> None:
    """Add a panel to ``place`` (idempotent: the same selector and template register once);
    ``order`` places it among the others (lower first; equal orders keep registration order)."""
    panel = Panel(selector=selector, template=template, order=order)
    if panel not in _registry[place]:
        _registry[place].append(panel)
        _registry[place].sort(key=lambda p: p.order)


def panels_render(place: str, **kwargs) -> list[dict]:
    """The registered panels of ``place`` with their context: ``[{"template", "context",
    "lead"}]``, ``lead`` true for a panel ordered before ``ORDER_DEFAULT``.

    A selector returning None (nothing to show for this person) leaves its panel out."""
    rendered = []
    for panel in _registry[place]:
        context = panel.selector(**kwargs)
        if context is not None:
            rendered.append(
                {
                    "template": panel.template,
                    "context": context,
                    "lead": panel.order < ORDER_DEFAULT,
                }
            )
    return rendered
