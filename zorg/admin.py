"""Django admin: for system administrators (superusers) only, never for school staff."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Afdeling,
    Functie,
    Gebruiker,
    Klas,
    Lesopdracht,
    Periode,
    School,
    Schooljaar,
    Vak,
    Zorgniveau,
)

admin.site.site_header = "Zorgroute systeembeheer"
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

admin.site.register(Gebruiker, UserAdmin)
for model in (School, Schooljaar, Periode, Afdeling, Klas, Vak, Lesopdracht):
    admin.site.register(model)
admin.site.register(Functie, SimpleHistoryAdmin)
admin.site.register(Zorgniveau, SimpleHistoryAdmin)
