"""Reading the pages the load test gets back, as a browser would: the forms (and htmx cells) with
their fields, the CSRF token htmx sends, and links. Standard library only, so the locustfile and the
unit tests import it without Django."""

import re
from html.parser import HTMLParser

CSRF_HTMX = re.compile(r"""hx-headers='\{"X-CSRFToken":\s*"([^"]+)"\}'""")


def csrf_htmx(html):
    """The token htmx sends in X-CSRFToken (base.html puts it in hx-headers on <body>)."""
    match = CSRF_HTMX.search(html)
    return match.group(1) if match else None


def links(html, pattern):
    """All distinct matches of `pattern` (a regex with one group) in the page's href attributes, in order."""
    seen = []
    for match in re.finditer(r'href="(' + pattern + r')"', html):
        value = match.group(1).replace("&amp;", "&")
        if value not in seen:
            seen.append(value)
    return seen


class Container:
    """A <form>, or an element with hx-post (a groepsoverzicht cell): its attributes and fields."""

    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = attrs
        self.fields = {}  # name -> value as the browser would submit it (first one wins)
        self.options = {}  # select name -> option values

    @property
    def action(self):
        return self.attrs.get("hx-post") or self.attrs.get("action") or ""

    def data(self, **changes):
        return {**self.fields, **changes}

    def __repr__(self):
        return f"<{self.tag} {self.action} {self.fields}>"


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.containers = []
        self.open = []  # stack of open containers
        self.select = None  # (container, name, first option, selected option)
        self.option = None
        self.textarea = None  # (container, name, parts)

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" or "hx-post" in attrs:
            container = Container(tag, attrs)
            self.containers.append(container)
            self.open.append(container)
            return
        if not self.open:
            return
        box = self.open[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            box.fields.setdefault(name, attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "textarea" and name:
            self.textarea = (box, name, [])
        elif tag == "select" and name:
            self.select = [box, name, None, None]
            box.options[name] = []
        elif tag == "option" and self.select:
            self._end_option()  # </option> may be left out
            self.option = [attrs.get("value"), "selected" in attrs, []]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[2].append(data)
        if self.option is not None:
            self.option[2].append(data)

    def _end_option(self):
        if self.option is None or not self.select:
            return
        value, selected, text = self.option
        value = value if value is not None else "".join(text).strip()
        self.select[0].options[self.select[1]].append(value)
        if self.select[2] is None:
            self.select[2] = value
        if selected and self.select[3] is None:
            self.select[3] = value
        self.option = None

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            box, name, parts = self.textarea
            text = "".join(parts)
            box.fields.setdefault(name, text[1:] if text.startswith("\n") else text)
            self.textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self.select:
            self._end_option()
            box, name, first, selected = self.select
            box.fields.setdefault(name, selected if selected is not None else (first or ""))
            self.select = None
        elif self.open and tag == self.open[-1].tag:
            self.open.pop()


def containers(html):
    """Every form and hx-post element of the page, in document order."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.containers


def form_with_action(html, fragment):
    """The first form (or hx-post element) whose action contains `fragment`, or None."""
    return next((c for c in containers(html) if fragment in c.action), None)


# --- what each role of the load mix looks for ---------------------------------------------------


def tekstcellen(html):
    """The writable text cells of a groepsoverzicht page (htmx: hx-post with leerling, kolom, versie, waarde)."""
    return [c for c in containers(html)
            if "/cel/" in c.action and "type-tekst" in c.attrs.get("class", "")
            and {"leerling", "kolom", "versie", "waarde"} <= c.fields.keys()]


def signalering_form(html):
    """The signalering form of the dossier (the one with the domein choice)."""
    return next((c for c in containers(html) if c.tag == "form" and "domein" in c.fields), None)


def notities_form(html):
    """The autosaved notes form of the current agenda item on the IZO meeting screen."""
    return next((c for c in containers(html) if c.tag == "form" and "/notities/" in c.action), None)
