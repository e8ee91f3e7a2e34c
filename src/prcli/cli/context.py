"""Per-invocation state kept in Typer's ctx.obj: the global options and the opened repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prcli import clock

if TYPE_CHECKING:
    from datetime import datetime

    import typer

    from prcli.repository import Repository


@dataclass
class AppContext:
    repo_option: str | None = None
    now_option: str | None = None
    use_cache: bool = True
    _cwd: Path | None = None
    _repository: Repository | None = None

    @property
    def cwd(self) -> Path:
        """The folder prcli was started in, asked for when a command needs it (a deleted one is
        a WorkingFolderGone error inside the guard, and --repo works without it)."""
        if self._cwd is None:
            from prcli.cwd import current_folder

            self._cwd = current_folder()
        return self._cwd

    @classmethod
    def of(cls, ctx: typer.Context) -> AppContext:
        root = ctx.find_root()
        if not isinstance(root.obj, AppContext):
            root.obj = AppContext()
        return root.obj

    def repository(self) -> Repository:
        if self._repository is None:
            from prcli.repository import Repository

            start = Path() if self.repo_option else self.cwd
            self._repository = Repository.discover(
                start, self.repo_option, use_cache=self.use_cache
            )
        return self._repository

    def clock_mark(self) -> str:
        """ "pinned" when the time comes from --now / PRCLI_NOW (recorded in history steps)."""
        return clock.PINNED if clock.is_pinned(self.now_option) else ""

    def now(self) -> datetime:
        return clock.now(self.repository().config.timezone, self.now_option)
