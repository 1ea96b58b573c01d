"""Record which strings were looked up in a language's catalogue without being found there.

Used by tests/test_vertalingen.py: render every parent and pupil page in a language and fail on
any string that fell back to Dutch (or English, for Django's own texts)."""

import contextlib
import functools
import gettext as gettext_module
import os
from pathlib import Path

import django
import polib
from django.utils.translation import trans_real


@functools.cache
def django_bronteksten():
    """Django's own msgids (English source texts): in English they need no translation."""
    basis = Path(django.__file__).parent
    teksten = set()
    for po in [basis / "conf/locale/en/LC_MESSAGES/django.po", basis / "contrib/auth/locale/en/LC_MESSAGES/django.po"]:
        for e in polib.pofile(str(po)):
            teksten.add(f"{e.msgctxt} | {e.msgid}" if e.msgctxt else e.msgid)
    return teksten


@contextlib.contextmanager
def ontbrekende_vertalingen(taal):
    """Yield a set that fills with the msgids missing from `taal`'s catalogue while active."""
    ontbrekend = set()
    klasse = trans_real.DjangoTranslation
    oud_gettext, oud_ngettext = klasse.gettext, klasse.ngettext

    def gettext(self, message):
        if self.language() == taal and message and message not in self._catalog:
            ontbrekend.add(message.replace("\x04", " | "))
        return oud_gettext(self, message)

    def ngettext(self, msgid1, msgid2, n):
        if self.language() == taal:
            try:
                self._catalog.plural(msgid1, n)
            except KeyError:
                ontbrekend.add(msgid1)
        return oud_ngettext(self, msgid1, msgid2, n)

    klasse.gettext, klasse.ngettext = gettext, ngettext
    try:
        yield ontbrekend
    finally:
        klasse.gettext, klasse.ngettext = oud_gettext, oud_ngettext
        if taal == "en":
            ontbrekend -= django_bronteksten()
        if os.environ.get("ONTBREKEND_MAP"):  # a translator's aid: the msgids to translate, one file per language
            with open(Path(os.environ["ONTBREKEND_MAP"]) / f"{taal}.txt", "a", encoding="utf-8") as uit:
                uit.writelines(f"{m}\n" for m in sorted(ontbrekend))


assert issubclass(trans_real.DjangoTranslation, gettext_module.GNUTranslations)
