"""The `groundsearch` command line.

Exit codes: 0 success; 1 an error (missing index, unknown passage, unreadable
corpus...); 2 a usage error (bad option or malformed query); 3 `index`
finished but skipped some documents (they are listed); 4 `audit
--fail-on-conflict` found a conflict; 5 `check` found a quote changed or
gone; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
from functools import wraps
from pathlib import Path

import click

from indexer import (
    DEFAULT_MAX_CHARS,
    GroundsearchError,
    IndexSettings,
    Interrupted,
    QueryError,
    ShardedStore,
    load_synonyms,
)

from ..retrieval import default
from ..retrieval.default import INDEX_ENV, default_index
from ..retrieval.engine import FEEDBACK_SETTINGS, Index
from ..retrieval.provenance import Provenance
from ..retrieval.sharded import load_index
from . import formats
from . import json as json_output
from . import terminal as render

#: Passages shown per source with `search --by-source`.
PER_SOURCE = 3

EXIT_SKIPPED = 3
EXIT_CONFLICTS = 4
EXIT_CHANGED = 5
EXIT_INTERRUPTED = 130


#: `--color`: `auto` colours a terminal unless NO_COLOR is set; `always`
#: and `never` override both (as the NO_COLOR convention asks of a flag).
COLOR_CHOICES = ("auto", "always", "never")


def _use_colour() -> bool:
    """`--color auto`: colour on a terminal, unless NO_COLOR is set."""
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _colour() -> bool:
    """Whether this command's text output is coloured (its `--color`)."""
    ctx = click.get_current_context(silent=True)
    choice = ctx.meta.get("groundsearch.color", "auto") if ctx else "auto"
    if choice == "always":
        return True
    if choice == "never":
        return False
    return _use_colour()


def echo(text: str) -> None:
    """Print a command's text output (made safe for a terminal) on stdout."""
    click.echo(render.terminal_text(text), nl=False, color=_colour())


def note(text: str) -> None:
    click.echo(f"groundsearch: {render.printable(text)}", err=True)


def emit_json(data: dict, provenance: Provenance) -> None:
    """Print `data` as JSON, with where it comes from under `provenance`."""
    click.echo(json_output.dumps({**data, "provenance": provenance.to_dict()}))


class NamedPath(click.Path):
    """`click.Path` that refuses an empty name: `Path("")` is the current
    folder, so `index ''` indexed it and `--html ''` wrote to it."""

    def convert(self, value, param, ctx):
        if isinstance(value, str | bytes) and not value:
            self.fail("an empty name is no file or folder", param, ctx)
        return super().convert(value, param, ctx)


#: What `--index` reads when it is not given.
DEFAULT_INDEX_HELP = (
    "Default: the default index in $XDG_DATA_HOME/groundsearch/index, built from the "
    "embedded corpus on first use (or from the folder `groundsearch index FOLDER` put "
    "there)."
)


def index_option(command=None, *, help: str = f"Index folder. {DEFAULT_INDEX_HELP}"):
    """`--index DIR` (or $GROUNDSEARCH_INDEX) and `--scheduler ADDRESS` (or
    $DASK_SCHEDULER_ADDRESS) on every command."""

    def add(command):
        command = click.option(
            "--scheduler",
            metavar="ADDRESS",
            envvar=SCHEDULER_ENV,
            show_envvar=True,
            expose_value=False,
            callback=_remember_scheduler,
            help="A Dask scheduler (tcp://HOST:8786) whose workers build and search a sharded "
            "index (needs the cluster extra).",
        )(command)
        return click.option(
            "--index",
            "index_dir",
            type=NamedPath(file_okay=False, path_type=Path),
            envvar=INDEX_ENV,
            show_envvar=True,
            help=help,
        )(command)

    return add(command) if command is not None else add


#: The environment variable Dask's own tools read the scheduler's address from.
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"


def _remember_scheduler(ctx: click.Context, _param, value: str | None) -> str | None:
    ctx.meta["groundsearch.scheduler"] = value or None
    return value


def cluster():
    """The Dask cluster `--scheduler` names (an `indexer.Cluster`, connected
    and closed when the command ends), or None."""
    ctx = click.get_current_context()
    address = ctx.meta.get("groundsearch.scheduler")
    if not address:
        return None
    from indexer import Cluster  # (Dask, imported only when asked for)

    return ctx.with_resource(Cluster(address))


