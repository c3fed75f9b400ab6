"""Progress of a publish. The relay: progress from any thread and results handed over share
one queue, so the publishing thread waits without polling and passes messages on in the
order they came. The timeline: each stage's time counts overlapping work once."""

from __future__ import annotations

import io
import pickle
import threading
import time

import pytest

from opendatacommunities.errors import PublishError
from opendatacommunities.publish.progress import Relay, Timeline
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


def test_messages_from_other_threads_wait_for_the_publishing_thread() -> None:
    heard: list[tuple[str, str]] = []
    relay = Relay(lambda message: heard.append((threading.current_thread().name, message)))
    workers = [
        threading.Thread(target=relay.say, args=(f"mapped {n}",), name=f"worker-{n}")
        for n in range(3)
    ]
    for worker in workers:
        worker.start()
        worker.join()  # one after another, so the order they said it is known
    assert heard == []
    relay.now("loading")
    relay.say("loaded")
    relay.flush()
    relay.flush()  # nothing twice
    me = threading.current_thread().name
    assert heard == [
        (me, "mapped 0"),
        (me, "mapped 1"),
        (me, "mapped 2"),
        (me, "loading"),
        (me, "loaded"),
    ]


def test_overlapping_work_of_a_stage_counts_once() -> None:
    timeline = Timeline()
    timeline.add("map", 100.0, 102.0)
    timeline.add("map", 101.0, 103.0)  # another worker, overlapping
    timeline.add("map", 105.0, 106.0)
    timeline.add("load", 102.0, 104.5)  # stages overlap each other freely
    seconds = timeline.seconds()
    assert seconds["map"] == pytest.approx(4.0)
    assert seconds["load"] == pytest.approx(2.5)
    assert set(seconds) == {"map", "load", "total"}


def test_a_stage_is_timed_even_when_it_fails() -> None:
    timeline = Timeline()
    with pytest.raises(RuntimeError), timeline.stage("shacl"):
        time.sleep(0.05)
        raise RuntimeError("invalid")
    with timeline.stage("load"):
        pass
    seconds = timeline.seconds()
    assert 0.05 <= seconds["shacl"] < 5
    assert 0 <= seconds["load"] < seconds["shacl"]
    assert seconds["total"] >= seconds["shacl"]
