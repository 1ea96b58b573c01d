"""A full IZO in headless Chromium: a mentor's aanmelding is on the agenda; the zorgcoördinator
chairs the meeting screen (notes autosaved, also across a dropped connection; an afspraak added
with the keyboard; a zorgniveau change), fixes the verslag, downloads the PDF; the afspraak shows
up for its owner and the besluit on the pupil's timeline."""

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from besprekingen import services
from besprekingen.aanmelding import meld_aan
from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking
from leerlingen.models import Dossieritem, Leerling, Opschaling
from tests.browser import log_in
from zorg import demo
from zorg.models import Functie, Gebruiker, Klas, Zorgniveau

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("snelle_wachtwoorden")]


def test_full_izo(browser, live_server, demo_school_live):
    school = demo_school_live.school
    jaar = school.huidig_schooljaar()
    mentor = Gebruiker.objects.get(username="mentor")
    zc = Gebruiker.objects.get(functies__schooljaar=jaar, functies__soort=Functie.Soort.ZORGCOORDINATOR,
                               username=demo_school_live.logins["zorgcoördinator"])
    klas = Klas.objects.filter(schooljaar=jaar, mentoren=mentor).first()
    niveaus = {n.code: n for n in Zorgniveau.objects.filter(zorgroute__school=school)}
    leerlingen = list(Leerling.objects.filter(plaatsingen__klas=klas).order_by("leerlingnummer")[:2])
    for lln in leerlingen:  # a clean start: level 2, two interventies with effect, nothing pending
        Aanmelding.objects.filter(leerling=lln).delete()
        Opschaling.objects.filter(leerling=lln).delete()
        Afspraak.objects.filter(leerling=lln).delete()
        Agendapunt.objects.filter(leerling=lln).delete()
        Dossieritem.objects.filter(leerling=lln).exclude(soort="interventie").delete()
        Leerling.objects.filter(pk=lln.pk).update(zorgniveau=niveaus["2"], case_manager=mentor)
        for hulpvraag, effect in [("Faalangst bij toetsen", "beperkt"), ("Slaapt slecht", "geen")]:
            Dossieritem.objects.create(leerling=lln, soort="interventie", auteur=mentor, hulpvraag=hulpvraag,
                                       acties="Gesprekken", effect=effect)
    leerling, tweede = leerlingen
    # The mentor aanmeldt; the zorgcoördinator puts both aanmeldingen on next week's IZO.
    begin = timezone.now() + datetime.timedelta(days=1)
    izo = services.plan_bespreking(zc, school, Bespreking.Soort.IZO, begin, zc, deelnemers=[mentor],
                                   uitnodigen=False)
    for lln in leerlingen:
        aanmelding = meld_aan(mentor, school, lln, Bespreking.Soort.IZO, f"Piekert veel ({lln.voornaam})",
                              begeleidingsvraag="Hoe help ik in de klas?", ouders_geinformeerd=True)
        services.zet_op_agenda(zc, school, aanmelding, izo)
    punt = Agendapunt.objects.get(bespreking=izo, leerling=leerling)
    zc.set_password(demo.DEMO_WACHTWOORD)
    zc.save()

    # 1. The chair opens the meeting screen: agenda left, the pupil's summary right.
    page = log_in(browser, live_server, zc.username, accept_downloads=True)
    page.goto(f"{live_server.url}/besprekingen/{izo.pk}/?punt={punt.pk}")
    expect(page.locator(".vg-agenda")).to_contain_text(leerling.naam)
    expect(page.locator(".vg-samenvatting")).to_contain_text(f"Piekert veel ({leerling.voornaam})")
    expect(page.locator(".vg-samenvatting")).to_contain_text(re.compile(r"\d+ interventies \(\d+ met effect"))

    # 2. Notes are saved by themselves.
    notities = page.locator("#id_notities")
    notities.fill("Slaapt slecht, piekert over school.")
    expect(page.locator(".vg-notities .veldstatus")).to_contain_text("Opgeslagen", timeout=10000)
    punt.refresh_from_db()
    assert punt.notities == "Slaapt slecht, piekert over school."

    # 3. A dropped connection loses nothing: the text waits in localStorage and is saved when back.
    page.context.set_offline(True)
    notities.press("End")
    notities.type(" Moeder belt vaker.")
    expect(page.locator("#paginastatus")).to_contain_text("geen verbinding", timeout=10000)
    concept = page.evaluate(f"window.localStorage.getItem('zorgroute:bespreking:{izo.pk}:punt:{punt.pk}')")
    assert "Moeder belt vaker." in concept
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#paginastatus")).to_have_text("● opgeslagen", timeout=10000)
    punt.refresh_from_db()
    assert punt.notities.endswith("Moeder belt vaker.")

    # ... and a draft left in this browser (say the tab was closed while offline) is offered on load.
    sleutel = f"zorgroute:bespreking:{izo.pk}:punt:{punt.pk}"
    page.evaluate(
        """([sleutel, tekst]) => window.localStorage.setItem(sleutel, JSON.stringify({
            velden: {notities: tekst}, tijd: Date.now(),
            versie: document.querySelector('.vg-notities input[name=versie]').value}))""",
        [sleutel, punt.notities + " Concept uit de browser."],
    )
    page.reload()
    expect(page.locator(".vg-concept")).to_contain_text("niet-opgeslagen versie")
    page.get_by_role("button", name="Herstellen").click()
    expect(page.locator(".vg-notities .veldstatus")).to_contain_text("Opgeslagen", timeout=10000)
    punt.refresh_from_db()
    assert punt.notities.endswith("Concept uit de browser.")

    # A colleague saved meanwhile: the autosave shows both texts and writes only on an explicit save.
    Agendapunt.objects.filter(pk=punt.pk).update(notities="Tekst van een collega.", gewijzigd_op=timezone.now())
    notities.press("End")
    notities.type(" Mijn aanvulling.")
    expect(page.locator(".vg-notities [data-conflict]")).to_contain_text("intussen gewijzigd", timeout=10000)
    expect(page.locator(".vg-notities [data-conflict] textarea")).to_have_value("Tekst van een collega.")
    punt.refresh_from_db()
    assert punt.notities == "Tekst van een collega."
    page.get_by_role("button", name="Notities opslaan").click()
    expect(page.locator(".vg-notities [data-conflict]")).to_have_count(0, timeout=10000)
    punt.refresh_from_db()
    assert punt.notities.endswith("Mijn aanvulling.")

    # 4. An afspraak with the keyboard only: Tab through the row, Enter submits.
    page.locator("#besluit-wat").focus()
    page.keyboard.type("Gesprek met ouders over slaapritme")
    page.keyboard.press("Tab")  # eigenaar
    expect(page.locator("#id_eigenaar")).to_be_focused()
    page.locator("#id_eigenaar").select_option(str(mentor.pk))
    page.keyboard.press("Tab")  # uiterlijk (default: vervolgdatum, six weeks)
    expect(page.locator("#id_uiterlijk")).to_be_focused()
    page.locator("#besluit-wat").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".vg-besluiten")).to_contain_text("Gesprek met ouders over slaapritme")
    expect(page.locator("#besluit-wat")).to_be_focused()
    afspraak = Afspraak.objects.get(agendapunt=punt, wat="Gesprek met ouders over slaapritme")
    assert afspraak.eigenaar == mentor and afspraak.leerling == leerling

    # 5. Zorgniveau 2 → 3 (IZO) as a besluit of this meeting.
    page.locator("#id_naar_niveau").select_option(str(niveaus["3"].pk))
    page.get_by_role("button", name="Zorgniveau wijzigen").click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeschaald naar 3")
    leerling.refresh_from_db()
    assert leerling.zorgniveau == niveaus["3"]
    expect(page.get_by_role("link", name="Handelingsplan opstellen bij dit besluit")).to_be_visible()

    # 6. Alt+PageDown goes to the next pupil, Alt+PageUp back.
    page.keyboard.press("Alt+PageDown")
    expect(page.locator(".vg-punten [aria-current]")).to_contain_text(tweede.naam)
    page.wait_for_load_state("load")
    page.keyboard.press("Alt+PageUp")
    expect(page.locator(".vg-punten [aria-current]")).to_contain_text(leerling.naam)
    page.screenshot(path="/tmp/zorgroute-izo.png", full_page=True)

    # 7. The verslag: fix it, download the PDF.
    page.get_by_role("link", name="Verslag", exact=True).click()
    page.get_by_role("button", name="Verslag vaststellen").click()
    expect(page.get_by_role("status").first).to_contain_text("Het verslag is vastgesteld")
    with page.expect_download() as download:
        page.get_by_role("link", name="Verslag als PDF").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    tekst = " ".join(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                                    check=True).stdout.decode().split())
    assert leerling.naam in tekst and "Gesprek met ouders over slaapritme" in tekst, tekst
    izo.refresh_from_db()
    assert izo.status == Bespreking.Status.GEHOUDEN

    # 8. The owner sees the afspraak in their list; the verslag is on the pupil's timeline.
    mentor_page = log_in(browser, live_server, "mentor", accept_downloads=True)
    mentor_page.goto(f"{live_server.url}/besprekingen/afspraken/")
    expect(mentor_page.locator("#inhoud")).to_contain_text("Gesprek met ouders over slaapritme")
    mentor_page.goto(f"{live_server.url}/leerlingen/{leerling.pk}/")
    expect(mentor_page.locator("#inhoud")).to_contain_text("besluiten")
    expect(mentor_page.locator("#inhoud")).to_contain_text(re.compile(r"2\s*→\s*3"))
    assert Dossieritem.objects.filter(leerling=leerling, soort="bespreking",
                                      tekst__contains="Gesprek met ouders over slaapritme").exists()
