"""Small charts drawn as SVG on the server (each page shows the same numbers in a table)."""

from __future__ import annotations

import html


def bar_chart(labels: list[str], values: list[float], title: str, *, width: int = 640,
              height: int = 180, colour: str = "#2c7fb8") -> str:
    """Vertical bars, one per label, each with its value written above it, and the title as
    the SVG's accessible name.

    >>> svg = bar_chart(["2019-Q1", "<b>"], [3, 5], "Sessions")
    >>> svg.count("<rect"), "<b>" in svg, svg.count('class="value"')
    (2, False, 2)
    """
    top = max(values, default=0) or 1
    pad, axis, above = 8, 18, 18  # above: room for the tallest bar's value
    step = (width - 2 * pad) / max(len(values), 1)
    bars = []
    for i, (label, value) in enumerate(zip(labels, values)):
        h = (height - axis - pad - above) * value / top
        x = pad + i * step
        bars.append(f'<rect x="{x + step * 0.1:.1f}" y="{height - axis - h:.1f}" '
                    f'width="{step * 0.8:.1f}" height="{h:.1f}" fill="{colour}">'
                    f'<title>{html.escape(label)}: {value:,.0f}</title></rect>'
                    f'<text class="value" x="{x + step / 2:.1f}" y="{height - axis - h - 4:.1f}" '
                    f'font-size="14" fill="#0b0c0c" text-anchor="middle">{value:,.0f}</text>')
    first, last = (html.escape(labels[0]), html.escape(labels[-1])) if labels else ("", "")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'class="chart" role="img" aria-label="{html.escape(title)}">'
            f'<title>{html.escape(title)}</title>{"".join(bars)}'
            f'<line x1="{pad}" y1="{height - axis}" x2="{width - pad}" y2="{height - axis}" '
            f'stroke="#505a5f"/>'
            f'<text x="{pad}" y="{height - 4}" font-size="12" fill="#0b0c0c">{first}</text>'
            f'<text x="{width - pad}" y="{height - 4}" font-size="12" fill="#0b0c0c" '
            f'text-anchor="end">{last}</text></svg>')
