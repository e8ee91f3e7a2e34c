"""Generate a realistic synthetic release repository for benchmarks.

    .venv/bin/python benchmarks/generate.py 10000 benchmarks/corpus-10000 [--seed 7]

Releases spread over ten years, in English, Azerbaijani and Russian (a third of them as translation
groups of three), 300-600 word bodies, every front-matter field, related releases, history, and an
attachment on one release in a hundred. Written with prcli's own renderer, so files are canonical.
Deterministic for a given seed. The output folder is git-ignored (benchmarks/corpus*/).
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from prcli.ids import slugify_title
from prcli.model import Attachment, Contact, HistoryEntry, Release, Status
from prcli.repository import render

BAKU = timezone(timedelta(hours=4))
END = date(2026, 11, 27)
CATEGORIES = ["Events", "Official", "Statements", "Interviews"]

WORDS = {
    "en": [
        "security",
        "service",
        "meeting",
        "delegation",
        "region",
        "cooperation",
        "exchange",
        "information",
        "threat",
        "border",
        "citizens",
        "operation",
        "agreement",
        "minister",
        "department",
        "statement",
        "official",
        "visit",
        "international",
        "terrorism",
        "prevention",
        "stability",
        "conference",
        "training",
        "exercise",
        "rescue",
        "emergency",
        "public",
        "warning",
        "investigation",
        "court",
        "decision",
        "report",
        "council",
        "president",
        "government",
        "partners",
        "measures",
        "safety",
    ],
    "az": [
        "təhlükəsizlik",
        "xidmət",
        "görüş",
        "nümayəndə",
        "region",
        "əməkdaşlıq",
        "məlumat",
        "mübadilə",
        "təhdid",
        "sərhəd",
        "vətəndaş",
        "əməliyyat",
        "razılaşma",
        "nazir",
        "şöbə",
        "bəyanat",
        "rəsmi",
        "səfər",
        "beynəlxalq",
        "terrorizm",
        "qarşısının",
        "sabitlik",
        "konfrans",
        "təlim",
        "xilasetmə",
        "fövqəladə",
        "əhali",
        "xəbərdarlıq",
        "araşdırma",
        "məhkəmə",
        "qərar",
        "hesabat",
    ],
    "ru": [
        "безопасность",
        "служба",
        "встреча",
        "делегация",
        "регион",
        "сотрудничество",
        "обмен",
        "информация",
        "угроза",
        "граница",
        "граждане",
        "операция",
        "соглашение",
        "министр",
        "управление",
        "заявление",
        "официальный",
        "визит",
        "международный",
        "терроризм",
        "профилактика",
        "стабильность",
        "конференция",
        "учения",
        "спасение",
        "чрезвычайный",
        "население",
    ],
}
PLACES = [
    "Baku",
    "Ganja",
    "Shusha",
    "Sumgait",
    "Lankaran",
    "Sheki",
    "Moscow",
    "Tbilisi",
    "Nakhchivan",
]
PEOPLE = ["Ali Naghiyev", "Orkhan Sultanov", "Leyla Mammadova", "Kamran Huseynov", "Aysel Quliyeva"]


def sentence(rng: random.Random, language: str, words: int) -> str:
    chosen = [rng.choice(WORDS[language]) for _ in range(words)]
    return (" ".join(chosen)).capitalize() + "."


def body(rng: random.Random, language: str) -> str:
    target = rng.randint(300, 600)
    paragraphs, count = [], 0
    while count < target:
        size = rng.randint(40, 90)
        paragraphs.append(
            " ".join(sentence(rng, language, rng.randint(8, 18)) for _ in range(size // 12))
        )
        count += size
    return "\n\n".join(paragraphs)


def small_picture() -> bytes:
    """A real (tiny) JPEG for the attachments: exports make renditions of pictures."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (96, 64), (40, 90, 140)).save(buffer, "JPEG")
    return buffer.getvalue()


