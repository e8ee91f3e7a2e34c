"""Structure: the file reads, its fields are known and typed, its id is right and unique."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from prcli.codec import FIELDS
from prcli.gitsync.conflicts import CONFLICTS_KEY
from prcli.ids import ID_PATTERN
from prcli.releasefile import Entry
from prcli.validation.context import Context
from prcli.validation.registry import find_rule, load_rule, release_rule
from prcli.validation.types import Problem, Severity

load_rule(
    "PR001",
    "parse-error",
    Severity.ERROR,
    "The file reads as UTF-8 text with well-formed front matter.",
    """
    prcli could not read the file: it is not UTF-8 text, contains binary data, has no front matter,
    never closes its front matter, or the YAML/TOML inside it has a syntax error. YAML aliases
    (*name), duplicate keys and custom tags are refused too, because they hide or repeat values.
    The finding names the line; fix the text there (`prcli edit ID` keeps your text if it still
    does not read).
    """,
)
load_rule(
    "PR002",
    "missing-field",
    Severity.ERROR,
    "Required fields are present: id, title, status, language, date.",
    """
    Every release needs an id, a title, a status, a language and a publication date; prcli cannot
    list, sort or publish a release without them. Add the missing key to the front matter.
    """,
)
load_rule(
    "PR003",
    "field-type",
    Severity.ERROR,
    "Every field has the right type (text, list, table).",
    """
    A field holds the wrong kind of value: a list where text is expected, text where a list is
    expected, or a contact/attachment/history entry with unknown keys. The finding names the field
    and the shape it should have (see docs/formats.md).
    """,
)
load_rule(
    "PR009",
    "unsafe-id",
    Severity.ERROR,
    "The id is safe as a file name and in a link.",
    """
    An id names the release's file and goes into every link and feed. prcli refuses ids that
    could escape the releases folder or break a page: a leading dot (`.hidden`), a path separator
    (`../x`, `2021/x`), a colon (`javascript:...`), spaces, control characters (a newline, NUL),
    letters outside ASCII, or more than 200 bytes. Such a file is not read: give it a plain id
    (ASCII letters, digits and hyphens) and the same file name.
    """,
)


@release_rule(
    "PR004", "unknown-field", Severity.WARNING, "No front-matter keys prcli does not know."
)
def unknown_field(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    The front matter has a key that is not a release field, usually a typo (`catgory`) or a field
    from another tool. prcli keeps such keys when it rewrites the file, but nothing reads them.
    Fix the spelling, or move data from other systems under `extra:`.
    """
    for key in entry.release.unknown:
        if key == CONFLICTS_KEY:
            continue  # a merge's record of a conflict: PR601 reports it
        close = difflib.get_close_matches(key, FIELDS, n=1, cutoff=0.7)
        hint = (
            f"did you mean '{close[0]}'?" if close else "move data from other tools under 'extra:'"
        )
        yield Problem(f"unknown field '{key}'", key=key, hint=hint)


@release_rule("PR005", "id-file-name", Severity.ERROR, "The id equals the file name.")
def id_matches_file_name(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A release is found by its id, and its id is its file name without `.md`. When the two differ,
    `prcli show ID` and links between releases break. Rename the file or change the id back;
    ids are permanent once published.
    """
    if entry.release.id != entry.path.stem:
        yield Problem(
            f"id '{entry.release.id}' differs from the file name '{entry.path.stem}'",
            key="id",
            hint=f"rename the file to {entry.release.id}.md, or set id to {entry.path.stem}",
        )


@release_rule("PR006", "duplicate-id", Severity.ERROR, "Ids are unique across the repository.")
def duplicate_id(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Two files carry the same id, so references to it are ambiguous. This usually happens when a
    file is copied to start a new release. Give the copy a new id (and file name).
    """
    same = context.by_id.get(entry.release.id, [])
    if len(same) > 1:
        others = [context.repository.display(e.path) for e in same if e.path != entry.path]
        yield Problem(
            f"id '{entry.release.id}' is also used by {', '.join(others)}",
            key="id",
            hint=f"give one of them a new id: prcli rename {context.repository.display(entry.path)}",
        )


@release_rule("PR007", "id-format", Severity.WARNING, "Ids look like YYYY-MM-DD-ascii-words.")
def id_format(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    prcli makes ids from the date and the title: `2021-10-15-cis-security-chiefs-meet`. Other
    shapes still work, but sort badly and are hard to type. Lower-case ASCII letters, digits and
    single hyphens only.
    """
    if not ID_PATTERN.fullmatch(entry.release.id):
        yield Problem(
            f"id '{entry.release.id}' is not of the form YYYY-MM-DD-words",
            key="id",
            hint="use lower-case ASCII words joined by hyphens after the date",
        )


@release_rule("PR008", "silence-reason", Severity.ERROR, "Silenced rules exist and give a reason.")
def silence_reason(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A release may switch a rule off for itself under `silence:` with `rule` (code or name) and a
    `reason`, so the next reader knows why. A silence without a reason, or naming a rule that does
    not exist, is ignored and reported.
    """
    for silence in entry.release.silence:
        if find_rule(silence.rule) is None:
            yield Problem(
                f"silence names an unknown rule '{silence.rule}'",
                key="silence",
                hint="`prcli rules` lists the codes",
            )
        elif not silence.reason.strip():
            yield Problem(
                f"silence of {silence.rule} gives no reason",
                key="silence",
                hint="add reason: why this release may break the rule",
            )
