import pytest

from zorg import notificaties
from zorg.models import Notificatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def test_bel_toont_aantal_ongelezen_en_lijst_markeert_gelezen(personas):
    p = personas
    notificaties.notificeer([p.mentor, p.docent], "Nieuwe signalering bij Sanne", url="/mijn-klas/", behalve=p.docent)
    assert Notificatie.objects.filter(ontvanger=p.docent).count() == 0  # who acted is not notified
    client = p.client(p.mentor)
    html = client.get("/meldingen/").content.decode()
    assert "Nieuwe signalering bij Sanne" in html
    assert 'class="teller">1<' in html
    melding = Notificatie.objects.get(ontvanger=p.mentor)
    response = client.post(f"/meldingen/{melding.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/mijn-klas/"
    melding.refresh_from_db()
    assert melding.gelezen_op is not None
    assert 'class="teller"' not in client.get("/meldingen/").content.decode()


def test_alles_gelezen_en_geen_link_naar_buiten(personas):
    p = personas
    notificaties.notificeer([p.mentor], "A", url="https://kwaadaardig.example/")
    notificaties.notificeer([p.mentor], "B")
    client = p.client(p.mentor)
    melding = Notificatie.objects.get(tekst="A")
    assert client.post(f"/meldingen/{melding.pk}/open/")["Location"] == "/meldingen/"
    client.post("/meldingen/gelezen/")
    assert notificaties.ongelezen(p.mentor).count() == 0


def test_lege_lijst_zegt_wat_er_komt(personas):
    html = personas.client(personas.docent).get("/meldingen/").content.decode()
    assert "U hebt geen meldingen" in html
