"""Shared helpers for the bad-input tests (tests/test_beveiliging_fuzz.py, tests/test_beveiliging_escaping.py):
a small HTML tree parser that finds the forms and htmx posts on a page, hypothesis strategies for
hostile, oversized and malformed values per field type, a raw form-body encoder (duplicated fields,
NUL bytes, lone surrogates) and one-query row counts of every project table (no partial writes)."""

import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urlsplit

from django.apps import apps
from django.db import connection
from hypothesis import strategies as st

# --- hostile values ----------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# Raw markup that must never reach a page unescaped.
GEVAARLIJK = (SCRIPT, "<img src=x onerror=alert(1)>")

VIJANDIGE_TEKST = [
    SCRIPT,
    IMG,
    "'; DROP TABLE leerlingen_leerling; --",
    "' OR '1'='1",
    "{{ 7*7 }}",
    "{% debug %}",
    "%(naam)s %s {0} ${x}",
    "a\x00b",
    "\x00",
    "\u202eGNIRTS\u202c terug",  # right-to-left override
    "zero\u200bwidth\u200d\ufeff",
    "emoji 👩\u200d👩\u200d👧 🏳️\u200d🌈 😀",
    "e" + "\u0301" * 50,  # combining characters
    "Ŋ̷̢͎ä̶m̴̛e̷",
    "\ud800 eenzaam",  # a lone surrogate: sent as (invalid) CESU-8 bytes
    "\r\n\r\nregel\rnaar\nbeneden",
    "   ",
    "javascript:alert(1)",
    "=HYPERLINK(\"http://x\",\"klik\")",
    "+31 6 -1 @SUM(A1)",
    "<!-- niet afgesloten",
    "&amp;&lt;&#x27;",
]

LANG = ["x" * 100_000, (SCRIPT + " ") * 4_000, "é" * 20_001]

GETALLEN = [
    "0", "-1", "-0", "1.5", "1e309", "NaN", "inf", "-inf", str(2**63), str(-(2**63) - 1), "9" * 40,
    "１２", " 7 ", "0x10", "1_000", "", "٣",
]

DATUMS = [
    "2026-02-30", "0000-00-00", "99999-01-01", "2026-13-01", "31-12-2026", "1900-01-01", "9999-12-31",
    "2026-01-01T25:61", "morgen", "", "0001-01-01",
]

TIJDEN = ["25:61", "-1:00", "12:00:60", "noon", "", "00:00"]


def ids(vreemd=()):
    """Wrong ids: another school's objects, zero, negative, beyond bigint, not a number."""
    return [*(str(pk) for pk in vreemd), "0", "-1", str(2**63), str(2**31), "abc", "1 OR 1=1", ""]


tekst = st.one_of(
    st.sampled_from(VIJANDIGE_TEKST),
    st.sampled_from(VIJANDIGE_TEKST),
    st.sampled_from(LANG),
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
)


@st.composite
def getal(draw):
    keuze = draw(st.integers(0, 3))
    if keuze == 0:
        return draw(st.sampled_from(GETALLEN))
    if keuze == 1:
        return str(draw(st.integers(min_value=-(10**30), max_value=10**30)))
    if keuze == 2:
        x = draw(st.floats(allow_nan=True, allow_infinity=True))
        return "NaN" if math.isnan(x) else repr(x)
    return draw(tekst)


# --- HTML: a tiny tree and the forms on a page --------------------------------------------------

LEEG = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Knoop:
    tag: str
    attrs: dict
    ouder: "Knoop | None" = None
    kinderen: list = field(default_factory=list)
    tekst: list = field(default_factory=list)

    def alle(self):
        yield self
        for kind in self.kinderen:
            yield from kind.alle()

    def voorouder(self, tag):
        knoop = self.ouder
        while knoop is not None and knoop.tag != tag:
            knoop = knoop.ouder
        return knoop

    def inhoud(self):
        return "".join(self.tekst)