def html_option(command):
    return click.option(
        "--html",
        "html_file",
        type=NamedPath(dir_okay=False, allow_dash=True, path_type=Path),
        help="Also write the results as a self-contained HTML page to FILE "
        "(`-`: to standard output, instead of the text).",
        callback=_page_file,
    )(command)


def _page_file(ctx, param, path: Path | None) -> Path | None:
    """`--html FILE` names a regular file or a new one: a device or a named
    pipe is refused before any work (`write_page` checks again)."""
    if path is None or _is_dash(path):
        return path
    try:
        info = path.stat()
    except OSError:
        return path  # new, or an error `write_page` will name
    if not stat.S_ISREG(info.st_mode):
        raise click.BadParameter(
            f"{render.printable(str(path))} is not a regular file; "
            "give a new file name (or - for standard output)"
        )
    return path


def _is_dash(path: Path | None) -> bool:
    """Whether a FILE option is `-` (standard output, or input)."""
    return path is not None and str(path) == "-"


def _page_replaces_output(html_file: Path | None, fmt: str | None) -> bool:
    """True when `--html -` puts the page on stdout in place of the text;
    a usage error if a `--format` (or `--json`) wants stdout too."""
    if not _is_dash(html_file):
        return False
    if fmt is not None:
        option = "--json" if fmt == "json" else f"--format {fmt}"
        raise click.UsageError(
            f"--html - and {option} both write to standard output; give --html a file name"
        )
    return True


def pages():
    """The HTML pages module (`search.present.html`), imported only for `--html`:
    Jinja takes a tenth of a command's time to import."""
    from . import html

    return html


def write_html(path: Path, page: str) -> None:
    """Write an HTML page and say so on stderr (stdout stays as it was);
    `-` prints it on stdout instead."""
    if _is_dash(path):
        click.echo(page, nl=False)
        return
    try:
        pages().write_page(path, page)
    except pages().NotAFile as exc:
        raise click.ClickException(render.printable(str(exc))) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    note(f"wrote {path}")


def synonyms_option(command):
    """`--synonyms FILE` on the commands that read the index."""
    return click.option(
        "--synonyms",
        type=NamedPath(exists=True, dir_okay=False, path_type=Path),
        help="Use this synonym map instead of the corpus's.",
    )(command)


def no_correct_option(command):
    return click.option("--no-correct", is_flag=True, help="Never replace misspelt words.")(
        command
    )


def json_option(command):
    """`--json` and `--color` on every command."""
    command = click.option(
        "--color",
        "color",
        type=click.Choice(COLOR_CHOICES),
        default="auto",
        show_default=True,
        expose_value=False,
        callback=_remember_colour,
        help="Colour the text output: auto (on a terminal, unless NO_COLOR is set), "
        "always or never.",
    )(command)
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON on stdout (as --format json)."
    )(command)


def output_options(command):
    """`--format`, `--json` (short for `--format json`) and `--color`, for
    the commands whose results have every format (search, ask, audit).  The
    command gets `fmt`: the format asked for, or None for the default text."""

    @wraps(command)
    def wrapper(*args, fmt, as_json, **kwargs):
        ctx = click.get_current_context()
        chosen = ctx.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT
        if as_json and chosen and fmt != "json":
            raise click.UsageError(f"--json is short for --format json: give --format {fmt} alone")
        return command(*args, fmt="json" if as_json else fmt if chosen else None, **kwargs)

    wrapper = click.option(
        "--format",
        "fmt",
        type=click.Choice(formats.FORMATS),
        default="text",
        show_default=True,
        help="Output format: text, json, jsonl (a record per line), csv or markdown "
        "(a row per hit, answer sentence or claim).",
    )(wrapper)
    return json_option(wrapper)


def emit(fmt: str | None, record, **options) -> None:
    """Print `record` on stdout in format `fmt` (None: text)."""
    echo(formats.render(fmt or "text", record, **options))


def _remember_colour(ctx: click.Context, _param, value: str) -> str:
    ctx.meta["groundsearch.color"] = value
    return value


