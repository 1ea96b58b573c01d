from django import forms
from django.utils.translation import gettext_lazy as _

from . import zorgroutes
from .models import School


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


class SchoolInstellingenForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["evaluatie_weken"]
        error_messages = {
            "evaluatie_weken": {
                "min_value": _("Kies minstens 1 week."),
                "max_value": _("Kies hoogstens 52 weken."),
                "invalid": _("Vul een aantal weken in."),
                "required": _("Vul een aantal weken in."),
            }
        }
