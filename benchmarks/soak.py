"""Soak test: index thousands of mixed good and bad documents, edit and delete
some at random, re-index, then check that every surviving document is found
by a phrase from it and no deleted or replaced text is.

    python -m benchmarks.soak --docs 10000 [--seed 1] [--keep DIR] [--json]

Not part of the unit tests (it takes minutes).  Exit status 0 when every check
passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import string
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from indexer import index_folder
from search import Index

# Share of each kind of document; "phrase" kinds carry a phrase that must be found.
KINDS = [
    ("txt", 40, True),
    ("md", 15, True),
    ("html", 15, True),
    ("cp1252.txt", 4, True),
    ("utf16.txt", 3, True),
    ("nested.html", 2, True),
    ("script.html", 3, True),
    ("unclosed.html", 3, True),
    ("pathological.txt", 2, True),
    ("binary.txt", 4, False),
    ("empty.txt", 3, False),
    ("blank.md", 2, False),
    ("onlyscript.html", 2, False),
    ("other.pdf", 2, False),
]
FILLER = (
    "Baclofen is a muscle relaxant used to treat spasticity. Withdrawal can cause "
    "seizures, so the dose is reduced slowly. Dr. Smith et al. reported side effects "
    "in the U.S. trial, e.g. drowsiness and nausea."
).split(". ")


@dataclass
class Doc:
    name: str
    kind: str
    phrase: str | None
    old_phrases: list[str] = field(default_factory=list)


def unique_phrase(rnd: random.Random, used: set[str]) -> str:
    while True:
        words = [
            "".join(rnd.choice(string.ascii_lowercase) for _ in range(rnd.randint(6, 9)))
            for _ in range(3)
        ]
        phrase = " ".join(words)
        if phrase not in used:
            used.add(phrase)
            return phrase


def render(kind: str, phrase: str | None, rnd: random.Random) -> bytes:
    filler = [rnd.choice(FILLER).strip(".") + "." for _ in range(rnd.randint(2, 8))]
    sentence = f"The record mentions {phrase} in passing." if phrase else ""
    body = " ".join(filler[: len(filler) // 2] + [sentence] + filler[len(filler) // 2 :])
    if kind == "txt":
        return f"Report {rnd.randint(1, 999)}\n\n{body}\n".encode()
    if kind == "md":
        return f"# Notes\n\n{body}\n\n- item one\n- item two\n".encode()
    if kind == "html":
        return f"<html><title>Page</title><nav>Home | About</nav><p>{body}</p></html>".encode()
    if kind == "cp1252.txt":
        return f"Crème brûlée café. {body}".encode("cp1252")
    if kind == "utf16.txt":
        return body.encode("utf-16")
    if kind == "nested.html":
        depth = rnd.randint(500, 5000)
        return ("<div>" * depth + f"<p>{body}</p>" + "</div>" * depth).encode()
    if kind == "script.html":
        return f"<script>{'var x = 1;' * 5000}</script><p>{body}</p>".encode()
    if kind == "unclosed.html":
        return f"<html><body><p>{body} <b>bold <i>italic <div>more <table><tr><td>cell".encode()
    if kind == "pathological.txt":
        return (f"{body} " + "see Dr. Smith etc. Then " * 2000).encode()
    if kind == "binary.txt":
        return bytes(rnd.randrange(256) for _ in range(2000)) + b"\x00" * 10
    if kind == "empty.txt":
        return b""
    if kind == "blank.md":
        return b"  \n\n\t\n"
    if kind == "onlyscript.html":
        return b"<html><script>alert(1)</script></html>"
    if kind == "other.pdf":
        return b"%PDF-1.4"
    raise ValueError(kind)


def suffix(kind: str) -> str:
    return "." + kind.rsplit(".", 1)[-1]


def make_docs(count: int, rnd: random.Random, used: set[str], start: int = 0) -> list[Doc]:
    names, weights = [k for k, _, _ in KINDS], [w for _, w, _ in KINDS]
    findable = {k: f for k, _, f in KINDS}
    docs = []
    for i in range(start, start + count):
        kind = rnd.choices(names, weights)[0]
        folder = f"d{i % 50:02d}"
        docs.append(
            Doc(
                f"{folder}/doc{i:06d}{suffix(kind)}",
                kind,
                unique_phrase(rnd, used) if findable[kind] else None,
            )
        )
    return docs


def write(corpus: Path, doc: Doc, rnd: random.Random) -> None:
    path = corpus / doc.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(doc.kind, doc.phrase, rnd))


def check(index_dir: Path, live: list[Doc], gone: list[Doc]) -> dict:
    missing, stale, checked = [], [], 0
    with Index(index_dir) as ix:
        for doc in live:
            if doc.phrase:
                checked += 1
                hits = ix.search(f'"{doc.phrase}"', limit=5, correct=False).hits
                if doc.name not in {h.passage.path for h in hits}:
                    missing.append(doc.name)
            for old in doc.old_phrases:
                if ix.search(f'"{old}"', limit=5, correct=False).total:
                    stale.append(f"{doc.name} (old text)")
        for doc in gone:
            for phrase in [doc.phrase, *doc.old_phrases]:
                if phrase and ix.search(f'"{phrase}"', limit=5, correct=False).total:
                    stale.append(f"{doc.name} (deleted)")
    return {"checked": checked, "missing": missing, "stale": stale}


def summarise(report, seconds: float) -> dict:
    return {
        "seconds": round(seconds, 1),
        "documents": report.sources,
        "passages": report.passages,
        "added": len(report.added),
        "updated": len(report.updated),
        "removed": len(report.removed),
        "unchanged": len(report.unchanged),
        "skipped": len(report.skipped),
        "ignored": len(report.ignored),
        "degraded_notes": len(report.notes),
    }


def soak(docs: int, seed: int, workdir: Path) -> dict:
    rnd = random.Random(seed)
    used: set[str] = set()
    corpus, index_dir = workdir / "corpus", workdir / "index"
    all_docs = make_docs(docs, rnd, used)
    started = time.monotonic()
    for doc in all_docs:
        write(corpus, doc, rnd)
    figures = {"docs": docs, "seed": seed, "generate_seconds": round(time.monotonic() - started, 1)}

    started = time.monotonic()
    first = index_folder(corpus, index_dir)
    figures["first_index"] = summarise(first, time.monotonic() - started)

    # Random edits (10%), deletions (5%) and new documents (2%).
    rnd.shuffle(all_docs)
    n_edit, n_delete = docs // 10, docs // 20
    edited, deleted, kept = (
        all_docs[:n_edit],
        all_docs[n_edit : n_edit + n_delete],
        all_docs[n_edit + n_delete :],
    )
    for doc in edited:
        if doc.phrase:
            doc.old_phrases.append(doc.phrase)
            doc.phrase = unique_phrase(rnd, used)
        write(corpus, doc, rnd)
    for doc in deleted:
        (corpus / doc.name).unlink()
    added = make_docs(docs // 50, rnd, used, start=docs)
    for doc in added:
        write(corpus, doc, rnd)
    figures["changes"] = {"edited": len(edited), "deleted": len(deleted), "new": len(added)}

    started = time.monotonic()
    second = index_folder(corpus, index_dir)
    figures["reindex"] = summarise(second, time.monotonic() - started)

    started = time.monotonic()
    live = kept + edited + added
    result = check(index_dir, live, deleted)
    figures["findability"] = {
        "seconds": round(time.monotonic() - started, 1),
        "phrases_checked": result["checked"],
        "missing": len(result["missing"]),
        "stale": len(result["stale"]),
        "examples": (result["missing"] + result["stale"])[:10],
    }
    expected_skips = sum(1 for d in live if d.kind in ("binary.txt",))
    figures["expected_skipped_after_reindex"] = expected_skips
    figures["ok"] = (
        not result["missing"]
        and not result["stale"]
        and figures["reindex"]["skipped"] == expected_skips
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="groundsearch-soak-"))
    if args.keep and workdir.exists():
        shutil.rmtree(workdir)
    try:
        figures = soak(args.docs, args.seed, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