def reports_errors(command):
    """Turn library errors into one line on stderr and the documented exit code."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except QueryError as exc:
            raise click.UsageError(render.printable(str(exc))) from None
        except Interrupted as exc:
            raise _Interrupted(str(exc)) from None
        except KeyboardInterrupt:  # one line, not click's "\nAborted!"
            raise _Interrupted("interrupted") from None
        except GroundsearchError as exc:  # (file names in it may hold a newline)
            raise click.ClickException(render.printable(str(exc))) from None
        except OSError as exc:  # e.g. a full disk or an unwritable index folder
            raise click.ClickException(render.printable(os_error_message(exc))) from None

    return wrapper


def os_error_message(exc: OSError) -> str:
    """One short line: "no space left on device writing PATH", "PATH: Permission
    denied", or the bare reason when no path is known."""
    if exc.errno == errno.ENOSPC:
        where = f" writing {exc.filename}" if exc.filename else ""
        return f"no space left on device{where}"
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


def resolve_index(index_dir: Path | None) -> Path:
    """The index to read (see `search.resolve_index`), saying on stderr when
    the default one is being built."""
    return default.resolve_index(index_dir, note)


def open_for_reading(index_dir: Path | None, synonyms_file: Path | None = None) -> Index:
    """The index to read, opened: a sharded one searched on the Dask
    cluster's workers with `--scheduler`, else in this process."""
    synonyms = load_synonyms(synonyms_file) if synonyms_file else None
    location = resolve_index(index_dir)
    found = cluster() if ShardedStore(location).exists() else None
    return load_index(location, synonyms, executors=found.pinned() if found else None)


class _Interrupted(click.ClickException):
    """Ctrl-C: one line, and the shell's exit status for SIGINT."""

    exit_code = EXIT_INTERRUPTED


class _UsageError(click.ClickException):
    """A usage error shown as one line, like every other error."""

    exit_code = 2


# Click 8.2+ shows the help for a bare `groundsearch` as this usage error.
_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


@contextlib.contextmanager
def _one_line_usage():
    try:
        yield
    except _HELP:
        raise
    except click.UsageError as exc:
        see = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        raise _UsageError(exc.format_message() + see) from None


class _Commands(click.Group):
    """Reports a usage error in one line ("Error: No such option '--bogus'.
    (see 'groundsearch search --help')"), not in click's block of usage,
    hint, blank line and error: scripts read the last line, people the first."""

    def make_context(self, *args, **kwargs):
        with _one_line_usage():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with _one_line_usage():
            return super().invoke(ctx)


class _QueryCommand(click.Command):
    """A command whose QUERY may hold `-word` (exclude the word) as a search
    box's does: an argument that is none of the command's options is a
    query word, wherever it stands, while an unknown `--option` is still a
    usage error.  (click would read `-withdrawal` as the short options -w,
    -i, ..., and `-h` among them as a request for help.)"""

    def parse_args(self, ctx, args):
        if ctx.resilient_parsing:  # shell completion: click's own reading
            return super().parse_args(ctx, args)
        takes_value = {
            name: not (param.is_flag or param.count)
            for param in self.get_params(ctx)
            if isinstance(param, click.Option)
            for name in param.opts + param.secondary_opts
        }
        options, words = [], []
        rest = iter(args)
        for arg in rest:
            name = arg.split("=", 1)[0]
            if arg == "--":
                words.extend(rest)
            elif name in takes_value:
                options.append(arg)
                if takes_value[name] and "=" not in arg:
                    value = next(rest, None)
                    if value is None:
                        message = f"Option '{name}' requires an argument."
                        raise click.BadOptionUsage(name, message, ctx)
                    options.append(value)
            elif arg.startswith("--"):
                raise click.NoSuchOption(name, ctx=ctx)
            else:
                words.append(arg)
        return super().parse_args(ctx, [*options, "--", *words] if words else options)


@click.group(
    "groundsearch",
    cls=_Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="groundsearch")
