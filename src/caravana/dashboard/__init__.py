"""``caravana serve``: an offline web dashboard (FastAPI + one static page).

See docs/dashboard.md for the design and the API. The app is built by
:func:`caravana.dashboard.app.create_app`; this package's top level stays light so the
command line starts fast.
"""

DEFAULT_HOST = "127.0.0.1"  # this machine only; --host 0.0.0.0 opens it to the network
DEFAULT_PORT = 8000
