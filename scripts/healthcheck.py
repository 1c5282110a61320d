"""Container healthcheck: GET /healthz on the local gunicorn, exit 0 only when it answers 200.

It sends the first of ALLOWED_HOSTS as Host and says the request came over HTTPS (as the proxy in front would),
so neither the host check nor SECURE_SSL_REDIRECT turns it away.
"""

import os
import sys
import urllib.request

host = next((h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()), "localhost")
host = "localhost" if host == "*" else host.lstrip(".")  # "*" and ".example.cn" are patterns, not hosts
port = os.environ.get("PORT", "8000")
request = urllib.request.Request(
    f"http://127.0.0.1:{port}/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        sys.exit(0 if response.status == 200 else 1)
except OSError as exc:
    sys.stderr.write(f"healthcheck failed: {exc}\n")
    sys.exit(1)
