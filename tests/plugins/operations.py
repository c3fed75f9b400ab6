"""Reading what operators watch: access-log lines and Prometheus expositions."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families

#: One access-log line: client, request line, status and milliseconds.
LOG_LINE = re.compile(r'^(?P<client>\S+) "(?P<request>[^"]*)" (?P<status>\d{3}) (?P<ms>\d+\.\d)ms$')

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(text: str) -> Samples:
    """Every sample of a Prometheus text exposition, by name and labels (parsing fails on
    anything that is not the format)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped: Samples, name: str, **labels: str) -> float:
    """One sample's value, 0 when it is absent."""
    return scraped.get((name, frozenset(labels.items())), 0.0)