@click.pass_context
def cli(ctx):
    """Search a folder of source documents and get back the exact passages
    that answer a question, each with who said it and where.

    \b
    Example:
        groundsearch search "Is baclofen a controlled substance?"

    \b
    Shell completion (bash; zsh_source and fish_source for the others):
        eval "$(_GROUNDSEARCH_COMPLETE=bash_source groundsearch)"
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command()
@click.argument("folder", type=NamedPath(path_type=Path))
@index_option(
    help="Index folder to write. Default: the default index "
    "($XDG_DATA_HOME/groundsearch/index), which search, ask and audit read when given no "
    "--index; it holds one folder's documents at a time, so indexing another folder there "
    "replaces the documents it held (and says so)."
)
@click.option("--rebuild", is_flag=True, help="Start afresh instead of updating.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help=f"Also name the files added, updated and removed (up to {render.NAMED} of each).",
)
@click.option(
    "--max-chars",
    type=click.IntRange(100, 20_000),
    default=DEFAULT_MAX_CHARS,
    show_default=True,
    help="Longest passage, in characters (sentences are never cut).",
)
@click.option(
    "--metadata",
    type=NamedPath(exists=True, dir_okay=False, path_type=Path),
    help="Source metadata TOML. Default: FOLDER/sources.toml if present.",
)
@click.option(
    "--synonyms",
    type=NamedPath(exists=True, dir_okay=False, path_type=Path),
    help="Synonym map TOML. Default: FOLDER/synonyms.toml if present.",
)
@click.option(
    "--wait",
    type=click.FloatRange(0),
    default=0,
    help="Seconds to wait if another indexing run holds the index.",
)
@click.option(
    "--shards",
    type=click.IntRange(1, 4096),
    help="Split the index into N shards, built in parallel (on the --scheduler's workers, "
    "or on this machine's cores) and searched as one.  A sharded index keeps its number.",
)
@json_option
@reports_errors
def index(
    folder, index_dir, rebuild, verbose, max_chars, metadata, synonyms, wait, shards, as_json
):
    """Index the .txt, .md and .html documents in FOLDER.

    Re-running it updates the index: unchanged files are skipped, changed
    ones re-indexed, deleted ones removed.  Exits with 3 when some documents
    could not be read (they are listed; the rest is indexed).  Without
    --index it writes the default index, which then holds FOLDER's documents
    instead of those it held.

    \b
    Example:
        groundsearch index ~/my-pages/ --index ./my-index
        groundsearch index ~/archive/ --index /shared/ix --shards 8 --scheduler tcp://head:8786
    """
    from indexer import index_folder  # (what only `index` needs, imported when it runs)

    target = index_dir or default_index()
    # The default index holds one folder's documents: say when that changes.
    before = default.indexed_folder(target) if index_dir is None else None
    progress = _progress if sys.stderr.isatty() and not as_json else None
    found = cluster()
    report = index_folder(
        folder,
        target,
        settings=IndexSettings(max_chars=max_chars),
        metadata_file=metadata,
        synonyms_file=synonyms,
        rebuild=rebuild,
        wait=wait,
        progress=progress,
        shards=shards,
        executor=found.executor() if found else None,
    )
    if as_json:
        emit_json(report.to_dict(), Provenance.at(target))
    else:
        verb = "Built" if report.rebuilt else "Updated"
        store = ShardedStore(target)
        name = render.printable(str(target))
        if store.exists():
            count = store.manifest().shards
            name += f" ({count} shard{'s' if count != 1 else ''})"
        echo(
            f"{verb} {name}: {report.sources} documents, {report.passages} passages "
            f"({len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.removed)} removed, {len(report.unchanged)} unchanged)\n"
        )
        if verbose:
            echo(render.format_changes(report))
    if before is not None and before != Path(report.corpus):
        note(
            f"the default index held the documents of {before}; it now holds those of "
            f"{report.corpus} (search, ask and audit read it when given no --index; give "
            "--index DIR to keep an index per folder)"
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


@cli.command(cls=_QueryCommand)
@click.argument("query", nargs=-1, required=True)
@index_option
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=10,
    show_default=True,
    help="Passages to show (with --by-source: sources).",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["content", "comment", "boilerplate"]),
    help="Only passages of this kind (repeatable).",
)
@click.option(
    "--by-source",
    is_flag=True,
    help="Show the best passages of each source (--per-source), sources ordered by "
    "their best passage.",
)
@click.option(
    "--per-source",
    type=click.IntRange(1, 1000),
    help=f"Passages shown per source (default {PER_SOURCE}); implies --by-source.",
)
@synonyms_option
@no_correct_option
@click.option(
    "--feedback",
    type=click.Choice(list(FEEDBACK_SETTINGS)),
    default="off",
    show_default=True,
    help="Add the words that weigh most in the best passages to a plain query "
    "(auto: only for queries of up to 3 words).  Results may then hold none of the "
    "words you typed.",
)
@html_option
@output_options
@reports_errors
def search(
    query, index_dir, limit, kinds, by_source, per_source, synonyms, no_correct, feedback,
    html_file, fmt,
):
    """Rank passages for QUERY.

    Plain words rank passages that match more of them first; also
    "exact phrases", +word and -word, AND / OR / NOT and ( ), prefixes
    (halluc*), fuzzy term~ and the filters kind:comment, source:NAME,
    author:NAME, date:2006..2007 and path:FILE, which all hold.

    \b
    Example:
        groundsearch search '"abuse potential" DEA' --json
        groundsearch search 'kind:comment OR kind:boilerplate' 'addicti*'
        groundsearch search baclofen -withdrawal
        groundsearch search "withdrawal symptoms" --html results.html
        groundsearch search tapering --by-source --per-source 2
    """
    text = " ".join(query).strip()
    if not text:
        raise click.UsageError("the query is empty")
    page_only = _page_replaces_output(html_file, fmt)
    with open_for_reading(index_dir, synonyms) as ix:
        result = ix.search(
            text, limit=limit, kinds=tuple(kinds), correct=not no_correct,
            feedback=FEEDBACK_SETTINGS[feedback], count_all_words=True,
            per_source=per_source or (PER_SOURCE if by_source else None),
        )
        # (only JSON and the page name it: finding the installed version
        # costs a command a hundredth of a second)
        provenance = ix.provenance() if fmt == "json" or html_file else None
        if html_file:
            contexts = pages().passage_contexts(ix, result.hits)
            page = pages().render_search(result, contexts=contexts, provenance=provenance)
    for line in result.notes:
        note(line)
    if not page_only:
        emit(fmt, result, provenance=provenance)
    if html_file:
        write_html(html_file, page)


@cli.command()
@click.argument("question", nargs=-1, required=True)
@index_option
@synonyms_option
@no_correct_option
@html_option
@output_options
@reports_errors
def ask(question, index_dir, synonyms, no_correct, html_file, fmt):
    """Answer QUESTION with up to three sentences quoted from the sources.

    Each sentence is verbatim, with a numbered citation to its source; the
    supporting passages follow.  When no source answers, it says so (exit 0).

    \b
    Example:
        groundsearch ask "What are the brand names of baclofen?" --html answer.html
    """
    from ..claims.answer import ask as answer_question

    text = " ".join(question).strip()
    if not text:
        raise click.UsageError("the question is empty")
    page_only = _page_replaces_output(html_file, fmt)
    with open_for_reading(index_dir, synonyms) as ix:
        answer = answer_question(ix, text, correct=not no_correct)
        provenance = ix.provenance()
        if html_file:
            contexts = pages().passage_contexts(ix, answer.hits)
            page = pages().render_ask(answer, contexts=contexts, provenance=provenance)
    if not page_only:
        emit(fmt, answer, provenance=provenance)
    if html_file:
        write_html(html_file, page)


@cli.command()
@click.argument("topic", nargs=-1)
@index_option
@click.option(
    "--topics",
    "topics_file",
    type=NamedPath(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
    help="A checklist: one topic per line, or a TOML `topics = [...]` list "
    "(`-`: read it from standard input).",
)
@click.option(
    "--fail-on-conflict",
    is_flag=True,
    help=f"Exit with {EXIT_CONFLICTS} when any conflict is found (default: 0).",
)
@synonyms_option
@no_correct_option
@html_option
@output_options
@reports_errors
def audit(
    topic, index_dir, topics_file, fail_on_conflict, synonyms, no_correct, html_file, fmt
):
    """Who says what on TOPIC, and where the sources disagree.

    TOPIC is a question, a claim or a subject with a predicate.  First each
    source's position (affirms, denies, mixed, unclear) with its best quote;
    then the conflicts, each claim once with every claim opposed to it, with
    its type (negation, quantity, antonym) and why; then agreements.  These
    are possible conflicts for a person to judge, not verdicts.  Several
    quoted topics are audited one by one: `audit "topic one" "topic two"`
    (unquoted words are one topic).

    \b
    Examples:
        groundsearch audit "Is baclofen a controlled substance?"
        groundsearch audit "Is baclofen addictive?" "How long does withdrawal last?"
        groundsearch audit --topics checklist.txt --fail-on-conflict
        groundsearch audit "How long does withdrawal last?" --html audit.html
    """
    from ..claims.audit import audit as audit_topic
    from ..claims.audit import read_topics

    topics = _topics_given(topic)
    if topics_file:
        try:
            topics += read_topics(_read_text(topics_file))
        except (ValueError, UnicodeDecodeError) as exc:
            raise click.BadParameter(f"{topics_file}: {exc}", param_hint="--topics") from None
        except RecursionError:  # (tomllib, on arrays nested thousands deep)
            raise click.BadParameter(
                f"{topics_file}: not valid TOML: arrays nested too deeply", param_hint="--topics"
            ) from None
    topics = [t for t in topics if t]
    if not topics and topics_file:
        raise click.BadParameter(f"{topics_file} holds no topic", param_hint="--topics")
    if not topics:
        raise click.UsageError("give a TOPIC or --topics FILE")
    page_only = _page_replaces_output(html_file, fmt)
    with open_for_reading(index_dir, synonyms) as ix:
        reports = [audit_topic(ix, t, correct=not no_correct) for t in topics]
        provenance = ix.provenance()
    if not page_only:
        found = formats.Audits(tuple(reports), checklist=bool(topics_file))
        emit(fmt, found, width=_terminal_width(), provenance=provenance)
    if html_file:
        write_html(html_file, pages().render_audit(reports, provenance=provenance))
    if fail_on_conflict and any(r.conflicts for r in reports):
        sys.exit(EXIT_CONFLICTS)


def _topics_given(words: tuple[str, ...]) -> list[str]:
    """The topics of `audit`'s arguments: each quoted argument (one holding a
    space) is a topic of its own; words typed without quotes make one topic
    (`audit Is baclofen addictive?`)."""
    if not words:
        return []
    if len(words) > 1 and any(" " in w.strip() for w in words):
        return [w.strip() for w in words if w.strip()]
    return [" ".join(words).strip()]


#: Longest checklist `--topics` reads, in characters (`/dev/zero` never ends).
MAX_TOPICS_CHARS = 1024 * 1024


def _read_text(path: Path) -> str:
    """The text of a file option's FILE; `-` reads standard input.  Raises
    `ValueError` past `MAX_TOPICS_CHARS`."""
    with click.open_file(str(path), encoding="utf-8") as handle:
        text = handle.read(MAX_TOPICS_CHARS + 1)
    if len(text) > MAX_TOPICS_CHARS:
        raise ValueError(f"longer than {MAX_TOPICS_CHARS:,} characters")
    return text


def _terminal_width() -> int:
    import shutil

    return max(60, min(160, shutil.get_terminal_size((100, 24)).columns))


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
        groundsearch show 001_a426a29352d06d7c.txt#6d9d56826f --context 5
    """
    with open_for_reading(index_dir) as ix:
        passage, source = ix.passage(passage_id)
        text = ix.source_text(passage.path)
        provenance = ix.provenance()
    if as_json:
        context = render.passage_context(text, passage, lines)
        emit_json(json_output.shown_passage(passage, source, context), provenance)
    else:
        echo(render.format_show(passage, source, text, lines))


