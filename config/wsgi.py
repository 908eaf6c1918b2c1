import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Import every view now, in the process gunicorn forks its workers from (preload_app in
# config/gunicorn.conf.py): a worker that replaces another then serves its first request
# without importing them. (Nothing in the URL modules queries the database at import.)
import_module(settings.ROOT_URLCONF)
