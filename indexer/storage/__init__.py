"""The index on disk: its folder of generations (`store.py`), the Whoosh
schema and analysis (`schema.py`), the Whoosh segment writer (`writer.py`)
and the sources database."""
