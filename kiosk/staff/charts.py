"""Small bar charts as inline SVG, drawn on the server (no scripts, no CDN, prints well)."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR = "#0B5CAD"
BAR_ALT = "#B4531F"
TEXT = "#1A2330"
GRID = "#D5DCE6"


def _num(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.1f}"
    return f"{int(v)}"


def hbars(items: list[tuple[str, float]], *, title: str, width: int = 560, label_w: int = 250,
          color: str = BAR) -> Markup:
    """One horizontal bar per item: label, bar, value."""
    if not items:
        return Markup('<p class="muted">Chưa có số liệu.</p>')
    row_h, top = 26, 4
    height = top + row_h * len(items) + 4
    top_value = max((v or 0) for _, v in items) or 1
    bar_w = width - label_w - 56
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = max(1 if value else 0, round(bar_w * (value or 0) / top_value))
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
                     f'fill="{TEXT}">{escape(str(label))[:40]}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" fill="{color}" rx="2"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 17}" font-size="13" fill="{TEXT}">'
                     f'{_num(value)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(items: list[tuple[str, float]], *, title: str, width: int = 640, height: int = 200,
            color: str = BAR) -> Markup:
    """Vertical columns for a time series (days, weeks, months), labels under some columns."""
    if not items:
        return Markup('<p class="muted">Chưa có số liệu.</p>')
    left, bottom, top = 34, 34, 16
    plot_w, plot_h = width - left - 8, height - bottom - top
    top_value = max((v or 0) for _, v in items) or 1
    step = plot_w / len(items)
    every = max(1, round(len(items) / 8))
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" stroke="{GRID}"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11" fill="{TEXT}">'
             f'{_num(top_value)}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="{TEXT}">0</text>']
    for i, (label, value) in enumerate(items):
        h = plot_h * (value or 0) / top_value
        x = left + i * step + step * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{h:.1f}" fill="{color}"><title>{escape(str(label))}: {_num(value)}</title></rect>')
        last = i == len(items) - 1 and (i % every) * 2 >= every
        if i % every == 0 or last:
            parts.append(f'<text x="{x + step * 0.35:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                         f'font-size="11" fill="{TEXT}">{escape(str(label))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
