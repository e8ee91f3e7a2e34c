"""Full-text search: what goes into the index, how a user's query becomes an FTS5 query, and the
snippet shown for a hit. The index itself lives in the index cache (prcli.cache)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prcli.errors import InvalidRelease, InvalidValue, PrcliError
from prcli.model import Release
from prcli.text import fold

if TYPE_CHECKING:
    from collections.abc import Callable

    from prcli.cache import IndexCache
    from prcli.query import Filters
    from prcli.releasefile import Entry
    from prcli.repository import Repository

COLUMNS = ("title", "subtitle", "summary", "body", "tags", "names")
# bm25 weights, in column order: a title match outweighs a body match.
WEIGHTS = (10.0, 5.0, 3.0, 1.0, 4.0, 2.0)
MAX_TERMS = 32
MAX_LENGTH = 500
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_WORD = re.compile(r"\w+")


# Letters FTS5's unicode61 tokenizer does not fold by itself (it lower-cases and strips Latin
# diacritics, so 'Şuşa' and 'susa' already meet): the Azerbaijani schwa and dotless i, Cyrillic ё.
_SEARCH_EXTRA = str.maketrans({"ə": "e", "Ə": "E", "ı": "i", "ё": "е", "Ё": "Е"})


def searchable(text: str) -> str:
    """Text as it goes into (and is looked up in) the index: cheap, and the same on both sides."""
    return text.translate(_SEARCH_EXTRA)


def index_fields(release: Release) -> tuple[str, ...]:
    """The searchable text of a release, one value per index column."""
    names = " ".join((*release.people, *release.places, *release.organisations))
    texts = (
        release.title,
        release.subtitle,
        release.summary,
        release.body,
        " ".join(release.tags),
        names,
    )
    return tuple(searchable(text) for text in texts)


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # folded; several for a phrase
    prefix: bool = False
    exclude: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def match(self) -> str:
        """The FTS5 MATCH expression: every word quoted, so no user text is FTS syntax."""
        positive = [_fts(term) for term in self.terms if not term.exclude]
        negative = [_fts(term) for term in self.terms if term.exclude]
        expression = " AND ".join(positive)
        for item in negative:
            expression += f" NOT {item}"
        return expression

    @property
    def highlight(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.exclude)


def _fts(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + "*" if term.prefix else quoted


def parse_query(text: str) -> Query:
    """Words, prefixes (secur*), phrases ("Alley of Honor") and exclusions (-word)."""
    if len(text) > MAX_LENGTH:
        raise InvalidValue(
            f"the query is {len(text)} characters long (at most {MAX_LENGTH})",
            hint="search for a few distinctive words",
        )
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        minus, phrase, term_minus, word = match.groups()
        exclude = bool(minus or term_minus)
        raw = phrase if phrase is not None else word
        prefix = phrase is None and raw.endswith("*")
        words = tuple(_WORD.findall(searchable(raw).casefold()))
        if not words:
            continue  # punctuation, FTS operators and lone quotes carry no word
        if phrase is None and len(words) > 1:
            # "co-operation", "Q3/2021": one typed word that folds into several is a phrase
            terms.append(Term(words, prefix, exclude))
        else:
            terms.append(Term(words, prefix, exclude))
    if not terms:
        raise InvalidValue(
            f"nothing to search for in {text!r}",
            hint='give words, "a phrase" or a prefix like secur*',
        )
    if len(terms) > MAX_TERMS:
        raise InvalidValue(f"the query has {len(terms)} terms (at most {MAX_TERMS})")
    if all(term.exclude for term in terms):
        raise InvalidValue(
            "the query only excludes words", hint="add a word the releases must contain"
        )
    return Query(tuple(terms))


def snippet(text: str, query: Query, width: int = 16) -> list[tuple[str, bool]]:
    """A window of about `width` words around the first match, as (text, is_match) pieces."""
    words = text.split()
    if not words:
        return []
    folded = [" ".join(_WORD.findall(fold(word))) for word in words]

    def hit(position: int) -> bool:
        for term in query.highlight:
            first = term.words[0]
            candidate = folded[position]
            if (
                candidate == first
                or (term.prefix and candidate.startswith(first))
                or (
                    len(term.words) == 1
                    and candidate.startswith(first)
                    and len(candidate) - len(first) <= 2
                )
            ):
                return True
        return False

    first_hit = next((i for i in range(len(words)) if hit(i)), 0)
    start = max(0, first_hit - width // 3)
    end = min(len(words), start + width)
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("… ", False))
    for position in range(start, end):
        pieces.append((words[position], hit(position)))
        if position < end - 1:
            pieces.append((" ", False))
    if end < len(words):
        pieces.append((" …", False))
    return pieces


def find(
    repository: Repository,
    query: Query,
    filters: Filters,
    limit: int | None = None,
    accept: Callable[[Release], bool] | None = None,
) -> tuple[list[tuple[Entry, float]], int, list[InvalidRelease]]:
    """The best `limit` releases matching `query` and `filters`, with scores; how many match in
    all; and the files that could not be read. Only the releases shown are fully built, unless
    `accept` (a test no SQL filter can make, such as "public now") must see every match.

    Through the index cache, refreshed first. A cache that is busy, locked or damaged is bypassed
    exactly as `list` bypasses it: the files are read into an index in memory for this search."""
    import sqlite3

    from prcli import index
    from prcli.cache import MEMORY

    problems: list[InvalidRelease] = []
    files = repository.scan_keys(problems)
    cache = repository.open_cache()
    if cache is not None:
        try:
            return _find(cache, files, query, filters, limit, problems, accept)
        except (index.Unusable, sqlite3.Error, ValueError, KeyError, TypeError) as error:
            if isinstance(error, sqlite3.Error) and index.damaged(error):
                cache.discard()
        finally:
            cache.close()
    memory = index.open_cache(MEMORY)
    if memory is None:
        raise PrcliError("search could not open an index in memory", hint="try again")
    try:
        return _find(memory, files, query, filters, limit, problems, accept)
    except sqlite3.OperationalError as error:
        raise PrcliError(f"the search index could not answer: {error}") from None
    finally:
        memory.close()


def _find(
    cache: IndexCache,
    files: list[tuple[str, os.stat_result]],
    query: Query,
    filters: Filters,
    limit: int | None,
    problems: list[InvalidRelease],
    accept: Callable[[Release], bool] | None = None,
    rebuilt: bool = False,
) -> tuple[list[tuple[Entry, float]], int, list[InvalidRelease]]:
    from prcli import index
    from prcli.cache import entry_of, error_of
    from prcli.query import sql_where
    from prcli.records import from_record, unfinished
    from prcli.releasefile import Entry, parse_files

    synced = index.sync(cache, files, trusting=True)
    if not synced.stored:
        raise index.Unusable("the cache could not store what changed")

    def reread(key: str) -> Entry | None:
        outcome = parse_files([Path(key)])[0]
        return outcome if isinstance(outcome, Entry) else None

    pending: list[tuple[int, tuple[str, ...]]] = []
    for number, key, stored, rcrc, body, bcrc in cache.unindexed():
        if key not in synced.current:
            continue
        if index.intact(stored, rcrc) and index.intact(body, bcrc):
            release = from_record(unfinished(stored), body or "")
        else:
            entry = reread(key)
            if entry is None:
                continue
            release = entry.release
        pending.append((number, index_fields(release)))
    cache.index(pending)
    where, parameters = sql_where(filters)
    # Only the releases shown are ranked in full (bm25 and LIMIT in SQL), unless `accept` must
    # see every match; how many match is counted apart.
    shown = None if accept is not None else limit
    ranked = [
        (key, score)
        for key, score in cache.search(query.match, WEIGHTS, where, parameters, shown)
        if key in synced.current
    ]
    chosen = ranked
    rows = cache.fetch([key for key, _ in chosen])
    hits: list[tuple[Entry, float]] = []
    for key, score in chosen:
        found: Entry | None = None
        if key in rows:
            layout, lcrc, stored, rcrc, body, bcrc = rows[key]
            intact = index.intact(stored, rcrc) and index.intact(body, bcrc)
            if intact and index.intact(layout, lcrc):
                found = entry_of(Path(key), layout, stored, body)
        if found is None:  # damaged or missing row: the file decides
            found = reread(key)
        if found is not None and (accept is None or accept(found.release)):
            hits.append((found, score))
    if limit is not None:
        hits = hits[:limit]
    if not _confirmed(query, [entry.release for entry, _ in hits]):
        # The full-text index answered what the (checked) releases do not say: it is damaged.
        if not rebuilt:
            cache.reset_search()
            return _find(cache, files, query, filters, limit, problems, accept, rebuilt=True)
        real = set(_matching(query, [entry.release for entry, _ in hits]))
        hits = [hit for number, hit in enumerate(hits) if number in real]
    if accept is not None:
        total = len(hits)
    elif shown is None or len(ranked) < shown:
        total = len(ranked)
    else:
        total = cache.count_matches(query.match, where, parameters)
    unreadable = [error_of(Path(key), error) for key, error in cache.unreadable()]
    errors = sorted([*problems, *unreadable], key=lambda e: str(e.path))
    return hits, total, errors


def _matching(query: Query, releases: list[Release]) -> list[int]:
    """The positions of the releases that match `query`, asked of a full-text index in memory
    with the same tokenizer: the index cache's answers are checked against it, so a damaged
    index cannot put a release among the results that does not contain the words."""
    import sqlite3

    from prcli.cache import FULL_TEXT

    if not releases:
        return []
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute(f"CREATE VIRTUAL TABLE hits USING {FULL_TEXT}")
        memory.executemany(
            "INSERT INTO hits (rowid, title, subtitle, summary, body, tags, names) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(number, *index_fields(release)) for number, release in enumerate(releases)],
        )
        rows = memory.execute("SELECT rowid FROM hits WHERE hits MATCH ?", (query.match,))
        return [number for (number,) in rows]
    finally:
        memory.close()


def _confirmed(query: Query, releases: list[Release]) -> bool:
    return len(_matching(query, releases)) == len(releases)
