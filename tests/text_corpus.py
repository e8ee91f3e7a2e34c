"""A corpus of archive pages for the plain-text importer: nine news items (English, Azerbaijani,
Russian) laid out the ways agency sites and web archives save them. Each page knows what a careful
reader would take from it, so a test can compare.

Layouts: issuer line or none; headline before or after the date line or none; category and date on
one line or two; a time of day on the date line or on its own line; blank lines between paragraphs
or none at all (every line its own paragraph, or hard-wrapped with line-end hyphens); page furniture
after the body (Other news, Share, ©); written and numeric dates; CRLF, no-break spaces, cp1251.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from datetime import date, time


@dataclass(frozen=True)
class Story:
    key: str
    language: str
    title: str
    day: date
    category_word: str  # as printed on the page
    category: str  # the repository's category it maps to
    issuer_line: str
    issuer: str  # what the importer should keep
    paragraphs: tuple[str, ...]
    written: str  # the date as the page writes it
    furniture: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    name: str
    story: Story
    data: bytes
    expect_title: str  # "" when the page has no headline (derived from the first sentence)
    expect_time: time | None = None
    expect_issuer: bool = True
    exact_paragraphs: bool = True  # False when the layout loses paragraph boundaries


STORIES = (
    Story(
        "en-cis",
        "en",
        "Security chiefs of the region meet in Moscow",
        date(2021, 10, 15),
        "Events",
        "Events",
        "Information of the Press Service of the State Security Service",
        "Press Service of the State Security Service",
        (
            "The regular meeting of the heads of the security services of the region was held in "
            "Moscow on October 13. The delegations discussed cooperation against terrorism and the "
            "situation on the borders.",
            "The participants agreed to exchange information more often, to hold joint exercises "
            "and to meet again next year in Baku.",
        ),
        "15 October 2021",
        ("Other news", "Exercise held in Ganja", "New duty centre opens"),
    ),
    Story(
        "en-flood",
        "en",
        "Civil protection service ready for the autumn flood season",
        date(2022, 11, 2),
        "Statements",
        "Statements",
        "Public Relations Department of the Civil Protection Service",
        "Public Relations Department of the Civil Protection Service",
        (
            "Rescue teams in the river districts have been reinforced with boats, pumps and "
            "mobile shelters ahead of the autumn rains.",
            "Residents of low-lying villages along the Kura river are asked to follow the "
            "warnings of local authorities and to keep an emergency bag ready.",
            "The duty centre can be reached at 112 around the clock.",
        ),
        "2 November 2022",
        ("Share", "Print", "© 2022 Civil Protection Service. All rights reserved."),
    ),
    Story(
        "en-cyber",
        "en",
        "Warning about fraudulent messages in the name of the service",
        date(2023, 6, 14),
        "Official",
        "Official",
        "Information of the Public Relations Department of the State Security Service",
        "Public Relations Department of the State Security Service",
        (
            "Citizens have received text messages asking them to pay fines through a link that "
            "imitates the service's website.",
            "The service does not collect payments by text message. Do not open such links and "
            "report the messages to the hotline.",
        ),
        "14 June 2023",
        ("Related news", "Hotline numbers updated"),
    ),
    Story(
        "az-cis",
        "az",
        "Regionun təhlükəsizlik rəhbərləri Moskvada görüşüb",
        date(2021, 10, 15),
        "Tədbirlər",
        "Events",
        "Dövlət Təhlükəsizliyi Xidmətinin İctimaiyyətlə Əlaqələr Şöbəsinin məlumatı",
        "Dövlət Təhlükəsizliyi Xidmətinin İctimaiyyətlə Əlaqələr Şöbəsinin",
        (
            "Oktyabrın 13-də Moskvada regionun təhlükəsizlik xidmətləri rəhbərlərinin növbəti "
            "görüşü keçirilib. Görüşdə terrorizmlə mübarizə məsələləri müzakirə olunub.",
            "İştirakçılar məlumat mübadiləsini genişləndirməyə və gələn il Bakıda görüşməyə "
            "razılaşıblar.",
        ),
        "15 oktyabr 2021",
        ("Digər xəbərlər", "Gəncədə təlim keçirilib"),
    ),
    Story(
        "az-flood",
        "az",
        "Mülki müdafiə xidməti payız daşqınlarına hazırdır",
        date(2022, 11, 2),
        "Bəyanatlar",
        "Statements",
        "Mülki Müdafiə Xidmətinin Mətbuat xidməti",
        "Mülki Müdafiə Xidmətinin Mətbuat xidməti",
        (
            "Kür çayı boyunca yerləşən rayonlarda xilasetmə qrupları qayıqlar və nasoslarla "
            "gücləndirilib.",
            "Sakinlərdən yerli hakimiyyət orqanlarının xəbərdarlıqlarına əməl etmələri xahiş "
            "olunur.",
        ),
        "2 noyabr 2022",
        ("Paylaş", "© 2022 Bütün hüquqlar qorunur"),
    ),
    Story(
        "az-cyber",
        "az",
        "Xidmətin adından saxta mesajlar barədə xəbərdarlıq",
        date(2023, 6, 14),
        "Rəsmi xronika",
        "Official",
        "DTX",
        "DTX",
        (
            "Vətəndaşlara xidmətin saytını təqlid edən keçid vasitəsilə cərimə ödəməyi tələb edən "
            "mesajlar göndərilib.",
            "Xidmət mesaj vasitəsilə ödəniş qəbul etmir. Belə keçidləri açmayın.",
        ),
        "14 iyun 2023",
        ("Oxşar xəbərlər", "Qaynar xəttin nömrələri yenilənib"),
    ),
    Story(
        "ru-search",
        "ru",
        "Спасатели нашли заблудившихся туристов в горах",
        date(2023, 6, 14),
        "События",
        "Events",
        "Информация Управления по связям с общественностью Службы гражданской защиты",
        "Управления по связям с общественностью Службы гражданской защиты",
        (
            "Вечером 13 июня поисково-спасательным отрядом службы в горах Гусарского района "
            "найдены три туриста, сошедшие с маршрута.",
            "Туристы доставлены в районную больницу, их жизни ничего не угрожает. Служба "
            "напоминает о необходимости регистрировать туристические маршруты.",
        ),
        "14 июня 2023",
        ("Другие новости", "Учения в Гяндже"),
    ),
    Story(
        "ru-cis",
        "ru",
        "Встреча руководителей спецслужб в Москве",
        date(2021, 10, 15),
        "События",
        "Events",
        "Пресс-служба Службы государственной безопасности",
        "Пресс-служба Службы государственной безопасности",
        (
            "13 октября в Москве состоялось очередное заседание руководителей органов "
            "безопасности и специальных служб. Участники обсудили угрозы безопасности в регионе.",
            "Стороны договорились расширить обмен информацией и провести совместные учения.",
        ),
        "15 октября 2021",
        ("Читайте также", "Новый дежурный центр"),
    ),
    Story(
        "ru-statement",
        "ru",
        "Заявление о готовности к паводкам",
        date(2022, 11, 2),
        "Заявления",
        "Statements",
        "Информация Пресс-службы Службы гражданской защиты",
        "Пресс-службы Службы гражданской защиты",
        (
            "Аварийно-спасательные подразделения в прибрежных районах усилены лодками и "
            "мотопомпами.",
            "Жителей низменных сёл просят следить за предупреждениями местных органов власти.",
        ),
        "2 ноября 2022",
        ("Поделиться", "© 2022 Все права защищены"),
    ),
)


def _numeric(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _body(story: Story, *, blank: bool = True, wrap: int = 0) -> list[str]:
    out: list[str] = []
    for paragraph in story.paragraphs:
        lines = (
            textwrap.wrap(paragraph, wrap, break_on_hyphens=True, break_long_words=False)
            if wrap
            else [paragraph]
        )
        out.extend(lines)
        if blank:
            out.append("")
    return out


def _pages(story: Story) -> list[Page]:
    s = story
    dated = f"{s.category_word} {s.written}"
    pages = []

    def add(layout: str, lines: list[str], **expect: object) -> None:
        text = "\n".join(lines) + "\n"
        encoding = str(expect.pop("encoding", "utf-8"))
        newline = str(expect.pop("newline", "\n"))
        data = text.replace("\n", newline).encode(encoding)
        title = str(expect.pop("title", s.title))
        pages.append(Page(f"{s.key}-{layout}", s, data, title, **expect))  # type: ignore[arg-type]

    # 1. The classic: issuer, category and date, headline, paragraphs, furniture.
    add("classic", [s.issuer_line, "", dated, "", s.title, "", *_body(s), *s.furniture])
    # 2. Headline on the first line, then the date line; no issuer line.
    add(
        "headline-first",
        [s.title, dated, "", *_body(s), *s.furniture],
        expect_issuer=False,
    )
    # 3. Category and date on two lines, a time of day on its own line, headline after.
    add(
        "two-lines-time",
        [s.issuer_line, "", s.category_word, s.written, "14:35", "", s.title, "", *_body(s)],
        expect_time=time(14, 35),
    )
    # 4. Lost blank lines: every line its own paragraph, furniture straight after.
    add(
        "no-blank-lines",
        [s.issuer_line, dated, s.title, *_body(s, blank=False), *s.furniture],
    )
    # 5. Lost blank lines and hard-wrapped, hyphenated at line ends.
    add(
        "hard-wrapped",
        [s.issuer_line, dated, s.title, *_body(s, blank=False, wrap=48), *s.furniture],
        exact_paragraphs=False,
    )
    # 6. Numeric date with the time on the same line, CRLF line ends, no-break spaces.
    add(
        "numeric-crlf",
        [
            s.issuer_line.replace(" ", "\u00a0", 2),
            "",
            s.title,
            f"{s.category_word}\u00a0|\u00a0{_numeric(s.day)}\u00a010:05",
            "",
            *_body(s),
            *s.furniture,
        ],
        expect_time=time(10, 5),
        newline="\r\n",
    )
    return pages


def _extras() -> list[Page]:
    ru, en, az = STORIES[6], STORIES[0], STORIES[3]
    extra = [
        Page(
            "ru-search-cp1251",
            ru,
            "\n".join(
                [
                    ru.issuer_line,
                    "",
                    f"{ru.category_word} {ru.written}",
                    "",
                    ru.title,
                    "",
                    *_body(ru),
                ]
            ).encode("cp1251"),
            ru.title,
        ),
        Page(
            "en-cis-us-date",
            en,
            "\n".join(
                [en.issuer_line, "", "Events | October 15, 2021", "", en.title, "", *_body(en)]
            ).encode(),
            en.title,
        ),
        Page(
            "az-cis-no-headline",
            replace(az),
            "\n".join(
                [
                    az.issuer_line,
                    "",
                    f"{az.category_word} {az.written}",
                    "",
                    *_body(az),
                    *az.furniture,
                ]
            ).encode(),
            "",
        ),
        Page(
            "en-cis-iso-date-tabs",
            en,
            "\n".join(["\t" + en.title + "\t", "Events\t2021-10-15", "", *_body(en)]).encode(),
            en.title,
            expect_issuer=False,
        ),
    ]
    return extra


PAGES: tuple[Page, ...] = tuple(page for story in STORIES for page in _pages(story)) + tuple(
    _extras()
)
