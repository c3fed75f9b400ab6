"""``odc serve``'s options and settings: a bad value is one clear message, no traceback."""

from __future__ import annotations

import pytest

from opendatacommunities.cli import main


def test_a_bad_setting_is_one_error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ODC_PORT", "eighty")
    assert main(["serve"]) == 1
    assert capsys.readouterr().err == (
        "error: ODC_PORT: invalid literal for int() with base 10: 'eighty'\n"
    )


def test_workers_must_be_at_least_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--workers", "0"])
    assert stopped.value.code == 2
    assert "--workers: must be a whole number of at least 1, not '0'" in capsys.readouterr().err
