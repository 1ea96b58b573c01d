"""URLs: audit (issue 9)."""

from django.urls import path  # noqa: F401

urlpatterns = []
