"""PDF rendering of plans with WeasyPrint, shared by the views and the bulk-export task.

Static files (the PDF stylesheet and the fonts in static/fonts) are read from disk by
`url_fetcher`; every other URL is refused, so rendering never touches the network.
Access checks are the caller's job: these functions only leave out what the given user may not
see (confidential groepsoverzicht columns).
"""

import atexit
import logging
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from zorg import toegang

from .models import Cel, Doel

logger = logging.getLogger(__name__)

# Relative URLs in the PDF templates resolve against this; it is never fetched.
BASE_URL = "https://zorgroute.invalid/"
# Relations to a klas that see confidential groepsoverzicht columns (as the grid does).
VERTROUWELIJK_ZICHTBAAR = {"mentor", "zorgcoordinator", "specialist"}

CONTENT_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".png": "image/png", ".svg": "image/svg+xml"}


def statisch_bestand(url):
    """The file on disk for a /static/… URL of our own base, else None."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    pad = unquote(parts.path)
    if not pad.startswith(settings.STATIC_URL):
        return None
    relatief = pad[len(settings.STATIC_URL):]
    if not relatief or ".." in Path(relatief).parts:
        return None
    gevonden = finders.find(relatief)
    if gevonden:
        return Path(gevonden)
    if settings.STATIC_ROOT:
        try:
            kandidaat = Path(safe_join(settings.STATIC_ROOT, relatief))
        except ValueError:
            return None
        if kandidaat.is_file():
            return kandidaat
    return None


class StatischeFetcher(URLFetcher):
    """Serve /static/… from the static finders or STATIC_ROOT; refuse everything else."""

    def fetch(self, url, headers=None):
        bestand = statisch_bestand(url)
        if bestand is None:
            logger.warning("PDF: URL geweigerd: %s", url)
            raise ValueError(f"URL not allowed in PDFs: {url}")
        return URLFetcherResponse(
            url,
            bestand.read_bytes(),
            headers={"Content-Type": CONTENT_TYPES.get(bestand.suffix, "application/octet-stream")},
        )


def url_fetcher(url, *args, **kwargs):
    """Function form of the fetcher (for callers that want a plain callable)."""
    return StatischeFetcher().fetch(url)


_fonts = threading.local()
_alle_fonts = []  # every thread's configuration, for ruim_fonts_op()
_alle_fonts_lock = threading.Lock()


def font_configuration():
    """This thread's WeasyPrint FontConfiguration, made once and reused for every PDF.

    Without one, write_pdf() makes a fresh FontConfiguration (a Fontconfig config and a Pango font
    map) per document, and their C memory is not all given back: a worker grew ≈ 0.24 MiB per PDF,
    ≈ 48 MiB over a 200-plan export (tests/bench_pdf.py). Reused, the memory stays flat and the
    @font-face fonts are read and registered once (WeasyPrint caches them per configuration).
    One per thread: the web server renders PDFs in threads, and Fontconfig/Pango objects are not
    shared across threads here.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
        with _alle_fonts_lock:
            _alle_fonts.append(config)
    return config


def ruim_fonts_op():
    """Remove the temporary folders in which WeasyPrint keeps the @font-face files (≈ 1.5 MB each).

    FontConfiguration.__del__ does this, but a long-lived configuration may never be collected: a
    recycled Celery pool child ends with os._exit (zorg/celery.py calls this first), and at
    interpreter exit nothing promises to run __del__ (hence the atexit hook).
    """
    with _alle_fonts_lock:
        configs, _alle_fonts[:] = list(_alle_fonts), []
    _fonts.__dict__.pop("config", None)
    for config in configs:
        folder = getattr(config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None


atexit.register(ruim_fonts_op)


def render_pdf(template_name, context):
    """Render a template to PDF bytes."""
    context = {
        "static_url": settings.STATIC_URL,
        "afgedrukt_op": timezone.localtime(),
        **context,
    }
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StatischeFetcher()).write_pdf(
        font_config=font_configuration()
    )


def pdf_antwoord(inhoud, naam, bijlage=False):
    """The HTTP response for a PDF about pupils: shown in the browser (or downloaded with
    `bijlage`), never kept in a shared cache."""
    from django.http import HttpResponse

    response = HttpResponse(inhoud, content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if bijlage else "inline"}; filename="{naam}"'
    response["Cache-Control"] = "private, no-store"
    return response


def bestandsnaam(*delen):
    """A sane, slugified file name, e.g. handelingsplan-aafke-akkerman-2025-09-01.pdf."""
    return (slugify("-".join(str(d) for d in delen if d)) or "document") + ".pdf"


# --- Handelingsplan -------------------------------------------------------------------------


