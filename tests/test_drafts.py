"""prcli.drafts: what a new draft and a translation draft hold (the rules `new` and `translate`
use), without the command line."""

from __future__ import annotations

from datetime import date, datetime

from prcli.drafts import (
    Author,
    follow_edit,
    new_draft,
    translation_draft,
    translation_id,
    translation_key,
)
from prcli.model import Status

from .helpers import BAKU, NOW, make_release

AUTHOR = Author("Kamran Huseynov", NOW, "pinned")


def test_a_new_draft() -> None:
    draft = new_draft(
        title="  CIS security chiefs\nmeet in Moscow ",
        category="Events",
        language="en",
        day=date(2021, 10, 15),
        issuer="Press Service",
        author=AUTHOR,
        subtitle="A\nsubtitle",
        summary="  The lead.  ",
        tags=["CIS", " ", "Moscow", "CIS"],
        body="One.\r\nTwo.\r\n",
    )
    assert draft.id == "2021-10-15-cis-security-chiefs-meet-in-moscow"
    assert draft.title == "CIS security chiefs meet in Moscow"
    assert (draft.subtitle, draft.summary) == ("A subtitle", "The lead.")
    assert draft.tags == ("CIS", "Moscow")
    assert draft.body == "One.\nTwo."
    assert draft.status is Status.DRAFT and draft.created == draft.updated == NOW
    (step,) = draft.history
    assert (step.status, step.at, step.by, step.note, step.clock) == (
        Status.DRAFT,
        NOW,
        "Kamran Huseynov",
        "created",
        "pinned",
    )


def test_a_slug_names_the_draft() -> None:
    draft = new_draft(
        title="🎉",
        category="Events",
        language="en",
        day=date(2021, 10, 15),
        issuer="",
        author=AUTHOR,
        slug="party",
    )
    assert draft.id == "2021-10-15-party"


def test_the_id_follows_the_first_edit_of_title_or_date() -> None:
    template = make_release(id="2021-10-15-old-title", title="Old title", status=Status.DRAFT)
    retitled = follow_edit(template, template.replace(title="New title"))
    assert retitled.id == "2021-10-15-new-title"
    redated = follow_edit(template, template.replace(date=date(2021, 10, 16)))
    assert redated.id == "2021-10-16-old-title"
    chosen = template.replace(id="2021-10-15-my-own", title="New title")
    assert follow_edit(template, chosen).id == "2021-10-15-my-own"  # an id the user wrote stays
    assert follow_edit(template, template.replace(body="more")).id == template.id


def test_translation_ids_keep_the_source_prefixes_unique() -> None:
    assert translation_id("2026-11-26-new-warning", "ru") == "2026-11-26-ru-new-warning"
    assert translation_id("2026-11-26-new-warning", "az_Latn") == "2026-11-26-az-latn-new-warning"
    assert translation_id("legacy", "az") == "legacy-az"


def test_a_translation_draft_joins_the_source_group() -> None:
    embargo = datetime(2021, 10, 16, 9, tzinfo=BAKU)
    source = make_release(tags=("CIS",), places=("Moscow",), embargo_until=embargo)
    assert translation_key(source) == source.id
    assert translation_key(source.replace(translation_key="cis-2021")) == "cis-2021"
    draft = translation_draft(source, language="az", issuer="Mətbuat xidməti", author=AUTHOR)
    assert draft.id == "2021-10-15-az-cis-security-chiefs-meet-in-moscow"
    assert (draft.translation_key, draft.translation_of) == (source.id, source.id)
    assert (draft.tags, draft.places, draft.embargo_until) == (("CIS",), ("Moscow",), embargo)
    assert draft.title == f"TODO translate: {source.title}" and draft.language == "az"
    assert (
        draft.body
        == f"TODO: translate from en ({source.id}), then remove this line.\n\n{source.body}"
    )
    assert draft.issuer == "Mətbuat xidməti" and draft.status is Status.DRAFT
    assert draft.history[0].note == f"translation of {source.id}"


def test_the_command_line_builds_no_release_itself() -> None:
    """What a release holds is decided in the core (drafts, workflow, importers); a command only
    parses arguments and prints. A `Release(...)` or `HistoryEntry(...)` in cli/ would be a second
    place deciding it."""
    import ast
    from pathlib import Path

    cli = Path(__file__).parents[1] / "src" / "prcli" / "cli"
    built = [
        f"{path.name}:{node.lineno} {node.func.id}"
        for path in sorted(cli.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("Release", "HistoryEntry")
    ]
    assert built == []
