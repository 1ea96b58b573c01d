"""PDF downloads and the bulk export (included by zorg/urls.py under "plannen/")."""

from django.urls import path

from . import pdf_views

urlpatterns = [
    path("handelingsplannen/<int:pk>/pdf/", pdf_views.handelingsplan_pdf, name="handelingsplan_pdf"),
    path("groepsplannen/<int:pk>/pdf/", pdf_views.groepsplan_pdf, name="groepsplan_pdf"),
    path("groepsoverzichten/<int:pk>/pdf/", pdf_views.groepsoverzicht_pdf, name="groepsoverzicht_pdf"),
    path("klassen/<int:pk>/export/", pdf_views.klas_export, name="klas_export"),
    path("afdelingen/<int:pk>/export/", pdf_views.afdeling_export, name="afdeling_export"),
    path("exports/<int:pk>/", pdf_views.export_status, name="export_status"),
    path("exports/<int:pk>/voortgang/", pdf_views.export_voortgang, name="export_voortgang"),
    path("exports/<int:pk>/download/", pdf_views.export_download, name="export_download"),
]
