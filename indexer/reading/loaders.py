"""The loaders, registered by file suffix.

A loader (`blocks.Loader`) reads one document format: `plain.TextLoader`,
`plain.MarkdownLoader` and `html.HtmlLoader`.  The HTML loader is made on
first use only: Beautiful Soup takes a while to import.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from .blocks import Loader
from .plain import MarkdownLoader, TextLoader


def _html() -> Loader:
    from .html import HtmlLoader

    return HtmlLoader()


#: Suffix (lower-case) -> what makes its loader.
REGISTRY: dict[str, Callable[[], Loader]] = {
    ".txt": TextLoader,
    ".text": TextLoader,
    ".md": MarkdownLoader,
    ".markdown": MarkdownLoader,
    ".html": _html,
    ".htm": _html,
}

SUPPORTED_SUFFIXES = tuple(REGISTRY)


def loader_for(suffix: str) -> Loader | None:
    """The loader for a file suffix such as `.html` (in any case), or None."""
    make = REGISTRY.get(suffix.lower())
    return _made(make) if make else None


@functools.cache
def _made(make: Callable[[], Loader]) -> Loader:
    return make()
