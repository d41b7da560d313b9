"""The `groundsearch` command's entry point, importing nothing heavy itself:
a Ctrl-C while the command starts (importing NumPy, Whoosh, click takes a
few tenths of a second) is one line and exit status 130, as later, not a
traceback; and a closed standard output (`groundsearch search x >&-`) is
one line and exit status 1, not an AttributeError."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130


def main() -> None:
    """Run the command line (`search.present.cli.cli`)."""
    try:
        if sys.stdout is None:  # (closed before Python started)
            _fail("standard output is closed; give it a file (> FILE) or /dev/null", 1)
        from .cli import cli
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)
    cli(prog_name="groundsearch")


def _fail(message: str, code: int) -> None:
    if sys.stderr is not None:
        sys.stderr.write(f"Error: {message}\n")
        sys.stderr.flush()
    sys.exit(code)
