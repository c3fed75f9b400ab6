"""Settings read from ``ODC_*`` variables: the serving limits and the SPARQL workers'
memory ceiling."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.config import Settings


def test_sparql_max_memory_is_read_and_checked() -> None:
    """The ceiling is read in megabytes; 0 means none; one too small for a worker to open a
    store is refused at start-up, naming the variable, rather than failing every query."""
    assert Settings.from_env({"ODC_SPARQL_MAX_MEMORY": "4096"}).sparql_max_memory == 4096
    assert Settings.from_env({"ODC_SPARQL_MAX_MEMORY": "0"}).sparql_max_memory == 0
    assert Settings().sparql_max_memory == 2048
    for bad in ("300", "-1", "lots"):
        with pytest.raises(ValueError, match="ODC_SPARQL_MAX_MEMORY"):
            Settings.from_env({"ODC_SPARQL_MAX_MEMORY": bad})


def test_serving_limits_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "ODC_WORKERS": "3",
            "ODC_ACCESS_LOG": "false",
            "ODC_MAX_CONCURRENCY": "50",
            "ODC_BACKLOG": "64",
            "ODC_KEEP_ALIVE_SECONDS": "2",
            "ODC_HEADER_TIMEOUT": "1.5",
            "ODC_BODY_TIMEOUT": "4",
            "ODC_PROXY_HEADERS": "no",
            "ODC_FORWARDED_ALLOW_IPS": "10.0.0.1,10.0.0.2",
            "ODC_METRICS_DIR": "/run/odc-metrics",
        }
    )
    assert (settings.workers, settings.access_log, settings.max_concurrency) == (3, False, 50)
    assert (settings.backlog, settings.keep_alive_seconds) == (64, 2)
    assert (settings.header_timeout, settings.body_timeout) == (1.5, 4.0)
    assert (settings.proxy_headers, settings.forwarded_allow_ips) == (False, "10.0.0.1,10.0.0.2")
    assert settings.metrics_dir == Path("/run/odc-metrics")


def test_the_defaults_bound_every_connection() -> None:
    settings = Settings.from_env({})
    assert settings.access_log
    assert settings.workers == 1
    assert 0 < settings.header_timeout <= 60
    assert 0 < settings.body_timeout <= 120
    assert settings.max_concurrency >= 100


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ODC_HEADER_TIMEOUT", "0", "ODC_HEADER_TIMEOUT must be more than 0 seconds"),
        ("ODC_BODY_TIMEOUT", "-1", "ODC_BODY_TIMEOUT: must not be negative"),
        ("ODC_WORKERS", "0", "ODC_WORKERS must be at least 1"),
        ("ODC_KEEP_RELEASES", "0", "ODC_KEEP_RELEASES must be at least 1"),
        ("ODC_MAX_CONCURRENCY", "lots", "ODC_MAX_CONCURRENCY: invalid literal"),
        ("ODC_ACCESS_LOG", "maybe", "ODC_ACCESS_LOG: not a boolean"),
    ],
)
def test_unusable_limits_are_refused_naming_the_variable(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env({name: value})
