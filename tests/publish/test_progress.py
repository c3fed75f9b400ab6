"""The relay: progress from any thread and results handed over share one queue, so the
publishing thread waits without polling and passes messages on in the order they came."""

from __future__ import annotations

import io
import pickle
import threading

from opendatacommunities.errors import PublishError
from opendatacommunities.publish.progress import Relay
from opendatacommunities.publish.workers import Failed, Said, _send


def test_messages_said_before_a_result_are_passed_on_first() -> None:
    shown: list[str] = []
    relay = Relay(shown.append)

    def work() -> None:
        relay.say("mapping a")
        relay.say("mapped a")
        relay.hand("result a")

    thread = threading.Thread(target=work)
    thread.start()
    assert relay.next_handed() == "result a"
    thread.join()
    assert shown == ["mapping a", "mapped a"]


def test_flush_passes_messages_on_and_keeps_results_for_the_waiter() -> None:
    shown: list[str] = []
    relay = Relay(shown.append)
    relay.hand(1)
    relay.say("loaded")
    relay.hand(2)
    relay.flush()
    assert shown == ["loaded"]
    assert [relay.next_handed(), relay.next_handed()] == [1, 2]


def test_a_worker_error_that_cannot_be_pickled_crosses_as_its_words() -> None:
    error = ValueError("bad cell")
    error.unpicklable = lambda: None  # type: ignore[attr-defined]
    channel = io.BytesIO()
    _send(channel, Said("mapping areas"))
    _send(channel, Failed(error))
    channel.seek(0)
    assert pickle.load(channel) == Said("mapping areas")
    failed = pickle.load(channel)
    assert isinstance(failed, Failed) and isinstance(failed.error, PublishError)
    assert str(failed.error) == "ValueError: bad cell"
