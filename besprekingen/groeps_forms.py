"""Forms of the groepsbespreking screen: an afspraak on an agenda item, an IZO aanmelding (item 9)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.interventie_forms import InterventieKeuze, beperk_interventie
from zorg.models import Gebruiker

from .vergadering_forms import snel


class NaamKeuze(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.naam


class AfspraakForm(forms.Form):
    """Wie doet wat: an afspraak with an owner among the klas's teachers."""

    punt = forms.IntegerField(widget=forms.HiddenInput)
    wat = forms.CharField(label=_("Wat"), widget=forms.Textarea(attrs={"rows": 2}),
                          error_messages={"required": _("Beschrijf wat er moet gebeuren.")})
    eigenaar = NaamKeuze(label=_("Wie"), queryset=Gebruiker.objects.none(),
                         empty_label=_("— kies wie het uitvoert —"),
                         error_messages={"required": _("Kies wie de afspraak uitvoert (eigenaar)."),
                                         "invalid_choice": _("Kies een docent, mentor of teamleider van deze klas.")})
    uiterlijk = forms.DateField(label=_("Uiterlijk op"), widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"required": _("Geef een datum waarop de afspraak uiterlijk is "
                                                              "uitgevoerd."),
                                                "invalid": _("Geef een geldige datum (dag-maand-jaar).")})
    interventie = InterventieKeuze()

    def __init__(self, *args, eigenaren=(), school=None, soorten=None, **kwargs):
        super().__init__(*args, **kwargs)
        snel(self, "eigenaar", "interventie")  # a form per agenda item: options without template includes
        beperk_interventie(self, school, keuzelijst=soorten)
        eigenaren = list(eigenaren)
        keuze = self.fields["eigenaar"]
        # The queryset only validates a post; the options come from the list the view fetched once
        # (one query for a screen with a form per agenda item, instead of one per form).
        keuze.queryset = Gebruiker.objects.filter(pk__in=[g.pk for g in eigenaren]).order_by(
            "last_name", "first_name")
        keuze.choices = [("", keuze.empty_label), *[(g.pk, keuze.label_from_instance(g)) for g in eigenaren]]
        # Unique ids per item's form (several on one page).
        punt = str(self.initial.get("punt") or (self.data.get("punt") if self.is_bound else "") or "")
        # Only digits: a posted "%" would break the id pattern (and any text would land in the ids).
        self.auto_id = f"id_afspraak{punt if punt.isascii() and punt.isdigit() else ''}_%s"


class AanmeldingForm(forms.Form):
    """Item 9: aanmelden bij het intern zorgteam (IZO)."""

    leerling = forms.ModelChoiceField(label=_("Leerling"), queryset=None, empty_label=_("— kies een leerling —"),
                                      error_messages={"required": _("Kies de leerling die u aanmeldt."),
                                                      "invalid_choice": _("Kies een leerling uit deze klas.")})
    hulpvraag = forms.CharField(label=_("Hulpvraag van de leerling"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    begeleidingsvraag = forms.CharField(label=_("Begeleidingsvraag van mentor/docenten"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    ouders_geinformeerd = forms.BooleanField(label=_("Ouders zijn geïnformeerd over de aanmelding"), required=False)
    ouders_niet_informeren_reden = forms.CharField(
        label=_("Reden om ouders (nog) niet te informeren"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen als informeren de veiligheid van de leerling in gevaar kan brengen."),
    )

    def __init__(self, *args, leerlingen=(), **kwargs):
        super().__init__(*args, **kwargs)
        snel(self, "leerling")
        from leerlingen.models import Leerling

        leerlingen = list(leerlingen)
        keuze = self.fields["leerling"]
        keuze.queryset = Leerling.objects.filter(pk__in=[lln.pk for lln in leerlingen]).order_by(
            "achternaam", "voornaam")
        keuze.label_from_instance = lambda lln: lln.sorteernaam
        # Options from the klas list the view already has (the queryset only validates a post).
        keuze.choices = [("", keuze.empty_label), *[(lln.pk, lln.sorteernaam) for lln in leerlingen]]
        self.auto_id = "id_aanmelding_%s"
