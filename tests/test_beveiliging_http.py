"""HTTP hardening (issue 9): no inline code in templates (strict CSP), security headers on every
kind of response, production settings (HSTS, secure cookies, HTTPS redirect, `check --deploy`),
and uploads that are never reachable from a public URL."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from leerlingen.models import Dossieritem
from plannen.models import Handelingsplan

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

ROOT = Path(settings.BASE_DIR)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


# --- (a) no inline code in templates ---------------------------------------------------------

# Template syntax is removed before scanning, so `{% blocktranslate with onderwerp=… %}` is not
# mistaken for an on* handler, while `{% if x %} onclick="…"{% endif %}` still is.
TEMPLATE_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
JSON_DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']?application/(ld\+)?json""", re.I)


def inline_code(source):
    """What a strict Content-Security-Policy would refuse in this template source (one line each)."""
    problems = []
    text = TEMPLATE_SYNTAX.sub(" ", source)
    for tag in TAG.finditer(text):
        name, attributes = tag.group(1).lower(), tag.group(2)
        parsed = {a.group(1).lower(): (a.group(2) or "").strip("\"'") for a in ATTRIBUTE.finditer(attributes)}
        if name == "script" and "src" not in parsed and not JSON_DATA_BLOCK.search(attributes):
            problems.append("inline <script> (use static/js/… with src)")
        if name == "style":
            problems.append("<style> element (use static/css/zorgroute.css)")
        for attribute, value in parsed.items():
            bare = attribute.removeprefix("data-")
            if attribute == "style":
                problems.append(f"style attribute on <{name}>")
            elif re.fullmatch(r"on[a-z]+", attribute):
                problems.append(f"event handler attribute {attribute} on <{name}>")
            elif bare.startswith("hx-on"):
                problems.append(f"{attribute} (htmx inline handler: needs eval)")
            elif bare == "hx-vars" or (bare == "hx-vals" and value.lstrip().lower().startswith(("js:", "javascript:"))):
                problems.append(f"{attribute} with script (needs eval)")
            elif bare == "hx-trigger" and "[" in value:
                problems.append(f"hx-trigger event filter {value!r} (needs eval)")
            if "javascript:" in re.sub(r"\s", "", value.lower()):
                problems.append(f"javascript: URL in {attribute} on <{name}>")
    return problems


def browser_templates():
    """Every HTML template a browser renders: the project's and each app's, not the PDF ones."""
    folders = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    return [
        p for folder in folders for p in sorted(folder.rglob("*.html"))
        if "pdf" not in p.relative_to(folder).parts
    ]


def test_scan_vindt_templates():
    namen = {p.relative_to(ROOT).as_posix() for p in browser_templates()}
    assert {"templates/base.html", "templates/leerlingen/overdracht.html", "templates/zorg/school.html"} <= namen
    assert not any("/pdf/" in n for n in namen)
    assert len(namen) > 100


@pytest.mark.parametrize("bron", [
    "<script>alert(1)</script>",
    "<SCRIPT type='text/javascript'>x()</SCRIPT>",
    "<style>p { color: red }</style>",
    '<p style="color: red">x</p>',
    "<span class=\"a\" STYLE='--w: 5%'></span>",
    '<button type="button" onclick="window.print()">Afdrukken</button>',
    '{% if x %}<img src="a.png" onerror="x()">{% endif %}',
    '<body onload="init()">',
    '<a href="javascript:void(0)">x</a>',
    '<a href=" JavaScript:alert(1)">x</a>',
    '<form action="java\tscript:x">',
    '<div hx-on:click="x()"></div>',
    '<div hx-on::after-request="x()"></div>',
    '<div data-hx-on="click: x()"></div>',
    '<div hx-vals=\'js:{a: b()}\'></div>',
    '<div hx-vars="a: b()"></div>',
    "<input hx-trigger=\"keyup[key=='Enter']\">",
])
def test_scan_herkent_inline_code(bron):
    assert inline_code(bron), bron


