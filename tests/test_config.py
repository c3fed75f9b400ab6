"""Settings read from ``ODC_*`` variables: every setting is read as its type, and a value
that cannot be used is refused at start-up, naming the variable and the value."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import pytest

from opendatacommunities.config import Settings, export_metrics_dir
from tests.plugins.project import BASE


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


#: Every setting, a value for its ODC_ variable as an operator would write it, and what it
#: must be read as (none of them the default, so a variable that is not read shows).
EVERY_SETTING = {
    "base_iri": ("https://data.example.gov.uk/", "https://data.example.gov.uk"),
    "store_dir": ("/srv/odc/store", Path("/srv/odc/store")),
    "keep_releases": ("5", 5),
    "host": ("0.0.0.0", "0.0.0.0"),
    "port": ("9000", 9000),
    "cache_entries": ("500", 500),
    "cache_megabytes": ("64", 64),
    "page_size": ("25", 25),
    "sitemap_size": ("1000", 1000),
    "catalog_page_size": ("25", 25),
    "reload_seconds": ("0.5", 0.5),
    "debug": ("yes", True),
    "queries_dir": ("/srv/odc/queries", Path("/srv/odc/queries")),
    "stories_dir": ("/srv/odc/stories", Path("/srv/odc/stories")),
    "dashboards_dir": ("/srv/odc/dashboards", Path("/srv/odc/dashboards")),
    "sparql_workers": ("2", 2),
    "sparql_timeout": ("12.5", 12.5),
    "sparql_max_megabytes": ("10", 10),
    "sparql_cache": ("off", False),
    "sparql_services": (
        " https://a.example/sparql, ,https://b.example/sparql ",
        ("https://a.example/sparql", "https://b.example/sparql"),
    ),
    "sparql_max_memory": ("1024", 1024),
    "workers": ("4", 4),
    "access_log": ("0", False),
    "max_concurrency": ("10", 10),
    "backlog": ("16", 16),
    "keep_alive_seconds": ("30", 30),
    "header_timeout": ("2", 2.0),
    "body_timeout": ("7.5", 7.5),
    "proxy_headers": ("FALSE", False),
    "forwarded_allow_ips": ("*", "*"),
    "metrics_dir": ("/run/odc", Path("/run/odc")),
    "store_url": ("http://db:8890/sparql", "http://db:8890/sparql"),
    "store_update_url": ("http://db:8890/update", "http://db:8890/update"),
    "store_graph_url": ("http://db:8890/gsp", "http://db:8890/gsp"),
    "store_user": ("publisher", "publisher"),
    "store_password": ("secret", "secret"),
    "store_timeout": ("7.5", 7.5),
}


def test_every_setting_has_its_variable_read() -> None:
    """All of them at once, each read as its own type; a setting added without a case here
    fails the test."""
    assert set(EVERY_SETTING) == {field.name for field in fields(Settings) if field.init}
    environ = {"ODC_" + name.upper(): text for name, (text, _) in EVERY_SETTING.items()}
    settings = Settings.from_env(environ)
    for name, (_, expected) in EVERY_SETTING.items():
        assert getattr(settings, name) == expected, name
        assert type(getattr(settings, name)) is type(expected), name
        assert getattr(Settings(), name) != expected, f"{name}: the case is the default"


def test_the_process_environment_is_read_and_unknown_variables_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ODC_PAGE_SIZE", "7")
    monkeypatch.setenv("ODC_NO_SUCH_SETTING", "whatever")
    assert Settings.from_env().page_size == 7
    assert Settings.from_env({"ODC_NO_SUCH_SETTING": "x"}) == Settings()


NUMBERS = [name for name, (_, value) in EVERY_SETTING.items() if type(value) in (int, float)]
SWITCHES = [name for name, (_, value) in EVERY_SETTING.items() if type(value) is bool]


@pytest.mark.parametrize("name", NUMBERS)
@pytest.mark.parametrize("text", ["lots", "", "nan", "-1"])
def test_a_number_that_does_not_parse_is_refused_naming_the_variable(name: str, text: str) -> None:
    variable = "ODC_" + name.upper()
    with pytest.raises(ValueError, match=f"^{variable}: ") as refused:
        Settings.from_env({variable: text})
    assert repr(text) in str(refused.value)  # the value as the operator wrote it


@pytest.mark.parametrize("name", SWITCHES)
def test_a_switch_takes_the_usual_words_and_nothing_else(name: str) -> None:
    variable = "ODC_" + name.upper()
    for word, meaning in [("1", True), ("On", True), ("TRUE", True), ("no", False), ("", False)]:
        assert getattr(Settings.from_env({variable: word}), name) is meaning
    with pytest.raises(ValueError, match=f"^{variable}: not a boolean: 'enabled'"):
        Settings.from_env({variable: "enabled"})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "ODC_BASE_IRI",
            "data.example.gov.uk",
            "ODC_BASE_IRI must be an http(s) IRI, not 'data.example.gov.uk'",
        ),
        ("ODC_BASE_IRI", "ftp://data.example.gov.uk", "must be an http(s) IRI, not 'ftp:"),
        ("ODC_PORT", "70000", "ODC_PORT must be a port number from 0 to 65535, not 70000"),
        ("ODC_PAGE_SIZE", "0", "ODC_PAGE_SIZE must be at least 1"),
        ("ODC_BACKLOG", "0", "ODC_BACKLOG must be at least 1"),
        ("ODC_KEEP_RELEASES", "0", "ODC_KEEP_RELEASES must be at least 1"),
        ("ODC_KEEP_ALIVE_SECONDS", "0", "ODC_KEEP_ALIVE_SECONDS must be more than 0 seconds"),
        (
            "ODC_SPARQL_MAX_MEMORY",
            "1023",
            "ODC_SPARQL_MAX_MEMORY must be 0 (no ceiling) or at least 1024 (megabytes), not 1023",
        ),
    ],
)
def test_values_that_parse_but_cannot_be_used_are_refused(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(ValueError) as refused:
        Settings.from_env({name: value})
    assert message in str(refused.value)


def test_the_metrics_folder_is_named_to_the_server_processes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """prometheus-client in each server process finds the folder through its variable."""
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    export_metrics_dir(tmp_path)
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path)


def test_settings_from_environment() -> None:
    settings = Settings.from_env(
        {
            "ODC_STORE_DIR": "/srv/store",
            "ODC_PAGE_SIZE": "25",
            "ODC_DEBUG": "yes",
            "ODC_RELOAD_SECONDS": "0.5",
            "HOME": "/ignored",
        }
    )
    assert str(settings.store_dir) == "/srv/store"
    assert (settings.page_size, settings.debug, settings.reload_seconds) == (25, True, 0.5)
    with pytest.raises(ValueError, match="ODC_PORT"):
        Settings.from_env({"ODC_PORT": "eighty"})
    with pytest.raises(ValueError, match="ODC_PORT"):
        Settings.from_env({"ODC_PORT": "-1"})
    with pytest.raises(ValueError, match="ODC_DEBUG"):
        Settings.from_env({"ODC_DEBUG": "perhaps"})
    with pytest.raises(ValueError, match="BASE_IRI"):
        Settings.from_env({"ODC_BASE_IRI": BASE.removeprefix("http://")})


def test_no_store_url_means_the_embedded_store() -> None:
    settings = Settings.from_env({})
    assert (settings.store_url, settings.store_update_url, settings.store_graph_url) == ("", "", "")


@pytest.mark.parametrize(
    ("url", "update", "graph", "user"),
    [
        ("http://db:7878/query", "http://db:7878/update", "http://db:7878/store", ""),
        (
            "http://db:8890/sparql/",
            "http://db:8890/sparql-auth",
            "http://db:8890/sparql-graph-crud-auth",
            "dba",
        ),
    ],
)
def test_a_known_engine_names_its_other_endpoints(
    url: str, update: str, graph: str, user: str
) -> None:
    settings = Settings.from_env({"ODC_STORE_URL": url, "ODC_STORE_TIMEOUT": "5"})
    assert (settings.store_update_url, settings.store_graph_url) == (update, graph)
    assert (settings.store_user, settings.store_timeout) == (user, 5.0)


def test_endpoints_and_credentials_given_outright_win() -> None:
    settings = Settings.from_env(
        {
            "ODC_STORE_URL": "http://db:8890/sparql",
            "ODC_STORE_GRAPH_URL": "http://db:8890/sparql-graph-crud",
            "ODC_STORE_USER": "publisher",
            "ODC_STORE_PASSWORD": "secret",
        }
    )
    assert settings.store_graph_url == "http://db:8890/sparql-graph-crud"
    assert settings.store_update_url == "http://db:8890/sparql-auth"
    assert (settings.store_user, settings.store_password) == ("publisher", "secret")


def test_an_unknown_engine_must_name_its_endpoints() -> None:
    with pytest.raises(ValueError, match="ODC_STORE_UPDATE_URL and ODC_STORE_GRAPH_URL"):
        Settings.from_env({"ODC_STORE_URL": "http://db/repositories/site"})
    with pytest.raises(ValueError, match="ODC_STORE_URL must be an http"):
        Settings.from_env({"ODC_STORE_URL": "db:7878/query"})
    with pytest.raises(ValueError, match="ODC_STORE_TIMEOUT"):
        Settings.from_env({"ODC_STORE_URL": "http://db/query", "ODC_STORE_TIMEOUT": "0"})
