"""The groepsbespreking screen (Bijlage 15/16). Filled in by the groepsbespreking work."""

from django.http import Http404


def bespreking(request, bespreking):
    raise Http404