class _Bouwer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.wortel = Knoop("#document", {})
        self.huidig = self.wortel

    def handle_starttag(self, tag, attrs):
        knoop = Knoop(tag, {k: (v if v is not None else "") for k, v in attrs}, self.huidig)
        self.huidig.kinderen.append(knoop)
        if tag not in LEEG:
            self.huidig = knoop

    def handle_startendtag(self, tag, attrs):
        self.huidig.kinderen.append(Knoop(tag, {k: (v or "") for k, v in attrs}, self.huidig))

    def handle_endtag(self, tag):
        knoop = self.huidig
        while knoop is not None and knoop.tag != tag:
            knoop = knoop.ouder
        if knoop is not None and knoop.ouder is not None:
            self.huidig = knoop.ouder

    def handle_data(self, data):
        self.huidig.tekst.append(data)


def boom(html):
    bouwer = _Bouwer()
    bouwer.feed(html)
    bouwer.close()
    return bouwer.wortel


@dataclass
class Veld:
    naam: str
    soort: str  # text, textarea, select, checkbox, radio, hidden, number, date, file, ...
    waarde: str = ""
    opties: list = field(default_factory=list)
    meervoudig: bool = False


@dataclass
class Formulier:
    actie: str  # path the form or htmx element posts to
    velden: dict  # name -> Veld
    htmx: bool = False
    bestanden: bool = False


def _velden_in(knoop, velden):
    for el in knoop.alle():
        naam = el.attrs.get("name")
        if not naam or "disabled" in el.attrs:
            continue
        if el.tag == "input":
            soort = el.attrs.get("type", "text").lower()
            if soort in ("submit", "button", "image", "reset"):
                soort = "knop"
            veld = velden.setdefault(naam, Veld(naam, soort, el.attrs.get("value", "")))
            if soort in ("radio", "checkbox", "knop") and "value" in el.attrs:
                veld.opties.append(el.attrs["value"])
                if soort == "checkbox":
                    veld.meervoudig = len(veld.opties) > 1
        elif el.tag == "textarea":
            velden.setdefault(naam, Veld(naam, "textarea", el.inhoud().removeprefix("\n")))
        elif el.tag == "select":
            opties = [o.attrs.get("value", o.inhoud().strip()) for o in el.alle() if o.tag == "option"]
            velden.setdefault(naam, Veld(naam, "select", opties[0] if opties else "", opties, "multiple" in el.attrs))
        elif el.tag == "button" and "value" in el.attrs:
            veld = velden.setdefault(naam, Veld(naam, "knop", el.attrs["value"]))
            veld.opties.append(el.attrs["value"])
    return velden


def formulieren(html, pagina):
    """Every form with method=post and every htmx post on a page, with its fields."""
    wortel = boom(html)
    per_id = {el.attrs["id"]: el for el in wortel.alle() if "id" in el.attrs}
    gevonden = []
    for el in wortel.alle():
        hx = el.attrs.get("hx-post")
        if el.tag == "form" and (el.attrs.get("method", "get").lower() == "post" or hx is not None):
            actie = hx if hx is not None else el.attrs.get("action", "")
            gevonden.append(Formulier(
                _pad(actie, pagina), _velden_in(el, {}), htmx=hx is not None,
                bestanden="multipart" in el.attrs.get("enctype", ""),
            ))
        elif hx is not None:
            velden = {}
            vorm = el.voorouder("form")
            if vorm is not None:
                _velden_in(vorm, velden)
            _velden_in(el, velden)
            for deel in el.attrs.get("hx-include", "").split(","):
                deel = deel.strip()
                doel = None
                if deel.startswith("closest "):
                    doel = el.voorouder(deel.split()[1])
                elif deel.startswith("#"):
                    doel = per_id.get(deel[1:])
                elif deel == "this":
                    doel = el
                if doel is not None:
                    _velden_in(doel, velden)
            gevonden.append(Formulier(_pad(hx, pagina), velden, htmx=True))
    return gevonden


def _pad(actie, pagina):
    if not actie:
        return urlsplit(pagina).path
    return urlsplit(actie).path or urlsplit(pagina).path


def getoonde_waarden(html):
    """name -> list of values of the inputs and textareas a page shows (entities decoded)."""
    waarden = {}
    for el in boom(html).alle():
        naam = el.attrs.get("name")
        if not naam:
            continue
        if el.tag == "textarea":
            waarden.setdefault(naam, []).append(el.inhoud().removeprefix("\n"))
        elif el.tag == "input" and el.attrs.get("type", "text") not in ("checkbox", "radio", "file", "password"):
            waarden.setdefault(naam, []).append(el.attrs.get("value", ""))
    return waarden


