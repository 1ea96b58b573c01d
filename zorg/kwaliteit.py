"""Shared pieces of the kwaliteitszorg figures: the filter (schooljaar, periode, afdeling,
jaarlaag) limited to the reader's scope, the small-numbers rule, and the median.

The analyses themselves live in zorg/effect.py (effect of interventions), zorg/doorlooptijden.py
(route lead times) and zorg/jaarverslag.py (the yearly report)."""

import datetime
import statistics
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, F, Func
from django.utils.translation import gettext_lazy as _

from .models import Afdeling, Klas, Periode, Schooljaar

# No percentage over fewer cases than this: "3 van 4" is shown, "75%" is not.
MIN_AANTAL = 5


def aandeel(deel, totaal):
    """The share in percent (rounded), or None when the total is below MIN_AANTAL."""
    if not totaal or totaal < MIN_AANTAL:
        return None
    return round(100 * deel / totaal)


def deel_van(deel, totaal):
    """'3 van 4': how a share is shown when there is too little for a percentage (or next to one)."""
    return _("%(deel)s van %(totaal)s") % {"deel": deel, "totaal": totaal}


def mediaan(waarden):
    """The median of the values (None for none; None for fewer than MIN_AANTAL values too)."""
    waarden = [w for w in waarden if w is not None]
    if len(waarden) < MIN_AANTAL:
        return None
    return statistics.median(waarden)


class _IsEenVan(Func):
    """`lhs = ANY(ARRAY(subquery))`: a condition true when the value is one of the subquery's."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        lhs, rhs = self.get_source_expressions()
        lhs_sql, lhs_params = compiler.compile(lhs)
        rhs_sql, rhs_params = compiler.compile(rhs)
        return f"{lhs_sql} = ANY({rhs_sql})", (*lhs_params, *rhs_params)


def leerling_van_school(veld, school):
    """A filter condition: the pupil in `veld` (a pupil id, e.g. "leerling_id" or
    "handelingsplan__leerling_id") belongs to the school. Means the same as
    `<veld without _id>__school=school`, but for tables without a school column (handelingsplannen,
    doelen, dossieritems) it makes Postgres read only the school's rows through the pupil index,
    whatever the number of other schools in the database: a join on the pupil's school lets the
    planner scan every school's rows (a hash join over a seq scan, 10x the rows in the regio)."""
    from leerlingen.models import Leerling

    return _IsEenVan(F(veld), ArraySubquery(Leerling.objects.filter(school=school).order_by().values("pk")))


@dataclass(frozen=True)
class Filters:
    """What a quality page is about: a date range (a schooljaar or one periode of it), and
    optionally one afdeling and/or one jaarlaag (leerjaar). `afdelingen` is the reader's scope
    (None: the whole school) intersected with the chosen afdeling."""

    school: object
    schooljaar: Schooljaar
    periode: Periode | None
    afdelingen: frozenset | None
    leerjaar: int | None

    @property
    def van(self) -> datetime.date:
        return (self.periode or self.schooljaar).begin

    @property
    def tot(self) -> datetime.date:
        return (self.periode or self.schooljaar).einde

    def klassen(self):
        """The klassen of the chosen schooljaar within the filters."""
        qs = Klas.objects.filter(schooljaar=self.schooljaar)
        if self.afdelingen is not None:
            qs = qs.filter(afdeling_id__in=self.afdelingen)
        if self.leerjaar:
            qs = qs.filter(leerjaar=self.leerjaar)
        return qs

    @property
    def beperkt(self):
        """True when only part of the school is counted (afdeling or jaarlaag chosen, or scope)."""
        return self.afdelingen is not None or bool(self.leerjaar)


class KwaliteitFilter(forms.Form):
    """GET form of the quality pages; choices limited to the school and the reader's scope."""

    schooljaar = forms.ModelChoiceField(label=_("Schooljaar"), queryset=Schooljaar.objects.none(), required=False,
                                        empty_label=None)
    periode = forms.ModelChoiceField(label=_("Periode"), queryset=Periode.objects.none(), required=False,
                                     empty_label=_("het hele schooljaar"))
    afdeling = forms.ModelChoiceField(label=_("Afdeling"), queryset=Afdeling.objects.none(), required=False,
                                      empty_label=_("alle afdelingen"))
    leerjaar = forms.TypedChoiceField(label=_("Jaarlaag"), coerce=int, required=False, empty_value=None)

    def __init__(self, data, scope, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.scope = scope
        school = scope.school
        self.fields["schooljaar"].queryset = Schooljaar.objects.filter(school=school).order_by("-begin")
        self.fields["periode"].queryset = Periode.objects.filter(schooljaar__school=school).select_related(
            "schooljaar").order_by("-schooljaar__begin", "nummer")
        self.fields["periode"].label_from_instance = lambda p: f"{p.schooljaar.naam} {p}"
        afdelingen = Afdeling.objects.filter(school=school).order_by("naam")
        if scope.afdelingen is not None:
            afdelingen = afdelingen.filter(pk__in=scope.afdelingen)
            self.fields["afdeling"].empty_label = _("mijn afdeling(en)")
        self.fields["afdeling"].queryset = afdelingen
        leerjaren = sorted(set(Klas.objects.filter(schooljaar__school=school).values_list("leerjaar", flat=True)))
        self.fields["leerjaar"].choices = [("", _("alle jaarlagen"))] + [
            (n, _("leerjaar %(n)s") % {"n": n}) for n in leerjaren
        ]

    def clean(self):
        data = super().clean()
        jaar, periode = data.get("schooljaar"), data.get("periode")
        if periode is not None and jaar is not None and periode.schooljaar_id != jaar.pk:
            self.add_error("periode", _("Deze periode hoort bij een ander schooljaar. Kies een periode van %(jaar)s.")
                           % {"jaar": jaar.naam})
        return data

    def filters(self):
        """The Filters chosen (defaults: the school's current schooljaar, whole school in scope).
        Call after is_valid(); with an invalid form the defaults are returned."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        school = self.scope.school
        periode = data.get("periode")
        jaar = data.get("schooljaar") or (periode.schooljaar if periode else None) or school.huidig_schooljaar()
        afdelingen = self.scope.afdelingen
        if data.get("afdeling") is not None:
            afdelingen = frozenset({data["afdeling"].pk})
        return Filters(school=school, schooljaar=jaar, periode=periode, afdelingen=afdelingen,
                       leerjaar=data.get("leerjaar"))
