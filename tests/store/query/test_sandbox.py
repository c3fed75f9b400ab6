"""A query worker cannot reach the network, even when a SERVICE query gets past the check:
the operating system has no route for it."""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from opendatacommunities.store.query.job import Job
from opendatacommunities.store.query.messages import Done, Failed, Ready
from opendatacommunities.store.query.sandbox import Confinement, confine
from opendatacommunities.store.query.worker import answer
from tests.plugins.listener import MARKER, Listener

JSON = "application/sparql-results+json"


def _bypassing_worker(connection: Connection, url: str, cut_network: bool) -> None:
    """A worker that confines itself, then answers a SERVICE query with no check at all."""
    connection.send(confine(Confinement(cut_network=cut_network)))
    store = Store()
    store.add(Quad(NamedNode("http://a/s"), NamedNode("http://a/p"), Literal("v")))
    query = f"SELECT ?o WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    try:
        answer(store, Job(query, "", solutions_format=JSON), connection)
    except OSError as exc:  # as the worker's loop reports it
        connection.send(Failed("store", f"{type(exc).__name__}: {exc}"))


def _run(url: str, *, cut_network: bool) -> tuple[Ready, object]:
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_bypassing_worker, args=(theirs, url, cut_network)
    )
    process.start()
    try:
        ready = ours.recv()
        assert ours.poll(30), "the worker did not answer"
        return ready, ours.recv()
    finally:
        process.join(timeout=10)
        process.kill()


def test_a_confined_worker_cannot_reach_the_listener(fresh_listener: Listener) -> None:
    """Called directly with a SERVICE query, the worker's engine fails to connect: the
    listener receives nothing and no marker comes back."""
    ready, message = _run(fresh_listener.url, cut_network=True)
    if not ready.isolated:
        pytest.skip(f"this system offers no network namespace: {ready.note}")
    assert fresh_listener.requests == []
    assert isinstance(message, Failed)
    assert "unreachable" in message.text and MARKER not in message.text


def test_an_unconfined_worker_reaches_the_listener(fresh_listener: Listener) -> None:
    """The same worker without the wall (as with an allow-list) calls the listener and gets
    its marker back: the test above would see a way through."""
    ready, message = _run(fresh_listener.url, cut_network=False)
    assert not ready.isolated and "allow-listed" in ready.note
    assert len(fresh_listener.requests) == 1
    assert isinstance(message, Done)
    assert MARKER.encode() in message.body
