"""Zelfevaluatie zorgstructuur (issue 10): the standard questionnaires, rounds sent by role, filling in,
results per rubriek and role (with the anonymity threshold), questionnaire editing, verbeterpunten."""

import pytest

from zorg import zelfevaluatie as ze
from zorg.checklist_zorgstructuur import CHECKLIST_ZORGSTRUCTUUR, EVALUATIE_ZORGOVERLEG
from zorg.models import Rubriek, Vraag, Vragenlijst

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def test_checklist_heeft_20_rubrieken_en_121_vragen():
    assert len(CHECKLIST_ZORGSTRUCTUUR) == 20
    assert sum(len(vragen) for _, vragen in CHECKLIST_ZORGSTRUCTUUR) == 121
    assert CHECKLIST_ZORGSTRUCTUUR[5][0] == "De mentor"
    assert all(v.endswith(".") and "  " not in v for _, vragen in CHECKLIST_ZORGSTRUCTUUR for v in vragen)


def test_standaard_vragenlijst_is_idempotent(personas):
    lijst = ze.standaard_vragenlijst(personas.school, "zorgstructuur")
    assert Rubriek.objects.filter(vragenlijst=lijst).count() == 20
    assert Vraag.objects.filter(rubriek__vragenlijst=lijst).count() == 121
    assert ze.standaard_vragenlijst(personas.school, "zorgstructuur") == lijst
    assert Vraag.objects.filter(rubriek__vragenlijst=lijst).count() == 121
    overleg = ze.standaard_vragenlijst(personas.school, "zorgoverleg")
    assert overleg.rubrieken.count() == len(EVALUATIE_ZORGOVERLEG)
    assert Vragenlijst.objects.filter(school=personas.school).count() == 2
    assert not Vragenlijst.objects.filter(school=personas.andere_school).exists()
