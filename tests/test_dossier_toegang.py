"""Who reads which dossier entries, at the access layer (zorg.toegang), against domain.md's Access table.

Every entry kind × vertrouwelijkheid × voor_docenten, written by a neutral author and by the docent,
read by every role. The rule (domain.md, Access):
- "team" entries: mentor, teamleider, zorgcoördinator, assigned specialist, directie and an explicit
  guardian grant read them; a docent only those marked for docenten (handelingstips);
- "vertrouwelijk": zorgcoördinator and the assigned specialist only (never a docent, not even marked);
- "gedeeld met ouders": everyone who reads "team" entries, and the ouder;
- extern: nothing; the author always reads their own entries.
"""

import datetime

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from leerlingen.models import Dossieritem
from tests import factories as f
from zorg import toegang
from zorg.models import Gebruiker

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

SOORTEN = list(Dossieritem.Soort.values)
NIVEAUS = list(Dossieritem.Vertrouwelijkheid.values)
TEAM_LEZERS = {"mentor", "teamleider", "zorgcoordinator", "specialist", "directie", "gedeeld"}
VERTROUWELIJK_LEZERS = {"zorgcoordinator", "specialist"}

# role -> (user attribute of the personas, pupil attribute, whether the school is passed)
ROLLEN = {
    "mentor": ("mentor", "in_a", True),
    "docent": ("docent", "in_a", True),
    "teamleider": ("teamleider", "in_a", True),
    "zorgcoordinator": ("zorgcoordinator", "in_a", True),
    "specialist": ("specialist", "toegewezen", True),  # assigned (Betrokkene)
    "directie": ("directie", "in_a", True),
    "ouder": ("ouder_user", "in_a", False),
    "extern": ("extern", "in_a", True),
    "gedeeld": ("gedeeld", "in_a", True),  # explicit guardian grant
    "auteur": ("auteur", "in_a", True),  # no relation at all, only their own entries
}


def mag_lezen(rol, item, user):
    """domain.md's Access table for dossier entries."""
    if item.auteur_id == user.pk:
        return True
    if item.vertrouwelijkheid == "vertrouwelijk":
        return rol in VERTROUWELIJK_LEZERS
    if rol in TEAM_LEZERS:
        return True
    if rol == "docent":
        return item.voor_docenten
    if rol == "ouder":
        return item.vertrouwelijkheid == "ouders"
    return False


def vers(user):
    """A fresh user object: the access layer caches relations per request on the user object."""
    return Gebruiker.objects.get(pk=user.pk)


def cel(item):
    return (item.auteur.username, item.soort, item.vertrouwelijkheid, "voor docenten" if item.voor_docenten else "-")


@pytest.fixture
def dossier(personas):
    """Every kind × vertrouwelijkheid × voor_docenten on in_a (by a neutral author and by the docent) and on
    the specialist's assigned pupil (by the neutral author)."""
    p = personas
    p.auteur = f.GebruikerFactory(username="auteur")
    p.gedeeld = f.GebruikerFactory(username="gedeeld")
    assign_perm("leerlingen.inzien_leerling", p.gedeeld, p.in_a)
    items = []
    for leerling, auteurs in ((p.in_a, (p.auteur, p.docent)), (p.toegewezen, (p.auteur,))):
        for auteur in auteurs:
            for soort in SOORTEN:
                for vertrouwelijkheid in NIVEAUS:
                    for voor_docenten in (False, True):
                        items.append(Dossieritem(
                            leerling=leerling, auteur=auteur, soort=soort, vertrouwelijkheid=vertrouwelijkheid,
                            voor_docenten=voor_docenten, titel=f"{soort} {vertrouwelijkheid} {voor_docenten}",
                        ))
    Dossieritem.objects.bulk_create(items)
    return p


def _lezen(p, rol):
    user_attr, leerling_attr, met_school = ROLLEN[rol]
    user, leerling = vers(getattr(p, user_attr)), getattr(p, leerling_attr)
    school = p.school if met_school else None
    return user, leerling, school


@pytest.mark.parametrize("rol", sorted(ROLLEN))
def test_visibility_matrix(dossier, rol):
    p = dossier
    user, leerling, school = _lezen(p, rol)
    alle = list(Dossieritem.objects.filter(leerling=leerling).select_related("auteur"))
    assert len(alle) == len(SOORTEN) * len(NIVEAUS) * 2 * (2 if leerling == p.in_a else 1)
    gezien = set(toegang.dossieritems_voor(user, school, leerling).values_list("pk", flat=True))
    te_veel = sorted(cel(i) for i in alle if i.pk in gezien and not mag_lezen(rol, i, user))
    te_weinig = sorted(cel(i) for i in alle if i.pk not in gezien and mag_lezen(rol, i, user))
    assert (te_veel, te_weinig) == ([], []), f"{rol}: reads too much {te_veel}; misses {te_weinig}"


