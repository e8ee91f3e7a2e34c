"""Per-invocation state kept in Typer's ctx.obj: the global options and the opened repository."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    cwd: Path = field(default_factory=Path.cwd)
    _repository: Repository | None = None

    @classmethod
    def of(cls, ctx: typer.Context) -> AppContext:
        root = ctx.find_root()
        if not isinstance(root.obj, AppContext):
            root.obj = AppContext()
        return root.obj

    def repository(self) -> Repository:
        if self._repository is None:
            from prcli.repository import Repository

            self._repository = Repository.discover(
                self.cwd, self.repo_option, use_cache=self.use_cache
            )
        return self._repository

    def clock_mark(self) -> str:
        """ "pinned" when the time comes from --now / PRCLI_NOW (recorded in history steps)."""
        return clock.PINNED if clock.is_pinned(self.now_option) else ""

    def now(self) -> datetime:
        return clock.now(self.repository().config.timezone, self.now_option)
