"""Presentation: the terminal (`terminal.py`), the HTML pages (`html.py`) and
the command line (`cli.py`).  Imports the layers below."""
