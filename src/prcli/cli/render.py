"""Rich renderings for people: the release table and the release panel. Imported only when drawn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from prcli.config import Config
from prcli.model import Release, Status
from prcli.publication import under_embargo
from prcli.releasefile import Entry
from prcli.text import for_terminal, one_line
from prcli.workflow import self_approved

if TYPE_CHECKING:
    from rich.console import RenderableType

STATUS_STYLES: dict[Status, str] = {
    Status.DRAFT: "dim",
    Status.REVIEW: "yellow",
    Status.APPROVED: "cyan",
    Status.PUBLISHED: "green",
    Status.ARCHIVED: "dim",
    Status.RETRACTED: "red",
}


def status_text(release: Release) -> Text:
    return Text(str(release.status), style=STATUS_STYLES[release.status])


def scheduled_at(release: Release, wide: bool = True) -> str:
    """'14:00' for an approved release due on its own date, else the day too; '' if unscheduled.

    Narrow tables (`wide` false) leave out the year when it is the release's own year."""
    moment = release.publish_at
    if release.status is not Status.APPROVED or moment is None:
        return ""
    if moment.date() == release.date:
        return moment.strftime("%H:%M")
    if not wide and moment.year == release.date.year:
        return moment.strftime("%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def shown_ids(
    ids: Sequence[str], room: int, mark: str = "…", near_ids: Sequence[str] = ()
) -> list[str]:
    """Each id whole if it fits in `room` characters, else cut with `mark` after a prefix that no
    other id shares: of `near_ids` (the repository's ids next to them, sorted) or of `ids`. Ids
    are what people copy into `prcli show`, which takes a prefix naming one release of the
    repository: an id may come out longer than `room` rather than ambiguous."""
    from prcli.idprefix import shared_lengths

    shared = shared_lengths(sorted(ids), ids)
    for rid, length in shared_lengths(near_ids, ids).items():
        shared[rid] = max(shared[rid], length)
    shown = []
    for release_id in ids:
        if len(release_id) <= room:
            shown.append(release_id)
            continue
        keep = max(room - len(mark), shared.get(release_id, 0) + 1)
        shown.append(
            release_id if keep >= len(release_id) - len(mark) else release_id[:keep] + mark
        )
    return shown


# Two spaces of padding and one separator between columns, one space at each edge.
_GAP = 3
_EDGES = 2


