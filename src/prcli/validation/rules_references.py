"""References: related releases and attachments exist; translation groups hang together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from prcli.model import Status
from prcli.releasefile import Entry
from prcli.validation.context import Context
from prcli.validation.registry import release_rule
from prcli.validation.types import Problem, Severity


@release_rule("PR201", "related-exists", Severity.ERROR, "Every id in `related` is a release.")
def related_exists(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    `related` lists the ids shown as "Other news". An id that matches no release is a dead link,
    usually a typo or a release that was renamed. Fix or remove it.
    """
    for related in entry.release.related:
        if related not in context.by_id:
            yield Problem(
                f"related release '{related}' does not exist",
                key="related",
                hint="`prcli list --format ids` shows the ids",
            )
        elif related == entry.release.id:
            yield Problem("a release lists itself as related", key="related")


@release_rule(
    "PR202", "attachment-exists", Severity.ERROR, "Attachments exist inside the repository."
)
def attachment_exists(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Attachment paths are relative to the repository root (`media/2021/...`, as `prcli attach`
    writes them; older releases: to the release file's folder) and must name a file inside the
    repository that is not a symbolic link: an absolute path, `../` leading out, or a link would
    not travel with the repository and could publish any file of the machine. A missing file
    breaks exports.
    """
    from prcli.errors import MediaError
    from prcli.media import files

    root = context.repository.root
    for attachment in entry.release.attachments:
        try:
            target = files.locate(root, entry.path.parent, attachment)
        except MediaError as error:
            yield Problem(error.message, key="attachments", hint=error.hint)
            continue
        if not target.is_file():
            yield Problem(
                f"attachment '{attachment.path}' does not exist",
                key="attachments",
                hint=f"put the file at {context.repository.display(target)}, or `prcli attach` it",
            )


@release_rule(
    "PR203",
    "translation-duplicate-language",
    Severity.ERROR,
    "A translation group has at most one release per language.",
)
def translation_duplicate_language(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Releases sharing a `translation_key` are the language versions of one release. Two versions
    in the same language make it unclear which one a reader is sent to. Give one of them another
    translation_key, or change its language.
    """
    key = entry.release.translation_key
    if not key:
        return
    group = context.translation_groups.get(key, [])
    same = [p for p in group if p.language == entry.release.language and p.path != entry.path]
    if same:
        yield Problem(
            f"translation group '{key}' has another '{entry.release.language}' release: "
            + ", ".join(p.id for p in same),
            key="translation_key",
            hint="one release per language in a translation group",
        )


@release_rule(
    "PR204",
    "translation-inconsistent",
    Severity.WARNING,
    "Language versions share the date and category.",
)
def translation_inconsistent(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    The language versions of one release normally carry the same publication date and category.
    A version that differs from most of its group is reported so it can be aligned.
    """
    key = entry.release.translation_key
    group = context.translation_groups.get(key, []) if key else []
    if len(group) < 2:
        return
    for field in ("date", "category"):
        counts = Counter(getattr(peer, field) for peer in group)
        if len(counts) < 2:
            continue
        ranked = counts.most_common()
        tie = ranked[0][1] == ranked[1][1]
        mine = getattr(entry.release, field)
        if tie or mine != ranked[0][0]:
            others = ", ".join(sorted(str(value) for value in counts if value != mine))
            yield Problem(
                f"{field} {mine} differs from other versions in translation group '{key}' ({others})",
                key=field,
                hint=f"align the {field} with the other language versions",
            )


@release_rule(
    "PR205",
    "translation-outdated",
    Severity.WARNING,
    "A translation was updated after its source last changed.",
)
def translation_outdated(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A release made with `prcli translate` records its source in `translation_of`. When the source
    is edited after the translation was last updated, the translation may say something the source
    no longer says. Update the translation (editing it stamps `updated`), then this goes away.
    """
    source_id = entry.release.translation_of
    if not source_id:
        return
    sources = context.by_id.get(source_id)
    if not sources:
        yield Problem(
            f"translation_of names '{source_id}', which does not exist",
            key="translation_of",
            hint="fix the id, or remove translation_of",
        )
        return
    mine = entry.release.updated or entry.release.created
    changed = sources[0].text_changed
    if changed and mine and changed > mine:
        yield Problem(
            f"the source {source_id} changed on {changed.isoformat()}, after this translation "
            f"was last updated ({mine.isoformat()})",
            key="translation_of",
            hint="bring the translation up to date with the source",
        )


@release_rule(
    "PR206",
    "translation-state-mismatch",
    Severity.WARNING,
    "Language versions share their embargo, and go out together.",
)
def translation_state_mismatch(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Language versions of one release normally lift their embargo at the same moment, and one is
    not published while another is still withdrawn or retracted. A version whose embargo differs
    from another's, or that is published while another version was retracted, is reported.
    """
    key = entry.release.translation_key
    peers = context.translation_groups.get(key, []) if key else []
    group = [peer for peer in peers if peer.path != entry.path]
    release = entry.release
    for other in group:
        if other.embargo_until != release.embargo_until:
            mine = release.embargo_until.isoformat() if release.embargo_until else "none"
            theirs = other.embargo_until.isoformat() if other.embargo_until else "none"
            yield Problem(
                f"embargo {mine} differs from the {other.language} version ({theirs})",
                key="embargo_until",
                hint="give all language versions the same embargo_until",
            )
            break
    for other in group:
        if release.status is Status.PUBLISHED and other.status is Status.RETRACTED:
            yield Problem(
                f"published while the {other.language} version {other.id} is retracted",
                key="status",
                hint="retract this version too, or correct the other",
            )
            break
