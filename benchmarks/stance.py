"""Stance benchmark: does `audit` tell which sources say yes and which say no?

    python -m benchmarks.stance [--dataset ../shared/benchmarks/fnc1-train/sample]
                                [--scifact ../shared/benchmarks/scifact-claims] [--json FILE]

A folder data set is laid out as a user's folders (`fnc1-train/sample/`):
`labels.json` maps each question id to its question and its documents'
labels (`yes` / `no`), and `corpus/<id>/` holds the documents.  Each folder is
indexed into a fresh index and audited through the library, as
`groundsearch audit QUESTION --json` does, then asked (`ask`).  Reported:

* coverage: the share of documents whose position is other than unclear;
* each document's position (the page's own voice) against its label
  (affirms = yes, denies = no): accuracy and macro-F1 over yes/no, a document
  with no yes/no counting as a miss for its class; always-yes beside it;
* conflict detection: the share of questions with at least one conflict
  between two documents of opposite labels; conflict precision: the share of
  the opposed pairs listed whose two documents are labelled opposite;
* `ask`: the share of questions answered, of those the share quoting
  documents of both labels, and the share of its quotes taken from the
  question's own documents;
* time per topic (index not counted);
* the same, with every folder in one index (`pooled`: a user's folder of
  many stories): each question's documents against their labels as before,
  the others never to take a side on it; `off_topic_positions_per_question`
  counts those that do, and a conflict with one of them is a wrong pair.

With `--scifact`, SciFact claims `dev`: each (claim, abstract) pair read by
`verify`, against SUPPORT / CONTRADICT: accuracy, macro-F1, per-class
precision and recall; and the same pairs as a user's folders, one per claim
holding its labelled abstracts, audited as above (`scifact_dev_folders`);
and as folders of short statements, each document only the sentences the
experts marked as its evidence (`scifact_dev_statements`).

Topics are also asked as users ask them: each folder question as "Is it
true that <question>?" (`folders_asked`), and as "Is it a myth that
<question>?" with its labels turned round (`folders_asked_myth`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from indexer import IndexSettings, index_folder
from search import ask, audit, open_index
from search.claims.records import AFFIRMS, DENIES

from . import metrics

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
DEFAULT_DATASET = SHARED / "fnc1-train" / "sample"
DEFAULT_SCIFACT = SHARED / "scifact-claims"


def macro_f1(truth: list[str], predicted: list[str], labels: tuple[str, ...]) -> dict:
    """Accuracy, macro-F1 (of the rounded per-class F1s) and per-class
    precision/recall over `labels`, to three places; a prediction outside
    `labels` is a miss for the truth's class."""
    found = metrics.classification(truth, predicted, labels)
    per = {
        label: {k: round(v[k], 3) for k in ("precision", "recall", "f1")}
        for label, v in found["per_class"].items()
    }
    return {
        "n": found["n"],
        "accuracy": round(found["accuracy"], 3),
        "macro_f1": round(sum(v["f1"] for v in per.values()) / len(labels), 3),
        "per_class": per,
    }


def asked_if_true(question: str) -> str:
    return f"Is it true that {question.rstrip(' ?.!')}?"


def asked_if_myth(question: str) -> str:
    return f"Is it a myth that {question.rstrip(' ?.!')}?"


def _turned_round(label: str) -> str:
    return {"yes": "no", "no": "yes"}.get(label, label)


def _audits(dataset: Path, labels: dict, pooled: bool):
    """Each question with its documents' labels (keyed by path in the
    index), its audit, its `ask` answer and the audit's seconds: from a fresh
    index of its own folder, or (`pooled`) from one index of every folder."""

    def one(ix, qid, question, prefix):
        started = time.perf_counter()
        report = audit(ix, question["question"])
        seconds = time.perf_counter() - started
        docs = {prefix + name: label for name, label in question["docs"].items()}
        return qid, question, docs, report, ask(ix, question["question"]), seconds

    with tempfile.TemporaryDirectory() as tmp:
        if pooled:
            index_folder(dataset / "corpus", Path(tmp) / "ix", settings=IndexSettings())
            with open_index(Path(tmp) / "ix") as ix:
                for qid, question in labels.items():
                    yield one(ix, qid, question, f"{qid}/")
            return
        for qid, question in labels.items():
            index_folder(dataset / "corpus" / qid, Path(tmp) / qid, settings=IndexSettings())
            with open_index(Path(tmp) / qid) as ix:
                yield one(ix, qid, question, "")


