"""URLs of this area of besprekingen (see besprekingen/urls.py)."""

urlpatterns = []
