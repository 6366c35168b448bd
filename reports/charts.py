"""Charts as server-rendered SVG (pygal): the same chart on the statistics page and in PDFs.

Each builder takes a title and rows of (label, value) and returns an SVG string to inline in
HTML. The SVG has no width or height, only a viewBox, so CSS sizes it (width 100%); fonts are
large for the viewBox so that a chart shrunk to a phone's width stays readable. No script is
embedded and none is fetched: the numbers are printed on the chart, and the page puts a table
beside each chart for screen readers.
"""
import math

import pygal
from pygal.style import Style

FONT = ('system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", '
        "Arial, sans-serif")
# The site's palette (app/static/style.css): brand blue first, then distinguishable hues.
COLORS = ("#0b5cad", "#1f7a3f", "#9a6200", "#b3261e", "#6a3d9a", "#00838f", "#5b6b7c",
          "#c2185b", "#33691e", "#e65100")
FG = "#1d2733"


def _style(values_inside=False):
    """Values printed beside a bar are dark; inside a slice of the donut, white."""
    return Style(
        background="#ffffff", plot_background="#ffffff", foreground=FG, foreground_strong=FG,
        foreground_subtle="#d8dee6", colors=COLORS,
        value_colors=("#ffffff" if values_inside else FG,) * len(COLORS),
        font_family=FONT, label_font_size=16, major_label_font_size=16, value_font_size=16,
        value_label_font_size=16, title_font_size=20, legend_font_size=16,
        tooltip_font_size=16, no_data_font_size=20, opacity="1", opacity_hover="1",
        transition="0s",
    )


STYLE = _style()
WIDTH, HEIGHT = 480, 320
MAX_BARS = 10
LABEL_CHARS = 22


def _clean(title):
    """An xml_filter: drop pygal's scripts and comments, and name the chart for assistive
    technology (the table beside it carries the numbers)."""
    def apply(root):
        for parent in list(root.iter()):
            for child in list(parent):
                # Comments have a callable tag, in xml.etree and in lxml alike.
                if callable(child.tag) or str(child.tag).endswith("script"):
                    parent.remove(child)
        root.set("role", "img")
        root.set("aria-label", title)
        root.set("class", f"{root.get('class', '')} chart".strip())
        return root
    return apply


def _config(title, **extra):
    from flask_babel import gettext as _

    config = {
        "style": STYLE, "js": [], "disable_xml_declaration": True, "explicit_size": False,
        "width": WIDTH, "height": HEIGHT, "show_legend": False, "print_values": True,
        "print_zeroes": False, "truncate_label": LABEL_CHARS, "truncate_legend": LABEL_CHARS,
        "margin": 12, "spacing": 8, "show_y_guides": True, "show_x_guides": False,
        "no_data_text": _("Belum ada data"),
        "value_formatter": _number, "tooltip_border_radius": 4,
    }
    config.update(extra)
    return config


def _number(value):
    """A count in the current language: 12.345 in Indonesian, 12,345 in English."""
    from flask_babel import format_number

    return "" if value is None else format_number(round(value))


def _short(label, chars=LABEL_CHARS):
    label = str(label)
    return label if len(label) <= chars else label[:chars - 1].rstrip() + "…"


def _scale(values):
    """Whole-number value ticks, about five of them (counts never read 2.5), reaching a little
    past the largest value so the number printed beside its bar stays inside the chart."""
    top = max([0, *values])
    if top <= 5:
        return list(range(0, top + 2))
    top *= 1.08
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _render(chart, title):
    chart.add_xml_filter(_clean(str(title)))
    return chart.render(is_unicode=True)


def _top(rows, limit=MAX_BARS):
    """The largest `limit - 1` rows and the rest summed as "Lainnya" when there are more."""
    from flask_babel import gettext as _

    rows = [(str(label), value) for label, value in rows]
    if len(rows) <= limit:
        return rows
    head = sorted(rows, key=lambda r: -r[1])[:limit - 1]
    rest = sum(v for _label, v in rows) - sum(v for _label, v in head)
    return head + [(_("Lainnya"), rest)]


def bars(title, rows, series=None):
    """Vertical bars for values over time (months, days): rows of (x label, value)."""
    rows = [(str(label), value) for label, value in rows]
    many = len(rows) > 16  # days of a month: every fifth day labelled, values not printed
    chart = pygal.Bar(**_config(title, x_label_rotation=-45 if len(rows) > 6 and not many
                                else 0, print_values=not many, print_values_position="top",
                                y_labels=_scale([v for _label, v in rows]),
                                x_labels_major_every=5 if many else None,
                                show_minor_x_labels=not many))
    chart.x_labels = [label for label, _value in rows]
    chart.add(str(series or title), [value for _label, value in rows])
    return _render(chart, title)


def hbars(title, rows, series=None):
    """Horizontal bars for categories with long names (organisations, topics, datasets);
    the largest on top, at most MAX_BARS (the rest as one bar)."""
    rows = _top(rows)
    height = max(160, 50 + 36 * len(rows))
    chart = pygal.HorizontalBar(**_config(title, height=height, show_y_guides=False,
                                          show_x_guides=True, print_values_position="top",
                                          y_labels=_scale([v for _label, v in rows])))
    ordered = list(reversed(rows))  # pygal draws the first row at the bottom
    chart.x_labels = [_short(label) for label, _value in ordered]
    chart.add(str(series or title), [value for _label, value in ordered])
    return _render(chart, title)


def line(title, rows, series=None):
    """A line with points for a running total (the catalogue's growth)."""
    rows = [(str(label), value) for label, value in rows]
    chart = pygal.Line(**_config(title, x_label_rotation=-45 if len(rows) > 8 else 0,
                                 dots_size=5, stroke_style={"width": 3},
                                 print_values=False, include_x_axis=True,
                                 y_labels=_scale([v for _label, v in rows])))
    chart.x_labels = [label for label, _value in rows]
    chart.add(str(series or title), [value for _label, value in rows])
    return _render(chart, title)


def pie(title, rows):
    """A donut for a few shares of a whole (access classes), with a legend naming each."""
    rows = _top(rows, limit=6)
    chart = pygal.Pie(**_config(title, style=_style(values_inside=True), inner_radius=.45,
                                show_legend=True,
                                legend_at_bottom=True, legend_at_bottom_columns=3,
                                height=320, print_values=True))
    for label, value in rows:
        chart.add(f"{_short(label)} ({_number(value)})", [value])
    return _render(chart, title)


def month_label(key, width="short"):
    """'2026-10' as 'Okt 2026' (short) or 'Oktober 2026' (long), in the current language."""
    from datetime import date

    from flask_babel import format_date

    year, month = (int(p) for p in str(key).split("-"))
    return format_date(date(year, month, 1), "MMM yyyy" if width == "short" else "MMMM yyyy")


def months_labelled(rows, width="short"):
    """Rows of (YYYY-MM, value) with the month named for people."""
    return [(month_label(key, width), value) for key, value in rows]
