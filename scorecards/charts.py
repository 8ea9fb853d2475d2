"""Charts as server-rendered SVG: a KPI's trend over periods and a bullet chart of one value
against its three target levels.

The same markup goes into pages and into PDFs (WeasyPrint), so each chart is self-contained:
a fixed ``viewBox`` that scales to the container's width, colours as presentation attributes
(no CSS variables, no classes, no external references; the CSP allows no inline ``style``),
a ``<title>`` and an ``aria-label`` for screen readers, and every label escaped (names are
often Japanese and may hold ``<`` or ``&``). Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours (WCAG AA contrast on white for the text ones).
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
LINE = "#2563eb"
BASE_COLOUR = "#b45309"
STRETCH_COLOUR = "#15803d"
BAND_COLOURS = ("#f3f4f6", "#e5e7eb", "#d1d5db", "#9ca3af")  # worst -> best
BAR_COLOUR = "#1f2937"
RAG_COLOURS = {"green": "#15803d", "amber": "#b45309", "red": "#b91c1c", "none": "#6b7280"}

TREND_WIDTH, TREND_HEIGHT = 600, 240
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 64, 60, 28, 40
BULLET_WIDTH, BULLET_HEIGHT = 300, 44
BULLET_LEFT, BULLET_RIGHT = 4, 4


def number_label(value, unit: str = "") -> str:
    """A value as a chart prints it: thousands separators, at most two decimals (none for
    large numbers), ``%`` for percents."""
    if value is None:
        return "–"
    value = Decimal(value)
    if abs(value) >= 100 or value == value.to_integral_value():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "percent" else text


def _f(x: float) -> str:
    return f"{x:.1f}"


def _svg(width: int, height: int, label: str, body: list[str]) -> SafeString:
    label = escape(label)
    return mark_safe(  # noqa: S308 - every text inside was escaped above or in the callers
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{label}" '
        f'font-family="sans-serif" class="chart">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


# A white outline under a label keeps it readable where it crosses a line.
HALO = 'stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'


def _text_width(text: str, size: float = 11) -> float:
    """About how wide ``text`` prints (wide characters such as kana and kanji count double)."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _axis_label(label: str, x: float, column: float) -> str:
    """An axis label that fits its column: on two lines at its last space when too wide
    ("September" over "2026")."""
    if _text_width(label) <= column - 4 or " " not in label.strip():
        return escape(label)
    first, second = label.strip().rsplit(" ", 1)
    return (
        f'<tspan x="{_f(x)}">{escape(first)}</tspan>'
        f'<tspan x="{_f(x)}" dy="13">{escape(second)}</tspan>'
    )


