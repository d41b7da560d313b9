"""Claims: grounded answers (`answer.ask`) and claim audits (`audit.audit`)
built from retrieved passages, and their records (`records.py`).  Imports
`search.retrieval` and `indexer`'s public names."""
