"""WSGI entry point for gunicorn: `gunicorn laborcredit.wsgi`.

Its database sessions wait for a lock at most `LOCK_WAIT_SECONDS` (laborcredit.lib.locks),
below gunicorn's worker timeout, unless the environment says otherwise.
"""

import os

from django.core.wsgi import get_wsgi_application

from laborcredit.lib.locks import LOCK_WAIT_SECONDS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laborcredit.settings")
os.environ.setdefault("LABORCREDIT_LOCK_WAIT_SECONDS", str(LOCK_WAIT_SECONDS))
application = get_wsgi_application()
