"""The site's search bundles made by several Pagefind processes at once (prcli.site.search)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from prcli.site.search import _alternating, _shares, _unpack, _words

from .conftest import Run
from .test_site import SAMPLE_NOW, sample


def test_bundles_are_shared_by_size_and_sent_in_turn() -> None:
    sizes = {"en-2021": 300, "en-2022": 280, "az-2021": 250, "ru": 40, "az-2022": 20}
    shares = _shares(sizes, 2)
    assert shares == [["en-2021", "ru", "az-2022"], ["en-2022", "az-2021"]]
    assert [sum(sizes[n] for n in share) for share in shares] == [360, 530]
    assert _alternating(shares) == ["en-2021", "en-2022", "ru", "az-2021", "az-2022"]
    assert _shares({"en": 5}, 4) == [["en"]]  # no process without a bundle
    assert _shares({}, 2) == []


def _bundles(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted((site / "search").rglob("*"))
        if path.is_file()
    }


def test_several_processes_write_the_same_bundles_as_one(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRCLI_NOW", SAMPLE_NOW)
    monkeypatch.setattr("prcli.site.search.SHARD_ABOVE", 1)  # a bundle per language and year
    made = {}
    for processes in (1, 3):
        monkeypatch.setattr("prcli.site.search._processes", lambda n=processes: n)
        result = run("export", "-f", "html", "-o", f"site-{processes}")
        assert result.exit_code == 0, result
        assert "4 Pagefind bundle(s), 4 rebuilt" in result.stderr, result
        made[processes] = _bundles(root / f"site-{processes}")
    assert made[1] == made[3]  # every record reached its own bundle, whichever process made it
    pages = 0
    for name in ("az-2021", "az-2026", "en-2021", "ru"):
        entry = json.loads(made[3][f"search/{name}/pagefind-entry.json"])
        (language,) = entry["languages"].values()
        fragments = [n for n in made[3] if n.startswith(f"search/{name}/fragment/")]
        assert language["page_count"] == len(fragments) > 0
        pages += len(fragments)
    assert pages == len(list((root / "site-3" / "releases").glob("*.html")))


def test_markdown_syntax_and_link_targets_are_not_indexed() -> None:
    body = (
        "# Head\n\n**Bold** _it_ `code` > quote [link](https://x.org/a_b) <b>tag</b> | a |\n"
        "~~del~~ ![alt](pic.png) Şuşa"
    )
    assert _words(body).split() == [
        "Head", "Bold", "it", "code", "quote", "link", "tag", "a", "del", "!", "alt", "Şuşa"
    ]  # fmt: skip
    assert _words("Plain text, no markup.") == "Plain text, no markup."


def test_bundle_files_are_written_from_the_answer_with_their_digests(tmp_path: Path) -> None:
    def file(path: str, data: bytes) -> dict[str, str]:
        return {"path": path, "content": base64.b64encode(data).decode()}

    answer = [
        file("pagefind-entry.json", b'{"version":"1.5.2"}'),
        file("fragment/en_1.pf_fragment", b"\x1f\x8b fragment"),
        file("pagefind-ui.js", b"// the ready-made interface, not used"),
    ]
    written = _unpack(answer, tmp_path / "en")
    assert written == [
        ("fragment/en_1.pf_fragment", hashlib.sha256(b"\x1f\x8b fragment").hexdigest(), 11),
        ("pagefind-entry.json", hashlib.sha256(b'{"version":"1.5.2"}').hexdigest(), 19),
    ]
    assert (tmp_path / "en/fragment/en_1.pf_fragment").read_bytes() == b"\x1f\x8b fragment"
    assert not (tmp_path / "en/pagefind-ui.js").exists()
    for outside in ("../escape.js", "/etc/escape.js"):
        with pytest.raises(ValueError, match="outside its bundle"):
            _unpack([file(outside, b"x")], tmp_path / "en")
    assert not (tmp_path / "escape.js").exists()


def test_the_manifest_holds_the_digest_of_every_search_file_as_published(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRCLI_NOW", SAMPLE_NOW)
    assert run("export", "-f", "html", "-o", "site").exit_code == 0
    listed = json.loads((root / "site/.prcli-manifest").read_text())["files"]
    search = _bundles(root / "site")
    assert len(search) > 20 and all(data for data in search.values())  # none left empty
    assert {name: listed[name] for name in search} == {
        name: hashlib.sha256(data).hexdigest() for name, data in search.items()
    }