@pytest.mark.parametrize("rol", sorted(ROLLEN))
def test_each_role_reads_something_or_nothing_as_expected(dossier, rol):
    """The matrix is not vacuous: count what each role reads of the neutral author's 48 entries."""
    p = dossier
    user, leerling, school = _lezen(p, rol)
    gezien = toegang.dossieritems_voor(user, school, leerling).filter(auteur=p.auteur).count()
    per_niveau = len(SOORTEN) * 2  # × voor_docenten
    verwacht = {
        "mentor": 2 * per_niveau, "teamleider": 2 * per_niveau, "directie": 2 * per_niveau, "gedeeld": 2 * per_niveau,
        "zorgcoordinator": 3 * per_niveau, "specialist": 3 * per_niveau,
        "docent": 2 * len(SOORTEN),  # team and ouders entries marked for docenten
        "ouder": per_niveau, "extern": 0, "auteur": 3 * per_niveau,
    }
    assert gezien == verwacht[rol]


def test_docent_never_reads_a_confidential_entry_even_when_marked_for_docenten(dossier):
    p = dossier
    qs = toegang.dossieritems_voor(vers(p.docent), p.school, p.in_a).filter(auteur=p.auteur)
    assert not qs.filter(vertrouwelijkheid="vertrouwelijk").exists()
    assert not qs.filter(voor_docenten=False).exists()
    assert qs.filter(voor_docenten=True, vertrouwelijkheid="team").exists()


def test_mentor_reads_only_their_own_confidential_entries(dossier):
    p = dossier
    eigen = f.DossieritemFactory(leerling=p.in_a, auteur=p.mentor, vertrouwelijkheid="vertrouwelijk")
    qs = toegang.dossieritems_voor(vers(p.mentor), p.school, p.in_a)
    assert list(qs.filter(vertrouwelijkheid="vertrouwelijk")) == [eigen]


def test_specialist_reads_nothing_of_a_pupil_not_assigned_to_them(dossier):
    p = dossier
    assert not toegang.dossieritems_voor(vers(p.specialist), p.school, p.in_a).exists()


def test_ended_assignment_no_longer_opens_confidential_entries(dossier):
    p = dossier
    p.toegewezen.betrokkenen.update(tot=timezone.localdate() - datetime.timedelta(days=1))
    assert not toegang.dossieritems_voor(vers(p.specialist), p.school, p.toegewezen).exists()


def test_ouder_reads_nothing_of_another_child(dossier):
    p = dossier
    f.DossieritemFactory(leerling=p.in_b, vertrouwelijkheid="ouders")
    assert not toegang.dossieritems_voor(vers(p.ouder_user), None, p.in_b).exists()


def test_school_wide_roles_read_nothing_at_another_school(dossier):
    p = dossier
    f.DossieritemFactory(leerling=p.elders, vertrouwelijkheid="team")
    for user in (p.zorgcoordinator, p.directie):
        assert not toegang.dossieritems_voor(vers(user), p.school, p.elders).exists()


def test_last_years_mentor_reads_no_team_entries(dossier):
    """Relations count in the current schooljaar only."""
    p = dossier
    vorig = f.SchooljaarFactory(
        school=p.school, begin=p.jaar.begin.replace(year=p.jaar.begin.year - 1),
        einde=p.jaar.einde.replace(year=p.jaar.einde.year - 1),
    )
    oude_mentor = f.GebruikerFactory()
    klas = f.KlasFactory(schooljaar=vorig, afdeling=p.afdeling_a, mentoren=[oude_mentor])
    f.KlasplaatsingFactory(klas=klas, leerling=p.in_a)
    assert not toegang.dossieritems_voor(vers(oude_mentor), p.school, p.in_a).exists()


