"""URLs: account (issue 9): the second login step, its setup and recovery codes, the own account
page, and the applicatiebeheerder's account management."""

from django.urls import path

from . import account_views as views

urlpatterns = [
    path("inloggen/code/", views.tweestaps_code, name="tweestaps_code"),
    path("account/", views.account, name="account"),
    path("account/tweestaps/instellen/", views.tweestaps_instellen, name="tweestaps_instellen"),
    path("account/tweestaps/herstelcodes/", views.tweestaps_herstelcodes, name="tweestaps_herstelcodes"),
    path("account/tweestaps/nieuwe-codes/", views.account_herstelcodes_nieuw, name="account_herstelcodes_nieuw"),
    path("account/tweestaps/uit/", views.account_tweestaps_uit, name="account_tweestaps_uit"),
    path("account/overal-uitloggen/", views.account_overal_uitloggen, name="account_overal_uitloggen"),
    path("beheer/accounts/", views.beheer_accounts, name="beheer_accounts"),
    path("beheer/accounts/<int:pk>/", views.beheer_account, name="beheer_account"),
]
