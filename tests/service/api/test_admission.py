"""Admission of whole requests: at most `limit` at once, refused at once beyond, places given back."""

from __future__ import annotations

import threading

import pytest

from service.api.admission import Admission
from service.batching import QueueFullError


def test_admits_up_to_the_limit_and_refuses_the_next_at_once() -> None:
    admission = Admission(2)
    with admission.admit(), admission.admit():
        assert admission.in_flight == 2
        with pytest.raises(QueueFullError, match="2 requests are being checked"), admission.admit():
            pass
        assert admission.in_flight == 2  # a refusal takes no place
    assert admission.in_flight == 0
    with admission.admit():
        assert admission.in_flight == 1


def test_a_failing_request_gives_its_place_back() -> None:
    admission = Admission(1)
    with pytest.raises(RuntimeError), admission.admit():
        raise RuntimeError("the model failed")
    with admission.admit():
        assert admission.in_flight == 1


def test_concurrent_requests_never_exceed_the_limit() -> None:
    admission = Admission(3)
    peak, lock = [0], threading.Lock()
    start = threading.Barrier(16)

    def request() -> None:
        start.wait()
        for _ in range(200):
            try:
                with admission.admit(), lock:
                    peak[0] = max(peak[0], admission.in_flight)
            except QueueFullError:
                pass

    threads = [threading.Thread(target=request) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] <= 3 and admission.in_flight == 0


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Admission(0)
