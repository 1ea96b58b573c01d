"""Zorgroute settings: one module, configured from environment variables.

Production defaults are secure (DEBUG off, secure cookies, HSTS). Development opts out
explicitly with DJANGO_DEBUG=1, which `make run` and `make test` set.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# Without DJANGO_SECRET_KEY in production the key stays empty: Django then refuses to sign
# anything (ImproperlyConfigured on first use) and `check --deploy` reports it, while commands
# that need no key (makemigrations, collectstatic) still run.
SECRET_KEY = env("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-zorgroute-do-not-use-in-production" if DEBUG else ""
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "guardian",
    "simple_history",
    "zorg",
    "leerlingen",
    "besprekingen",
    "plannen",
    "extern",
    "ouders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zorg.middleware.SessieVerlengenMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff and external partners must pass the second step (TOTP) before anything else.
    "zorg.tweestaps.TweeStapsMiddleware",
    "zorg.middleware.TaalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "zorg.middleware.SchoolMiddleware",
    # Refused requests of logged-in users feed the unusual-access alerts.
    "zorg.alarmen.WeigeringMiddleware",
    # Login throttling and lockout; axes wants its middleware last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zorg.urls"
WSGI_APPLICATION = "zorg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zorg.context_processors.navigatie",
                "ouders.context_processors.portaal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://zorgroute@127.0.0.1:5432/zorgroute"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("Zorgroute runs on PostgreSQL only; set DATABASE_URL to a postgres:// URL.")

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "zorgroute",
    }
}

AUTH_USER_MODEL = "zorg.Gebruiker"

AUTHENTICATION_BACKENDS = [
    # Login throttling: axes counts failed logins and refuses a locked-out username/address first.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zorg.wachtwoorden.MinimumLengteValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire after inactivity: SESSION_COOKIE_AGE is the idle limit; activity renews the
# session (zorg.middleware.SessieVerlengenMiddleware, at most once a minute).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "nl"
# Staff pages are Dutch. The portal (parents, pupils), its e-mails and letters are also in English,
# Papiamento and Spanish: zorg.middleware.TaalMiddleware picks the language, catalogues in locale/.
# Each language is named in itself, as a language picker shows it.
PORTAAL_TALEN = [("nl", "Nederlands"), ("en", "English"), ("pap", "Papiamento"), ("es", "Español")]
LANGUAGES = PORTAAL_TALEN
TAAL_COOKIE = "zorgroute_taal"
# Django knows no Papiamento; tell it the language's names (used by get_language_info).
LANG_INFO.setdefault("pap", {"bidi": False, "code": "pap", "name": "Papiamento", "name_local": "Papiamento"})
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads are private: they are served only through access-checked views, never by URL.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Zorgroute <noreply@zorgroute.invalid>")

# Security: secure by default, relaxed only in development.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: htmx takes the token from hx-headers on <body>
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere. htmx runs from
# /static/ with its inline indicator styles and eval switched off (htmx-config in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): the browser features Zorgroute never uses are off.
PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "fullscreen",
    )
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Two-factor authentication (django-otp): TOTP apps, with single-use recovery codes (static tokens).
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Zorgroute")
# Wrong codes are counted per account by zorg.tweestaps (5 wrong codes lock the second step for
# AXES_COOLOFF_TIME); django-otp's own exponential delay per device is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Login throttling (django-axes): 5 failed attempts for a username from one address locks that
# combination for 15 minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # failed logins stay for the audit and the alarms
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_USERNAME_FORM_FIELD = "username"
# The lockout page: Dutch (or the portal language), says until when (zorg/account_views.py).
AXES_LOCKOUT_CALLABLE = "zorg.account_views.inlog_geblokkeerd"

# Celery: Redis for broker and results, JSON only.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Worker recycling (prefork pool only; the `make run` and docker-compose workers use it). A pool
# child is replaced after this many tasks, or after a task that left it above this resident
# memory (KiB; measured as RSS with psutil when installed, else the child's peak RSS). PDF
# rendering (WeasyPrint, Pango, Fontconfig) keeps C-level caches and fragments the heap, so a
# long-lived child creeps up; recycling bounds that across tasks. Within one task memory is flat
# (plannen/pdf.py reuses one font configuration; the bulk export writes its ZIP to disk):
# a pool child stayed at 135–140 MiB through 400 PDFs (`make bench-pdf`; 146 → 238 MiB before).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 100)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)  # KiB ≈ 390 MiB
CELERY_BEAT_SCHEDULE = {
    # Reminders: every 15 minutes; the ledger makes each reminder go out once (zorg/herinneringen.py).
    "herinneringen": {"task": "zorg.tasks.scan_herinneringen", "schedule": 15 * 60},
    # The daily e-mail digest: hourly, sent to the users of schools whose digest hour it is.
    "dagelijks-overzicht": {"task": "zorg.tasks.verstuur_overzichten", "schedule": 60 * 60},
    # Retention: every night at 02:30 (school time of the server), dry run until a school turns it on.
    "bewaartermijnen": {"task": "zorg.tasks.bewaartermijnen", "schedule": crontab(hour=2, minute=30)},
    # Unusual-access alerts: every 15 minutes.
    "controleer-toegang": {"task": "zorg.tasks.controleer_toegang", "schedule": 15 * 60},
}

SIMPLE_HISTORY_DATE_INDEX = "Composite"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every login at INFO; the audit view has them.
        "axes": {"level": "WARNING"},
    },
}
