"""Hypothesis strategies for releases: every field, awkward text included."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from prcli.model import Attachment, Contact, Event, HistoryEntry, Release, Silence, Status

# Any text but surrogates (not encodable) and CR (normalised to LF on read, like git's eol=lf).
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r"), max_size=40)
nonempty = text.filter(lambda value: value.strip() != "")
# A body is stored without trailing newlines and without NUL (a NUL marks a binary file).
body = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\r\x00"), max_size=300
).map(lambda value: value.rstrip("\n"))
days = st.dates(min_value=datetime(1900, 1, 1).date(), max_value=datetime(2100, 12, 31).date())
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 12, 30)),
    offsets,
)
ids = st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,3}\Z")
texts = st.lists(text, max_size=4).map(tuple)
contacts = st.lists(
    st.builds(Contact, name=nonempty, role=text, email=text, phone=text), max_size=3
).map(tuple)
attachments = st.lists(
    st.builds(
        Attachment,
        path=nonempty,
        caption=text,
        kind=text,
        alt=text,
        credit=text,
        licence=text,
        language=text,
    ),
    max_size=2,
).map(tuple)
history = st.lists(
    st.builds(HistoryEntry, status=st.sampled_from(Status), at=moments, by=text, note=text),
    max_size=3,
).map(tuple)
extra = st.dictionaries(
    st.from_regex(r"\A[a-z][a-z0-9_]{0,10}\Z"),
    st.one_of(text, st.integers(-(2**40), 2**40), st.booleans()),
    max_size=3,
)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:  # type: ignore[type-arg]
    return st.one_of(st.none(), strategy)


events = st.builds(
    Event,
    start=moments,
    end=optional(moments),
    place=text,
    # an accreditation contact with no field set is no contact (it is not written)
    accreditation=optional(
        st.builds(Contact, name=nonempty, role=text, email=text, phone=text)
        | st.builds(Contact, name=st.just(""), role=text, email=nonempty, phone=text)
    ),
)


releases = st.builds(
    Release,
    id=ids,
    title=nonempty,
    status=st.sampled_from(Status),
    language=st.sampled_from(["en", "az", "ru", "pt-BR"]),
    date=days,
    category=text,
    subtitle=text,
    summary=text,
    embargo_until=optional(moments),
    publish_at=optional(moments),
    expires=optional(days),
    event_date=optional(days),
    dateline=text,
    event=optional(events),
    issuer=text,
    tags=texts,
    people=texts,
    organisations=texts,
    places=texts,
    contacts=contacts,
    related=st.lists(ids, max_size=3).map(tuple),
    translation_key=text,
    translation_of=text,
    retraction=text,
    attachments=attachments,
    created=optional(moments),
    updated=optional(moments),
    history=history,
    silence=st.lists(st.builds(Silence, rule=nonempty, reason=text), max_size=2).map(tuple),
    extra=extra,
    body=body,
)
