"""One remote SPARQL engine over HTTP: the Query, Update and Graph Store protocols.

One pooled ``httpx`` client per engine, with a timeout on every request. Only requests that
change nothing (queries, Graph Store reads) are sent again after a connection failure or an
engine that says it is briefly unavailable; an update or an upload never is, as the engine
may have applied it before the failure. The engine's failures become ``errors``' classes
here, and only here.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from opendatacommunities.config import Settings, remote_layout
from opendatacommunities.errors import RemoteRefusedError, RemoteStoreError

#: How often a request that changes nothing is tried in all, and the pause before each retry.
ATTEMPTS = 3
RETRY_PAUSE = 0.2
#: Statuses an engine answers while it is briefly unable to (restarting, overloaded).
TRANSIENT = frozenset({502, 503, 504})
#: The longest part of an engine's error message quoted in ours.
QUOTED = 500

NTRIPLES = "application/n-triples"
Body = Callable[[], Iterable[bytes]]
"""Makes the content of an upload afresh (it is sent again if credentials are renewed)."""


@dataclass(frozen=True)
class Scope:
    """The graphs a query sees: its default graph (the merge of ``default``) and its named
    graphs (``named``), as the protocol's ``default-graph-uri`` and ``named-graph-uri``."""

    default: Sequence[str] = ()
    named: Sequence[str] = ()

    def parameters(self) -> list[tuple[str, str]]:
        """The protocol parameters that say so."""
        return [("default-graph-uri", g) for g in self.default] + [
            ("named-graph-uri", g) for g in self.named
        ]


class Credentials(httpx.Auth):
    """A user and password, sent as the engine asks: HTTP digest (Virtuoso) or basic."""

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self._basic = f"Basic {token}"
        self._basic_only = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Answer the engine's challenge (digest, or basic once it asked for that)."""
        if self._basic_only:
            request.headers["Authorization"] = self._basic
            yield request
            return
        flow = self._digest.auth_flow(request)
        response = yield next(flow)
        challenge = response.headers.get("www-authenticate", "").lower()
        if response.status_code == 401 and challenge.startswith("basic"):
            self._basic_only = True
            request.headers["Authorization"] = self._basic
            yield request
            return
        try:
            retry = flow.send(response)
        except StopIteration:
            return
        yield retry


