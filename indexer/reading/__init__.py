"""Reading documents: loaders turn a file's bytes into text and blocks
(`loaders.py`, `plain.py`, `html.py`), and `passages.py` splits them into
attributed passages (comments' posters from `signatures.py`, site chrome
from `boilerplate.py`)."""

#: Bump when a change to how documents are read (passages, their kinds,
#: comments' posters) changes what an unchanged file gives: the next run of
#: `index` then reads every file afresh instead of keeping its old passages.
READING_VERSION = 21  # 21: a byline is no title (20: a title on one line)
