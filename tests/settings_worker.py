"""Settings for the Celery worker process that tests/test_herinnering_worker.py starts: the normal
settings, with e-mail written to files in a directory the test reads."""

import os

from zorg.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["ZORGROUTE_TEST_MAILMAP"]