def handelingsplan_context(school, plan):
    leerling = plan.leerling
    klas = leerling.laatste_klas()
    mentoren = list(klas.mentoren.all()) if klas else []
    onderdelen = [
        (veld, getattr(plan, veld))
        for veld in [
            "ontwikkelingsperspectief", "beginsituatie", "onderwijsbehoeften", "inhoud", "aanpak",
            "organisatie", "evaluatie_afspraken", "afspraken_ouders", "inbreng_leerling", "inbreng_ouders",
        ]
    ]
    return {
        "school": school,
        "plan": plan,
        "leerling": leerling,
        "klas": klas,
        "mentoren": mentoren,
        "onderdelen": [(plan._meta.get_field(veld).verbose_name, tekst) for veld, tekst in onderdelen],
        "doelen": list(Doel.objects.filter(handelingsplan=plan)),
        "betrokkenen": list(plan.betrokkenen.select_related("gebruiker")),
        "titel": f"Handelingsplan {leerling.naam}",
    }


def handelingsplan_pdf(user, school, plan):
    """PDF bytes of one handelingsplan. The caller checked that `user` may read the plan."""
    return render_pdf("plannen/pdf/handelingsplan.html", handelingsplan_context(school, plan))


def handelingsplan_bestandsnaam(plan):
    return bestandsnaam("handelingsplan", plan.leerling.naam, plan.start.isoformat())


# --- Groepsplan -----------------------------------------------------------------------------


def groepsplan_pdf(user, school, plan):
    """PDF bytes of a groepsplan. The caller checked that `user` may read the klas's plans."""
    rijen = list(plan.rijen.prefetch_related("leerlingen"))
    for rij in rijen:
        rij.namen = sorted((lln.naam for lln in rij.leerlingen.all()), key=str.lower)
    return render_pdf(
        "plannen/pdf/groepsplan.html",
        {"school": school, "plan": plan, "klas": plan.klas, "rijen": rijen, "titel": f"Groepsplan {plan.klas}"},
    )


def groepsplan_bestandsnaam(plan):
    return bestandsnaam("groepsplan", plan.klas, plan.periode, plan.vak.naam if plan.vak_id else "")


# --- Groepsoverzicht ------------------------------------------------------------------------


def zichtbare_kolommen(user, school, overzicht):
    """The sjabloon's columns this user may see: confidential ones only for mentor/zorgteam."""
    kolommen = list(overzicht.sjabloon.kolommen.all())
    if not (toegang.klas_relatie(user, school, overzicht.klas) & VERTROUWELIJK_ZICHTBAAR):
        kolommen = [k for k in kolommen if not k.vertrouwelijk]
    return kolommen


def groepsoverzicht_pdf(user, school, overzicht):
    """PDF bytes of a groepsoverzicht (A4 landscape, header row repeated on every page)."""
    kolommen = zichtbare_kolommen(user, school, overzicht)
    leerlingen = overzicht.klas.leerlingen_op_naam()
    waarden = {
        (lln_id, kolom_id): waarde
        for lln_id, kolom_id, waarde in Cel.objects.filter(
            groepsoverzicht=overzicht, kolom__in=kolommen
        ).values_list("leerling_id", "kolom_id", "waarde")
    }
    # Confidential columns per pupil, by the grid's own rule (mentor and zorgcoördinator: all;
    # a specialist: the pupils assigned to them).
    from .groepsoverzicht import vertrouwelijk_zichtbaar

    zichtbaar = vertrouwelijk_zichtbaar(user, school, overzicht.klas, [lln.pk for lln in leerlingen])
    verborgen = str(_("vertrouwelijk"))
    rijen = [
        (lln, [verborgen if k.vertrouwelijk and lln.pk not in zichtbaar else waarden.get((lln.pk, k.pk), "")
               for k in kolommen])
        for lln in leerlingen
    ]
    return render_pdf(
        "plannen/pdf/groepsoverzicht.html",
        {
            "school": school,
            "overzicht": overzicht,
            "klas": overzicht.klas,
            "kolommen": kolommen,
            "rijen": rijen,
            "titel": f"Groepsoverzicht {overzicht.klas}",
        },
    )


def groepsoverzicht_bestandsnaam(overzicht):
    return bestandsnaam("groepsoverzicht", overzicht.klas, overzicht.periode)



def handelingsplan_pdf_ouder(plan):
    """The handelingsplan PDF for the parent portal, in the active (parent's) language, with the
    parents' reaction. The caller fetched the plan through toegang.plan_voor_ouder_of_404."""
    context = handelingsplan_context(plan.leerling.school, plan)
    context["titel"] = _("Handelingsplan %(naam)s") % {"naam": plan.leerling.naam}
    return render_pdf("plannen/pdf/handelingsplan.html", context)
