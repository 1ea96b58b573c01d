"""Bad input on every form and htmx endpoint (issue 9, "Bad input").

The fuzzer enumerates the URLconf, keeps every route whose view accepts POST, finds its form(s) by
opening every page as the personas tests/test_urls.py allows (forms with method=post, htmx
hx-post elements with their hx-include), and posts hypothesis-generated submissions for those
fields: hostile text (markup, SQL-like, template syntax, NUL, RTL/zero-width/emoji/combining, lone
surrogates), 100k-character strings, huge/negative/float/NaN numbers, impossible dates, wrong choice
values, other schools' and impossible ids, missing, duplicated and unknown fields.

Properties of every answer:
- never a server error (5xx or an exception);
- a rejected submission (400/409/422, or a full-page form answered with 200 again) shows a Dutch
  message (class "veldfout"/"fout", role="alert" or an error message), writes no row in any project
  table, and shows again every text the user typed (as the server received it);
- no page ever contains the hostile markup unescaped (also the page a success redirects to).

Every example runs in a savepoint that is rolled back, so the world stays the same for the next.
A POST endpoint the fuzzer cannot drive (no form found for it, or no row in the coverage table)
fails the test by name, unless it is in NIET_TE_FUZZEN below with a reason.
"""

import collections
import contextlib
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import fuzz
from tests.test_urls import ANY_OK, IMPORT_ROUTE, PERSONAS, _concrete_url, coverage_for, wereld  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

VOORBEELDEN = int(os.environ.get("FUZZ_VOORBEELDEN", "12"))  # examples per endpoint (about a minute)

# POST endpoints that are not forms with user input. Keep this short; each needs a reason.
NIET_TE_FUZZEN = {
    # Logging out takes no input (only the CSRF token) and ends the session the fuzzer runs in.
    "logout": "geen invoer; beëindigt de sessie",
    # The second and third step of the import work on the file uploaded in the first step, kept in
    # the session; the first step ("import") is fuzzed with random files, the rest in tests/test_import.py.
    "import_voorbeeld": "vervolgstap van de import (bestand in de sessie)",
    "import_bevestig": "vervolgstap van de import (bestand in de sessie)",
    # The reset form appears only behind a valid one-time token that Django moves into the session.
    "password_reset_confirm": "formulier alleen achter een geldig eenmalig token in de sessie",
    # Forms that only show in a later state of a case (a pupil on a level with a decision, a
    # groepsbespreking whose next periode exists); their input is driven by tests/test_route.py and
    # tests/test_groepsbespreking.py. Single-button actions: no text input beyond the CSRF token.
    "route_afschalen": "alleen bij een leerling op een niveau met besluit (knop zonder tekstinvoer)",
    "groepsbespreking_groepsplan": "alleen als de volgende periode bestaat (knop zonder tekstinvoer)",
    # Two-step login (issue 9): personas are force-logged in, i.e. past both steps, so these pages send
    # them on. The code and set-up steps show only halfway through a password login; the recovery
    # codes page shows codes once from the session and posts a button without input.
    "tweestaps_code": "alleen halverwege een inlog met wachtwoord (personas zijn al voorbij stap twee)",
    "tweestaps_instellen": "alleen halverwege een inlog zonder tweede stap (personas zijn al voorbij stap twee)",
    "tweestaps_herstelcodes": "toont eenmalig de codes uit de sessie; knop zonder invoer",
    # Kwaliteitszorg (issue 10): single-button actions (no input beyond the CSRF token) that show only
    # in one state: a vastgesteld jaarverslag, a round still in concept, a catalogue missing standard
    # kinds, a kind never used. Their rules are tested in tests/test_kwaliteit_*.py.
    "jaarverslag_heropenen": "knop zonder invoer, alleen bij een vastgesteld jaarverslag",
    "zelfevaluatie_versturen": "knop zonder invoer, alleen bij een zelfevaluatie in concept",
    "interventies_standaard": "knop zonder invoer, alleen als er standaardsoorten ontbreken",
    "interventiesoort_verwijderen": "knop zonder invoer, alleen bij een soort die nooit is gebruikt",
    "leerling_plan": "de leerling schrijft alleen in een plan dat hem is voorgelegd (tests/test_ouder_plannen.py)",
}

