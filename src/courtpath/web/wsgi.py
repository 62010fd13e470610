"""WSGI entry point (gunicorn courtpath.web.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtpath.web.settings")
application = get_wsgi_application()
