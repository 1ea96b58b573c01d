"""Update and compile the portal's translation catalogues (locale/<taal>/LC_MESSAGES/django.po).

    python scripts/vertalingen.py            # makemessages for en, pap, es, then compile to .mo
    python scripts/vertalingen.py compile    # compile only

Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed, so running the
app needs no gettext; tests/test_vertalingen.py checks that they match the .po files and that
every string a parent or pupil sees is translated.
"""

import subprocess
import sys
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
TALEN = ["en", "pap", "es"]


def makemessages():
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location=file"]
        + [f"-l{taal}" for taal in TALEN]
        + ["--ignore=tests/*", "--ignore=scripts/*", "--ignore=staticfiles/*", "--ignore=media/*"],
        cwd=BASIS, check=True,
    )


def compile_all():
    for po in sorted(BASIS.glob("locale/*/LC_MESSAGES/django.po")):
        subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
        print(f"compiled {po.relative_to(BASIS)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["compile"]:
        makemessages()
    compile_all()
