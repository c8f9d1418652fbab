"""gunicorn settings for Salon's web processes (behind a reverse proxy); every value from the environment.

gunicorn itself reads WEB_CONCURRENCY (worker processes) and FORWARDED_ALLOW_IPS (the proxies whose
X-Forwarded-Proto and X-Forwarded-For it trusts).
"""

import os

bind = os.environ.get("SALON_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"  # a thread per request: the 1-second progress polls do not hold a process each
threads = int(os.environ.get("SALON_WEB_THREADS", "4"))
preload_app = True  # import the app once, then fork: faster start, memory shared between workers
timeout = 60  # no request waits on a solve, a mail or a large PDF: those are background jobs
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory), with jitter so they do not all restart at once
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
