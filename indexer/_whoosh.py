"""Import Whoosh without two modules groundsearch never uses of it.

Whoosh-Reloaded 2.7 imports `urllib.request` (for `whoosh.compat.urlretrieve`,
which nothing calls; it brings `http.client`, `email` and `ssl`) and the
cached-property package (for one cached attribute of a segment reader), which
imports `asyncio` for async methods Whoosh has none of.  Together they are
about 55 ms of CPU, a fifth of a `groundsearch search` command from start to
exit.  Importing this module (`indexer` does it first) imports Whoosh's core
with a stand-in for each while it loads: `urlretrieve` imports the real one
when called, and `cached_property` is the standard library's, which caches
the same way (in the instance's `__dict__`, under the method's name).  The
stand-ins leave `sys.modules` at once, so anything importing either module
later gets the real one; if Whoosh is already imported, nothing changes.
"""

from __future__ import annotations

import functools
import sys
import types


def _urlretrieve(*args, **kwargs):
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _stand_in(name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    return module


def _import_whoosh() -> None:
    if "whoosh.compat" in sys.modules:
        return
    stand_ins = {
        "urllib.request": _stand_in("urllib.request", urlretrieve=_urlretrieve),
        "cached_property": _stand_in("cached_property", cached_property=functools.cached_property),
    }
    stand_ins = {name: m for name, m in stand_ins.items() if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


_import_whoosh()


def _copy_list_matcher(self):
    """`ListMatcher.copy`, keeping the term and its term info: Whoosh's
    drops them, and a copy's block figures (`block_min_length`, read by
    BM25F's block quality) then fail.  The postings of a term in one
    passage are inlined in the terms table and read as a `ListMatcher`
    (`storage/writer.py`, `_inline`)."""
    return type(self)(
        self._ids, self._weights, self._values, self._format, self._scorer, self._i,
        self._all_weights, term=self._term, terminfo=self._terminfo,
    )


def _patch_list_matcher() -> None:
    from whoosh.matching.mcore import ListMatcher

    ListMatcher.copy = _copy_list_matcher


_patch_list_matcher()
