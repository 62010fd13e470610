"""A small SVG chart writer without dependencies: stacked bars, horizontal bars, 100% share bars, box plots.

Every chart is one standalone SVG document (xmlns, viewBox, width and height) with a <title> and a <desc> that
role="img" and aria-labelledby point to, so a screen reader announces it. The charts use no fonts, images or
scripts from elsewhere and no CSS (only presentation attributes, which a Content-Security-Policy without inline
styles allows), the Okabe–Ito colour-blind-safe palette (series after the eighth are hatched), and every text goes
through `xml.sax.saxutils.escape`. The output depends only on the input: the same call gives byte-identical SVG.

The module knows no language: the caller passes every visible text already translated, and `decimal` ("," for
Russian) for the numbers it formats itself. Text widths are estimated (there are no font metrics without a
renderer), generously, so that long Cyrillic labels fit; labels longer than a column wrap onto a second line and
are shortened with "…" only beyond that, the full text staying in a tooltip.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, vermillion, reddish purple, sky blue,
# yellow, black. Yellow is last but one: it is the weakest on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# Text drawn on top of a palette colour: white on the dark ones, black on the light ones.
ON_COLOUR = {
    "#0072B2": "#ffffff",
    "#E69F00": "#000000",
    "#009E73": "#ffffff",
    "#D55E00": "#ffffff",
    "#CC79A7": "#000000",
    "#56B4E9": "#000000",
    "#F0E442": "#000000",
    "#000000": "#ffffff",
}
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, DejaVu Sans, sans-serif"
INK = "#1a1a1a"
MUTED = "#555555"
GRID = "#dddddd"
AXIS = "#777777"
BACKGROUND = "#ffffff"

TITLE_SIZE = 15
TEXT_SIZE = 12
SMALL_SIZE = 11  # the smallest text: 11 px at the drawn size, which is what a phone shows (web app.css)
LINE_HEIGHT = 14
MARGIN = 16
LABEL_COLUMN_MAX = 300  # widest label column of a horizontal bar chart before labels wrap

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_NARROW = set("iIl.,:;|!'()[]{} jftr-ії")
_WIDE = set("mwMWшщжюмыШЩЖЮМЫДФ—%@")


@dataclass(frozen=True)
class Box:
    """Five-number summary of one group (months), with its size."""

    n: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


# -- text and numbers -------------------------------------------------------------------------------------------


def text_width(text: str, size: float = TEXT_SIZE) -> float:
    """Estimated advance width of `text` in a sans-serif font, on the wide side: DejaVu Sans (the widest common
    fallback, 0.64 em per digit) must fit too."""
    total = 0.0
    for char in text:
        if char in _NARROW:
            total += 0.32
        elif char in _WIDE:
            total += 0.86
        elif char.isdigit():
            total += 0.64
        elif char.isupper():
            total += 0.75
        else:
            total += 0.63
    return total * size


def wrap(text: str, width: float, size: float = TEXT_SIZE, max_lines: int = 2) -> list[str]:
    """`text` broken at spaces into lines no wider than `width`; the last line ends in "…" if it still overflows."""
    words = text.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    last = lines[-1]
    if text_width(last, size) > width:
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def number(value: float, decimal: str = ".", digits: int = 1) -> str:
    """An integer without decimals, anything else with `digits` decimals and the given decimal separator."""
    if float(value) == round(value):
        return str(round(value))
    return f"{value:.{digits}f}".replace(".", decimal)


def whole_percent(share: float) -> int:
    """A share 0…1 as a whole percentage, rounded half up (Python's round() would round 12.5 to 12)."""
    return math.floor(share * 100 + 0.5)


def percent(share: float) -> str:
    """A share 0…1 as a whole percentage with its sign: "13%"."""
    return f"{whole_percent(share)}%"


def _c(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros, never "-0"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


# -- elements ---------------------------------------------------------------------------------------------------


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = TEXT_SIZE,
    anchor: str = "start",
    fill: str = INK,
    weight: str | None = None,
    tooltip: str | None = None,
    rotate: float | None = None,
) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    if rotate is not None:
        extra += f' transform="rotate({_c(rotate)} {_c(x)} {_c(y)})"'
    inner = escape(content) + (f"<title>{escape(tooltip)}</title>" if tooltip else "")
    return (
        f'<text x="{_c(x)}" y="{_c(y)}" font-size="{_c(size)}" text-anchor="{anchor}" fill="{fill}"{extra}>'
        f"{inner}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, *, tooltip: str | None = None, extra: str = "") -> str:
    attrs = f'x="{_c(x)}" y="{_c(y)}" width="{_c(max(w, 0))}" height="{_c(max(h, 0))}" fill="{fill}"{extra}'
    if tooltip:
        return f"<rect {attrs}><title>{escape(tooltip)}</title></rect>"
    return f"<rect {attrs}/>"


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = AXIS, width: float = 1) -> str:
    return (
        f'<line x1="{_c(x1)}" y1="{_c(y1)}" x2="{_c(x2)}" y2="{_c(y2)}" stroke="{stroke}" stroke-width="{_c(width)}"/>'
    )


def _hatch_id(chart_id: str) -> str:
    return f"{chart_id}-hatch"


def _hatch_defs(chart_id: str) -> str:
    return (
        f'<defs><pattern id="{_hatch_id(chart_id)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="2.5" height="6" fill="#ffffff" fill-opacity="0.7"/>'
        "</pattern></defs>"
    )


def _series_rect(
    chart_id: str, index: int, x: float, y: float, w: float, h: float, tooltip: str | None = None
) -> list[str]:
    """A rectangle in the colour of series `index`; from the ninth series on, hatched over its colour."""
    colour = PALETTE[index % len(PALETTE)]
    parts = [_rect(x, y, w, h, colour, tooltip=tooltip, extra=' stroke="#ffffff" stroke-width="0.5"')]
    if index >= len(PALETTE):
        parts.append(_rect(x, y, w, h, f"url(#{_hatch_id(chart_id)})", tooltip=tooltip))
    return parts


def _document(chart_id: str, width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    if not _ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r}: use a letter, then letters, digits, '-' or '_'")
    w, h = _c(math.ceil(width)), _c(math.ceil(height))
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{_attr(FONT)}" '
        f'font-size="{TEXT_SIZE}">'
    )
    lines = [
        head,
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect width="{w}" height="{h}" fill="{BACKGROUND}"/>',
        *body,
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


def _heading(title: str, subtitle: str, width: float) -> tuple[list[str], float]:
    """The visible title and subtitle (wrapped to the chart width); returns the elements and the y below them."""
    body: list[str] = []
    y = MARGIN + TITLE_SIZE
    for line in wrap(title, width - 2 * MARGIN, TITLE_SIZE, max_lines=3):
        body.append(_text(MARGIN, y, line, size=TITLE_SIZE, weight="bold"))
        y += TITLE_SIZE + 4
    for line in wrap(subtitle, width - 2 * MARGIN, TEXT_SIZE, max_lines=3) if subtitle else []:
        body.append(_text(MARGIN, y, line, fill=MUTED))
        y += LINE_HEIGHT
    return body, y + 8


def _legend_row(chart_id: str, labels: Sequence[str], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Swatches and labels in rows across `width`, starting at (x, y); returns the elements and the y below them."""
    body: list[str] = []
    cursor, row_y = x, y
    for index, label in enumerate(labels):
        item = 14 + 6 + text_width(label) + 18
        if cursor > x and cursor + item > x + width:
            cursor, row_y = x, row_y + 20
        body.extend(_series_rect(chart_id, index, cursor, row_y, 14, 14))
        body.append(_text(cursor + 20, row_y + 11.5, label))
        cursor += item
    return body, row_y + 20 + 6


def nice_step(maximum: float, target: int = 5, integer: bool = True) -> float:
    """A step of 1, 2 or 5 times a power of ten giving at most about `target` ticks up to `maximum`."""
    if maximum <= 0:
        return 1
    raw = maximum / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return max(step, 1) if integer else step


def _ticks(maximum: float, step: float) -> list[float]:
    count = max(1, math.ceil(maximum / step - 1e-9))
    return [i * step for i in range(count + 1)]


def _empty(chart_id: str, title: str, desc: str, subtitle: str, empty_text: str) -> str:
    width = 480
    body, y = _heading(title, subtitle, width)
    body.append(_text(width / 2, y + 40, empty_text, anchor="middle", fill=MUTED))
    return _document(chart_id, width, y + 70, title, desc, body)


# -- charts -----------------------------------------------------------------------------------------------------


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[float]],
    subtitle: str = "",
    y_label: str = "",
    decimal: str = ".",
    empty_text: str = "No data",
) -> str:
    """Vertical bars, one per category (e.g. month), stacked by series (e.g. article part), with a legend.

    `values[i][j]` is the value of series j in category i. Category labels are thinned out to stay legible.
    """
    if len(values) != len(categories) or any(len(row) != len(series) for row in values):
        raise ValueError("values must have one row per category and one column per series")
    totals = [sum(row) for row in values]
    if not categories or not series or max(totals) <= 0:
        return _empty(chart_id, title, desc, subtitle, empty_text)

    step = nice_step(max(totals))
    ticks = _ticks(max(totals), step)
    tick_labels = [number(t, decimal) for t in ticks]
    plot_h = 260.0
    plot_w = min(max(len(categories) * 22.0, 360.0), 880.0)
    left = MARGIN + (LINE_HEIGHT + 6 if y_label else 0) + max(text_width(t) for t in tick_labels) + 8
    legend_w = max(text_width(s) for s in series) + 20
    legend_fits_right = legend_w <= 220
    width = left + plot_w + MARGIN + (legend_w + 24 if legend_fits_right else 0)
    body, top = _heading(title, subtitle, width)
    if not legend_fits_right:
        legend, top = _legend_row(chart_id, series, left, top, width - left - MARGIN)
        body.extend(legend)
    top += 6
    bottom = top + plot_h
    scale = plot_h / ticks[-1]

    for tick, label in zip(ticks, tick_labels, strict=True):
        y = bottom - tick * scale
        body.append(_line(left, y, left + plot_w, y, GRID if tick else AXIS))
        body.append(_text(left - 6, y + 4, label, anchor="end", fill=MUTED))
    if y_label:
        body.append(_text(MARGIN + 10, top + plot_h / 2, y_label, anchor="middle", fill=MUTED, rotate=-90))

    slot = plot_w / len(categories)
    bar = max(slot * 0.78, 1.0)
    widest = max(text_width(c, SMALL_SIZE) for c in categories)
    every = next((k for k in (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120) if k * slot >= widest + 6), len(categories))
    for i, (category, row) in enumerate(zip(categories, values, strict=True)):
        x = left + i * slot + (slot - bar) / 2
        stacked = 0.0
        for j, value in enumerate(row):
            if value <= 0:
                continue
            y = bottom - (stacked + value) * scale
            tooltip = f"{category} — {series[j]}: {number(value, decimal)}"
            body.extend(_series_rect(chart_id, j, x, y, bar, value * scale, tooltip))
            stacked += value
        if i % every == 0:
            centre = left + i * slot + slot / 2
            body.append(_line(centre, bottom, centre, bottom + 4))
            body.append(_text(centre, bottom + 16, category, size=SMALL_SIZE, anchor="middle", fill=MUTED))
    height = bottom + 16 + 14
    if legend_fits_right:
        x0 = left + plot_w + 24
        for j, label in enumerate(series):
            y = top + j * 20
            body.extend(_series_rect(chart_id, j, x0, y, 14, 14))
            body.append(_text(x0 + 20, y + 11.5, label))
        height = max(height, top + len(series) * 20 + MARGIN)
    if any(j >= len(PALETTE) for j in range(len(series))):
        body.insert(0, _hatch_defs(chart_id))
    return _document(chart_id, width, height + MARGIN, title, desc, body)


def horizontal_bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    subtitle: str = "",
    x_label: str = "",
    decimal: str = ".",
    empty_text: str = "No data",
    colour: str = PALETTE[0],
) -> str:
    """One horizontal bar per label (e.g. region, outcome), the value written at the end of the bar.

    The label column is as wide as the longest label up to LABEL_COLUMN_MAX; longer labels wrap onto two lines.
    """
    if len(labels) != len(values):
        raise ValueError("one value per label")
    if not labels or max(values) <= 0:
        return _empty(chart_id, title, desc, subtitle, empty_text)

    column = min(max(text_width(label) for label in labels), LABEL_COLUMN_MAX)
    wrapped = [wrap(label, column) for label in labels]
    step = nice_step(max(values))
    ticks = _ticks(max(values), step)
    tick_labels = [number(t, decimal) for t in ticks]
    plot_w = 380.0
    value_room = max(text_width(number(v, decimal)) for v in values) + 10
    left = MARGIN + column + 10
    width = left + plot_w + value_room + MARGIN
    body, top = _heading(title, subtitle, width)
    scale = plot_w / ticks[-1]
    row_heights = [max(24.0, len(lines) * LINE_HEIGHT + 10) for lines in wrapped]
    bottom = top + sum(row_heights)

    for tick, label in zip(ticks, tick_labels, strict=True):
        x = left + tick * scale
        body.append(_line(x, top, x, bottom, GRID if tick else AXIS))
        body.append(_text(x, bottom + 16, label, anchor="middle", fill=MUTED))
    y = top
    for label, lines, value, row_h in zip(labels, wrapped, values, row_heights, strict=True):
        centre = y + row_h / 2
        first = centre - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
        shortened = lines[-1].endswith("…") and not label.endswith("…")
        for k, line in enumerate(lines):
            tooltip = label if shortened and k == len(lines) - 1 else None
            body.append(_text(left - 10, first + k * LINE_HEIGHT, line, anchor="end", tooltip=tooltip))
        bar_h = min(row_h - 8, 18)
        text = number(value, decimal)
        body.append(_rect(left, centre - bar_h / 2, value * scale, bar_h, colour, tooltip=f"{label}: {text}"))
        body.append(_text(left + value * scale + 5, centre + 4, text))
        y += row_h
    height = bottom + 16 + 6
    if x_label:
        body.append(_text(left + plot_w / 2, bottom + 36, x_label, anchor="middle", fill=MUTED))
        height += 20
    return _document(chart_id, width, height + MARGIN, title, desc, body)


def share_bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    counts: Sequence[tuple[int, int]],
    series: tuple[str, str],
    subtitle: str = "",
    n_text: str = "n = {n}",
    empty_text: str = "No data",
    total_last: bool = False,
) -> str:
    """100%-stacked horizontal bars: for each label the share of the first and the second count, and n.

    With `total_last` the last row (e.g. "all parts") is set apart by a rule and a bold label.
    """
    if len(labels) != len(counts):
        raise ValueError("one pair of counts per label")
    if not labels or all(a + b == 0 for a, b in counts):
        return _empty(chart_id, title, desc, subtitle, empty_text)

    column = min(max(text_width(label) for label in labels), LABEL_COLUMN_MAX)
    wrapped = [wrap(label, column) for label in labels]
    plot_w = 400.0
    n_labels = [n_text.format(n=a + b) for a, b in counts]
    left = MARGIN + column + 10
    width = left + plot_w + 10 + max(text_width(t) for t in n_labels) + MARGIN
    body, top = _heading(title, subtitle, width)
    legend, top = _legend_row(chart_id, series, left, top, width - left - MARGIN)
    body.extend(legend)
    row_heights = [max(28.0, len(lines) * LINE_HEIGHT + 12) for lines in wrapped]
    bottom = top + sum(row_heights)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = left + tick * plot_w
        body.append(_line(x, top, x, bottom, GRID))
        body.append(_text(x, bottom + 16, percent(tick), anchor="middle", fill=MUTED))
    y = top
    for index, (label, lines, (first, second), n_label, row_h) in enumerate(
        zip(labels, wrapped, counts, n_labels, row_heights, strict=True)
    ):
        last = total_last and index == len(labels) - 1
        if last and index:
            body.append(_line(MARGIN, y, width - MARGIN, y, AXIS))
        centre = y + row_h / 2
        start = centre - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
        for k, line in enumerate(lines):
            body.append(_text(left - 10, start + k * LINE_HEIGHT, line, anchor="end", weight="bold" if last else None))
        total = first + second
        bar_h = min(row_h - 8, 20)
        x = left
        for j, count in enumerate((first, second)):
            share = count / total if total else 0
            if share <= 0:
                continue
            seg = share * plot_w
            tooltip = f"{label} — {series[j]}: {count} ({percent(share)})"
            body.extend(_series_rect(chart_id, j, x, centre - bar_h / 2, seg, bar_h, tooltip))
            text = percent(share)
            if text_width(text, SMALL_SIZE) + 6 <= seg:
                colour = ON_COLOUR[PALETTE[j]]
                body.append(_text(x + seg / 2, centre + 4, text, size=SMALL_SIZE, anchor="middle", fill=colour))
            x += seg
        body.append(_text(left + plot_w + 10, centre + 4, n_label, fill=MUTED, weight="bold" if last else None))
        y += row_h
    return _document(chart_id, width, bottom + 16 + 6 + MARGIN, title, desc, body)


def box_plot(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[str],
    boxes: Mapping[tuple[int, int], Box],
    subtitle: str = "",
    axis_label: str = "",
    stats_text: str = "n = {n}; min {min}; Q1 {q1}; median {median}; Q3 {q3}; max {max}",
    decimal: str = ".",
    empty_text: str = "No data",
) -> str:
    """Box plots of terms in months, the axis ticked and labelled in years; `boxes[(category, series)]`.

    Whiskers reach the minimum and the maximum; the thick line is the median; n is written under every box.
    `stats_text` (with {n} {min} {q1} {median} {q3} {max}, values in months) is each box's tooltip.
    """
    present = {key: box for key, box in boxes.items() if box.n > 0}
    if not categories or not series or not present:
        return _empty(chart_id, title, desc, subtitle, empty_text)
    top_value = max(box.maximum for box in present.values())
    step = next((s for s in (3, 6, 12, 24, 36, 60, 120, 240) if top_value / s <= 8), 480)
    ticks = _ticks(max(top_value, 1), step)
    tick_labels = [number(t / 12, decimal) for t in ticks]
    plot_h = 280.0
    box_w = 26.0
    group_w = max(len(series) * (box_w + 18) + 16, max(text_width(c) for c in categories) + 12)
    plot_w = group_w * len(categories)
    left = MARGIN + (LINE_HEIGHT + 6 if axis_label else 0) + max(text_width(t) for t in tick_labels) + 8
    width = max(left + plot_w + MARGIN, 420.0)
    body, top = _heading(title, subtitle, width)
    if len(series) > 1:
        legend, top = _legend_row(chart_id, series, left, top, width - left - MARGIN)
        body.extend(legend)
    top += 6
    bottom = top + plot_h
    scale = plot_h / ticks[-1]
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = bottom - tick * scale
        body.append(_line(left, y, left + plot_w, y, GRID if tick else AXIS))
        body.append(_text(left - 6, y + 4, label, anchor="end", fill=MUTED))
    if axis_label:
        body.append(_text(MARGIN + 10, top + plot_h / 2, axis_label, anchor="middle", fill=MUTED, rotate=-90))

    def y_of(months: float) -> float:
        return bottom - months * scale

    for i, category in enumerate(categories):
        group_x = left + i * group_w
        inner = len(series) * (box_w + 18) - 18
        start = group_x + (group_w - inner) / 2
        for j, name in enumerate(series):
            box = present.get((i, j))
            x = start + j * (box_w + 18)
            mid = x + box_w / 2
            if box is None:
                continue
            colour = PALETTE[j % len(PALETTE)]
            stats = {
                "n": str(box.n),
                **{
                    key: number(getattr(box, attr), decimal)
                    for key, attr in (("min", "minimum"), ("q1", "q1"), ("median", "median"), ("q3", "q3"))
                },
                "max": number(box.maximum, decimal),
            }
            tooltip = f"{category} — {name}: {stats_text.format(**stats)}"
            body.append(f"<g><title>{escape(tooltip)}</title>")
            body.append(_line(mid, y_of(box.maximum), mid, y_of(box.q3), colour, 1.5))
            body.append(_line(mid, y_of(box.q1), mid, y_of(box.minimum), colour, 1.5))
            for value in (box.minimum, box.maximum):
                body.append(_line(mid - box_w / 4, y_of(value), mid + box_w / 4, y_of(value), colour, 1.5))
            body.append(
                _rect(
                    x,
                    y_of(box.q3),
                    box_w,
                    max(y_of(box.q1) - y_of(box.q3), 1),
                    colour,
                    extra=f' fill-opacity="0.35" stroke="{colour}" stroke-width="1.5"',
                )
            )
            body.append(_line(x, y_of(box.median), x + box_w, y_of(box.median), INK, 2.5))
            body.append("</g>")
            body.append(_text(mid, bottom + 14, f"n={box.n}", size=SMALL_SIZE, anchor="middle", fill=MUTED))
        body.append(_text(group_x + group_w / 2, bottom + 32, category, anchor="middle"))
    height = bottom + 32 + 8
    if any(j >= len(PALETTE) for j in range(len(series))):
        body.insert(0, _hatch_defs(chart_id))
    return _document(chart_id, width, height + MARGIN, title, desc, body)