@pytest.mark.parametrize("bron", [
    "<script src=\"{% static 'js/x.js' %}\" defer></script>",
    '<script type="application/json" id="gegevens">{"a": 1}</script>',
    "{% blocktranslate with onderwerp=v.onderwerp %}Over {{ onderwerp }}{% endblocktranslate %}",
    '<p>Een stijl, style="x" in gewone tekst is geen attribuut</p>',
    '<a href="/help/" data-stijl="x" class="online">online</a>',
    "<div hx-vals='{\"actie\": \"beide\"}' hx-trigger=\"change, search from:#zoek, submit\"></div>",
    '<svg viewBox="0 0 24 24"><path fill="currentColor" d="M1 2"/></svg>',
])
def test_scan_laat_toegestane_code_door(bron):
    assert inline_code(bron) == []


def test_geen_inline_code_in_templates():
    """The Content-Security-Policy allows no inline script or style: a new template cannot regress."""
    fouten = [
        f"{pad.relative_to(ROOT)}: {probleem}"
        for pad in browser_templates()
        for probleem in inline_code(pad.read_text(encoding="utf-8"))
    ]
    assert fouten == []


def test_eigen_javascript_gebruikt_geen_eval():
    for pad in sorted((ROOT / "static" / "js").glob("*.js")):
        if pad.name.endswith(".min.js"):
            continue
        bron = pad.read_text(encoding="utf-8")
        assert not re.search(r"\beval\s*\(|new\s+Function\s*\(|\bset(Timeout|Interval)\s*\(\s*['\"]", bron), pad.name
        html_of_stijl = r"\.innerHTML\s*=|insertAdjacentHTML|setAttribute\(\s*['\"](style|on\w+)['\"]"
        assert not re.search(html_of_stijl, bron), pad.name


