"""What `django-admin startproject` writes: the WSGI app a server imports (tinysite.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinysite.settings")

application = get_wsgi_application()
