"""The pupil's own pages (when the school enables pupil accounts), under /leerling/."""

urlpatterns = []
