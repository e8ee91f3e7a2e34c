"""The one place that decides what the public sees: live, retracted with its notice, held back."""

from __future__ import annotations

from datetime import timedelta

from prcli.model import EntryKind, HistoryEntry, Status
from prcli.publication import (
    Visibility,
    change_notes,
    public_state,
    status_backed,
    status_problem,
)
from tests.helpers import NOW, make_release

PUBLISHED = HistoryEntry(Status.PUBLISHED, NOW - timedelta(days=3), "Kamran")


def test_live_release_with_corrections() -> None:
    fix = HistoryEntry(
        Status.PUBLISHED, NOW - timedelta(days=1), "Leyla", "Corrected the date.", kind="correction"
    )
    minor = HistoryEntry(Status.PUBLISHED, NOW, "Leyla", kind=EntryKind.MINOR)
    release = make_release(history=(PUBLISHED, fix, minor))
    state = public_state(release, NOW)
    assert state.visibility is Visibility.LIVE and state.public
    assert [n.note for n in change_notes(release)] == ["Corrected the date."]
    assert state.updated == fix.at and state.version == 2


def test_retracted_release_stays_public_with_its_notice() -> None:
    retracted = HistoryEntry(Status.RETRACTED, NOW, "Kamran", "Issued in error.")
    release = make_release(
        status=Status.RETRACTED, history=(PUBLISHED, retracted), retraction="Issued in error."
    )
    state = public_state(release, NOW)
    assert state.visibility is Visibility.RETRACTED and state.public
    assert state.retraction is not None
    assert (state.retraction.reason, state.retraction.at) == ("Issued in error.", NOW)
    assert state.updated == NOW


def test_forged_status_is_held_back() -> None:
    release = make_release(history=(HistoryEntry(Status.DRAFT, NOW, "Ali"),))
    assert not status_backed(release)
    assert "last step of the history is draft" in status_problem(release)
    state = public_state(release, NOW)
    assert not state.public and state.reason == "status not backed by its history"


def test_embargo_and_work_in_progress_are_held_back() -> None:
    embargoed = make_release(embargo_until=NOW + timedelta(hours=1))
    assert public_state(embargoed, NOW).reason == "under embargo"
    assert public_state(embargoed, NOW + timedelta(hours=2)).public
    for status in (Status.DRAFT, Status.REVIEW, Status.APPROVED, Status.ARCHIVED):
        state = public_state(make_release(status=status), NOW)
        assert not state.public and state.reason == f"not published ({status})"


def test_why_a_release_is_held_back_names_the_embargo_end() -> None:
    from prcli.publication import held_back_reason, public_state, under_embargo

    lifts = NOW + timedelta(hours=5)
    embargoed = make_release(embargo_until=lifts)
    assert under_embargo(embargoed, NOW) and not under_embargo(embargoed, lifts)
    assert held_back_reason(embargoed, public_state(embargoed, NOW)) == (
        f"under embargo until {lifts.isoformat()}"
    )
    assert held_back_reason(embargoed, public_state(embargoed, lifts)) == ""
    draft = make_release(status=Status.DRAFT, embargo_until=lifts)
    assert under_embargo(draft, NOW)
    assert held_back_reason(draft, public_state(draft, NOW)) == "not published (draft)"