# --- values per field ----------------------------------------------------------------------------

TEKSTSOORTEN = {"text", "textarea", "search", "email", "tel", "url"}


def waarde_voor(veld, vreemde_ids=()):
    """A strategy for one field: mostly something sensible, often hostile, sometimes wrong."""
    zinnig = [st.just(veld.waarde)]
    if veld.opties:
        zinnig.append(st.sampled_from(veld.opties))
    soort = veld.soort
    if soort in TEKSTSOORTEN:
        vijandig = tekst
    elif soort == "number":
        vijandig = getal()
    elif soort in ("date", "datetime-local", "month", "week"):
        vijandig = st.one_of(st.sampled_from(DATUMS), tekst)
    elif soort == "time":
        vijandig = st.sampled_from(TIJDEN)
    elif soort in ("select", "radio", "checkbox", "hidden", "knop"):
        vijandig = st.one_of(st.sampled_from(ids(vreemde_ids)), getal(), tekst)
    else:
        vijandig = tekst
    return st.one_of(*zinnig, vijandig, vijandig) if soort in TEKSTSOORTEN else st.one_of(*zinnig, vijandig)


NIET_STUREN = object()


@st.composite
def invulling(draw, formulier, vreemde_ids=()):
    """The (name, value) pairs of one submission: fields left out, duplicated, an unknown field."""
    paren = []
    for naam, veld in formulier.velden.items():
        if veld.soort == "file":
            continue
        actie = draw(st.sampled_from(["stuur", "stuur", "stuur", "stuur", "weg", "dubbel"]))
        if actie == "weg" and naam != "csrfmiddlewaretoken":
            continue
        waarde = draw(waarde_voor(veld, vreemde_ids))
        paren.append((naam, waarde))
        if actie == "dubbel":
            paren.append((naam, draw(waarde_voor(veld, vreemde_ids))))
    if draw(st.booleans()):
        paren.append((draw(st.sampled_from(["id", "pk", "school", "leerling", "auteur", "status", "x"])),
                      draw(st.sampled_from(ids(vreemde_ids)))))
    return paren


def formulierdata(paren):
    """An application/x-www-form-urlencoded body of the pairs, as bytes (lone surrogates as-is)."""
    def enc(s):
        return quote_from_bytes(s.encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{enc(k)}={enc(v)}" for k, v in paren).encode("ascii")


def zoals_ontvangen(waarde):
    """The value as the server decodes it (invalid UTF-8 becomes U+FFFD)."""
    return waarde.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def normaal(s):
    return s.replace("\r\n", "\n").replace("\r", "\n")


# --- row counts ----------------------------------------------------------------------------------

PROJECT_APPS = {"zorg", "leerlingen", "plannen", "besprekingen", "extern", "ouders"}


def tabellen():
    namen = set()
    for model in apps.get_models(include_auto_created=True):
        if (model._meta.app_label in PROJECT_APPS and not model._meta.proxy and model._meta.managed
                and model._meta.label_lower not in LOGMODELLEN):
            namen.add(model._meta.db_table)
    return sorted(namen)


# Logs that a rejected submission may write: reading the pupil's data again is an inzage, a refused
# attempt is logged for the privacy officer (zorg.models.Inzage, Weigering, Alarm).
LOGMODELLEN = {"zorg.inzage", "zorg.weigering", "zorg.alarm"}


def rijtellingen(namen):
    """{table: row count} for the tables, in one query."""
    with connection.cursor() as cursor:
        sql = " UNION ALL ".join(f"SELECT %s, COUNT(*) FROM {connection.ops.quote_name(t)}" for t in namen)
        cursor.execute(sql, namen)
        return dict(cursor.fetchall())


def verschil(voor, na):
    return {t: (voor[t], na[t]) for t in voor if voor[t] != na[t]}


FOUTMARKERING = re.compile(r'class="[^"]*\b(veldfout|fout|heeft-fout|error)\b|role="alert"')


def heeft_melding(html):
    return bool(FOUTMARKERING.search(html))


def is_tekstmelding(tekst):
    """A short plain-text message (an htmx endpoint's answer to a request no page would send)."""
    return bool(tekst.strip()) and "<" not in tekst and len(tekst) < 500
