"""The Jinja2 environment: prcli's templates, overridden file by file by the repository's own.

Autoescaping is on for every template. All templates are compiled before anything is written, so
a syntax error names its file and line and leaves the export folder as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prcli.errors import TemplateError

PAGES = ("root.html", "list.html", "archive.html", "release.html", "search.html")


def environment(own: Path | None, *, reload: bool = True) -> Any:
    """The environment, every template compiled. reload=False: templates are never looked at
    on disk again (a site export, which compiles them once and renders thousands of pages, each
    extends and include asking again); a long-lived one (e-mail, cached per process) keeps
    checking and sees a template edited since."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if own is not None:
        loaders.append(jinja2.FileSystemLoader(own))
    loaders.append(jinja2.PackageLoader("prcli.site", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=reload,
    )
    names = set(PAGES)
    if own is not None:
        names.update(p.relative_to(own).as_posix() for p in own.rglob("*.html"))
    for name in sorted(names):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            where = Path(error.filename) if error.filename else (own or Path(".")) / name
            raise TemplateError(
                where,
                f"template syntax error: {error.message}",
                line=error.lineno,
                hint="fix the template; nothing was written",
            ) from None
        except jinja2.TemplateNotFound as error:
            raise TemplateError(
                (own or Path(".")) / name,
                f"template {error.name} not found",
                hint="keep the name of prcli's template, or remove the include",
            ) from None
    return env


def sources_key(own: Path | None) -> bytes:
    """The bytes of every template in use: a change to any of them re-renders every page."""
    from importlib import resources

    parts = []
    shipped = resources.files("prcli.site").joinpath("templates")
    for entry in sorted(shipped.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".html"):
            parts.append(entry.name.encode() + b"\0" + entry.read_bytes())
    if own is not None:
        for path in sorted(own.rglob("*")):
            if path.is_file():
                parts.append(path.relative_to(own).as_posix().encode() + b"\0" + path.read_bytes())
    return b"\0\0".join(parts)


def render(env: Any, name: str, context: dict[str, Any], own: Path | None) -> bytes:
    """Render a page; an error inside a template names the template file and line."""
    import jinja2

    try:
        text: str = env.get_template(name).render(context)
        return text.encode("utf-8")
    except jinja2.TemplateError as error:
        import traceback

        where, line = (own or Path(".")) / name, None
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith(".html"):
                where, line = Path(frame.filename), frame.lineno
                break
        raise TemplateError(
            where,
            f"template error: {error}",
            line=line,
            hint="fix the template (the names a template can use are in docs/site.md)",
        ) from None
