"""The web UI: server-rendered pages for the bureau, enterprises and anyone (zh-CN first).

The gateway's second HTTP adapter (beside ``gateway.api``): one plain Flask blueprint ``blp``
(``web.core``), registered with the others by ``gateway.api.register_blueprints``. Importing
this package imports the page modules, which attach their routes to ``blp``; templates live
under ``templates/web/`` and static files are served at ``/static/web/``.
"""

from __future__ import annotations

from gateway.web.core import blp
from gateway.web.pages import account_access  # noqa: F401  (routes attach to blp on import)
from gateway.web.pages import admin_accounts  # noqa: F401
from gateway.web.pages import admin_invitations  # noqa: F401
from gateway.web.pages import admin_parameters  # noqa: F401
from gateway.web.pages import admin_parking  # noqa: F401
from gateway.web.pages import bureau  # noqa: F401
from gateway.web.pages import contacts  # noqa: F401  (who notices reach)
from gateway.web.pages import curation  # noqa: F401
from gateway.web.pages import enterprise  # noqa: F401
from gateway.web.pages import imports  # noqa: F401
from gateway.web.pages import pipeline  # noqa: F401
from gateway.web.pages import policies  # noqa: F401  (policy library, issue 14 item 5)
from gateway.web.pages import public  # noqa: F401
from gateway.web.pages import reports  # noqa: F401
from gateway.web.pages import round_desk  # noqa: F401  (running a round, issue 12 item 7)
from gateway.web.pages import rounds  # noqa: F401
from gateway.web.pages import services  # noqa: F401  (service records, issue 12 item 7)
from gateway.web.pages import submissions  # noqa: F401  (yearly reports, issue 15)
from gateway.web.pages import worklist  # noqa: F401

__all__ = ["blp"]
