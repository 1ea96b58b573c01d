"""The IZO/ZAT meeting screen. Filled in by the meeting-screen work."""

from django.http import Http404


def bespreking(request, bespreking):
    raise Http404
