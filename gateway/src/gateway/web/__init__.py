"""The web UI: server-rendered pages for the bureau, enterprises and anyone (zh-CN first).

``gateway.app.create_app`` calls ``init_app(app)``. Importing the
page modules attaches their routes to the one ``web`` blueprint; templates live under
``templates/web/`` and static files are served at ``/static/web/``.
"""

from __future__ import annotations

from flask import Flask

from gateway.web.core import bp


def init_app(app: Flask) -> None:
    from gateway.web.pages import bureau  # noqa: F401  (routes register on import)
    from gateway.web.pages import enterprise  # noqa: F401
    from gateway.web.pages import imports  # noqa: F401
    from gateway.web.pages import pipeline  # noqa: F401
    from gateway.web.pages import public  # noqa: F401

    app.register_blueprint(bp)
