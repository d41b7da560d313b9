"""groundsearch's search layer: ranked passages with their source attribution.

Three layers, each importing only those below it and `indexer`'s public names:
`retrieval` (the index, ranking, spelling), `claims` (answers and claim
audits built from retrieved passages) and `present` (the terminal, the HTML
pages, the command line).  The names below are the library's face.
"""

__all__ = [
    "Agreement",
    "Answer",
    "AuditReport",
    "Claim",
    "Conflict",
    "Hit",
    "Index",
    "Provenance",
    "Quote",
    "SearchResult",
    "ShardedIndex",
    "ask",
    "audit",
    "default_index",
    "embedded_corpus",
    "load_index",
    "open_index",
    "render_ask",
    "render_audit",
    "render_search",
    "resolve_index",
    "write_page",
]

#: Names imported on first use, by module: Jinja takes a tenth of a
#: command's time to import, and the claims layer (answers, audits) as much
#: as everything a search needs; and `import search` itself stays cheap (the
#: command's entry point, `present/entry.py`, must start at once).
_LATER = {
    "retrieval.default": ("default_index", "embedded_corpus", "resolve_index"),
    "retrieval.engine": ("Index",),
    "retrieval.sharded": ("ShardedIndex", "load_index", "open_index"),
    "retrieval.provenance": ("Provenance",),
    "retrieval.results": ("Hit", "SearchResult"),
    "present.html": ("render_ask", "render_audit", "render_search", "write_page"),
    "claims.answer": ("ask",),
    "claims.audit": ("audit",),
    "claims.records": ("Agreement", "Answer", "AuditReport", "Claim", "Conflict", "Quote"),
}


def __getattr__(name: str):
    for module, names in _LATER.items():
        if name in names:
            from importlib import import_module

            return getattr(import_module(f".{module}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
