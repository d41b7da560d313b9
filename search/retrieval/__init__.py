"""Retrieval: the open index (`engine.Index`), query parsing, the fast BM25F
scorer, spelling suggestions, and the default index built from the embedded
corpus.  Imports only `indexer`'s public names."""