def run_folders(dataset: Path, pooled: bool = False, wording=None, turned=False) -> dict:
    """The figures above for a folder data set; `wording` rewrites each
    question as a user might ask it, `turned` turns its labels round (for a
    wording that asks the opposite)."""
    labels = json.loads((dataset / "labels.json").read_text(encoding="utf-8"))
    if wording is not None:
        labels = {
            qid: {
                **q,
                "question": wording(q["question"]),
                "docs": {n: _turned_round(v) if turned else v for n, v in q["docs"].items()},
            }
            for qid, q in labels.items()
        }
    truth, predicted, failures = [], [], []
    covered = off_topic = 0
    questions_with_conflict = 0
    pairs_listed = pairs_right = 0
    answered = both_sides = quoted = quoted_own = 0
    seconds = []
    for qid, question, docs, report, answer, spent in _audits(dataset, labels, pooled):
        seconds.append(spent)
        own = {p.source.path: p for p in report.positions if p.kind == "content" and not p.speaker}
        off_topic += sum(p.stance != "unclear" for path, p in own.items() if path not in docs)
        for name, label in sorted(docs.items()):
            position = own.get(name)
            stance = position.stance if position else "unclear"
            covered += stance != "unclear"
            said = {AFFIRMS: "yes", DENIES: "no"}.get(stance, stance)
            truth.append(label)
            predicted.append(said)
            if said != label:
                failures.append(
                    {
                        "question": qid,
                        "topic": question["question"],
                        "document": name,
                        "label": label,
                        "position": stance,
                        "evidence": position.evidence.quote.text[:300]
                        if position and position.evidence
                        else None,
                        "cues": position.evidence.cue_words
                        if position and position.evidence
                        else [],
                    }
                )
        found_cross = False
        for conflict in report.conflicts:
            for a, b in conflict.pairs():
                la, lb = docs.get(a.quote.source.path), docs.get(b.quote.source.path)
                pairs_listed += 1
                if la and lb and la != lb:
                    pairs_right += 1
                    found_cross = True
        questions_with_conflict += found_cross
        quoted += len(answer.answer)
        quoted_own += sum(q.source.path in docs for q in answer.answer)
        if answer.answer:
            answered += 1
            sides = {docs.get(q.source.path) for q in answer.answer} - {None}
            both_sides += sides == {"yes", "no"}
    n = len(truth)
    seconds.sort()
    return {
        "questions": len(labels),
        "documents": n,
        "coverage": round(covered / n, 3),
        "position": macro_f1(truth, predicted, ("yes", "no")),
        "always_yes": macro_f1(truth, ["yes"] * n, ("yes", "no")),
        "conflict_detection": round(questions_with_conflict / len(labels), 3),
        "conflict_precision": round(pairs_right / pairs_listed, 3) if pairs_listed else None,
        "conflict_pairs_listed": pairs_listed,
        "off_topic_positions_per_question": round(off_topic / len(labels), 2),
        "ask_answered": round(answered / len(labels), 3),
        "ask_both_sides_of_answered": round(both_sides / answered, 3) if answered else None,
        "ask_quotes_from_the_questions_documents": round(quoted_own / quoted, 3)
        if quoted
        else None,
        "seconds_per_topic": {
            "p50": round(seconds[len(seconds) // 2], 3),
            "max": round(seconds[-1], 3),
        },
        "failures": failures,
    }


def scifact_folders(data: Path, folder: Path, split: str = "dev", statements: bool = False) -> Path:
    """SciFact claims laid out as a user's folders in `folder`: one per claim
    with cited abstracts the experts labelled, each abstract a text file
    (title, then the abstract; or, `statements`, only its evidence
    sentences), SUPPORT as "yes" and CONTRADICT as "no"."""
    corpus = {}
    with open(data / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            corpus[doc["doc_id"]] = doc
    labels = {}
    with open(data / f"claims_{split}.jsonl", encoding="utf-8") as f:
        for line in f:
            claim = json.loads(line)
            if not claim.get("evidence"):
                continue
            qid = f"scifact-{claim['id']}"
            docs = {}
            for doc_id, sets in claim["evidence"].items():
                doc = corpus[int(doc_id)]
                name = f"{doc_id}.txt"
                (folder / "corpus" / qid).mkdir(parents=True, exist_ok=True)
                if statements:
                    marked = sorted({i for found in sets for i in found["sentences"]})
                    text = " ".join(doc["abstract"][i] for i in marked) + "\n"
                else:
                    text = f"{doc['title']}\n\n{' '.join(doc['abstract'])}\n"
                (folder / "corpus" / qid / name).write_text(text, encoding="utf-8")
                docs[name] = "yes" if sets[0]["label"] == "SUPPORT" else "no"
            labels[qid] = {"question": claim["claim"], "docs": docs}
    (folder / "labels.json").write_text(json.dumps(labels, indent=1), encoding="utf-8")
    return folder


def run_scifact(data: Path) -> dict:
    from search.claims.verify import CONTRADICT, SUPPORT, verify

    corpus = {}
    with open(data / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            corpus[doc["doc_id"]] = doc
    truth, predicted = [], []
    started = time.perf_counter()
    with open(data / "claims_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            claim = json.loads(line)
            for doc_id, sets in (claim.get("evidence") or {}).items():
                truth.append(sets[0]["label"])
                predicted.append(verify(claim["claim"], corpus[int(doc_id)]["abstract"]).label)
    result = macro_f1(truth, predicted, (SUPPORT, CONTRADICT))
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["always_support"] = macro_f1(truth, [SUPPORT] * len(truth), (SUPPORT, CONTRADICT))[
        "macro_f1"
    ]
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--dataset", type=Path, default=None, help="a folder data set (labels.json + corpus/)"
    )
    ap.add_argument("--scifact", type=Path, default=None, help="the scifact-claims folder")
    ap.add_argument(
        "--no-pooled", action="store_true", help="skip the run with every folder in one index"
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    if args.dataset is None and args.scifact is None:
        args.dataset, args.scifact = DEFAULT_DATASET, DEFAULT_SCIFACT
    results: dict = {"date": date.today().isoformat()}
    if args.dataset is not None:
        results["folders"] = {"dataset": str(args.dataset), **run_folders(args.dataset)}
        if not args.no_pooled:
            results["pooled"] = run_folders(args.dataset, pooled=True)
        results["folders_asked"] = run_folders(args.dataset, wording=asked_if_true)
        results["folders_asked_myth"] = run_folders(
            args.dataset, wording=asked_if_myth, turned=True
        )
    if args.scifact is not None:
        results["scifact_dev"] = run_scifact(args.scifact)
        with tempfile.TemporaryDirectory() as tmp:
            folders = scifact_folders(args.scifact, Path(tmp) / "abstracts")
            results["scifact_dev_folders"] = run_folders(folders)
            folders = scifact_folders(args.scifact, Path(tmp) / "statements", statements=True)
            results["scifact_dev_statements"] = run_folders(folders)
    shown = json.loads(json.dumps(results))
    for run in (
        "folders",
        "pooled",
        "folders_asked",
        "folders_asked_myth",
        "scifact_dev_folders",
        "scifact_dev_statements",
    ):
        if run in shown:
            shown[run]["failures"] = len(shown[run]["failures"])
    print(json.dumps(shown, indent=1))
    if args.json:
        args.json.write_text(
            json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
