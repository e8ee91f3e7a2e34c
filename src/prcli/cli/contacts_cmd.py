"""prcli contacts: the media lists (journalists, outlets, languages, beats, lists, consent).

Personal data: stored in the private folder (default `private/`, git-ignored by its own
.gitignore), never in the releases or their history.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.sink import Format, Sink, format_option
from prcli.errors import InvalidValue, PrcliError, UsageError

if TYPE_CHECKING:
    from prcli.contacts.checks import ContactProblem
    from prcli.contacts.model import MediaContact
    from prcli.contacts.store import ContactBook, ContactStore

EPILOG = """Examples:

  prcli contacts add aysel@example.az --name "Aysel Guliyeva" --outlet "Example News" --language az --list baku-press --consent-date 2026-03-01 --consent-source "press conference sign-up"

  prcli contacts import cision-export.csv --list baku-press --dry-run

  prcli contacts list --list baku-press

  prcli contacts check

  prcli contacts remove old@example.org --unsubscribed

The media list is personal data: it lives in private/contacts.toml (or distribution.private_folder in prcli.toml), a folder prcli creates with mode 0700 and a .gitignore of its own, so it never reaches git or the release history.
"""

app = typer.Typer(
    help="Media lists: journalists with language, beat, lists and consent (personal data, kept "
    "out of git).",
    epilog=EPILOG,
    no_args_is_help=True,
)

Lists = Annotated[
    list[str] | None,
    typer.Option("--list", "-L", help="A list name; repeat for several.", show_default=False),
]


def _store(ctx: typer.Context) -> ContactStore:
    from prcli.contacts.store import for_repository

    return for_repository(AppContext.of(ctx).repository())


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(
            f"{option} '{text}' is not a date", hint="write it as 2026-03-01"
        ) from None


@app.command(
    "add",
    epilog="""Examples:

  prcli contacts add aysel@example.az --name "Aysel Guliyeva" --language az --list baku-press --consent-date 2026-03-01 --consent-source "signed up at the March briefing"
""",
)
def add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The journalist's e-mail address.")],
    name: Annotated[str, typer.Option("--name", help="Full name.")] = "",
    outlet: Annotated[str, typer.Option("--outlet", help="Newspaper, agency, channel.")] = "",
    role: Annotated[str, typer.Option("--role", help="Editor, correspondent ...")] = "",
    language: Annotated[
        list[str] | None,
        typer.Option(
            "--language", "-l", help="A language they read (BCP 47); repeat.", show_default=False
        ),
    ] = None,
    beat: Annotated[
        list[str] | None, typer.Option("--beat", help="A beat (topic); repeat.", show_default=False)
    ] = None,
    lists: Lists = None,
    consent_date: Annotated[
        str | None,
        typer.Option(
            "--consent-date",
            metavar="DATE",
            help="When they agreed to receive releases.",
            show_default=False,
        ),
    ] = None,
    consent_source: Annotated[
        str, typer.Option("--consent-source", help="How they agreed (form, e-mail, meeting).")
    ] = "",
    notes: Annotated[str, typer.Option("--notes", help="Anything else.")] = "",
    resubscribe: Annotated[
        bool,
        typer.Option(
            "--resubscribe", help="Add an address that unsubscribed before (they asked again)."
        ),
    ] = False,
) -> None:
    """Add a journalist to the media list, or complete an existing entry."""
    from prcli.contacts.checks import check_contact
    from prcli.contacts.model import MediaContact, address_problem

    problem = address_problem(email)
    if problem:
        raise InvalidValue(problem, hint="give one plain address, like name@example.org")
    app_context = AppContext.of(ctx)
    contact = MediaContact(
        email=email.strip(),
        name=" ".join(name.split()),
        outlet=" ".join(outlet.split()),
        role=" ".join(role.split()),
        languages=tuple(language or ()),
        beats=tuple(beat or ()),
        lists=tuple(lists or ()),
        consent_date=_date(consent_date, "--consent-date"),
        consent_source=consent_source.strip(),
        added=app_context.now().date(),
        notes=notes.strip(),
    )
    store = _store(ctx)
    with store.changing() as book:
        suppressed = book.is_suppressed(contact.email)
        if suppressed and not resubscribe:
            raise PrcliError(
                f"{contact.email} unsubscribed on {suppressed.since.isoformat()}",
                hint="add it again only if they asked to be back: --resubscribe",
            )
        if suppressed:
            book.suppressed.remove(suppressed)
        existing = book.find(contact.email)
        if existing is None:
            book.contacts.append(contact)
            result = contact
            output.say(f"added {contact.email}", "green")
        else:
            result = existing.merged(contact)
            book.contacts[book.contacts.index(existing)] = result
            output.say(f"updated {existing.email}", "green")
    for found in check_contact(result):
        _report(found)
    output.write_line(result.email)


@app.command(
    "list",
    epilog="""Examples:

  prcli contacts list

  prcli contacts list --list baku-press --format json | jq -r '.[].email'
