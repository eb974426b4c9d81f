"""WSGI entry point (gunicorn tips_map.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tips_map.settings")

application = get_wsgi_application()
