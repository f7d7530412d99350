"""``tests/serving.py``: the fixtures' wait for a server they started, against real HTTP servers."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.serving import wait_until_serving

pytestmark = pytest.mark.integration


class SlowFirstAnswer(BaseHTTPRequestHandler):
    """Answers 200 after ``pause`` seconds, as a project's first request on a busy machine does."""

    pause = 2.0
    answered: list[str] = []

    def do_GET(self) -> None:
        time.sleep(self.pause)
        self.answered.append(self.path)  # before the answer: the client may read it before a later line runs
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet: nothing on stderr."""


def serve(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def slow_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowFirstAnswer)
    SlowFirstAnswer.answered = []
    serve(server)
    yield server
    server.shutdown()
    server.server_close()


def test_an_answer_slower_than_a_second_is_awaited(slow_server):
    wait_until_serving(f"http://127.0.0.1:{slow_server.server_port}/api/schema/")

    assert SlowFirstAnswer.answered == ["/api/schema/"]


def test_a_server_that_starts_listening_later_is_awaited(free_port):
    server = ThreadingHTTPServer(("127.0.0.1", free_port), SlowFirstAnswer, bind_and_activate=False)
    SlowFirstAnswer.answered = []
    server.allow_reuse_address = True

    def start_later() -> None:
        time.sleep(1)
        server.server_bind()
        server.server_activate()
        server.serve_forever()

    threading.Thread(target=start_later, daemon=True).start()
    try:
        wait_until_serving(f"http://127.0.0.1:{free_port}/")
    finally:
        server.shutdown()
        server.server_close()

    assert SlowFirstAnswer.answered == ["/"]


def test_a_server_process_that_exits_fails_the_wait_with_its_code(free_port):
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()

    with pytest.raises(RuntimeError, match="exited with 3"):
        wait_until_serving(f"http://127.0.0.1:{free_port}/", process)


def test_no_answer_by_the_deadline_fails_naming_the_url(free_port):
    url = f"http://127.0.0.1:{free_port}/api/schema/"

    with pytest.raises(RuntimeError, match=r"No answer from http://127\.0\.0\.1:\d+/api/schema/ within 1 s"):
        wait_until_serving(url, deadline=1)
