"""What `django-admin startproject` writes: the ASGI app a server imports (tinysite.asgi:application)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinysite.settings")

application = get_asgi_application()
