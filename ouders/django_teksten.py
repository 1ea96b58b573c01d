"""Texts from Django itself that parents and pupils can see on portal pages (form errors, password
rules, month names). Listed here only so that `makemessages` keeps them in our catalogues: Django
has English, Spanish and Dutch translations of its own, but none in Papiamento, so locale/pap
translates these English msgids. Nothing imports this module."""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

DJANGO_TEKSTEN = [
    # django.forms
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Enter a valid value."),
    # django.contrib.auth: forms and password validators
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("username"),
    gettext_noop("Password"),
    gettext_noop(":"),  # the label suffix
    gettext_noop("first name"),
    gettext_noop("last name"),
    gettext_noop("email address"),
    gettext_noop("A user with that username already exists."),
    # django.utils.dates: month names for |date:"j F Y"
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
    gettext_noop("Monday"), gettext_noop("Tuesday"), gettext_noop("Wednesday"), gettext_noop("Thursday"),
    gettext_noop("Friday"), gettext_noop("Saturday"), gettext_noop("Sunday"),
]
# django.utils.dates: abbreviated month names (the default date format "N j, Y").
DJANGO_MAANDEN_KORT = [
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
]
# "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)." is a plural.
DJANGO_MEERVOUDEN = [
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
]
