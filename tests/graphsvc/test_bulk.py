"""The collector pause of bulk work: back on only when the last pause under way ends."""

import gc
import threading

from graphsvc.service.bulk import bulk_allocation


def test_overlapping_pauses_end_with_the_last_and_leave_the_collector_as_found():
    assert gc.isenabled()
    first, second = bulk_allocation(), bulk_allocation()
    first.__enter__()
    started, ended = threading.Event(), threading.Event()

    def other_thread():
        with second:
            started.set()
            ended.wait(5)

    worker = threading.Thread(target=other_thread)
    worker.start()
    started.wait(5)
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the other thread's pause is still under way
    ended.set()
    worker.join()
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk_allocation():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
