"""The `groundsearch` command line.

Exit codes: 0 success; 1 an error (missing index, unknown passage, unreadable
corpus...); 2 a usage error (bad option or malformed query); 3 `index`
finished but skipped some documents (they are listed).
"""

from __future__ import annotations

import json
import os
import sys
from functools import wraps
from pathlib import Path

import click

from indexer import IndexSettings, index_folder
from indexer.errors import GroundsearchError, IndexMissing, QueryError
from indexer.metadata import load_synonyms
from indexer.passages import DEFAULT_MAX_CHARS

from . import render
from .engine import Index
from .locations import INDEX_ENV, default_index, embedded_corpus

EXIT_SKIPPED = 3


def _use_colour() -> bool:
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


def echo(text: str) -> None:
    click.echo(text, nl=False, color=_use_colour())


def note(text: str) -> None:
    click.echo(f"groundsearch: {text}", err=True)


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def index_option(command):
    """`--index DIR` (or $GROUNDSEARCH_INDEX) on every command."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=INDEX_ENV,
        show_envvar=True,
        help="Index folder. Default: one built from the embedded corpus on first use.",
    )(command)


def json_option(command):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")(command)


def reports_errors(command):
    """Turn library errors into one line on stderr and the documented exit code."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except QueryError as exc:
            raise click.UsageError(str(exc)) from None
        except GroundsearchError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # e.g. a full disk or an unwritable index folder
            where = exc.filename or "error"
            raise click.ClickException(f"{where}: {exc.strerror or exc}") from None

    return wrapper


def resolve_index(index_dir: Path | None) -> Path:
    """The index to read; builds the default one from the embedded corpus
    the first time, when no index was named."""
    if index_dir is not None:
        return index_dir
    location = default_index()
    try:
        Index(location).close()
    except IndexMissing:
        corpus = embedded_corpus()
        note(f"no index yet: building one from the embedded corpus ({corpus}) at {location}")
        report = index_folder(corpus, location)
        note(f"indexed {report.sources} documents, {report.passages} passages")
    return location


def open_for_reading(index_dir: Path | None, synonyms_file: Path | None = None) -> Index:
    synonyms = load_synonyms(synonyms_file) if synonyms_file else None
    return Index(resolve_index(index_dir), synonyms=synonyms)


@click.group()
@click.version_option(package_name="groundsearch")
def cli():
    """Search a folder of source documents and get back the exact passages
    that answer a question, each with who said it and where.

    \b
    Example:
        groundsearch search "Is baclofen a controlled substance?"
    """


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@index_option
@click.option("--rebuild", is_flag=True, help="Start afresh instead of updating.")
@click.option(
    "--max-chars",
    type=click.IntRange(100, 20_000),
    default=DEFAULT_MAX_CHARS,
    show_default=True,
    help="Longest passage, in characters (sentences are never cut).",
)
@click.option(
    "--metadata",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Source metadata TOML. Default: FOLDER/sources.toml if present.",
)
@click.option(
    "--synonyms",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Synonym map TOML. Default: FOLDER/synonyms.toml if present.",
)
@click.option(
    "--wait",
    type=click.FloatRange(0),
    default=0,
    help="Seconds to wait if another indexing run holds the index.",
)
@json_option
@reports_errors
def index(folder, index_dir, rebuild, max_chars, metadata, synonyms, wait, as_json):
    """Index the .txt, .md and .html documents in FOLDER.

    Re-running it updates the index: unchanged files are skipped, changed
    ones re-indexed, deleted ones removed.  Exits with 3 when some documents
    could not be read (they are listed; the rest is indexed).

    \b
    Example:
        groundsearch index ~/my-pages/ --index ./my-index
    """
    target = index_dir or default_index()
    progress = _progress if sys.stderr.isatty() and not as_json else None
    report = index_folder(
        folder,
        target,
        settings=IndexSettings(max_chars=max_chars),
        metadata_file=metadata,
        synonyms_file=synonyms,
        rebuild=rebuild,
        wait=wait,
        progress=progress,
    )
    if as_json:
        emit_json(report.to_dict())
    else:
        verb = "Built" if report.rebuilt else "Updated"
        echo(
            f"{verb} {target}: {report.sources} documents, {report.passages} passages "
            f"({len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.removed)} removed, {len(report.unchanged)} unchanged)\n"
        )
    for entry in report.ignored:
        note(f"ignored {entry['path']}: {entry['reason']}")
    for entry in report.notes:
        note(f"note: {entry['path']}: {entry['note']}")
    for entry in report.skipped:
        note(f"skipped {entry['path']}: {entry['reason']}")
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def _progress(iterable, length):
    return click.progressbar(iterable, length=length, label="Indexing", file=sys.stderr)


@cli.command()
@click.argument("query", nargs=-1, required=True)
@index_option
@click.option("--limit", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["content", "comment", "boilerplate"]),
    help="Only passages of this kind (repeatable).",
)
@click.option("--by-source", is_flag=True, help="Group the results under each source.")
@click.option(
    "--synonyms",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Use this synonym map instead of the corpus's.",
)
@click.option("--no-correct", is_flag=True, help="Never replace misspelt words.")
@json_option
@reports_errors
def search(query, index_dir, limit, kinds, by_source, synonyms, no_correct, as_json):
    """Rank passages for QUERY.

    Plain words rank passages that match more of them first; also
    "exact phrases", AND / OR / NOT, source:NAME, kind:comment, author:NAME
    and fuzzy term~.

    \b
    Example:
        groundsearch search '"abuse potential" DEA' --json
    """
    text = " ".join(query).strip()
    if not text:
        raise click.UsageError("the query is empty")
    with open_for_reading(index_dir, synonyms) as ix:
        result = ix.search(text, limit=limit, kinds=tuple(kinds), correct=not no_correct)
    if as_json:
        emit_json(result.to_dict())
    else:
        echo(render.format_search(result, by_source=by_source))


@cli.command()
@click.argument("passage_id")
@index_option
@click.option(
    "--context",
    "lines",
    type=click.IntRange(0, 1000),
    default=3,
    show_default=True,
    help="Lines of the source to show before and after the passage.",
)
@json_option
@reports_errors
def show(passage_id, index_dir, lines, as_json):
    """Show a passage in its context in the source.

    \b
    Example:
        groundsearch show 001_a426a29352d06d7c#7 --context 5
    """
    with open_for_reading(index_dir) as ix:
        passage, source = ix.passage(passage_id)
        text = ix.source_text(passage.path)
    if as_json:
        ctx = render.passage_context(text, passage, lines)
        emit_json(
            {
                "passage_id": passage.passage_id,
                "text": passage.text,
                "start": passage.start,
                "end": passage.end,
                "line": passage.line,
                "kind": passage.kind,
                "author": passage.author,
                "date": passage.date,
                "section": passage.section,
                "source": source.to_dict(),
                "context": ctx,
            }
        )
    else:
        echo(render.format_show(passage, source, text, lines))


@cli.command()
@index_option
@json_option
@reports_errors
def sources(index_dir, as_json):
    """List the indexed documents with their titles, publishers and passages.

    \b
    Example:
        groundsearch sources --json
    """
    location = resolve_index(index_dir)
    with Index(location) as ix:
        found = ix.sources()
    if as_json:
        emit_json({"index": str(location), "sources": [s.to_dict() for s in found]})
    else:
        echo(render.format_sources(found))


