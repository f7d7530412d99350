"""Waiting for a server a test started, the same way in every fixture that starts one.

A server is ready when it answers HTTP, whatever the status. Its first answer can be slow (imports,
URL conf, a schema built on first use), the more so with the other core busy: so each request may
take ``request_timeout`` seconds and polling goes on until ``deadline`` seconds have passed. A
process that exits meanwhile fails at once, naming its exit code.
"""

from __future__ import annotations

import http.client
import subprocess
import time
import urllib.error
import urllib.request

DEADLINE = 180.0
REQUEST_TIMEOUT = 30.0


def wait_until_serving(
    url: str,
    process: subprocess.Popen | None = None,
    deadline: float = DEADLINE,
    request_timeout: float = REQUEST_TIMEOUT,
) -> None:
    """Poll ``url`` until it answers; ``RuntimeError`` when ``process`` exits or ``deadline`` passes."""
    give_up = time.monotonic() + deadline
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"The server exited with {process.returncode} before answering {url}.")
        try:
            with urllib.request.urlopen(url, timeout=request_timeout) as response:
                response.read()
            return
        except urllib.error.HTTPError:
            return  # an error status is an answer too
        except (OSError, http.client.HTTPException) as failure:
            # Refused (not listening yet), reset or timed out (still starting): ask again.
            last = failure
        if time.monotonic() > give_up:
            raise RuntimeError(f"No answer from {url} within {deadline:.0f} s; the last try: {last!r}.")
        time.sleep(0.2)
