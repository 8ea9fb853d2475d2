"""Template tags of the scorecard pages: red/amber/green shown as a coloured badge that also
says its name (never colour alone)."""

from django import template
from django.utils.html import format_html

from scorecards.models import Level, Rag

register = template.Library()

RAG_CLASSES = {Rag.GREEN: "ok", Rag.AMBER: "warn", Rag.RED: "bad", Rag.NONE: ""}
RAG_SYMBOLS = {Rag.GREEN: "●", Rag.AMBER: "▲", Rag.RED: "■", Rag.NONE: "○"}


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
    return dict(Level.choices).get(level, "")


@register.filter
def signed(value) -> str:
    """A score change with its sign: ``+4.5``, ``-2.0``, ``–`` for none."""
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else f"{value}"
