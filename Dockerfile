# Production image: gunicorn serving zorg.wsgi. docker-compose.yml runs the same image as
# the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango; the fonts the PDFs use are shipped in static/fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, in a layer that survives code changes. pyproject.toml has
# `packages = []`, so installing the project installs only its dependencies.
COPY pyproject.toml ./
RUN pip install . && rm -rf build ./*.egg-info

COPY . .
# Settings refuse to load without a secret key when DEBUG is off; this one is only for the build.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --system --home-dir /app zorg \
    && mkdir -p /data/media \
    && chown zorg /data/media
USER zorg

# Uploads (private, served only through access-checked views): mount a volume here.
ENV MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3
VOLUME ["/data/media"]
EXPOSE 8000
CMD ["gunicorn", "zorg.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
