import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# Catalogues, URLs and templates loaded now, not by each worker's first requests.
from portal.warmup import warm_up  # noqa: E402

warm_up()
