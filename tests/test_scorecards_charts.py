"""The SVG charts: well-formed, self-contained, labelled, escaped, and drawn to scale (a higher
value is drawn higher, a longer bar is a larger value)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from scorecards.charts import bullet_svg, number_label, trend_line_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def test_trend_line_draws_higher_values_higher_with_labels_and_targets():
    svg = trend_line_svg(
        [("Jan", 100), ("Feb", 300), ("Mar", None), ("Apr", 200)],
        targets=[(150, 250), (150, 250), None, (180, 260)],
        title="Revenue <trend> & more",
        unit_label="JPY",
    )
    root = parse(svg)
    assert root.get("viewBox") == "0 0 600 240"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Revenue <trend> & more"
    assert root.find("s:title", NS).text == "Revenue <trend> & more"
    circles = root.findall("s:circle", NS)
    assert [c.get("data-period") for c in circles] == ["Jan", "Feb", "Apr"]
    ys = {c.get("data-period"): float(c.get("cy")) for c in circles}
    assert ys["Feb"] < ys["Apr"] < ys["Jan"]  # SVG y grows downwards
    xs = [float(c.get("cx")) for c in circles]
    assert xs == sorted(xs)
    labels = [t.text for t in root.findall("s:text", NS) if t.get("class") == "axis-label"]
    assert labels == ["Jan", "Feb", "Mar", "Apr"]
    point_labels = [t.text for t in root.findall("s:text", NS) if t.get("class") == "point-label"]
    assert point_labels == ["100", "300", "200"]
    # The base target breaks where a period has none: two dashed runs.
    assert len(root.findall("s:polyline[@class='target-base']", NS)) == 2
    assert len(root.findall("s:polyline[@class='target-stretch']", NS)) == 2
    axis = [t.text for t in root.findall("s:text", NS) if t.get("class") == "axis-title"]
    assert axis == ["JPY"]
    # Self-contained: no CSS, no external references.
    text = str(svg)
    assert "var(" not in text and "href" not in text and "style=" not in text


def test_trend_line_escapes_japanese_and_markup_in_labels():
    svg = trend_line_svg(
        [("2026年1月", Decimal("12.5")), ("<script>", Decimal("20"))],
        title="売上 & 成長",
        unit_label="%",
        unit="percent",
    )
    assert "<script>" not in str(svg)
    root = parse(svg)
    assert root.get("aria-label") == "売上 & 成長"
    labels = [t.text for t in root.findall("s:text", NS) if t.get("class") == "axis-label"]
    assert labels == ["2026年1月", "<script>"]
    point_labels = [t.text for t in root.findall("s:text", NS) if t.get("class") == "point-label"]
    assert point_labels == ["12.5%", "20%"]


def test_trend_line_without_values_is_still_valid():
    root = parse(trend_line_svg([("Q1", None)], title="Empty", unit_label="count"))
    assert root.findall("s:circle", NS) == []


def test_bullet_bar_length_follows_the_value_and_markers_the_targets():
    def bar_width(value):
        root = parse(bullet_svg(value, 100, 120, 150, label="Revenue"))
        return float(root.find("s:rect[@class='value-bar']", NS).get("width"))

    assert bar_width(50) < bar_width(100) < bar_width(140)
    root = parse(bullet_svg(110, 100, 120, 150, label="Revenue"))
    base = float(root.find("s:line[@class='marker-base']", NS).get("x1"))
    stretch = float(root.find("s:line[@class='marker-stretch']", NS).get("x1"))
    exceed = float(root.find("s:line[@class='marker-exceed']", NS).get("x1"))
    bar_end = 4 + float(root.find("s:rect[@class='value-bar']", NS).get("width"))
    assert base < bar_end < stretch < exceed
    assert root.get("aria-label") == "Revenue: 110 (Base 100)"
    assert len(root.findall("s:rect[@class='band']", NS)) == 4


def test_bullet_lower_is_better_darkens_the_left_and_handles_no_value():
    root = parse(bullet_svg(None, 10, 8, 5, lower_is_better=True, label="返品率 <%>"))
    assert root.find("s:rect[@class='value-bar']", NS) is None
    bands = root.findall("s:rect[@class='band']", NS)
    fills = [b.get("fill") for b in bands]
    assert fills[0] == "#9ca3af" and fills[-1] == "#f3f4f6"  # best (lowest) band darkest
    assert root.get("aria-label").startswith("返品率 <%>: –")


def test_bullet_without_targets_draws_only_the_bar():
    root = parse(bullet_svg(42, None, None, None, label="Meetings"))
    assert root.find("s:line[@class='marker-base']", NS) is None
    assert root.find("s:rect[@class='value-bar']", NS) is not None


def test_number_label():
    assert number_label(Decimal("1200000")) == "1,200,000"
    assert number_label(Decimal("12.50"), "percent") == "12.5%"
    assert number_label(Decimal("1.25")) == "1.25"
    assert number_label(None) == "–"
