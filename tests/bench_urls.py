"""Bench-only URLconf: the app's URLs plus the floor view (never part of zorg/urls.py).

tests/bench.py switches to it with override_settings(ROOT_URLCONF="tests.bench_urls") only
while it measures the floor; the pages are measured with the normal URLconf.
"""

from django.http import HttpResponse
from django.urls import include, path

from leerlingen.models import Leerling


def floor(request, pk):
    """The floor: a bare view doing one indexed query (primary-key lookup) and no template."""
    row = Leerling.objects.filter(pk=pk).values_list("pk").first()
    return HttpResponse(str(row[0]) if row else "-", content_type="text/plain")


urlpatterns = [
    path("__bench__/floor/<int:pk>/", floor, name="bench_floor"),
    path("", include("zorg.urls")),
]