""",
)
def list_contacts(
    ctx: typer.Context,
    lists: Lists = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language", "-l", help="Only those who read this language.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        Format, format_option(Format.table, Format.json, Format.jsonl, Format.csv)
    ] = Format.table,
) -> None:
    """Show the media list (or the members of one list)."""
    book = _store(ctx).load()
    contacts = book.contacts
    for name in lists or ():
        contacts = [c for c in contacts if name in c.lists]
    if language:
        contacts = [c for c in contacts if c.reads(language)]
    if lists and not contacts and not any(name in book.list_names() for name in lists):
        known = ", ".join(book.list_names()) or "none yet"
        raise PrcliError(f"no list named {', '.join(lists)}", hint=f"lists: {known}")
    records = [_json(c) for c in contacts]
    if fmt is not Format.table:
        Sink(fmt).rows(records, CSV_COLUMNS)
    else:
        _table(contacts)
        names = book.list_names()
        if names:
            output.say("Lists: " + ", ".join(f"{n} ({count})" for n, count in names.items()))


CSV_COLUMNS = (
    "email",
    "name",
    "outlet",
    "role",
    "languages",
    "beats",
    "lists",
    "consent_date",
    "consent_source",
    "added",
    "notes",
)


def _json(contact: MediaContact) -> dict[str, object]:
    return {
        "email": contact.email,
        "name": contact.name,
        "outlet": contact.outlet,
        "role": contact.role,
        "languages": list(contact.languages),
        "beats": list(contact.beats),
        "lists": list(contact.lists),
        "consent_date": contact.consent_date.isoformat() if contact.consent_date else None,
        "consent_source": contact.consent_source,
        "added": contact.added.isoformat() if contact.added else None,
        "notes": contact.notes,
    }


def _table(contacts: list[MediaContact]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from prcli.text import one_line

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for column in ("Email", "Name", "Outlet", "Lang", "Lists", "Consent"):
        table.add_column(column, overflow="fold")
    for contact in contacts:
        consent = (
            Text(contact.consent_date.isoformat())
            if contact.has_consent and contact.consent_date
            else Text("missing", style="red")
        )
        table.add_row(
            Text(one_line(contact.email)),
            Text(one_line(contact.name)),
            Text(one_line(contact.outlet)),
            Text(" ".join(contact.languages)),
            Text(one_line(", ".join(contact.lists))),
            consent,
        )
    if not contacts:
        table.add_row("", Text("(no contacts)", style="dim"), "", "", "", "")
    output.stdout_console().print(table)


@app.command(
    "import",
    epilog="""Examples:

  prcli contacts import meltwater.csv --list baku-press --dry-run

  prcli contacts import cision.csv --list ru-desk --consent-source "Cision licence 2026" --consent-date 2026-01-01

