"""attach, detach and strip: files copied in under stable names, records written, bad input refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from prcli.model import Attachment
from prcli.repository import Repository

from .conftest import Run
from .helpers import make_release, write_release
from .media_helpers import gps_of, picture, write_picture

ID = "2021-10-15-cis-security-chiefs-meet-in-moscow"


@pytest.fixture
def release_path(repository: Repository) -> Path:
    return write_release(repository, make_release())


def attachments(repository: Repository, path: Path) -> tuple[Attachment, ...]:
    return repository.read(path).release.attachments


def test_attach_copies_under_a_stable_name_and_records_every_field(
    run: Run, repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    source = write_picture(tmp_path / "IMG 2041.JPG")
    result = run(
        "attach", ID, str(source), "--caption", "Heads of delegations", "--credit",
        "Press service", "--alt", "Eleven people in front of flags", "--licence", "Editorial use",
    )  # fmt: skip
    assert result.exit_code == 0, result
    stored = result.stdout.strip()
    assert stored.startswith("media/2021/img-2041-") and stored.endswith(".jpg")
    assert (repository.root / stored).read_bytes() == source.read_bytes()
    assert source.exists()  # copied, not moved
    assert attachments(repository, release_path) == (
        Attachment(
            path=stored,
            kind="image",
            caption="Heads of delegations",
            alt="Eleven people in front of flags",
            credit="Press service",
            licence="Editorial use",
        ),
    )
    text = release_path.read_text()
    assert text.index("path:") < text.index("kind:") < text.index("caption:") < text.index("alt:")
    assert "warning" not in result.stderr
    shown = run("show", ID).stdout
    assert "Attachment 1" in shown and stored in shown and "Heads of delegations" in shown
    history = repository.read(release_path).release.history
    assert history[-1].kind == "minor"  # a published release records the change
    # the same file again: refused, nothing changes
    before = release_path.read_bytes()
    again = run("attach", ID, str(source), "--caption", "x", "--alt", "y", "--credit", "z")
    assert again.exit_code == 1 and "already has" in again.stderr
    assert release_path.read_bytes() == before


def test_gps_is_reported_and_strip_removes_it_losslessly(
    run: Run, repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    source = write_picture(tmp_path / "phone.jpg", gps=True)
    result = run("attach", ID, str(source), "--caption", "c", "--credit", "c", "--alt", "a")
    assert result.exit_code == 0, result
    assert "GPS position" in result.stderr and "prcli strip" in result.stderr
    stored = repository.root / result.stdout.strip()
    assert gps_of(stored.read_bytes())
    check = run("validate", "--format", "json")
    assert '"PR805"' in check.stdout and f"prcli strip {ID} phone-" in check.stdout

    stripped = run("strip", ID)
    assert stripped.exit_code == 0, stripped
    data = stored.read_bytes()
    assert gps_of(data) == {}
    with Image.open(io.BytesIO(data)) as after, Image.open(source) as before:
        assert after.tobytes() == before.tobytes()  # pixels untouched: not re-encoded
        assert after.getexif()[0x010F] == "TestCam"  # other EXIF kept
    assert '"PR805"' not in run("validate", "--format", "json").stdout


def test_attach_strip_stores_a_copy_without_gps(
    run: Run, repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    source = write_picture(tmp_path / "phone.png", fmt="PNG", gps=True)
    result = run(
        "attach", ID, str(source), "--strip", "--caption", "c", "--credit", "c", "--alt", "a"
    )
    assert result.exit_code == 0, result
    assert gps_of((repository.root / result.stdout.strip()).read_bytes()) == {}
    assert gps_of(source.read_bytes())  # the user's file is untouched


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", picture(fmt="PNG"), "claims to be JPEG but is PNG"),
        ("photo.jpg", picture()[:300], "damaged or truncated"),
        ("photo.png", b"this is not a picture at all", "is not an image prcli can read"),
        ("photo.jpg", b"", "is empty"),
    ],
    ids=["wrong-format", "truncated", "not-an-image", "empty"],
)
def test_bad_pictures_are_refused_and_nothing_is_written(
    run: Run,
    repository: Repository,
    release_path: Path,
    tmp_path: Path,
    name: str,
    data: bytes,
    message: str,
) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    before = release_path.read_bytes()
    result = run("attach", ID, str(source), "--alt", "a")
    assert result.exit_code == 1, result
    assert message in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert release_path.read_bytes() == before
    assert not (repository.root / "media").exists()


@pytest.mark.parametrize("size", [(40, 40), (100, 100)], ids=["warning-level", "error-level"])
def test_decompression_bombs_are_refused(
    run: Run,
    repository: Repository,
    release_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    monkeypatch.setattr("prcli.media.images.MAX_PIXELS", 1000)
    source = write_picture(tmp_path / "huge.png", width=size[0], height=size[1], fmt="PNG")
    result = run("attach", ID, str(source), "--alt", "a")
    assert result.exit_code == 1, result
    assert "more than prcli opens" in result.stderr
    assert not (repository.root / "media").exists()


def test_unsupported_picture_formats_are_kept_as_documents(
    run: Run, repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "IMG_0001.HEIC"
    source.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    result = run("attach", ID, str(source), "--caption", "Phone picture")
    assert result.exit_code == 0, result
    assert "attached as a document" in result.stderr
    assert attachments(repository, release_path)[0].kind == "document"


def test_symbolic_links_are_refused(
    run: Run, repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    real = write_picture(tmp_path / "real.jpg")
    link = tmp_path / "link.jpg"
    link.symlink_to(real)
    result = run("attach", ID, str(link), "--alt", "a")
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert str(real) in result.stderr  # the hint names the real file


def test_two_files_with_the_same_name_get_two_names(
    run: Run, repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    first = write_picture(tmp_path / "a" / "photo.jpg", colour=(0, 0, 200))
    second = write_picture(tmp_path / "b" / "photo.jpg", colour=(0, 200, 0))
    one = run("attach", ID, str(first), "--alt", "a", "--credit", "c", "--caption", "c")
    two = run("attach", ID, str(second), "--alt", "a", "--credit", "c", "--caption", "c")
    assert one.exit_code == 0 and two.exit_code == 0, two
    assert one.stdout != two.stdout
    assert len(attachments(repository, release_path)) == 2
    assert run("validate").exit_code == 0


def test_detach_removes_the_record_and_the_unused_file(
    run: Run, repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    source = write_picture(tmp_path / "hall.jpg")
    stored = run("attach", ID, str(source), "--alt", "a").stdout.strip()
    other = write_release(
        repository,
        make_release(id="2021-10-16-other", title="Other", attachments=(Attachment(path=stored),)),
    )
    kept = run("detach", ID, "1")
    assert kept.exit_code == 0, kept
    assert attachments(repository, release_path) == ()
    assert (repository.root / stored).exists() and "another release uses it" in kept.stderr
    gone = run("detach", "2021-10-16-other", Path(stored).name)
    assert gone.exit_code == 0, gone
    assert not (repository.root / stored).exists()
    assert attachments(repository, other) == ()
    missing = run("detach", ID, "nothing.jpg")
    assert missing.exit_code == 2 and "has no attachment" in missing.stderr


def test_old_lists_of_paths_still_read(repository: Repository) -> None:
    path = repository.releases_dir / "2021" / "2021-10-15-old.md"
    path.parent.mkdir(parents=True)
    path.write_text(
        '---\nid: "2021-10-15-old"\ntitle: "Old"\nstatus: "draft"\nlanguage: "en"\n'
        "date: 2021-10-15\nattachments:\n  - photo.jpg\n  - path: scan.pdf\n    caption: Scan\n"
        "---\n\nText.\n"
    )
    release = repository.read(path).release
    assert release.attachments == (
        Attachment(path="photo.jpg"),
        Attachment(path="scan.pdf", caption="Scan"),
    )


def test_paths_leading_out_or_through_links_are_findings(
    run: Run, repository: Repository, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(picture())
    (repository.root / "media").mkdir()
    (repository.root / "media" / "link.jpg").symlink_to(secret)
    write_release(
        repository,
        make_release(
            attachments=(
                Attachment(path="media/link.jpg", alt="a", credit="c", caption="c"),
                Attachment(path="../../secret.jpg", alt="a", credit="c", caption="c"),
                Attachment(path="/etc/passwd", kind="document", caption="c"),
            )
        ),
    )
    result = run("validate", "--format", "json")
    assert result.stdout.count('"PR202"') == 3, result
    assert "symbolic link" in result.stdout and "outside the repository" in result.stdout
    assert "absolute path" in result.stdout


@pytest.mark.subprocess
def test_concurrent_attaches_all_land(
    repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    """Six processes attach six pictures (and two of them the same one) to one release at once:
    every distinct picture is recorded once, the file is stored once, nothing is lost."""
    from .concurrency import run_together

    sources = [write_picture(tmp_path / f"p{n}.jpg", colour=(n * 40, 0, 0)) for n in range(5)]
    files = [*sources, sources[0]]
    commands = [
        ["attach", ID, str(source), "--caption", "c", "--credit", "c", "--alt", "a"]
        for source in files
    ]
    results = run_together(commands, cwd=repository.root, work=tmp_path / "sync")
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 0, 0, 0, 0, 1], results  # the duplicate is refused by one of the two
    refused = next(r for r in results if r.returncode == 1)
    assert "already has" in refused.stderr
    recorded = attachments(repository, release_path)
    assert len(recorded) == 5 and len({a.path for a in recorded}) == 5
    assert len(list((repository.root / "media" / "2021").iterdir())) == 5


def test_the_same_picture_for_two_years_is_stored_once(
    run: Run, repository: Repository, release_path: Path, tmp_path: Path
) -> None:
    """Attached to a 2021 and a 2026 release (the second time under another file name): one file
    in media/, recorded by both; detaching it from one keeps it for the other."""
    from datetime import date

    later = write_release(
        repository, make_release(id="2026-11-20-later", title="Later", date=date(2026, 11, 20))
    )
    source = write_picture(tmp_path / "hall.jpg")
    renamed = tmp_path / "copy" / "hall-again.jpg"
    renamed.parent.mkdir()
    renamed.write_bytes(source.read_bytes())
    first = run("attach", ID, str(source), "--alt", "a", "--credit", "c", "--caption", "c")
    second = run("attach", "2026-11-20-later", str(renamed), "--alt", "a", "--caption", "c")
    assert first.exit_code == 0 and second.exit_code == 0, second
    stored = first.stdout.strip()
    assert stored.startswith("media/2021/") and second.stdout.strip() == stored
    assert "already stored" in second.stderr
    assert [
        p.relative_to(repository.root).as_posix()
        for p in (repository.root / "media").rglob("*.jpg")
    ] == [stored]
    assert attachments(repository, later)[0].path == stored
    assert run("validate").exit_code == 0
    assert run("detach", ID, "1").exit_code == 0
    assert (repository.root / stored).is_file()  # the 2026 release still uses it
