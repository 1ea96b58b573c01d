"""Download a table of figures as CSV (semicolon-separated, UTF-8 with BOM, for Excel in Dutch
locales) or XLSX (openpyxl). Cells never become spreadsheet formulas."""

import csv
import io

from django.http import HttpResponse

FORMATEN = ("csv", "xlsx")


def veilige_cel(waarde):
    """A cell that a spreadsheet never runs as a formula (numbers stay numbers)."""
    if waarde is None:
        return ""
    if isinstance(waarde, (int, float)) and not isinstance(waarde, bool):
        return waarde
    tekst = str(waarde)
    return "'" + tekst if tekst[:1] in ("=", "+", "-", "@", "\t", "\r") else tekst


def _csv(kolommen, rijen):
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow([str(k) for k in kolommen])
    for rij in rijen:
        schrijver.writerow([veilige_cel(c) for c in rij])
    return ("\ufeff" + uit.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"


def _xlsx(kolommen, rijen, blad):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    boek = Workbook()
    ws = boek.active
    ws.title = str(blad)[:31] or "Blad1"
    ws.append([str(k) for k in kolommen])
    for cel in ws[1]:
        cel.font = Font(bold=True)
    for rij in rijen:
        ws.append([veilige_cel(c) for c in rij])
    for i, kolom in enumerate(kolommen, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, min(50, len(str(kolom)) + 4))
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tabel_download(bestandsnaam, kolommen, rijen, formaat="csv", blad=""):
    """An attachment response with the table; `bestandsnaam` without extension."""
    inhoud, soort = _xlsx(kolommen, rijen, blad or bestandsnaam) if formaat == "xlsx" else _csv(kolommen, rijen)
    response = HttpResponse(inhoud, content_type=soort)
    extensie = "xlsx" if formaat == "xlsx" else "csv"
    response["Content-Disposition"] = f'attachment; filename="{bestandsnaam}.{extensie}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
