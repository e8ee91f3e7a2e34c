"""Scheduled publishing on the git host: `prcli setup ci github|gitlab` writes a workflow that runs
`prcli publish --due` every few minutes, commits and pushes the result with `prcli sync` (which
retries a rejected push), and exports the site and feeds; never two runs at once.

Schedules on both hosts are best effort: a run can start late (GitHub: under load, notably at the
start of every hour; GitLab: only when the instance's pipeline-schedule worker next runs). That is
safe: `publish --due` publishes every approved release whose `publish_at` has passed, however late
the run, and nothing whose time has not come, and never anything under embargo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prcli import __version__
from prcli.atomicfile import write_atomic
from prcli.errors import InvalidValue, PrcliError

HOSTS = ("github", "gitlab")
MIN_MINUTES = 5  # GitHub runs schedules at most every 5 minutes
GROUP = "prcli-publish"
BOT = "prcli scheduler"
EXPORT_FOLDER = "public"


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


INSTALL_EXAMPLE = (
    "--install 'python -m pip install \"prcli @ git+https://example.org/you/prcli.git\"'"
    " (or a path in the repository: --install 'python -m pip install ./tools/prcli')"
)


def unset_install(host: str) -> str:
    """prcli is not published on the Python package index: without --install, the workflow's
    install step is a placeholder that fails on the runner."""
    return (
        "prcli is not on the Python package index, so the workflow's install step "
        f"(pip install prcli=={__version__}) will fail; write it again with "
        f"prcli setup ci {host} --force {INSTALL_EXAMPLE}"
    )


def default_install() -> str:
    return f'python -m pip install "prcli=={__version__}"'


def _install_comment(given: bool, indent: str) -> str:
    if given:
        return ""
    lines = [
        "NOTE: prcli is not on the Python package index, so this install command fails until",
        "you replace it by how your team installs prcli, e.g. run prcli setup ci --force with",
        "--install 'python -m pip install \"prcli @ git+https://example.org/you/prcli.git\"'",
        "(or a path in the repository: --install 'python -m pip install ./tools/prcli').",
    ]
    return "".join(f"{indent}# {line}\n" for line in lines)


def cron(every: int) -> str:
    if every < MIN_MINUTES or every > 60 or 60 % every:
        raise InvalidValue(
            f"--every {every}: choose minutes that divide an hour, at least {MIN_MINUTES}",
            hint="5, 10, 15, 20, 30 or 60",
        )
    # Off the full hour: both hosts are busiest at :00.
    return "7 * * * *" if every == 60 else f"{7 % every}-59/{every} * * * *"


def _publish_lines() -> list[str]:
    return [
        "status=0",
        "prcli publish --due || status=$?      # a release that fails its checks is left as is",
        "prcli sync                            # commit, take in, push; retried when rejected",
        f"prcli export --format html -o {EXPORT_FOLDER}/ --force",
        f"prcli export --format atom -o {EXPORT_FOLDER}/feed.atom --force",
        f"prcli export --format rss -o {EXPORT_FOLDER}/feed.rss --force",
        'exit "$status"',
    ]


def github(every: int, install: str, folder: str, given: bool = True) -> str:
    working = f"\ndefaults:\n  run:\n    working-directory: {folder}\n" if folder != "." else ""
    artifact = f"{folder}/{EXPORT_FOLDER}" if folder != "." else EXPORT_FOLDER
    script = "\n".join(f"          {line}" for line in _publish_lines())
    return f"""\
# Written by `prcli setup ci github` (prcli {__version__}). Scheduled publishing:
# every {every} minutes, publish the approved releases whose time has come (prcli publish --due),
# commit and push that with prcli sync (it retries when someone pushed first), and export the
# site and feeds into {EXPORT_FOLDER}/ for GitHub Pages.
#
# GitHub starts scheduled runs on a best-effort basis: they can be late (most at the start of an
# hour) and under heavy load skipped; the shortest interval is 5 minutes, schedules run only on
# the default branch, and in a public repository they stop after 60 days without activity.
# A late run is safe: publish --due catches up on everything whose publish_at has passed and
# never publishes early or under embargo. The run at a given minute is not guaranteed.
name: prcli scheduled publishing

on:
  schedule:
    - cron: "{cron(every)}"
  workflow_dispatch: {{}}

# Never two runs at once: a new run waits for the one in progress (none is cancelled mid-push).
concurrency:
  group: {GROUP}
  cancel-in-progress: false

