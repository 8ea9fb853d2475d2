"""Template tags of the scorecard pages: red/amber/green shown as a coloured badge that also
says its name (never colour alone)."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from scorecards.charts import number_label
from scorecards.models import KpiUnit, Level, Rag

register = template.Library()

RAG_CLASSES: dict[str, str] = {Rag.GREEN: "ok", Rag.AMBER: "warn", Rag.RED: "bad", Rag.NONE: ""}
RAG_SYMBOLS: dict[str, str] = {Rag.GREEN: "●", Rag.AMBER: "▲", Rag.RED: "■", Rag.NONE: "○"}


@register.simple_tag
def rag_badge(rag: str, prefix: str = ""):
    """``<span class="badge rag-red bad">■ Red</span>``: a shape and a word besides the colour;
    ``prefix`` (a family name) goes before the word for screen readers and phones."""
    rag = rag if rag in Rag.values else Rag.NONE
    label = dict(Rag.choices)[rag]
    text = f"{prefix}: {label}" if prefix else str(label)
    return format_html(
        '<span class="badge rag rag-{} {}"><span aria-hidden="true">{}</span> {}</span>',
        rag,
        RAG_CLASSES[rag],
        RAG_SYMBOLS[rag],
        text,
    )


@register.filter
def level_label(level: str) -> str:
    return str(dict(Level.choices).get(level, ""))


@register.filter
def signed(value) -> str:
    """A score change with its sign: ``+4.5``, ``-2.0``, ``–`` for none."""
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else f"{value}"


@register.simple_tag
def red_months_measure(kpi: dict) -> str:
    """How far a KPI red two months running was from base in each month, from a plan's
    trigger details: "40 and 45 percent of base", or for a percent KPI (a growth, a rate) in
    points, "-12.6 pts vs base 5%, then -8 pts vs base 5%". "" without the figures."""
    from scorecards.labels import attainment_label

    attainments = kpi.get("attainments") or [None, None]
    if kpi.get("unit") == KpiUnit.PERCENT and kpi.get("bases"):
        measures = [
            attainment_label(value=value, base=base, attainment=None, unit=KpiUnit.PERCENT)
            for value, base in zip(kpi.get("values") or [], kpi["bases"], strict=False)
        ]
        if len(measures) == 2 and "–" not in measures:
            return _("%(first)s, then %(second)s") % {"first": measures[0], "second": measures[1]}
        return ""
    if attainments[0] and attainments[1]:
        first, second = (number_label(round(Decimal(a), 1)) for a in attainments[:2])
        return _("%(first)s and %(second)s percent of base") % {"first": first, "second": second}
    return ""