def test_htmx_zonder_eval_en_inline_stijl():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    config = re.search(r"""<meta name="htmx-config" content='([^']*)'>""", base)
    assert config, "base.html sets htmx-config"
    assert json.loads(config.group(1)) == {
        "includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False,
    }
    # htmx reads its config when it loads: the meta tag must come before the script.
    assert base.index('name="htmx-config"') < base.index("js/htmx.min.js")
    css = (ROOT / "static" / "css" / "zorgroute.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css and ".htmx-request .htmx-indicator" in css


# --- (b) security headers on every kind of response ------------------------------------------


def maak_document(p):
    client = p.client(p.mentor)
    response = client.post(reverse("dossier_nieuw", args=[p.in_a.pk, "document"]), {
        "documentsoort": "onderzoeksverslag", "titel": "Verslag", "tekst": "Toelichting",
        "datum": timezone.localdate().isoformat(), "vertrouwelijkheid": "team",
        "upload": SimpleUploadedFile("verslag.pdf", PDF, content_type="application/pdf"),
    })
    assert response.status_code == 302
    return Dossieritem.objects.get(soort="document")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def csp_directives(header):
    return {
        part.split()[0]: part.split()[1:]
        for part in (p.strip() for p in header.split(";")) if part
    }


def assert_veilige_headers(response, *, eigen_csp=False):
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    directives = csp_directives(csp)
    if eigen_csp:  # a file download: nothing may run, whatever the browser makes of the file
        assert directives["default-src"] == ["'none'"] and "sandbox" in directives
    else:
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissies = response["Permissions-Policy"]
    for functie in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{functie}=()" in permissies


def test_headers_op_inlogpagina():
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert_veilige_headers(response)


def test_headers_op_medewerkerspagina(personas):
    response = personas.client(personas.mentor).get(reverse("leerling", args=[personas.in_a.pk]))
    assert response.status_code == 200
    assert_veilige_headers(response)


def test_headers_op_portaalpagina(personas):
    response = personas.client(personas.ouder_user).get(reverse("ouder_kind", args=[personas.in_a.pk]))
    assert response.status_code == 200
    assert_veilige_headers(response)


def test_headers_op_htmx_fragment(personas):
    response = personas.client(personas.mentor).get(
        reverse("klas", args=[personas.klas_a.pk]), {"q": "x"}, HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # a fragment, not the page
    assert_veilige_headers(response)


def test_headers_op_pdf(personas):
    plan = Handelingsplan.objects.create(leerling=personas.in_a, auteur=personas.mentor, beginsituatie="Lezen.")
    response = personas.client(personas.mentor).get(reverse("handelingsplan_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_veilige_headers(response)
    assert response["Cache-Control"] == "private, no-store"


def test_headers_op_bestand_download(personas, media):
    document = maak_document(personas)
    response = personas.client(personas.mentor).get(reverse("dossier_document", args=[personas.in_a.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert_veilige_headers(response, eigen_csp=True)
    assert response["Cache-Control"] == "private, no-store"


def test_headers_op_404(personas):
    response = personas.client(personas.mentor).get(reverse("leerling", args=[personas.elders.pk]))
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


# --- (c) production settings -----------------------------------------------------------------

PRODUCTIE_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "zorgroute.example",
}
PRODUCTIE_INSTELLINGEN = [
    "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_COOKIE_AGE",
]


def productie_omgeving():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTIE_ENV)
    return env


@pytest.fixture(scope="module")
def productie_instellingen():
    """The security settings as zorg/settings.py computes them for production (a fresh process)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {PRODUCTIE_INSTELLINGEN!r}}}))"
    )
    uit = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**productie_omgeving(), "DJANGO_SETTINGS_MODULE": "zorg.settings"},
    )
    assert uit.returncode == 0, uit.stderr
    return json.loads(uit.stdout.strip().splitlines()[-1])


def test_productie_instellingen_zijn_veilig(productie_instellingen):
    s = productie_instellingen
    assert s["DEBUG"] is False and s["ALLOWED_HOSTS"] == ["zorgroute.example"]
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict") and s["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert s["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True and s["SESSION_COOKIE_AGE"] <= 60 * 60


def test_check_deploy_is_schoon():
    uit = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=productie_omgeving(),
    )
    assert uit.returncode == 0, uit.stdout + uit.stderr
    assert "no issues" in uit.stdout


@pytest.fixture
def productie(settings, productie_instellingen):
    """Run this process's requests with the production security settings (new clients only:
    SecurityMiddleware reads its settings when the client's handler builds the middleware)."""
    for naam, waarde in productie_instellingen.items():
        setattr(settings, naam, tuple(waarde) if naam == "SECURE_PROXY_SSL_HEADER" else waarde)
    return settings


def test_http_wordt_doorgestuurd_naar_https(productie):
    response = Client().get("/inloggen/?volgende=1", HTTP_HOST="zorgroute.example")
    assert response.status_code == 301
    assert response["Location"] == "https://zorgroute.example/inloggen/?volgende=1"
    # Behind the reverse proxy: X-Forwarded-Proto says the browser's request was HTTPS.
    response = Client().get("/inloggen/", HTTP_HOST="zorgroute.example", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_hsts_op_https(productie):
    response = Client().get("/inloggen/", HTTP_HOST="zorgroute.example", secure=True)
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    assert re.search(r"max-age=(\d+)", hsts) and int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    assert "includeSubDomains" in hsts
    assert_veilige_headers(response)


def test_onbekende_host_wordt_geweigerd(productie):
    assert Client().get("/inloggen/", HTTP_HOST="aanvaller.example", secure=True).status_code == 400


def test_csrf_cookie_is_secure(productie):
    response = Client().get("/inloggen/", HTTP_HOST="zorgroute.example", secure=True)
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["samesite"] in ("Lax", "Strict")


def test_sessiecookie_is_secure_httponly_samesite(productie, personas):
    client = personas.client(personas.mentor)  # a new client: production middleware
    response = client.get(reverse("start"), HTTP_HOST="zorgroute.example", secure=True)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["secure"] is True and cookie["httponly"] is True
    assert cookie["samesite"] in ("Lax", "Strict")
    assert not cookie["max-age"] and not cookie["expires"]  # ends with the browser; idle limit on the server


# --- (d) uploads are private -------------------------------------------------------------------


def test_geen_url_voor_uploads(personas, media):
    document = maak_document(personas)
    pad = document.bestand.name
    assert (Path(settings.MEDIA_ROOT) / pad).read_bytes() == PDF
    client = personas.client(personas.mentor)
    kandidaten = {f"/media/{pad}", f"/{pad}", f"/uploads/{pad}", f"/static/{pad}"}
    if settings.MEDIA_URL:
        kandidaten.add(f"/{settings.MEDIA_URL.strip('/')}/{pad}".replace("//", "/"))
    for url in sorted(kandidaten):
        with pytest.raises(Resolver404):
            resolve(url)
        response = client.get(url)
        assert response.status_code == 404, url
        assert PDF not in response.content
    # The only way in is the access-checked view.
    assert personas.client(personas.andere_mentor).get(
        reverse("dossier_document", args=[personas.in_a.pk, document.pk])
    ).status_code == 404


def test_media_map_ligt_buiten_statische_bestanden():
    media = Path(settings.MEDIA_ROOT).resolve()
    statisch = [Path(settings.STATIC_ROOT).resolve(), *(Path(d).resolve() for d in settings.STATICFILES_DIRS)]
    for map_ in statisch:
        assert not media.is_relative_to(map_) and not map_.is_relative_to(media)
    assert getattr(settings, "WHITENOISE_ROOT", None) is None  # WhiteNoise serves static files only
    urls = (ROOT / "zorg" / "urls.py").read_text().splitlines()
    assert not any("static(" in regel and "MEDIA" in regel for regel in urls)


def test_toestemmingsscan_grootte_naam_en_download(personas, media):
    """The consent scan goes through the same upload checks as dossier documents and comes back
    only as a locked-down attachment."""
    from extern.models import Toestemming
    from leerlingen import dossier

    p = personas
    zc = p.client(p.zorgcoordinator)
    url = reverse("route_toestemming", args=[p.in_a.pk])
    gegevens = {"ouder": p.ouder.pk, "doel": "zat", "datum": timezone.localdate().isoformat()}
    te_groot = PDF + b"0" * (dossier.MAX_BESTANDSGROOTTE + 1 - len(PDF))
    response = zc.post(url, {**gegevens, "bestand": SimpleUploadedFile("scan.pdf", te_groot)})
    assert response.status_code in (200, 400) and "Het bestand is te groot" in response.content.decode()
    assert not Toestemming.objects.exists() and not any(Path(media).rglob("*.pdf"))

    response = zc.post(url, {**gegevens, "bestand": SimpleUploadedFile('../../<script>"scan".pdf', PDF)})
    assert response.status_code == 302
    t = Toestemming.objects.get()
    assert "/" not in t.bestandsnaam and "<" not in t.bestandsnaam and t.bestandsnaam.endswith(".pdf")
    (opgeslagen,) = [q for q in Path(media).rglob("*") if q.is_file()]
    assert opgeslagen.resolve().is_relative_to(Path(media).resolve()) and "script" not in opgeslagen.name

    response = zc.get(reverse("toestemming_formulier", args=[t.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert_veilige_headers(response, eigen_csp=True)
    assert response["Cache-Control"] == "private, no-store"
    with pytest.raises(Resolver404):
        resolve(f"/media/{t.bestand.name}")


@pytest.mark.django_db
def test_een_te_grote_post_krijgt_de_nederlandse_400_pagina_en_die_is_vertaald(settings):
    from django.template.loader import render_to_string
    from django.utils import translation

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    antwoord = Client().post("/inloggen/", {f"veld{i}": "x" for i in range(50)})
    assert antwoord.status_code == 400
    assert "Verzoek niet verwerkt" in antwoord.content.decode()
    with translation.override("en"):
        assert "Request not processed" in render_to_string("400.html")
    with translation.override("pap"):
        assert "Peticion no a wordo procesá" in render_to_string("400.html")
