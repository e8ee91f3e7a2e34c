"""Property: whatever prcli writes, it reads back as the same release, and rewriting changes no byte."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given

from prcli.model import Release
from prcli.repository import parse_release, render

from .strategies import releases


def _round_trip(release: Release, fmt: str) -> None:
    data = render(release, fmt)  # type: ignore[arg-type]
    entry = parse_release(Path("x.md"), data)
    again, read_format = entry.release, entry.format
    assert read_format == fmt
    assert again == release
    assert render(again, fmt) == data  # type: ignore[arg-type]


@given(releases)
def test_yaml_write_then_read_gives_the_same_release(release: Release) -> None:
    _round_trip(release, "yaml")


@given(releases)
def test_toml_write_then_read_gives_the_same_release(release: Release) -> None:
    _round_trip(release, "toml")
