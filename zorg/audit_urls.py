"""URLs: audit and unusual-access alarms (issue 9)."""

from django.urls import path

from . import audit_views

urlpatterns = [
    path("audit/", audit_views.audit_overzicht, name="audit"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("audit/alarmen/", audit_views.alarm_lijst, name="audit_alarmen"),
    path("audit/alarmen/<int:pk>/afhandelen/", audit_views.alarm_afhandelen, name="audit_alarm_afhandelen"),
]
