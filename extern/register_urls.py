"""URLs of the register of instellingen and contactpersonen (see extern/urls.py)."""

from django.urls import path

from . import register_views as views

urlpatterns = [
    path("register/", views.register_lijst, name="register"),
    path("register/instelling/nieuw/", views.instelling_nieuw, name="register_instelling_nieuw"),
    path("register/instelling/<int:pk>/", views.instelling_wijzigen, name="register_instelling"),
    path("register/instelling/<int:pk>/verwijderen/", views.instelling_verwijderen,
         name="register_instelling_verwijderen"),
    path("register/instelling/<int:pk>/contactpersoon/nieuw/", views.contactpersoon_nieuw,
         name="register_contactpersoon_nieuw"),
    path("register/contactpersoon/<int:pk>/", views.contactpersoon_wijzigen, name="register_contactpersoon"),
    path("register/contactpersoon/<int:pk>/uitnodigen/", views.contactpersoon_uitnodigen,
         name="register_uitnodigen"),
]
