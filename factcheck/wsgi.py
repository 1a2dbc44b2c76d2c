import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_wsgi_application()

from factcheck.serving import freeze_startup_heap  # noqa: E402 (after Django is set up)

freeze_startup_heap()
