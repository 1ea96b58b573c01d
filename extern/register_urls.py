"""URLs of this area of extern (see extern/urls.py)."""

urlpatterns = []
