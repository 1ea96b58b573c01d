"""The applicatiebeheerder's import pages: upload, preview with editable column mapping, confirm.

The uploaded file is kept between the steps in a private directory (MEDIA_ROOT/import, never
served by URL) under a random name; the session holds only that name, the chosen kind and the
column mapping. The file is deleted after the import or when the user cancels; leftovers older
than a day are removed at the next upload. All business rules live in zorg.importeren.
"""

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import importeren
from .views import school_vereist

MAX_GROOTTE = 5 * 1024 * 1024
SESSIE = "import_bestand"
BEWAARTIJD = 24 * 3600
VOORBEELD_RIJEN = 10
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _map() -> Path:
    return Path(settings.MEDIA_ROOT) / "import"


def _pad(token, extensie) -> Path | None:
    if not _TOKEN.match(str(token)) or extensie not in importeren.EXTENSIES:
        return None
    return _map() / f"{token}{extensie}"


def _opruimen():
    """Remove import files left behind by abandoned uploads."""
    grens = time.time() - BEWAARTIJD
    for pad in _map().glob("*"):
        try:
            if pad.is_file() and pad.stat().st_mtime < grens:
                pad.unlink()
        except OSError:
            pass


class UploadForm(forms.Form):
    soort = forms.ChoiceField(
        label=gettext_lazy("Wat wilt u importeren?"),
        choices=[(k, label) for k, (label, _velden) in importeren.SOORTEN.items()],
        initial="leerlingen",
    )
    bestand = forms.FileField(
        label=gettext_lazy("Bestand"),
        help_text=gettext_lazy("Een CSV- of Excel-bestand (.csv of .xlsx) uit de leerlingadministratie, "
                               "met een kopregel; hoogstens 5 MB."),
        error_messages={
            "required": gettext_lazy("Kies een bestand."),
            "empty": gettext_lazy("Het bestand is leeg."),
            "invalid": gettext_lazy("Er is geen bestand ontvangen. Kies het bestand opnieuw."),
        },
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        naam = bestand.name.lower()
        if not naam.endswith(importeren.EXTENSIES):
            raise forms.ValidationError(
                _("Dit bestandstype kan niet worden geïmporteerd. Kies een .csv- of .xlsx-bestand.")
            )
        if bestand.size > MAX_GROOTTE:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 5 MB)."))
        data = bestand.read(MAX_GROOTTE + 1)
        if len(data) > MAX_GROOTTE:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 5 MB)."))
        try:
            self.tabel = importeren.lees_bestand(naam, data)
        except importeren.ImportFout as fout:
            raise forms.ValidationError(str(fout)) from fout
        self.data_bytes = data
        self.extensie = ".xlsx" if naam.endswith(".xlsx") else ".csv"
        return bestand


def _verwijder(request):
    info = request.session.pop(SESSIE, None)
    if info:
        pad = _pad(info.get("token"), info.get("extensie"))
        if pad is not None:
            pad.unlink(missing_ok=True)


def _geladen(request):
    """The session's upload for this school as (info, tabel), or None when it is gone."""
    info = request.session.get(SESSIE)
    if not info or info.get("school") != request.school.pk:
        return None
    pad = _pad(info.get("token"), info.get("extensie"))
    if pad is None or not pad.is_file():
        return None
    try:
        tabel = importeren.lees_bestand(f"bestand{info['extensie']}", pad.read_bytes())
    except importeren.ImportFout:
        return None
    return info, tabel


@school_vereist("applicatiebeheerder")
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _verwijder(request)
        _map().mkdir(parents=True, exist_ok=True, mode=0o700)
        _opruimen()
        token = secrets.token_hex(16)
        pad = _pad(token, form.extensie)
        pad.write_bytes(form.data_bytes)
        pad.chmod(0o600)
        soort = form.cleaned_data["soort"]
        request.session[SESSIE] = {
            "token": token,
            "extensie": form.extensie,
            "naam": form.cleaned_data["bestand"].name[:200],
            "soort": soort,
            "school": request.school.pk,
            "koppeling": importeren.standaard_koppeling(soort, form.tabel.kopjes),
        }
        return redirect("import_voorbeeld")
    return render(request, "zorg/import_upload.html", {"titel": _("Importeren"), "form": form})


@school_vereist("applicatiebeheerder")
@require_http_methods(["GET", "POST"])
def voorbeeld(request):
    geladen = _geladen(request)
    if geladen is None:
        messages.error(request, _("Er is geen bestand (meer) om te importeren. Upload het bestand opnieuw."))
        return redirect("import")
    info, tabel = geladen
    if request.method == "POST":
        if "annuleren" in request.POST:
            _verwijder(request)
            messages.success(request, _("De import is geannuleerd; het bestand is verwijderd."))
            return redirect("import")
        geldig = {v.naam for v in importeren.velden_van(info["soort"])}
        koppeling = []
        for i in range(len(tabel.kopjes)):
            veld = request.POST.get(f"kolom_{i}", "")
            koppeling.append(veld if veld in geldig else "")
        info["koppeling"] = koppeling
        request.session[SESSIE] = info
        return redirect("import_voorbeeld")

    resultaat = importeren.importeer(request.school, info["soort"], tabel, info["koppeling"], dry_run=True)
    velden = importeren.velden_van(info["soort"])
    kolommen = [
        {"index": i, "kop": kop, "veld": veld, "voorbeeld": next((r[i] for _n, r in tabel.rijen if r[i]), "")}
        for i, (kop, veld) in enumerate(zip(tabel.kopjes, info["koppeling"], strict=False))
    ]
    context = {
        "titel": _("Importeren: controleren"),
        "info": info,
        "soort_label": importeren.SOORTEN[info["soort"]][0],
        "kolommen": kolommen,
        "velden": velden,
        "rijen": tabel.rijen[:VOORBEELD_RIJEN],
        "resultaat": resultaat,
        "schooljaar": request.school.huidig_schooljaar(),
    }
    return render(request, "zorg/import_voorbeeld.html", context)


@school_vereist("applicatiebeheerder")
@require_http_methods(["GET", "POST"])
def bevestig(request):
    if request.method == "GET":  # only a POST imports; a reload or bookmark goes back to the preview
        return redirect("import_voorbeeld")
    geladen = _geladen(request)
    if geladen is None:
        messages.error(request, _("Er is geen bestand (meer) om te importeren. Upload het bestand opnieuw."))
        return redirect("import")
    info, tabel = geladen
    resultaat = importeren.importeer(request.school, info["soort"], tabel, info["koppeling"])
    if not resultaat.ok:
        messages.error(request, _("Er is niets geïmporteerd: het bestand bevat fouten."))
        return redirect("import_voorbeeld")
    _verwijder(request)
    context = {
        "titel": _("Importeren: klaar"),
        "info": info,
        "soort_label": importeren.SOORTEN[info["soort"]][0],
        "resultaat": resultaat,
    }
    return render(request, "zorg/import_klaar.html", context)
