"""Forms of the retention pages: the terms per category, turning removal on (a confirm step after
a dry run), and a pupil's legal hold."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerlingen.models import Leerling

from .models import School

JAREN_FOUTEN = {
    "min_value": _("Kies minstens 1 jaar."),
    "max_value": _("Kies hoogstens 20 jaar."),
    "invalid": _("Vul een aantal jaren in (een heel getal)."),
    "required": _("Vul een aantal jaren in."),
}

# The defaults and their legal basis (also in the README, "Beveiliging en privacy").
GRONDSLAG = {
    "bewaren_zorgdossier_jaren": _(
        "Standaard 2 jaar na uitschrijving. AVG art. 5 lid 1 onder e (niet langer dan nodig); voor Nederlandse "
        "scholen het voormalige Vrijstellingsbesluit Wbp art. 19: leerlingdossier en zorggegevens uiterlijk "
        "2 jaar na vertrek. Aruba: Landsverordening persoonsregistratie — overleg met uw FG."
    ),
    "bewaren_extern_jaren": _(
        "Standaard 2 jaar na uitschrijving: verwijzingen, terugkoppelingen, externe toegang en toestemmingen "
        "(met getekende formulieren) horen bij het zorgdossier (Vrijstellingsbesluit Wbp art. 19; AVG art. 5 lid 1 "
        "onder e). Aruba: overleg met uw FG."
    ),
    "bewaren_inzagelog_jaren": _(
        "Standaard 2 jaar: regels in het inzagelog ouder dan dit worden verwijderd, ook van ingeschreven "
        "leerlingen; lang genoeg om een inzageverzoek of klacht te beantwoorden (AVG art. 5 lid 1 onder e en "
        "art. 15). Overleg met uw FG."
    ),
    "bewaren_leerling_jaren": _(
        "Standaard 5 jaar na uitschrijving: naam, klassen, ouders en accounts (leerlingadministratie, "
        "Vrijstellingsbesluit Wbp art. 19). Dit moet minstens zo lang zijn als de andere termijnen. Aruba: "
        "overleg met uw FG."
    ),
}


class BewaartermijnenForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["bewaren_zorgdossier_jaren", "bewaren_extern_jaren", "bewaren_inzagelog_jaren",
                  "bewaren_leerling_jaren"]
        error_messages = {veld: JAREN_FOUTEN for veld in fields}
        help_texts = GRONDSLAG

    def clean(self):
        data = super().clean()
        leerling = data.get("bewaren_leerling_jaren")
        if leerling is not None:
            korter = [
                self.fields[veld].label for veld in ("bewaren_zorgdossier_jaren", "bewaren_extern_jaren",
                                                     "bewaren_inzagelog_jaren")
                if data.get(veld) is not None and data[veld] > leerling
            ]
            if korter:
                self.add_error("bewaren_leerling_jaren", _(
                    "De leerlinggegevens moeten minstens zo lang bewaard worden als %(velden)s: zonder leerling "
                    "kan het zorgdossier niet blijven bestaan."
                ) % {"velden": ", ".join(str(k) for k in korter)})
        return data

    def verkort(self):
        """Did this change make any term shorter (so more would go than the last dry run showed)?"""
        return any(
            veld in self.changed_data and self.cleaned_data[veld] < self.initial.get(veld, 0)
            for veld in self.Meta.fields
        )


class AanzettenForm(forms.Form):
    """The confirm step: the applicatiebeheerder has seen the dry-run report."""

    ronde = forms.IntegerField(widget=forms.HiddenInput)
    gelezen = forms.BooleanField(
        label=_("Ik heb het proefrapport gelezen en wil dat Zorgroute deze gegevens voortaan elke nacht verwijdert."),
        error_messages={"required": _("Vink aan dat u het proefrapport hebt gelezen.")},
    )


class BewaarplichtForm(forms.ModelForm):
    class Meta:
        model = Leerling
        fields = ["bewaarplicht", "bewaarplicht_reden"]
        error_messages = {
            "bewaarplicht_reden": {"max_length": _("Houd de reden korter dan %(limit_value)d tekens.")},
        }

    def clean(self):
        data = super().clean()
        reden = (data.get("bewaarplicht_reden") or "").strip()
        if data.get("bewaarplicht") and not reden:
            self.add_error("bewaarplicht_reden", _("Schrijf waarom de gegevens bewaard moeten blijven."))
        if not data.get("bewaarplicht") and "bewaarplicht_reden" in data:
            data["bewaarplicht_reden"] = ""  # cleared hold: no stale reason
        else:
            data["bewaarplicht_reden"] = reden
        return data
