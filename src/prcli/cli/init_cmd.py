"""prcli init: create prcli.toml, releases/ and the git settings for a new repository."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from prcli import config
from prcli.atomicfile import write_atomic
from prcli.cli import output, prompts, terminal
from prcli.config import CONFIG_NAME
from prcli.errors import InvalidValue, RepositoryExists, UsageError

GITATTRIBUTES = "*.md text eol=lf\nprcli.toml text eol=lf\n"
# .prcli/: caches and locks; private/: media lists and the send log (personal data); site/: the
# website `prcli export --format html -o site/` (the README's folder) builds: generated, published
# by copying, not kept in git.
GITIGNORE = ".prcli/\n/private/\n/site/\n"

EPILOG = """Examples:

  prcli init press --org "State Security Service" --department "Public Relations Department" --timezone Asia/Baku --language en --language az --language ru

  prcli init        (in a terminal: asks for the organisation, timezone and languages)
"""


def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder for the new repository (created if missing).")
    ] = Path("."),
    org: Annotated[
        str | None, typer.Option("--org", help="Organisation name.", show_default=False)
    ] = None,
    department: Annotated[
        str | None,
        typer.Option("--department", help="The issuing department.", show_default=False),
    ] = None,
    issuer: Annotated[
        str | None,
        typer.Option(
            "--issuer",
            help="Issuer line on releases. Default: '<department> of the <organisation>'.",
            show_default=False,
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone", help="IANA timezone of the issuer, e.g. Asia/Baku.", show_default=False
        ),
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option(
            "--language",
            "-l",
            help="A release language as a BCP 47 tag; repeat for several, the first is the default.",
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            "-c",
            help="A release category; repeat for several. Default: Events, Official, Statements, "
            "Interviews.",
            show_default=False,
        ),
    ] = None,
    url: Annotated[
        str, typer.Option("--url", help="Public address of the press page (for feeds and ids).")
    ] = "",
    front_matter: Annotated[
        str, typer.Option("--format", help="Front matter of new releases: yaml or toml.")
    ] = "yaml",
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
) -> None:
    """Create a release repository: prcli.toml, releases/, .gitattributes and .gitignore.

    .gitattributes names prcli's merge driver for release files; when the folder is the top of a
    git clone the driver is installed in its .git/config too (never in a repository that merely
    holds the folder; elsewhere run `prcli setup git` once the folder is in git)."""
    target = directory.expanduser()
    if (target / CONFIG_NAME).exists():
        raise RepositoryExists(
            f"{target / CONFIG_NAME} exists: {target} is already a prcli repository",
            hint=f"edit {CONFIG_NAME} to change its settings; nothing was changed",
        )
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder", hint="choose another folder")
    interactive = terminal.stdin_is_interactive() and not no_input
    if org is None:
        if not interactive:
            raise UsageError(
                "missing --org", hint='pass --org "Organisation name" (no terminal to ask on)'
            )
        org = prompts.ask_text("Organisation")
    if department is None:
        department = prompts.ask_text("Department (optional)", default="") if interactive else ""
    if timezone is None:
        local = _local_timezone()
        timezone = prompts.ask("Timezone", _check_timezone, default=local) if interactive else local
    _check_timezone(timezone)
    if front_matter not in ("yaml", "toml"):
        raise InvalidValue(f"--format must be yaml or toml, not '{front_matter}'")
    if not language and interactive:
        language = prompts.ask(
            "Languages (BCP 47 tags, comma- or space-separated; the first is the default)",
            _parse_languages,
            default=" ".join(config.DEFAULT_LANGUAGES),
        )
    languages = tuple(dict.fromkeys(language or config.DEFAULT_LANGUAGES))
    categories = tuple(dict.fromkeys(category or config.DEFAULT_CATEGORIES))
    text = config.render(
        organisation=org.strip(),
        department=department.strip(),
        issuer=(issuer or "").strip(),
        timezone_name=timezone,
        url=url,
        languages=languages,
        categories=categories,
        fmt="toml" if front_matter == "toml" else "yaml",
    )
    # Read what we are about to write: a bad --language fails here, before anything exists.
    import tomllib

    config.from_mapping(target / CONFIG_NAME, tomllib.loads(text))

    target.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(target / CONFIG_NAME, text.encode("utf-8"), exclusive=True)
    except FileExistsError:
        raise RepositoryExists(
            f"{target / CONFIG_NAME} appeared meanwhile; nothing changed"
        ) from None
    (target / "releases").mkdir(exist_ok=True)
    _ensure_lines(target / ".gitattributes", GITATTRIBUTES)
    _ensure_lines(target / ".gitignore", GITIGNORE)
    from prcli.gitsync import git, install

    install.ensure_attributes(target, "releases")
    output.say(f"Created a prcli repository in {target.resolve()}", "green")
    top = git.toplevel(target) if git.is_work_tree(target) else None
    if top is not None and top.resolve() == target.resolve():
        install.ensure_config(target)
        output.say("Installed the merge driver for release files in this git clone.")
    elif top is not None:
        # Never the config of a repository that merely holds the folder (a clone it was made in).
        output.say(
            f"{target} is inside the git repository {top}: its git settings were left alone. "
            f"For a repository of its own: `git init {target}`, then `prcli setup git` there; "
            f"to keep the releases in {top}, run `prcli setup git` in {target}."
        )
    else:
        output.say("For a team: `git init`, commit, and run `prcli setup git` in every clone.")
    output.say('Next: prcli new "Title of the first release"')


def _ensure_lines(path: Path, lines: str) -> None:
    """Add our lines to a git settings file, keeping whatever it already says."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [line for line in lines.splitlines() if line not in existing.splitlines()]
    if not missing:
        return
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    write_atomic(path, (existing + prefix + "\n".join(missing) + "\n").encode("utf-8"))


def _parse_languages(answer: str) -> list[str]:
    """'en, az ru' -> ['en', 'az', 'ru']; a tag that is not BCP 47 is refused (asked again)."""
    tags = [tag for tag in answer.replace(",", " ").split() if tag]
    for tag in tags:
        if not config.LANGUAGE_TAG.fullmatch(tag):
            raise InvalidValue(
                f"'{tag}' is not a BCP 47 language tag",
                hint="use tags such as en, az, ru, pt-BR",
            )
    if not tags:
        raise InvalidValue("no language given", hint="use tags such as en, az, ru")
    return tags


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(
            f"unknown timezone '{name}'", hint="use an IANA name such as Asia/Baku or Europe/Moscow"
        ) from None


def _local_timezone() -> str:
    """The machine's IANA timezone name when it can be found, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                ZoneInfo(name)
                return name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return "UTC"