# GET pages not opened while looking for forms: files (PDF, ICS, downloads) have no forms.
GEEN_HTML = ("_pdf", "_ics", "_download", "_bestand", "dossier_document")

TELLING = collections.Counter()  # endpoint -> submissions tried


# --- which routes take POST -------------------------------------------------------------------


def _patronen(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patronen(pattern, prefix + str(pattern.pattern), ns)
        else:
            assert isinstance(pattern, URLPattern)
            yield (namespace + pattern.name if pattern.name else None), prefix + str(pattern.pattern), pattern.callback


def methoden(view):
    """The HTTP methods a view accepts: from a class-based view or the require_http_methods
    decorator (require_GET/require_POST too); None when the view does not say."""
    gezien, functie = set(), view
    while functie is not None and id(functie) not in gezien:
        gezien.add(id(functie))
        klasse = getattr(functie, "view_class", None)
        if klasse is not None:
            return {m for m in klasse.http_method_names if hasattr(klasse, m)}
        for cel in functie.__closure__ or ():
            try:
                inhoud = cel.cell_contents
            except ValueError:
                continue
            if isinstance(inhoud, list | tuple) and inhoud and all(isinstance(m, str) and m.isupper() for m in inhoud):
                return {m.lower() for m in inhoud}
        functie = getattr(functie, "__wrapped__", None)
    return None


def routes():
    """(name, route, coverage spec or None, methods) of every non-admin URL pattern."""
    for name, route, view in _patronen(get_resolver()):
        spec = coverage_for(name, route)
        if spec == "admin":
            continue
        yield name, route, spec, methoden(view)


def kandidaten(spec):
    """Personas that may use the route, best first: allowed (200/ok/400), else those redirected on."""
    toegestaan = [p for p in PERSONAS if spec.expected(p) in (200, ANY_OK, 400)]
    if toegestaan:
        return toegestaan
    return [p for p in PERSONAS if isinstance(spec.expected(p), tuple) and spec.expected(p)[0] == "redirect"]


def url_van(p, name, route, spec):
    if spec is IMPORT_ROUTE:
        return _concrete_url(route)
    return reverse(name, args=spec.args(p) if spec.args else None)


def client_voor(p, persona):
    return Client() if persona == "anoniem" else p.client(getattr(p, persona))


def naam_van(pad):
    try:
        return resolve(pad).view_name
    except Resolver404:
        return None


def extra_paginas(p):
    """Pages whose forms only show in a state the coverage table's objects are not in."""
    return [
        ("mentor", reverse("bespreking", args=[p.gb.pk])),  # the groepsbespreking screen
        ("zorgcoordinator", reverse("aanmelding", args=[p.nieuwe_aanmelding.pk])),
        ("zorgcoordinator", reverse("route_beoordelen", args=[p.opschaling.pk])),
    ]


@pytest.fixture
def fuzzwereld(db, request):
    """test_urls' world plus: an aanmelding still to be handled, a parent still to be invited in
    klas_a, a contact person with an e-mail address, a retention dry run (so switching it on is offered)."""
    from besprekingen.aanmelding import meld_aan
    from tests import factories as f

    p = request.getfixturevalue("wereld")
    derde = f.KlasplaatsingFactory(klas=p.klas_a).leerling
    p.nieuwe_aanmelding = meld_aan(p.mentor, p.school, derde, "izo", "Stil in de klas", ouders_geinformeerd=True)
    f.OuderRelatieFactory(ouder=f.OuderFactory(gebruiker=None), leerling=p.tweede_in_a)
    p.contact.email = "contact@instelling.test"
    p.contact.save()
    with contextlib.suppress(NoReverseMatch):  # switching retention on is offered after a dry run only
        p.client(p.beheerder).post(reverse("bewaartermijnen_proef"))
    return p


def verzamel_formulieren(p):
    """url name -> persona -> forms posting to it, from every HTML page every allowed persona can open."""
    paginas = []
    for name, route, spec, methods in routes():
        if spec is None or (methods is not None and "get" not in methods) or spec.method != "get":
            continue
        if name and any(deel in name for deel in GEEN_HTML):
            continue
        if spec is IMPORT_ROUTE and "<" in route:
            continue
        url = url_van(p, name, route, spec)
        paginas += [(persona, url) for persona in kandidaten(spec)]
    gevonden = collections.defaultdict(lambda: collections.defaultdict(dict))
    for persona, url in paginas + extra_paginas(p):
        response = client_voor(p, persona).get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for formulier in fuzz.formulieren(response.content.decode(), url):
            doel = naam_van(formulier.actie)
            if doel:
                sleutel = (tuple(sorted(formulier.velden)), formulier.htmx, formulier.actie)
                gevonden[doel][persona].setdefault(sleutel, formulier)
    return {naam: {persona: list(v.values()) for persona, v in per.items()} for naam, per in gevonden.items()}


# Who drives an endpoint: among the personas that saw its form, the one with the widest rights first.
VOORKEUR = ["zorgcoordinator", "beheerder", "mentor", "teamleider", "specialist", "docent", "directie",
            "ouder_user", "leerling_user", "extern", "zonder_rol", "superuser", "anoniem"]


def bestuurder(spec, per_persona):
    mogelijk = [p for p in VOORKEUR if p in per_persona and spec.expected(p) not in (403, 404)]
    return mogelijk[0] if mogelijk else None


def post_routes(formulieren):
    """(name, route, spec) of every route that takes POST, and the ones the fuzzer cannot drive."""
    te_doen, niet = [], []
    for name, route, spec, methods in routes():
        neemt_post = (methods is not None and "post" in methods) or (spec is not None and spec.method == "post")
        if methods is None and name in formulieren:
            neemt_post = True  # a view that does not say, but a page posts a form to it
        if not neemt_post or name in NIET_TE_FUZZEN:
            continue
        if spec is None:
            niet.append(f"{name or '(geen naam)'}: /{route} — geen regel in tests/test_urls.py COVERAGE")
        elif name not in formulieren:
            niet.append(f"{name}: /{route} — geen formulier of hx-post gevonden op een pagina")
        elif bestuurder(spec, formulieren[name]) is None:
            niet.append(f"{name}: /{route} — het formulier staat alleen bij personas die het niet mogen versturen")
        else:
            te_doen.append((name, route, spec))
    return te_doen, niet


# --- one submission ----------------------------------------------------------------------------


class _Terug(Exception):
    pass


def _kort(paren):
    return [(k, (v[:60] + f"…({len(v)})") if len(v) > 60 else v) for k, v in paren]


def probeer(client, url, formulier, paren, tabellen, bestand):
    """Post one submission in a rolled-back savepoint; '' or a description of what went wrong."""
    fout = ""
    try:
        with transaction.atomic():
            voor = fuzz.rijtellingen(tabellen)
            extra = {"HTTP_HX_REQUEST": "true"} if formulier.htmx else {}
            try:
                if formulier.bestanden:
                    data = collections.defaultdict(list)
                    for k, v in paren:
                        data[k].append(fuzz.zoals_ontvangen(v))
                    for naam, veld in formulier.velden.items():
                        if veld.soort == "file" and bestand is not None:
                            data[naam] = bestand
                    response = client.post(url, dict(data), **extra)
                else:
                    response = client.post(
                        url, fuzz.formulierdata(paren), content_type="application/x-www-form-urlencoded", **extra
                    )
            except Exception as e:  # noqa: BLE001 - a view that raises is exactly what we look for
                raise _Terug(f"uitzondering {type(e).__name__}: {str(e)[:300]}") from None
            fout = beoordeel(client, formulier, paren, response, voor, fuzz.rijtellingen(tabellen), tabellen)
            raise _Terug(fout)
    except _Terug as terug:
        fout = str(terug)
    return fout


def _vijandig(paren):
    return any(g in fuzz.zoals_ontvangen(v) for _, v in paren for g in fuzz.GEVAARLIJK)


def beoordeel(client, formulier, paren, response, voor, na, tabellen):
    status = response.status_code
    if status >= 500:
        return f"status {status}"
    html = response.content.decode("utf-8", "replace") if "html" in response.get("Content-Type", "") else ""
    if any(g in html for g in fuzz.GEVAARLIJK):
        return "onge-escapete markup op de pagina"
    if 300 <= status < 400:
        doel = response.get("Location", "")
        if _vijandig(paren) and doel.startswith("/"):
            volgende = client.get(doel)
            if volgende.status_code >= 500:
                return f"doorverwezen pagina {doel}: status {volgende.status_code}"
            if any(g in volgende.content.decode("utf-8", "replace") for g in fuzz.GEVAARLIJK):
                return f"onge-escapete markup op {doel}"
        return ""
    if status == 404 and geknoeid(formulier, paren):
        return ""  # an id or choice no page offers: out of scope, like a guessed URL
    if status not in (200, 400, 409, 422):
        return f"status {status} (verwacht 200/400/409/422 of een doorverwijzing)"
    tekst = response.content.decode("utf-8", "replace")
    if status in (400, 409, 422) and not (fuzz.heeft_melding(html) or fuzz.is_tekstmelding(tekst)):
        return f"afgewezen ({status}) zonder melding"
    # A 200 is a rejection when it shows a message (else a next step, e.g. "weet u het zeker?").
    if status == 200 and not fuzz.heeft_melding(html):
        return ""
    gewijzigd = fuzz.verschil(voor, na)
    if gewijzigd:
        return f"afgewezen ({status}) maar toch geschreven: {gewijzigd}"
    return tekst_bewaard(formulier, paren, html)


def geknoeid(formulier, paren, dubbel_telt=True):
    """A value no browser could send from this form: a choice, hidden value or id not on the page, or
    a hidden field left out (a browser always sends it)."""
    gestuurd = {n for n, _ in paren}
    if any(v.soort == "hidden" and n not in gestuurd for n, v in formulier.velden.items()):
        return True
    for naam, waarde in paren:
        veld = formulier.velden.get(naam)
        if veld is None:
            continue
        keuze = veld.soort in ("select", "radio", "checkbox", "hidden", "knop")
        if keuze and waarde not in (veld.waarde, *veld.opties):
            return True
    return dubbel_telt and len({n for n, _ in paren}) != len(paren)  # a duplicated field


def tekst_bewaard(formulier, paren, html):
    """Every text the user typed is on the re-rendered form (when the form is shown again)."""
    getoond = fuzz.getoonde_waarden(html)
    tekstvelden = [n for n, v in formulier.velden.items() if v.soort in fuzz.TEKSTSOORTEN]
    if not any(n in getoond for n in tekstvelden) or geknoeid(formulier, paren, dubbel_telt=False):
        return ""  # the answer is a message, not the form again; or the form was tampered with
    gestuurd = collections.defaultdict(list)
    for k, v in paren:
        gestuurd[k].append(fuzz.normaal(fuzz.zoals_ontvangen(v)))
    # A formset whose management form was tampered with starts again from the database.
    beheer = [n for n in formulier.velden if n.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS"))]
    geknoeide_sets = {n.rsplit("-", 1)[0] for n in beheer if gestuurd.get(n, [None])[-1] != formulier.velden[n].waarde}
    for naam in tekstvelden:
        if not gestuurd.get(naam) or not gestuurd[naam][-1].strip():
            continue  # Django reads the last value of a field
        if any(naam.startswith(f"{prefix}-") for prefix in geknoeide_sets):
            continue
        waarde = gestuurd[naam][-1]
        zichtbaar = [fuzz.normaal(w) for w in getoond.get(naam, [])]
        if waarde not in zichtbaar:
            return f"getypte tekst in '{naam}' niet terug op het formulier ({waarde[:40]!r})"
    return ""


# --- the test ----------------------------------------------------------------------------------

bestanden = st.one_of(
    st.none(),
    st.builds(
        lambda naam, inhoud: SimpleUploadedFile(naam, inhoud),
        st.sampled_from(["x.pdf", "../../etc/passwd", "<script>.csv", "a" * 300 + ".xlsx", "leeg", "kaart.png.exe"]),
        st.one_of(st.binary(max_size=200), st.just(b""), st.just(b"naam;klas\n=cmd|' /C calc'!A0;1A\n")),
    ),
)


def fuzz_endpoint(p, name, persona, vormen, tabellen, vreemd, fouten):
    client = client_voor(p, persona)  # its session row is outside the savepoints: it survives them
    # The same inputs on every run (CI must not turn red by chance); FUZZ_WILLEKEURIG=1 explores new ones.
    @settings(max_examples=VOORBEELDEN, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              derandomize=os.environ.get("FUZZ_WILLEKEURIG") != "1",
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        formulier = data.draw(st.sampled_from(vormen))
        paren = data.draw(fuzz.invulling(formulier, vreemd))
        bestand = data.draw(bestanden) if formulier.bestanden else None
        TELLING[name] += 1
        fout = probeer(client, formulier.actie, formulier, paren, tabellen, bestand)
        if fout:
            fouten.append(f"{name} ({persona}) POST {formulier.actie}: {fout}\n    invoer: {_kort(paren)}")

    run()


def test_every_post_endpoint_survives_hostile_input(fuzzwereld, capsys):
    p = fuzzwereld
    begin = time.monotonic()
    formulieren = verzamel_formulieren(p)
    gezocht = time.monotonic() - begin
    te_doen, niet_te_doen = post_routes(formulieren)
    tabellen = fuzz.tabellen()
    vreemd = [p.elders.pk, p.andere_klas.pk, p.in_b.pk]
    fouten = []
    for name, _route, spec in te_doen:
        persona = bestuurder(spec, formulieren[name])
        fuzz_endpoint(p, name, persona, formulieren[name][persona], tabellen, vreemd, fouten)
    with capsys.disabled():
        print(f"\n[fuzz] formulieren gezocht in {gezocht:.0f}s, gefuzzt in {time.monotonic() - begin - gezocht:.0f}s")
        print(f"[fuzz] invoer per endpoint: {dict(sorted(TELLING.items()))}")
        print(f"[fuzz] {sum(TELLING.values())} vijandige invoeren op {len(TELLING)} endpoints, {len(fouten)} fouten")
    melding = ""
    if niet_te_doen:
        melding += (
            "POST-endpoints die de fuzzer niet kan aansturen (voeg een formulier, een COVERAGE-regel of een "
            "beredeneerde uitzondering in NIET_TE_FUZZEN toe):\n" + "\n".join(niet_te_doen) + "\n"
        )
    if fouten:
        melding += f"{len(fouten)} fouten:\n" + "\n".join(fouten[:80])
    assert not melding, melding


# --- what the fuzzer found, pinned down ------------------------------------------------------------


def test_next_that_is_no_path_sends_to_the_start(fuzzwereld):
    p = fuzzwereld
    response = p.client(p.mentor).post(reverse("kies_school"), {"school": p.school.pk, "next": "1 OR 1=1"})
    assert response.status_code == 302 and response["Location"] == reverse("start")
    response = Client().post(reverse("taal_kiezen"), {"taal": "en", "next": "&amp;&lt;"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_overlong_username_is_refused_with_the_login_message(fuzzwereld):
    response = Client().post(reverse("login"), {"username": "x" * 300, "password": "geheim"})
    assert response.status_code == 200
    assert "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet" in response.content.decode()


def test_a_preset_over_a_used_route_is_refused_with_a_message(fuzzwereld):
    p = fuzzwereld
    niveaus = list(p.route.niveaus.values_list("pk", flat=True))
    response = p.client(p.beheerder).post(reverse("beheer"), {"preset": "nl_momenten"})
    assert response.status_code == 200
    assert "veldfout" in response.content.decode()
    assert list(p.route.niveaus.values_list("pk", flat=True)) == niveaus


def test_groepsbespreking_afspraak_and_notes_refuse_odd_input_with_a_message(fuzzwereld):
    p = fuzzwereld
    client = p.client(p.mentor)
    response = client.post(reverse("groepsbespreking_afspraak", args=[p.gb.pk]),
                           {"punt": "%(x)s", "wat": "Extra uitleg", "uiterlijk": "2026-02-30"})
    assert response.status_code == 422 and fuzz.heeft_melding(response.content.decode())
    response = client.post(reverse("groepsbespreking_notities", args=[p.gb.pk, p.gb_punt.pk]),
                           {"tekst": "a\x00b", "versie": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "ongeldig teken" in response.content.decode()