def test_mentor_who_is_case_manager_still_reads_only_own_confidential_entries(dossier):
    """domain.md: "vertrouwelijk" entries — mentor "only own"; the seeds make the mentor case-manager at
    professionele momenten 1 and 2, which must not open the zorgteam's confidential entries."""
    p = dossier
    p.in_a.case_manager = p.mentor
    p.in_a.save()
    qs = toegang.dossieritems_voor(vers(p.mentor), p.school, p.in_a)
    assert not qs.filter(vertrouwelijkheid="vertrouwelijk").exists()
    assert qs.filter(vertrouwelijkheid="team", voor_docenten=False).exists()


def test_case_manager_outside_the_zorgteam_reads_and_writes_team_entries_only(dossier):
    """A case-manager without a zorgteam functie (here: a docent of another klas) follows the pupil's case:
    team and ouders entries, may write; confidential entries stay closed."""
    p = dossier
    p.in_b.case_manager = p.docent
    p.in_b.save()
    f.DossieritemFactory(leerling=p.in_b, vertrouwelijkheid="vertrouwelijk")
    team = f.DossieritemFactory(leerling=p.in_b, vertrouwelijkheid="team")
    ouders = f.DossieritemFactory(leerling=p.in_b, vertrouwelijkheid="ouders")
    user = vers(p.docent)
    assert set(toegang.dossieritems_voor(user, p.school, p.in_b)) == {team, ouders}
    assert toegang.mag_dossier_schrijven(user, p.school, p.in_b)


def test_zorgteam_case_manager_reads_confidential_entries(dossier):
    p = dossier
    p.in_b.case_manager = p.specialist
    p.in_b.save()
    geheim = f.DossieritemFactory(leerling=p.in_b, vertrouwelijkheid="vertrouwelijk")
    assert geheim in toegang.dossieritems_voor(vers(p.specialist), p.school, p.in_b)


# --- access-rule bug against domain.md (fails until zorg/toegang.py is fixed) ---------------------


def test_external_contact_with_a_grant_reads_no_dossier_entries(dossier):
    """domain.md: extern sees no dossier entries ("—" in every dossier row; only the referral file).
    An explicit inzien_leerling grant (the models name "an external contact's grant") makes relaties_met()
    add "gedeeld", which reads all team and ouders entries."""
    p = dossier
    assign_perm("leerlingen.inzien_leerling", p.extern, p.in_a)
    assert not toegang.dossieritems_voor(vers(p.extern), p.school, p.in_a).exists()


# --- writing and changing ------------------------------------------------------------------------

SCHRIJVEN = {"mentor", "teamleider", "zorgcoordinator", "specialist"}


@pytest.mark.parametrize("rol", sorted(ROLLEN))
def test_mag_dossier_schrijven(dossier, rol):
    user, leerling, school = _lezen(dossier, rol)
    assert toegang.mag_dossier_schrijven(user, school, leerling) is (rol in SCHRIJVEN)


@pytest.mark.parametrize("rol", sorted(ROLLEN))
def test_mag_signaleren(dossier, rol):
    """Docenten signal too; directie, ouders, externen and a read grant do not."""
    user, leerling, school = _lezen(dossier, rol)
    assert toegang.mag_signaleren(user, school, leerling) is (rol in SCHRIJVEN | {"docent"})


@pytest.mark.parametrize("rol", sorted(ROLLEN))
def test_mag_item_wijzigen_only_author_or_zorgcoordinator(dossier, rol):
    p = dossier
    user, leerling, school = _lezen(p, rol)
    van_ander = f.DossieritemFactory(leerling=leerling, auteur=f.GebruikerFactory())
    eigen = f.DossieritemFactory(leerling=leerling, auteur=user)
    assert toegang.mag_item_wijzigen(user, school, van_ander) is (rol == "zorgcoordinator")
    assert toegang.mag_item_wijzigen(vers(user), school, eigen) is True


def test_zorgcoordinator_of_another_school_may_not_change_an_entry(dossier):
    p = dossier
    item = f.DossieritemFactory(leerling=p.elders)
    assert not toegang.mag_item_wijzigen(vers(p.zorgcoordinator), p.school, item)


# --- query count ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rol", sorted(ROLLEN))
def test_dossieritems_voor_is_one_query_once_relations_are_cached(dossier, django_assert_num_queries, rol):
    user, leerling, school = _lezen(dossier, rol)
    toegang.relaties_met(user, school, leerling)
    with django_assert_num_queries(1):
        list(toegang.dossieritems_voor(user, school, leerling))
    f.DossieritemFactory.create_batch(20, leerling=leerling, vertrouwelijkheid="ouders")
    with django_assert_num_queries(1):
        list(toegang.dossieritems_voor(user, school, leerling))
