"""The pupil timeline within its query budget (issue 11): leerling_of_404 reads how the user stands to the
pupil in the same query as the pupil, and the inzagelog's role needs no Contactpersoon query for staff. The
relations must be exactly those relaties_met computes on its own."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from zorg import toegang
from zorg.models import Gebruiker

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

GEBRUIKERS = ["mentor", "andere_mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "directie",
              "beheerder", "ouder_user", "extern", "zonder_rol"]


def test_relations_read_with_the_pupil_are_those_of_relaties_met(benoemde_personas):
    p = benoemde_personas
    # Case-manager and an explicit grant, besides the personas' own relations.
    p.in_b.case_manager = p.teamleider
    p.in_b.save()
    f.OuderRelatieFactory(ouder=p.ouder, leerling=p.in_b, gezag=False)
    from guardian.shortcuts import assign_perm

    assign_perm("leerlingen.inzien_leerling", p.docent, p.in_b)
    for naam in GEBRUIKERS:
        for school in (p.school, None, p.andere_school):
            for leerling in p.leerlingen:
                apart = toegang.relaties_met(Gebruiker.objects.get(pk=getattr(p, naam).pk), school, leerling)
                user = Gebruiker.objects.get(pk=getattr(p, naam).pk)
                try:
                    gevonden = toegang.leerling_of_404(user, school, leerling.pk)
                except Http404:
                    continue
                with CaptureQueriesContext(connection) as ctx:
                    samen = toegang.relaties_met(user, school, gevonden)
                assert samen == apart, (naam, school, leerling)
                assert len(ctx.captured_queries) == 0


def test_inzage_role_without_contactpersoon_query_for_staff(benoemde_personas):
    p = benoemde_personas
    user = Gebruiker.objects.get(pk=p.mentor.pk)
    leerling = toegang.leerling_of_404(user, p.school, p.in_a.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert toegang.rol_bij(user, p.school, leerling) == "mentor"
    assert not ctx.captured_queries
    # The external contact still gets their instelling in the log.
    extern = Gebruiker.objects.get(pk=p.extern.pk)
    assert toegang.rol_bij(extern, p.school, p.in_a).startswith("externe partner")