class Endpoint:
    """The query, update and Graph Store endpoints of one engine, through one client."""

    def __init__(self, settings: Settings) -> None:
        self.query_url = settings.store_url
        self.update_url = settings.store_update_url
        self.graph_url = settings.store_graph_url
        self.timeout = settings.store_timeout
        auth = (
            Credentials(settings.store_user, settings.store_password)
            if settings.store_user
            else None
        )
        layout = remote_layout(settings.store_url)
        self._upload_options = dict.fromkeys(layout.upload_options, "") if layout else {}
        # An engine not known here is taken to speak SPARQL 1.1 only.
        self.lateral = layout.lateral if layout else False
        self._primed = False
        self._client = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(settings.store_timeout, connect=min(5.0, settings.store_timeout)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def query(self, sparql: str, accept: str, scope: Scope = Scope()) -> bytes:
        """The whole answer to ``sparql``, in the media type ``accept``, over ``scope``.

        :raises RemoteRefusedError: the engine will not run the query.
        :raises RemoteStoreError: it could not be reached or failed while running it.
        """
        with self.stream_query(sparql, accept, scope) as chunks:
            return b"".join(chunks)

    @contextmanager
    def stream_query(
        self, sparql: str, accept: str, scope: Scope = Scope()
    ) -> Iterator[Iterator[bytes]]:
        """The answer to ``sparql`` as it arrives, chunk by chunk; leaving the block early
        closes the connection, which stops the engine's work on it where it notices.

        :raises RemoteRefusedError: the engine will not run the query.
        :raises RemoteStoreError: it could not be reached or failed while running it.
        """
        form = [("query", sparql), *scope.parameters()]
        request = self._client.build_request(
            "POST", self.query_url, content=_form(form), headers={"Accept": accept, **_FORM}
        )
        response = self._send_idempotent(request, "query", auth=False)
        try:
            yield _chunks(response, self.query_url)
        finally:
            response.close()

    def update(self, sparql: str) -> None:
        """Run SPARQL Update ``sparql`` (sent once: never repeated).

        :raises RemoteRefusedError: the engine will not run it (syntax, permission).
        :raises RemoteStoreError: it could not be reached or failed while running it.
        """
        request = self._client.build_request(
            "POST", self.update_url, content=_form([("update", sparql)]), headers=_FORM
        )
        self._check(self._send_once(request, "update"), "update").close()

    def put_graph(self, graph: str, body: Body, length: int, media: str = NTRIPLES) -> None:
        """Replace graph ``graph`` with the ``length`` bytes of RDF ``body`` makes, streamed
        in its chunks (the length is sent first: Virtuoso takes no chunked request body).

        :raises RemoteRefusedError: the engine will not take it (bad RDF, credentials).
        :raises RemoteStoreError: it could not be reached, or failed.
        """
        self._upload("PUT", graph, body, length, media)

    def post_graph(self, graph: str, body: Body, length: int, media: str = NTRIPLES) -> None:
        """Add the ``length`` bytes of RDF ``body`` makes to graph ``graph``, as ``put_graph``.

        :raises RemoteRefusedError: the engine will not take it (bad RDF, credentials).
        :raises RemoteStoreError: it could not be reached, or failed.
        """
        self._upload("POST", graph, body, length, media)

    def delete_graph(self, graph: str) -> None:
        """Drop graph ``graph``; one that is not there is no error."""
        request = self._client.build_request("DELETE", self.graph_url, params={"graph": graph})
        response = self._send_once(request, "graph delete")
        if response.status_code != 404:
            self._check(response, "graph delete")
        response.close()

    def get_graph(self, graph: str, accept: str = NTRIPLES) -> bytes:
        """Graph ``graph`` in the media type ``accept``; empty when it is not there."""
        request = self._client.build_request(
            "GET", self.graph_url, params={"graph": graph}, headers={"Accept": accept}
        )
        response = self._send_idempotent(request, "graph read", missing_ok=True)
        try:
            return b"" if response.status_code == 404 else b"".join(_chunks(response, graph))
        finally:
            response.close()

    def _upload(self, method: str, graph: str, body: Body, length: int, media: str) -> None:
        """Send one upload; sent again (made afresh) only when the engine asked for
        credentials first, which means it took nothing."""
        self._prime()
        for attempt in range(2):
            request = self._client.build_request(
                method,
                self.graph_url,
                params={"graph": graph, **self._upload_options},
                content=iter(body()),
                headers={"Content-Type": media, "Content-Length": str(length)},
            )
            try:
                response = self._send_once(request, f"upload into {graph}")
            except httpx.StreamConsumed:
                if attempt:
                    raise
                continue
            self._check(response, f"upload into {graph}").close()
            return

    def _prime(self) -> None:
        """Have the engine's credential challenge answered once, by a read of the graph
        store, so that uploads carry credentials from their first byte: a streamed body
        cannot be sent a second time for a challenge."""
        if self._client.auth is None or self._primed:
            return
        request = self._client.build_request("GET", self.graph_url, params={"graph": _PRIMER})
        self._send_idempotent(request, "graph store", missing_ok=True).close()
        self._primed = True

    def _send_once(self, request: httpx.Request, what: str) -> httpx.Response:
        try:
            response = self._client.send(request, stream=True)
            response.read()
            return response
        except httpx.TransportError as exc:
            raise _unreachable(request, what, exc, self.timeout) from exc

    def _send_idempotent(
        self, request: httpx.Request, what: str, *, missing_ok: bool = False, auth: bool = True
    ) -> httpx.Response:
        """Send a request that changes nothing, again after a failure that may pass; without
        ``auth``, as anyone (Virtuoso's public query endpoint refuses credentials)."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                if auth:
                    response = self._client.send(request, stream=True)
                else:
                    response = self._client.send(request, stream=True, auth=None)
            except httpx.TransportError as exc:
                if attempt == ATTEMPTS or isinstance(exc, httpx.ReadTimeout):
                    raise _unreachable(request, what, exc, self.timeout) from exc
            else:
                if response.status_code not in TRANSIENT or attempt == ATTEMPTS:
                    if missing_ok and response.status_code == 404:
                        return response
                    return self._check(response, what)
                response.close()
            time.sleep(RETRY_PAUSE * attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _check(self, response: httpx.Response, what: str) -> httpx.Response:
        """``response`` if it is a success; else the engine's error as one of ours."""
        if response.status_code < 300:
            return response
        message = _message(response)
        response.close()
        where = str(response.request.url.copy_with(query=None))
        text = f"{what} refused by {where}: {response.status_code} {message}"
        if 400 <= response.status_code < 500:
            raise RemoteRefusedError(text)
        raise RemoteStoreError(text)


_PRIMER = "urn:odc:control"
"""A graph the credentials are first tried on (any name would do)."""
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _form(pairs: Sequence[tuple[str, str]]) -> bytes:
    """A form body with repeated names kept (a dict would keep one graph of several)."""
    return str(httpx.QueryParams(list(pairs))).encode()


def _chunks(response: httpx.Response, where: str) -> Iterator[bytes]:
    try:
        yield from response.iter_bytes()
    except httpx.HTTPError as exc:
        raise RemoteStoreError(f"the answer from {where} broke off: {exc}") from exc


def _message(response: httpx.Response) -> str:
    try:
        text = response.read().decode("utf-8", errors="replace")
    except httpx.HTTPError:
        return "(no message)"
    return " ".join(text.split())[:QUOTED] or "(no message)"


def _unreachable(
    request: httpx.Request, what: str, exc: httpx.TransportError, timeout: float
) -> RemoteStoreError:
    where = request.url.copy_with(query=None)
    if isinstance(exc, httpx.TimeoutException):
        return RemoteStoreError(
            f"{what}: {where} did not answer within {timeout:g} s (ODC_STORE_TIMEOUT)"
        )
    return RemoteStoreError(f"{what}: cannot reach {where}: {exc}")