Columns are recognised by name: Email / E-mail / Email address, First name + Last name or Name,
Outlet / Media outlet / Publication / Company, Job title, Language, Beat / Topics, List / Tags,
Consent date / Opt-in date, Consent source / Opt-in source. Other columns are ignored (and named).
""",
)
def import_contacts(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A CSV file exported from a media database.")],
    lists: Lists = None,
    consent_date: Annotated[
        str | None,
        typer.Option(
            "--consent-date",
            metavar="DATE",
            help="Consent date for rows without one.",
            show_default=False,
        ),
    ] = None,
    consent_source: Annotated[
        str, typer.Option("--consent-source", help="Consent source for rows without one.")
    ] = "",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
) -> None:
    """Import journalists from a media database's CSV export (bad rows skipped and named)."""
    from dataclasses import replace

    from prcli.contacts import csvimport
    from prcli.contacts.checks import check_contact

    try:
        data = file.read_bytes()
    except OSError as error:
        raise PrcliError(f"cannot read {file}: {error.strerror}") from None
    app_context = AppContext.of(ctx)
    given_date = _date(consent_date, "--consent-date")
    try:
        result = csvimport.read(
            data, default_lists=tuple(lists or ()), today=app_context.now().date()
        )
    except csvimport.CsvImportError as error:
        raise PrcliError(f"{file}: {error.message}", hint=error.hint) from None
    store = _store(ctx)
    added = updated = unchanged = 0
    skipped: list[str] = []
    found: list[tuple[str, ContactProblem]] = []  # what `contacts check` would say, by CSV line

    def apply(book: ContactBook) -> None:
        nonlocal added, updated, unchanged
        seen: dict[str, int] = {}
        for row in result.rows:
            if row.contact is None:
                skipped.append(f"{file}:{row.line}: {row.problem}")
                continue
            contact = row.contact
            if given_date and contact.consent_date is None:
                contact = replace(contact, consent_date=given_date)
            if consent_source and not contact.consent_source:
                contact = replace(contact, consent_source=consent_source)
            if contact.key in seen:
                skipped.append(
                    f"{file}:{row.line}: {contact.email} already on line {seen[contact.key]}"
                )
                continue
            seen[contact.key] = row.line
            if book.is_suppressed(contact.email):
                skipped.append(f"{file}:{row.line}: {contact.email} unsubscribed; not added")
                continue
            existing = book.find(contact.email)
            if existing is None:
                book.contacts.append(contact)
                added += 1
                final = contact
            else:
                final = existing.merged(contact)
                if final == existing:
                    unchanged += 1
                else:
                    book.contacts[book.contacts.index(existing)] = final
                    updated += 1
            found.extend((f"{file}:{row.line}", problem) for problem in check_contact(final))

    if dry_run:
        apply(store.load())
    else:
        with store.changing() as book:
            apply(book)
    if result.ignored:
        output.say(f"Columns not used: {', '.join(result.ignored)}")
    for line in skipped:
        output.warn(f"skipped {line}")
    for where, problem in found:
        _report(problem, where)
    no_consent = [problem for _, problem in found if problem.code == "CT03"]
    verb = "would add" if dry_run else "added"
    output.say(
        f"{verb} {added}, updated {updated}, unchanged {unchanged}, skipped {len(skipped)}, "
        f"without consent {len(no_consent)}",
        "green",
    )


@app.command(
    "remove",
    epilog="""Examples:

  prcli contacts remove old@example.org --unsubscribed

  prcli contacts remove aysel@example.az --list ru-desk        (only from that list)
""",
)
def remove(
    ctx: typer.Context,
    emails: Annotated[list[str], typer.Argument(metavar="EMAIL...", help="Addresses to remove.")],
    lists: Lists = None,
    unsubscribed: Annotated[
        bool,
        typer.Option(
            "--unsubscribed",
            help="They asked to be removed: keep the address on the suppression list so no import adds it again.",
        ),
    ] = False,
) -> None:
    """Remove journalists from the media list (or from some lists only)."""
    if lists and unsubscribed:
        raise UsageError("--unsubscribed removes the whole entry; leave out --list")
    from prcli.contacts.model import Suppressed

    missing = []
    with _store(ctx).changing() as book:
        for email in emails:
            contact = book.find(email)
            if contact is None:
                missing.append(email)
                continue
            if lists:
                remaining = tuple(n for n in contact.lists if n not in lists)
                from dataclasses import replace

                book.contacts[book.contacts.index(contact)] = replace(contact, lists=remaining)
                output.say(f"removed {contact.email} from {', '.join(lists)}", "green")
            else:
                book.contacts.remove(contact)
                output.say(f"removed {contact.email}", "green")
            if unsubscribed and not book.is_suppressed(contact.email):
                book.suppressed.append(
                    Suppressed(contact.email, AppContext.of(ctx).now().date(), "unsubscribed")
                )
    if missing:
        raise PrcliError(
            f"not on the media list: {', '.join(missing)}",
            hint="prcli contacts list shows who is; the others were removed",
        )


CHECK_COLUMNS = ("email", "code", "severity", "message")


def _report(problem: ContactProblem, where: str = "") -> None:
    """One problem of the media list on stderr, as `contacts add`, `import` and `check` all say
    it: its rule's one severity (prcli.contacts.checks.SEVERITY), the address, the code."""
    output.say(problem.described(where), "red" if problem.severity == "error" else "yellow")


@app.command(
    "check",
    epilog="""Examples:

  prcli contacts check

  prcli contacts check --format json | jq '.[] | select(.code == "CT03")'
""",
)
def check(
    ctx: typer.Context,
    fmt: Annotated[
        Format, format_option(Format.table, Format.json, Format.jsonl, Format.csv)
    ] = Format.table,
) -> None:
    """Check the media list: addresses, people listed twice, missing consent. Exit 1 on errors."""
    from prcli.contacts.checks import check as run_checks

    store = _store(ctx)
    problems = run_checks(store.load())
    if fmt is not Format.table:
        Sink(fmt).rows(
            (
                {"email": p.email, "code": p.code, "severity": p.severity, "message": p.message}
                for p in problems
            ),
            CHECK_COLUMNS,
        )
    else:
        for problem in problems:
            _report(problem)
        if not problems:
            output.say(f"{store.path}: no problems", "green")
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)
