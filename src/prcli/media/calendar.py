"""Media advisories as iCalendar (RFC 5545) files, built with the icalendar library.

One VEVENT per release with an `event` block: start and end (in UTC, so every calendar reads the
same instant), place, the headline as summary, the summary and accreditation contact as
description, the contact as ORGANIZER when it has an address, and the release's page as URL. The
UID is the release's stable identifier, so importing an updated file updates the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from prcli.model import Release

PRODID = "-//prcli//media advisory//EN"


def contact_text(release: Release) -> str:
    event = release.event
    if event is None or event.accreditation is None:
        return ""
    contact = event.accreditation
    return ", ".join(v for v in (contact.name, contact.role, contact.email, contact.phone) if v)


def calendar(
    events: Sequence[tuple[Release, str, str, datetime]],
) -> bytes:
    """An iCalendar file for (release, uid, page url or '', last modified) tuples with events."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    for release, uid, url, modified in events:
        event = release.event
        if event is None:
            continue
        item = icalendar.Event()
        item.add("uid", uid)
        item.add("dtstamp", modified.astimezone(UTC))
        item.add("dtstart", event.start.astimezone(UTC))
        if event.end is not None:
            item.add("dtend", event.end.astimezone(UTC))
        item.add("summary", release.title)
        if event.place:
            item.add("location", event.place)
        lines = [release.summary] if release.summary else []
        accreditation = contact_text(release)
        if accreditation:
            lines.append(f"Accreditation: {accreditation}")
        if lines:
            item.add("description", "\n\n".join(lines))
        if url:
            item.add("url", url)
        contact = event.accreditation
        if contact is not None and contact.email:
            parameters = {"cn": contact.name} if contact.name else {}
            item.add(
                "organizer", icalendar.vCalAddress(f"mailto:{contact.email}"), parameters=parameters
            )
        if release.language:
            item.add("x-prcli-language", release.language)
        cal.add_component(item)
    data: bytes = cal.to_ical()
    return data