permissions:
  contents: write
  pages: write
  id-token: write
{working}
jobs:
  publish:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
{_install_comment(given, "      ")}      - name: Install prcli
        run: {install}
      - name: Set up git for prcli
        run: |
          git config user.name "{BOT}"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          prcli setup git
      - name: Publish what is due, push it, export the site and feeds
        run: |
{script}
      - uses: actions/upload-pages-artifact@v3
        with:
          path: {artifact}

  deploy:
    needs: publish
    runs-on: ubuntu-latest
    environment:
      name: github-pages
    steps:
      - uses: actions/deploy-pages@v4
"""


def gitlab(every: int, install: str, folder: str, given: bool = True) -> str:
    enter = [f"cd {folder}"] if folder != "." else []
    script = "\n".join(f"      {line}" for line in [*enter, *_publish_lines()])
    artifact = f"{folder}/{EXPORT_FOLDER}" if folder != "." else EXPORT_FOLDER
    return f"""\
# Written by `prcli setup ci gitlab` (prcli {__version__}). Scheduled publishing: run it from a
# pipeline schedule (Build > Pipeline schedules, cron "{cron(every)}", every {every} minutes).
# It publishes the approved releases whose time has come (prcli publish --due), commits and
# pushes that with prcli sync (retried when someone pushed first), and exports the site and
# feeds into {EXPORT_FOLDER}/ (rename the job to `pages` to serve them with GitLab Pages).
#
# Pushing needs a project access token with write_repository in the CI/CD variable
# PRCLI_PUSH_TOKEN (masked, protected): the job token cannot push.
#
# GitLab creates scheduled pipelines only when the instance's pipeline-schedule worker runs
# (GitLab.com: every few minutes; self-managed: gitlab_rails['pipeline_schedule_worker_cron']),
# so a run can start later than its cron line says. A late run is safe: publish --due catches up
# on everything whose publish_at has passed and never publishes early or under embargo.
prcli-publish:
  image: python:3.12
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
    - if: $CI_PIPELINE_SOURCE == "web"
  # Never two runs at once: jobs of one resource group run one after the other.
  resource_group: {GROUP}
  timeout: 15 minutes
  variables:
    GIT_STRATEGY: clone
    GIT_DEPTH: "0"
  before_script:
{_install_comment(given, "    ")}    - {install}
    - git config user.name "{BOT}"
    - git config user.email "prcli-scheduler@$CI_SERVER_HOST"
    - git checkout -B "$CI_COMMIT_REF_NAME" "origin/$CI_COMMIT_REF_NAME"
    - git remote set-url --push origin "https://prcli:$PRCLI_PUSH_TOKEN@$CI_SERVER_HOST/$CI_PROJECT_PATH.git"
    - prcli setup git
  script:
    - |
{script}
  artifacts:
    paths:
      - {artifact}
"""


def write_ci(
    host: str,
    top: Path,
    root: Path,
    *,
    every: int = 10,
    install: str = "",
    force: bool = False,
) -> Written:
    """Write the workflow file for `host` at the git top level `top` (prcli's root is `root`)."""
    if host not in HOSTS:
        raise InvalidValue(f"unknown CI host '{host}'", hint="prcli setup ci github | gitlab")
    folder = root.resolve().relative_to(top.resolve()).as_posix()
    given = bool(install.strip())
    install = install.strip() or default_install()
    warnings = () if given else (unset_install(host),)
    if host == "github":
        path = top / ".github" / "workflows" / f"{GROUP}.yml"
        text = github(every, install, folder, given)
        notes: tuple[str, ...] = (
            "enable Pages with source 'GitHub Actions' (Settings > Pages), commit the file and push",
        )
    else:
        path = top / ".gitlab" / f"{GROUP}.yml"
        text = gitlab(every, install, folder, given)
        notes = (
            f"add a pipeline schedule with cron '{cron(every)}' and the variable PRCLI_PUSH_TOKEN",
        )
    if path.exists() and not force and path.read_text(encoding="utf-8") != text:
        raise PrcliError(
            f"{path} exists and differs from what prcli would write",
            hint="pass --force to replace it (compare first: it may hold your own changes)",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    if host == "gitlab":
        notes = (*notes, *_include_gitlab(top, path))
    return Written(path, notes, warnings)


def _include_gitlab(top: Path, path: Path) -> tuple[str, ...]:
    """GitLab reads only .gitlab-ci.yml: create it including our file, or say what to add."""
    main = top / ".gitlab-ci.yml"
    local = path.relative_to(top).as_posix()
    include = f"include:\n  - local: {local}\n"
    if not main.exists():
        write_atomic(main, include.encode("utf-8"))
        return (f"created .gitlab-ci.yml including {local}",)
    if local in main.read_text(encoding="utf-8"):
        return ()
    return (f"add to .gitlab-ci.yml:  include: [{{local: {local}}}]",)