@cli.command()
@click.argument(
    "report", type=NamedPath(exists=True, dir_okay=False, allow_dash=True, path_type=Path)
)
@index_option
@json_option
@reports_errors
def check(report, index_dir, as_json):
    """Re-check a saved --json REPORT: is each quote still in its source?

    For each quote (search hits, answer sentences, claims, a shown passage)
    it says whether the index still holds it verbatim at its offsets
    (present), holds other text there (changed), or no longer holds its
    source (gone); exits with 5 if any quote changed or is gone.  It reads
    the index the report names, unless --index names another: run
    `groundsearch index` first to take in edits to the sources.

    \b
    Example:
        groundsearch audit "Is baclofen addictive?" --json > report.json
        groundsearch check report.json
    """
    from ..retrieval.check import ReportError, check_report

    try:
        data = json.loads(_read_text(report))
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"{report} is not JSON ({exc})", param_hint="REPORT") from None
    made = data.get("provenance") if isinstance(data, dict) else None
    named = made.get("index") if isinstance(made, dict) else None
    location = index_dir or (Path(named) if isinstance(named, str) and named else None)
    with open_for_reading(location) as ix:
        try:
            result = check_report(ix, data)
        except ReportError as exc:
            raise click.BadParameter(f"{report}: {exc}", param_hint="REPORT") from None
        provenance = ix.provenance()
    if as_json:
        emit_json(result.to_dict(), provenance)
    else:
        echo(render.format_check(result, provenance))
    if not result.holds:
        sys.exit(EXIT_CHANGED)


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
    with open_for_reading(location) as ix:
        found = ix.sources()
        provenance = ix.provenance()
    if as_json:
        emit_json(json_output.source_list(str(location), found), provenance)
    else:
        echo(render.format_sources(found))