def release_table(
    entries: Sequence[Entry],
    translations: Mapping[str, Sequence[str]],
    now: datetime,
    width: int = 120,
    unicode: bool = True,
    near_ids: Sequence[str] = (),
) -> Table:
    """One row per release, laid out for `width` columns; with `unicode` false (a stdout that is
    not UTF-8) the marks are ASCII ('...', 'at') so no '?' stands in an id someone copies.

    The title keeps a readable width (wrapped at words); the id gets the rest and is cut only
    to a prefix no other id of the repository shares (`near_ids`: its ids next to the listed
    ones; `shown_ids`). The date has its own column (below 100 columns only when some id does
    not begin with its release's date); an
    approved release with a publish_at time shows it under its status ('⏲ 14:00', the day too
    when it is not the release's date). Below 120 columns the embargo time gives way to the
    title and an embargo shows as '*'.
    """
    wide = width >= 120
    embargoes = wide and any(under_embargo(entry.release, now) for entry in entries)
    with_category = width >= 100
    # Ids begin with their release's date: below 100 columns that is where the date shows,
    # unless some release's id and date disagree.
    with_date = width >= 100 or any(
        not entry.release.id.startswith(entry.release.date.isoformat()) for entry in entries
    )
    statuses: list[Text] = []
    languages: list[Text] = []
    for entry in entries:
        release = entry.release
        status = status_text(release)
        if self_approved(release) is not None:
            status.append("!", style="bold yellow")
        if not wide and under_embargo(release, now):
            status.append("*", style="magenta")
        when = scheduled_at(release, width >= 160)
        if when:
            status.append(f"\n{'⏲' if unicode else 'at'} {when}", style="cyan")
        statuses.append(status)
        language = Text(release.language)
        others = translations.get(release.id, ())
        if others:
            language.append(" +" + ",".join(others), style="dim")
        languages.append(language)

    def widest(cells: Sequence[Text], header: str) -> int:
        return max([len(header)] + [max(map(cell_len, cell.plain.split("\n"))) for cell in cells])

    fixed = [widest(statuses, "Status"), widest(languages, "Lang")]
    if with_date:
        fixed.append(10)
    if embargoes:
        fixed.append(16)
    if with_category:
        fixed.append(min(12, max([8] + [len(one_line(e.release.category)) for e in entries])))
    longest_title = max(len(one_line(entry.release.title)) for entry in entries) if entries else 5
    title_room = min(longest_title, max(20, width // 3))
    id_room = width - _EDGES - _GAP * (len(fixed) + 1) - sum(fixed) - title_room
    listed = [entry.release.id for entry in entries]
    mark = "…" if unicode else "..."
    ids = shown_ids(listed, max(id_room, 16), mark, near_ids)
    # Some ids may need more than their share to stay unique: the others may then use it too.
    ids = shown_ids(listed, max(map(len, ids), default=0), mark, near_ids)

    # Headers as Text: a str header would be parsed for markup and emoji codes (which imports
    # Rich's emoji table, a few ms of `prcli list` start-up).
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, expand=True)
    # Never cut by Rich: a shorter prefix could name several releases (the title gives way).
    table.add_column(Text("ID"), no_wrap=True, min_width=max(map(len, ids), default=2))
    if with_date:
        table.add_column(Text("Date"), no_wrap=True)
    table.add_column(Text("Status"), no_wrap=True)
    if embargoes:
        table.add_column(Text("Embargo until"), no_wrap=True, style="magenta")
    if with_category:
        table.add_column(Text("Category"), no_wrap=True, overflow="ellipsis", max_width=12)
    table.add_column(Text("Lang"), no_wrap=True)
    table.add_column(Text("Title"), overflow="fold", ratio=1)
    for entry, shown, status, language in zip(entries, ids, statuses, languages, strict=True):
        release = entry.release
        row: list[Text] = [Text(shown)]
        if with_date:
            row.append(Text(release.date.isoformat()))
        row.append(status)
        if embargoes:
            embargoed = under_embargo(release, now)
            lifted = release.embargo_until if embargoed else None
            row.append(Text(lifted.strftime("%Y-%m-%d %H:%M") if lifted else ""))
        if with_category:
            row.append(Text(one_line(release.category)))
        row += [language, Text(one_line(release.title))]
        table.add_row(*row)
    return table


def release_panel(
    entry: Entry, settings: Config, translations: Sequence[str], path: str, now: datetime
) -> RenderableType:
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.panel import Panel

    release = entry.release
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")

    def fact(label: str, value: str | Text) -> None:
        if value:
            facts.add_row(label, value if isinstance(value, Text) else Text(one_line(value)))

    fact("ID", release.id)
    fact("Status", status_text(release))
    fact("Category", release.category)
    language = release.language + (f" (also {', '.join(translations)})" if translations else "")
    fact("Language", language)
    fact("Date", release.date.isoformat())
    if release.embargo_until:
        fact("Embargo until", _moment(release.embargo_until, now))
    if release.publish_at:
        fact("Publish at", _moment(release.publish_at, now))
    if release.expires:
        fact("Expires", release.expires.isoformat())
    if release.event_date or release.dateline:
        where = ", ".join(
            part
            for part in (release.dateline, release.event_date and release.event_date.isoformat())
            if part
        )
        fact("Event", where)
    fact("Issuer", release.issuer)
    if release.event is not None:
        happening = release.event
        fact(
            "Advisory",
            _moment(happening.start, now)
            if happening.end is None
            else Text(f"{happening.start.isoformat()} to {happening.end.isoformat()}"),
        )
        fact("Place", happening.place)
        contact = happening.accreditation
        if contact is not None:
            fact(
                "Accreditation",
                ", ".join(v for v in (contact.name, contact.email, contact.phone) if v),
            )
    for number, attachment in enumerate(release.attachments, 1):
        described = " · ".join(
            part
            for part in (
                attachment.kind,
                attachment.caption,
                attachment.credit and f"credit: {attachment.credit}",
                "" if attachment.alt or attachment.kind not in ("", "image") else "no alt text",
            )
            if part
        )
        fact(
            f"Attachment {number}",
            f"{attachment.path} ({described})" if described else attachment.path,
        )
    for label, values in (
        ("Tags", release.tags),
        ("People", release.people),
        ("Organisations", release.organisations),
        ("Places", release.places),
        ("Related", release.related),
    ):
        fact(label, ", ".join(values))
    fact("Translation key", release.translation_key)
    fact("File", path)

    from prcli.notices import notices
    from prcli.publication import public_state, status_problem

    problem = status_problem(release)
    if problem:
        fact("Warning", Text(f"{one_line(problem)} [PR503]", style="bold red"))
    told = notices(public_state(release, now), release.language)
    heading = Text(one_line(release.title), style="bold")
    parts: list[RenderableType] = [heading]
    if told.retracted_heading:
        notice = Text(one_line(told.retracted_heading), style="bold red")
        notice.append("\n" + one_line(told.retracted_line), style="red")
        parts.append(Panel(notice, box=box.HEAVY, border_style="red", expand=False))
    for line in told.updates:
        parts.append(Text(one_line(line), style="cyan"))
    if release.subtitle:
        parts.append(Text(one_line(release.subtitle), style="italic"))
    if release.summary:
        parts.append(Text("\n" + for_terminal(release.summary)))
    parts.append(Text(""))
    parts.append(Markdown(for_terminal(release.body) or "*(no body yet)*"))
    boilerplate = settings.boilerplate.get(release.language, "")
    if boilerplate:
        parts.append(Text("\n" + for_terminal(boilerplate), style="dim"))
    contacts = release.contacts or settings.contacts
    if contacts:
        lines = Text("\nMedia contacts\n", style="bold")
        for contact in contacts:
            details = " · ".join(p for p in (contact.role, contact.email, contact.phone) if p)
            lines.append(
                f"{one_line(contact.name)}" + (f" — {one_line(details)}" if details else "") + "\n"
            )
        parts.append(lines)
    return Group(Panel(facts, box=box.ROUNDED, expand=False), *parts)


def _moment(moment: datetime, now: datetime) -> Text:
    text = Text(moment.isoformat())
    remaining = moment - now
    seconds = int(remaining.total_seconds())
    if seconds > 0:
        hours, rest = divmod(seconds, 3600)
        days, hours = divmod(hours, 24)
        left = f"{days} d {hours} h" if days else f"{hours} h {rest // 60} min"
        text.append(f"  (in {left})", style="magenta")
    else:
        text.append("  (passed)", style="dim")
    return text


def history_table(release: Release, sends: Sequence[Any] = ()) -> Table:
    """The workflow trail, with the send runs of `prcli send` (sendlog.RunSummary) in time order."""
    table = Table(
        box=box.SIMPLE_HEAD,
        header_style="bold",
        pad_edge=False,
        title=Text(one_line(release.title)),
    )
    # Narrow output (80 columns, a pipe): By and Note wrap rather than push Note out of the table;
    # Rich shrinks the widest wrapping column first, so a long name cannot squeeze the note away.
    table.add_column("When", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("By", overflow="fold", max_width=24)
    table.add_column("Note", overflow="fold", no_wrap=False, min_width=20)
    rows: list[tuple[Any, tuple[Any, ...]]] = []
    for step in release.history:
        note = Text(one_line(step.note))
        if step.override:
            note.append(f" [override: {one_line(step.override)}]", style="yellow")
        if step.kind:
            note = Text.assemble((f"[{one_line(step.kind)}] ", "cyan"), note)
        when = Text(step.at.strftime("%Y-%m-%d %H:%M %z"))
        if step.clock:
            when.append(f" ({one_line(step.clock)} clock)", style="magenta")
        rows.append(
            (
                step.at,
                (
                    when,
                    Text(str(step.status), style=STATUS_STYLES[step.status]),
                    Text(one_line(step.by)),
                    note,
                ),
            )
        )
    tz = release.history[-1].at.tzinfo if release.history else None
    for run in sends:
        at = run.at.astimezone(tz) if tz else run.at
        label = "test copy" if run.kind == "test" else "sent"
        rows.append(
            (
                at,
                (
                    at.strftime("%Y-%m-%d %H:%M %z"),
                    Text(label, style="cyan"),
                    Text(one_line(run.by)),
                    Text(one_line(run.describe())),
                ),
            )
        )
    for _at, row in sorted(rows, key=lambda item: item[0]):
        table.add_row(*row)
    if not release.history:
        table.add_row("", "", "", Text("(no history recorded)", style="dim"))
    return table


def overview_tables(view: Any, states: Any, width: int = 120) -> list[RenderableType]:
    """One table per live state (under embargo, scheduled, live, expired, retracted), laid out for
    `width` columns: below 100 the ids are cut shorter and the When cell ("2026-12-05 09:00 (in 7 d
    23 h)") wraps, so the title keeps room for whole words."""
    narrow = width < 100
    parts: list[RenderableType] = [
        Text(f"At {view.at.strftime('%Y-%m-%d %H:%M %z')}", style="bold")
    ]
    for state in states:
        releases = view.groups[state]
        heading = Text(f"\n{str(state).capitalize()} ({len(releases)})", style="bold")
        parts.append(heading)
        if not releases:
            parts.append(Text("  none", style="dim"))
            continue
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, expand=True)
        table.add_column("ID", no_wrap=True, overflow="ellipsis", max_width=22 if narrow else 26)
        table.add_column("Lang", no_wrap=True)
        table.add_column("When", min_width=10, max_width=16 if narrow else None)
        table.add_column("Title", ratio=1, overflow="fold", min_width=20)
        for release in releases[:50]:
            table.add_row(
                Text(release.id),
                Text(release.language),
                _when(release, state, view.at),
                Text(one_line(release.title)),
            )
        if len(releases) > 50:
            table.add_row(Text(f"... {len(releases) - 50} more", style="dim"), "", "", "")
        parts.append(table)
    return parts


def _when(release: Release, state: Any, now: datetime) -> Text:
    name = str(state)
    if name == "under embargo" and release.embargo_until:
        return _moment_short(release.embargo_until, now)
    if name == "scheduled" and release.publish_at:
        return _moment_short(release.publish_at, now)
    if name == "expired" and release.expires:
        return Text(f"expired {release.expires.isoformat()}")
    return Text(release.date.isoformat())


def _moment_short(moment: datetime, now: datetime) -> Text:
    text = Text(moment.strftime("%Y-%m-%d %H:%M"))
    seconds = int((moment - now).total_seconds())
    if seconds > 0:
        hours, rest = divmod(seconds, 3600)
        days, hours = divmod(hours, 24)
        left = f"{days} d {hours} h" if days else f"{hours} h {rest // 60} min"
        text.append(f" (in {left})", style="magenta")
    return text
