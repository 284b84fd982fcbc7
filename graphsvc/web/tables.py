"""CSV downloads of the tables pages show. A cell that a spreadsheet would run as a formula
(starting ``=``, ``+``, ``-``, ``@``, tab or carriage return) is written with a leading
apostrophe, so it is only ever text."""

from __future__ import annotations

import csv
import io

from flask import Response

from graphsvc.exports import neutralise


def safe_cell(value) -> str:
    """A value as a CSV cell that no spreadsheet will evaluate.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell(-3), safe_cell("Bolton")
    ("'=HYPERLINK(1)", '-3', 'Bolton')
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    return neutralise(str(value))


def csv_response(columns: list[str], rows: list[dict], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
