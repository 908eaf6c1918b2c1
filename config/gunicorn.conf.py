"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threads let a worker keep serving while another thread streams a large export.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced after this many requests (a guard against slow leaks). At 2,000, a
# worker serving cached pages at ~350 a second was replaced every 6 s, and each replacement
# imported Django and the app again: a quarter of the throughput (docs/performance.md,
# "Serving").
max_requests = 20000
max_requests_jitter = 2000
# The app is imported once, in the master, and each worker is a fork of it: a replaced
# worker starts at once. (Nothing opens a database or cache connection at import, so no
# connection is shared across the fork.) New code needs a restart, not a HUP.
preload_app = True
# No access log: its lines carry the client's address, the query string, the Referer and
# the User-Agent. The app writes one line per request without them (apps/core/request_log.py).
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
