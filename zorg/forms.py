from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import zorgroutes
from .models import Gebruiker, School


class SchoolKeuzeForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), empty_label=None,
        error_messages={"invalid_choice": _("Kies een school waar u werkt.")},
    )

    def __init__(self, *args, scholen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(pk__in=[s.pk for s in scholen])


class ZorgroutePresetForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("Zorgroute volgens"),
        choices=[(key, preset["naam"]) for key, preset in zorgroutes.PRESETS.items()],
        error_messages={"invalid_choice": _("Kies een van de voorbeeldroutes.")},
    )


HERINNERING_VELDEN = ["herinnering_dagen_vooraf", "herinnering_te_laat_dagen", "herinnering_verwijzing_weken",
                      "samenvatting_uur"]


class SchoolInstellingenForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["evaluatie_weken", "toestemming_leerling_mee_vanaf", "toestemming_leerling_zelf_vanaf",
                  "toegang_extern_maanden", "herinnering_dagen_vooraf", "herinnering_te_laat_dagen",
                  "herinnering_verwijzing_weken", "samenvatting_uur"]
        error_messages = {
            "evaluatie_weken": {
                "min_value": _("Kies minstens 1 week."),
                "max_value": _("Kies hoogstens 52 weken."),
                "invalid": _("Vul een aantal weken in."),
                "required": _("Vul een aantal weken in."),
            },
            "toestemming_leerling_mee_vanaf": {
                "max_value": _("Kies een leeftijd van hoogstens 25 jaar."),
                "min_value": _("Vul een leeftijd in van 0 jaar of meer."),
                "invalid": _("Vul een leeftijd in jaren in."),
                "required": _("Vul een leeftijd in jaren in."),
            },
            "toestemming_leerling_zelf_vanaf": {
                "max_value": _("Kies een leeftijd van hoogstens 25 jaar."),
                "min_value": _("Vul een leeftijd in van 0 jaar of meer."),
                "invalid": _("Vul een leeftijd in jaren in."),
                "required": _("Vul een leeftijd in jaren in."),
            },
            "toegang_extern_maanden": {
                "min_value": _("Kies minstens 1 maand."),
                "max_value": _("Kies hoogstens 24 maanden."),
                "invalid": _("Vul een aantal maanden in."),
                "required": _("Vul een aantal maanden in."),
            },
            "herinnering_dagen_vooraf": {
                "min_value": _("Vul een aantal dagen in van 0 of meer (0: alleen op de dag zelf)."),
                "max_value": _("Kies hoogstens 60 dagen vooraf."),
                "invalid": _("Vul een aantal dagen in."),
                "required": _("Vul een aantal dagen in."),
            },
            "herinnering_te_laat_dagen": {
                "min_value": _("Kies minstens 1 dag."),
                "max_value": _("Kies hoogstens 90 dagen."),
                "invalid": _("Vul een aantal dagen in."),
                "required": _("Vul een aantal dagen in."),
            },
            "herinnering_verwijzing_weken": {
                "min_value": _("Kies minstens 1 week."),
                "max_value": _("Kies hoogstens 52 weken."),
                "invalid": _("Vul een aantal weken in."),
                "required": _("Vul een aantal weken in."),
            },
            "samenvatting_uur": {
                "min_value": _("Kies een uur van 0 tot en met 23."),
                "max_value": _("Kies een uur van 0 tot en met 23."),
                "invalid": _("Vul een heel uur in, van 0 tot en met 23."),
                "required": _("Vul een heel uur in, van 0 tot en met 23."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:  # a post that leaves a setting out (an older form) keeps its value
            for naam in ["toestemming_leerling_mee_vanaf", "toestemming_leerling_zelf_vanaf", "toegang_extern_maanden",
                         *HERINNERING_VELDEN]:
                if naam not in self.data:
                    del self.fields[naam]

    def clean(self):
        cleaned = super().clean()
        mee = cleaned.get("toestemming_leerling_mee_vanaf", self.instance.toestemming_leerling_mee_vanaf)
        zelf = cleaned.get("toestemming_leerling_zelf_vanaf", self.instance.toestemming_leerling_zelf_vanaf)
        if "toestemming_leerling_mee_vanaf" in self.errors or "toestemming_leerling_zelf_vanaf" in self.errors:
            return cleaned
        if mee is not None and zelf is not None and mee >= zelf:
            veld = "toestemming_leerling_zelf_vanaf" if "toestemming_leerling_zelf_vanaf" in self.fields else None
            self.add_error(veld, _(
                "De leeftijd waarop de leerling zelf beslist (%(zelf)s) moet hoger zijn dan de leeftijd waarop de "
                "leerling meebeslist (%(mee)s).") % {"zelf": zelf, "mee": mee})
        return cleaned


class EmailVoorkeurForm(forms.Form):
    email_voorkeur = forms.ChoiceField(
        label=_("Meldingen per e-mail"),
        choices=Gebruiker.EmailVoorkeur.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies hoe u meldingen per e-mail wilt ontvangen."),
            "invalid_choice": _("Kies een van de drie mogelijkheden."),
        },
        help_text=_("Meldingen in Zorgroute krijgt u altijd; dit gaat alleen over de e-mail."),
    )


class PortaalInstellingenForm(EmailVoorkeurForm):
    """The portal's settings: the e-mail setting and the language of the portal and its e-mails."""

    taal = forms.ChoiceField(
        label=_("Taal van het portaal en de e-mails"),
        choices=settings.PORTAAL_TALEN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een taal."), "invalid_choice": _("Kies een van de talen in de lijst.")},
    )
