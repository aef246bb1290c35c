"""A real uvicorn server on a loopback port, started and stopped by the tests, in a thread of the
test process (so the test can hand the app a model loader of its own)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: FastAPI, *, wait_ready: bool = True, timeout: float = 120.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 and yield its base URL; with `wait_ready`, only once /readyz says 200."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           limit_concurrency=1000, timeout_graceful_shutdown=5))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server stopped during startup")
            if time.monotonic() > deadline:
                raise TimeoutError("the server did not start")
            time.sleep(0.02)
        while wait_ready and httpx.get(f"{base}/readyz").status_code != 200:
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready: {httpx.get(f'{base}/readyz').text}")
            time.sleep(0.05)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)
