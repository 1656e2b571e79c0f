"""The smallest settings a Django project can serve with: no database, no apps, one URLconf."""

SECRET_KEY = "only-for-the-labs-checks"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tinysite.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES: dict[str, dict] = {}
USE_TZ = True