def _nice_max(value: float) -> float:
    """The smallest 1/2/2.5/5 x 10^n at or above ``value`` (a readable top of the axis)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1.0
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def trend_line_svg(
    points: Sequence[tuple[str, float | Decimal | None]],
    *,
    targets: Sequence[tuple[float | Decimal | None, float | Decimal | None] | None] | None = None,
    title: str,
    unit_label: str,
    unit: str = "",
) -> SafeString:
    """A KPI's value per period as a line with labelled points, and its base and stretch
    targets per period as dashed lines (a period without targets breaks the line).

    ``points`` are ``(period label, value or None)`` oldest first; ``targets`` (same length)
    ``(base, stretch)`` or None per period; ``unit_label`` names the vertical axis; ``unit``
    (``percent``...) decides how numbers print."""
    targets = list(targets or [None] * len(points))
    values = [float(v) for _l, v in points if v is not None]
    for pair in targets:
        if pair:
            values += [float(t) for t in pair if t is not None]
    low = min([0.0, *values])
    high = _nice_max(max([0.0, *values]) * 1.05)
    plot_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    n = max(len(points), 1)

    def x(i: int) -> float:
        return TREND_LEFT + (plot_w * (i + 0.5) / n)

    def y(v) -> float:
        return TREND_TOP + plot_h * (1 - (float(v) - low) / ((high - low) or 1))

    body = []
    # Horizontal grid with axis values: bottom, middle, top.
    for fraction in (0, 0.5, 1):
        tick = low + (high - low) * fraction
        gy = y(tick)
        body.append(
            f'<line x1="{TREND_LEFT}" y1="{_f(gy)}" x2="{TREND_WIDTH - TREND_RIGHT}" '
            f'y2="{_f(gy)}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{TREND_LEFT - 6}" y="{_f(gy + 4)}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}" class="axis-value">{escape(number_label(tick, unit))}</text>'
        )
    body.append(
        f'<text x="{TREND_LEFT - 6}" y="14" font-size="11" fill="{MUTED}" '
        f'text-anchor="end" class="axis-title">{escape(unit_label)}</text>'
    )
    column = plot_w / n
    for i, (label, _v) in enumerate(points):
        body.append(
            f'<text x="{_f(x(i))}" y="{TREND_HEIGHT - TREND_BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11" fill="{INK}" class="axis-label">{_axis_label(label, x(i), column)}'
            "</text>"
        )
    # Target lines: one dashed segment per run of periods that have the target.
    for index, (name, colour) in enumerate((("base", BASE_COLOUR), ("stretch", STRETCH_COLOUR))):
        runs, run = [], []
        for i, pair in enumerate(targets):
            if pair and pair[index] is not None:
                # Each period's target spans its column, so a single period still shows.
                run += [
                    (x(i) - plot_w / n / 2.5, y(pair[index])),
                    (x(i) + plot_w / n / 2.5, y(pair[index])),
                ]
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        for run in runs:
            coords = " ".join(f"{_f(px)},{_f(py)}" for px, py in run)
            body.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.5" '
                f'stroke-dasharray="5 3" class="target-{name}"/>'
            )
        if runs:
            last_x, last_y = runs[-1][-1]
            body.append(
                f'<text x="{_f(TREND_WIDTH - TREND_RIGHT + 4)}" y="{_f(last_y + 4)}" '
                f'font-size="10" fill="{colour}" class="target-label">'
                f"{escape(_target_name(name))}</text>"
            )
    # The values: a line through consecutive periods that have one (a missing period breaks
    # it rather than drawing a value nobody measured), a labelled dot on each.
    runs, run = [], []
    for i, (_l, v) in enumerate(points):
        if v is None:
            runs.append(run)
            run = []
        else:
            run.append((x(i), y(v)))
    runs.append(run)
    for run in runs:
        if len(run) > 1:
            coords = " ".join(f"{_f(px)},{_f(py)}" for px, py in run)
            body.append(
                f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="2.5" '
                f'class="value-line"/>'
            )
    for i, (label, value) in enumerate(points):
        if value is None:
            continue
        px, py = x(i), y(value)
        text = escape(number_label(value, unit))
        body.append(
            f'<circle cx="{_f(px)}" cy="{_f(py)}" r="4" fill="{LINE}" class="point" '
            f'data-period="{escape(label)}"><title>{escape(label)}: {text}</title></circle>'
            f'<text x="{_f(px)}" y="{_f(py - 8)}" text-anchor="middle" font-size="11" '
            f'fill="{INK}" {HALO} class="point-label">{text}</text>'
        )
    return _svg(TREND_WIDTH, TREND_HEIGHT, title, body)


def _target_name(name: str) -> str:
    from django.utils.translation import gettext

    return {"base": gettext("Base"), "stretch": gettext("Stretch"), "exceed": gettext("Exceed")}[
        name
    ]


def bullet_svg(
    value,
    base,
    stretch,
    exceed,
    *,
    lower_is_better: bool = False,
    label: str,
    unit: str = "",
) -> SafeString:
    """A bullet chart: the target levels as grey bands (darker is better), the base as a
    marker, and the actual value as a bar (none without a value). Lower-is-better KPIs draw the
    same scale from zero, with the better bands on the left."""
    levels = [Decimal(t) for t in (base, stretch, exceed) if t is not None]
    amount = Decimal(value) if value is not None else None
    top = float(max([Decimal(0), *levels, *([amount] if amount is not None else [])]))
    top = _nice_max(top * 1.1) if top > 0 else 1.0
    width = BULLET_WIDTH - BULLET_LEFT - BULLET_RIGHT

    def x(v) -> float:
        return BULLET_LEFT + width * min(max(float(v), 0.0), top) / top

    thresholds = sorted({float(t) for t in levels if t >= 0})
    edges = [0.0, *thresholds, top]
    bands = list(zip(edges, edges[1:], strict=False))
    # Higher is better: the bands get darker to the right; lower is better: to the left.
    shades = BAND_COLOURS[: len(bands)]
    if lower_is_better:
        shades = tuple(reversed(BAND_COLOURS[-len(bands) :]))
    body = []
    for (start, end), shade in zip(bands, shades, strict=False):
        body.append(
            f'<rect x="{_f(x(start))}" y="4" width="{_f(x(end) - x(start))}" height="24" '
            f'fill="{shade}" class="band"/>'
        )
    names = [("base", base), ("stretch", stretch), ("exceed", exceed)]
    for name, target in names:
        if target is None:
            continue
        tx = x(target)
        weight = 3 if name == "base" else 1.5
        body.append(
            f'<line x1="{_f(tx)}" y1="2" x2="{_f(tx)}" y2="30" stroke="{INK}" '
            f'stroke-width="{weight}" class="marker-{name}"><title>'
            f"{escape(_target_name(name))}: {escape(number_label(target, unit))}</title></line>"
        )
    if amount is not None:
        body.append(
            f'<rect x="{BULLET_LEFT}" y="12" width="{_f(x(amount) - BULLET_LEFT)}" height="8" '
            f'fill="{BAR_COLOUR}" class="value-bar"><title>{escape(label)}: '
            f"{escape(number_label(amount, unit))}</title></rect>"
        )
    body.append(
        f'<text x="{BULLET_LEFT}" y="42" font-size="10" fill="{MUTED}">0</text>'
        f'<text x="{BULLET_WIDTH - BULLET_RIGHT}" y="42" font-size="10" fill="{MUTED}" '
        f'text-anchor="end">{escape(number_label(top, unit))}</text>'
    )
    summary = f"{label}: {number_label(amount, unit)}"
    if base is not None:
        summary += f" ({_target_name('base')} {number_label(base, unit)})"
    return _svg(BULLET_WIDTH, BULLET_HEIGHT, summary, body)