def trail(
    rng: random.Random, status: Status, created: datetime, day: date
) -> tuple[HistoryEntry, ...]:
    """The workflow steps that lead to `status`: the last step is the status (prcli.publication)."""
    steps = [
        HistoryEntry(Status.DRAFT, created, rng.choice(PEOPLE), "created"),
        HistoryEntry(Status.REVIEW, created + timedelta(hours=2), rng.choice(PEOPLE)),
        HistoryEntry(Status.APPROVED, moment(day, 8), rng.choice(PEOPLE)),
        HistoryEntry(Status.PUBLISHED, moment(day, 10), rng.choice(PEOPLE)),
    ]
    order = [Status.DRAFT, Status.REVIEW, Status.APPROVED, Status.PUBLISHED]
    if status in order:
        return tuple(steps[: order.index(status) + 1])
    note = "Issued in error." if status is Status.RETRACTED else ""
    return (*steps, HistoryEntry(status, moment(day, 12), rng.choice(PEOPLE), note))


def moment(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=BAKU)


def generate(count: int, target: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "releases").mkdir(parents=True)
    (target / "prcli.toml").write_text(
        '[organisation]\nname = "State Security Service"\ndepartment = "Public Relations Department"\n'
        'timezone = "Asia/Baku"\nurl = "https://press.example.org"\n\n[releases]\n'
        f'languages = ["en", "az", "ru"]\ncategories = {CATEGORIES!r}\n'.replace("'", '"'),
        encoding="utf-8",
    )
    span = 3650
    ids: list[str] = []
    picture = small_picture()
    made = 0
    while made < count:
        day = END - timedelta(days=int(span * made / count) + rng.randint(0, 2))
        group = rng.random() < 1 / 3 and made + 3 <= count
        languages = ["en", "az", "ru"] if group else [rng.choice(["en", "en", "az", "ru"])]
        key = f"group-{made}" if group else ""
        category = rng.choice(CATEGORIES)
        status = rng.choices(list(Status), weights=[5, 3, 3, 80, 7, 2])[0]
        for language in languages:
            title = sentence(rng, language, rng.randint(5, 10))[:-1][:100].strip()
            slug = slugify_title(title) or "release"
            release_id = f"{day.isoformat()}-{slug}-{made}"
            embargo = moment(day, 9) if rng.random() < 0.05 else None
            created = moment(day - timedelta(days=1), 15)
            release = Release(
                id=release_id,
                title=title,
                subtitle=sentence(rng, language, 6) if rng.random() < 0.3 else "",
                summary=sentence(rng, language, 20),
                status=status,
                category=category,
                language=language,
                date=day,
                embargo_until=embargo,
                event_date=day - timedelta(days=rng.randint(0, 3)),
                dateline=rng.choice(PLACES),
                issuer="Public Relations Department of the State Security Service",
                tags=tuple(rng.sample(WORDS[language], 3)),
                people=tuple(rng.sample(PEOPLE, 2)),
                organisations=("State Security Service",),
                places=tuple(rng.sample(PLACES, 2)),
                contacts=(
                    Contact(
                        name="Press office", email="press@example.org", phone="+994 12 555 01 00"
                    ),
                ),
                related=tuple(rng.sample(ids[-50:], 2))
                if len(ids) > 50 and rng.random() < 0.3
                else (),
                translation_key=key,
                attachments=(Attachment(path=f"{release_id}.jpg", caption="Photo", kind="image"),)
                if rng.random() < 0.01
                else (),
                created=created,
                updated=moment(day, 10),
                history=trail(rng, status, created, day),
                retraction="Issued in error." if status is Status.RETRACTED else "",
                body=body(rng, language),
            )
            folder = target / "releases" / str(day.year)
            folder.mkdir(exist_ok=True)
            (folder / f"{release_id}.md").write_bytes(render(release, "yaml"))
            for attachment in release.attachments:
                (folder / attachment.path).write_bytes(picture)
            ids.append(release_id)
            made += 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    generate(arguments.count, arguments.target, arguments.seed)


if __name__ == "__main__":
    main()
