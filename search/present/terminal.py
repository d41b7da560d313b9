"""Plain-text rendering of results for the terminal.

Colour is applied with `click.style`; `click.echo` strips it when the output
is not a terminal, and the CLI turns it off when NO_COLOR is set.
"""

from __future__ import annotations

import re

import click

from indexer import COMMENT, Passage, Source, SourceInfo, line_starts

from ..retrieval.results import Hit, SearchResult, counted

_MATCH_ON = click.style("", fg="yellow", bold=True, reset=False)
_RESET = click.style("", reset=True)
# What a terminal acts on rather than shows: control characters (C0, DEL
# and C1, which hold ESC and CSI, so OSC window titles, OSC 8 links and OSC
# 52 clipboard writes), the Unicode line separators, and the bidirectional
# overrides, embeddings, isolates and marks (U+202E turns "txt.exe" into
# "exe.txt").  Each is written as Python writes it in a repr.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
UNSAFE = (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *_BIDI)
_UNSAFE = UNSAFE
_ESCAPES = {c: repr(chr(c))[1:-1] for c in (*_UNSAFE, *range(0xD800, 0xE000))}
# A name that is not UTF-8 holds its other bytes as lone surrogates
# (U+DC80-U+DCFF), which no terminal can print: shown as the bytes, "\xff".
_ESCAPES.update({0xDC00 + byte: f"\\x{byte:02x}" for byte in range(0x80, 0x100)})
_ESCAPES_IN_TEXT = {c: e for c, e in _ESCAPES.items() if chr(c) not in "\n\t"}
# The styles this module adds (click.style): the only escapes let through.
_STYLE = re.compile(r"(\x1b\[[0-9;]*m)")


def printable(text: str, *, lines: bool = False) -> str:
    """`text` as it may reach a terminal: every string from a document or a
    name (file names, titles, publishers, URLs, passage text, authors, the
    query) goes through here, and `terminal_text` passes whole outputs
    through it again.  Control characters, C1 codes, line separators and
    bidi controls are escaped as Python writes them ("evil\\nError: x" stays
    one line and forges no message), and the bytes of a name that is not
    UTF-8 as bytes ("bad\\xffname.txt"); spaces and letters are unchanged.
    `lines=True` keeps newlines and tabs, for passage text.  For the
    terminal only: `--json` keeps the real strings."""
    return text.translate(_ESCAPES_IN_TEXT if lines else _ESCAPES)


def terminal_text(out: str) -> str:
    """A whole output made safe for a terminal: what `printable(lines=True)`
    escapes, except the colour and bold styles this module added."""
    parts = _STYLE.split(out)
    return "".join(p if i % 2 else printable(p, lines=True) for i, p in enumerate(parts))


def _text(text: str, indent: str = "") -> str:
    """Passage or quote text: printable, each line after the first indented."""
    return printable(text, lines=True).replace("\n", "\n" + indent)


def attribution(passage: Passage) -> str:
    """`comment · Jason, 2006-11-20` or `content`."""
    if passage.kind == COMMENT:
        who = printable(passage.author or "anonymous")
        when = printable((passage.date or "")[:10])
        return f"comment · {who}{', ' + when if when else ''}"
    return passage.kind


def where(source: SourceInfo, line: int) -> str:
    """`path:line`, the path printable."""
    return f"{printable(source.path)}:{line}"


def format_hit(hit: Hit, indent: str = "", label: str | None = None) -> str:
    """A hit: its `label` (by default its rank, "3."), title, place, kind,
    score, id and section, then its text with the matches highlighted."""
    p = hit.passage
    title = click.style(printable(hit.source.title), bold=True)
    place = where(hit.source, p.line)
    label = f"{hit.rank}." if label is None else label
    head = f"{indent}{label} {title}  {place}  [{attribution(p)}]  score {hit.score:.2f}"
    meta = f"{indent}   {printable(p.passage_id)}"
    if p.section:
        meta += f" · section: {printable(p.section)}"
    body = _marked(p.text, hit.matches)
    lines = [f"{indent}    {line}" for line in body.split("\n")]
    return "\n".join([head, click.style(meta, dim=True), *lines])


def _marked(text: str, spans) -> str:
    """Passage text, printable, with the matched words in `spans` highlighted."""
    out, cursor = [], 0
    for start, end in spans:
        out += [text[cursor:start], _MATCH_ON, text[start:end], _RESET]
        cursor = end
    out.append(text[cursor:])
    return "".join(
        part if i % 4 in (1, 3) else printable(part, lines=True) for i, part in enumerate(out)
    )


def count_line(result: SearchResult) -> str:
    """"90 passages match; showing 10"; for a query of several words, when
    fewer hold them all, "13 passages hold every word (90 hold some);
    showing 10"; grouped, "43 passages match in 5 sources; showing 2
    sources, the best 3 passages of each"."""
    shown, total, every = len(result.hits), result.total, result.total_all_words
    if every is not None and every < total:
        line = f"{counted(every, 'passage')} hold{'s' if every == 1 else ''} every word"
        line += f" ({total} hold some)"
    else:
        line = f"{total} {'passage' if total == 1 else 'passages'} match"
    if result.groups is None:
        return line + (f"; showing {shown}" if shown < total else "")
    line += f" in {counted(result.total_sources or 0, 'source')}"
    if shown < total:
        best = max(len(group.hits) for group in result.groups)
        each = "the best passage" if best == 1 else f"the best {best} passages"
        line += f"; showing {counted(len(result.groups), 'source')}, {each} of each"
    return line


def format_search(result: SearchResult, by_source: bool = False) -> str:
    """The search results; grouped by source when the search was (or, with
    `by_source`, the hits as they are under each source)."""
    out = []
    if result.corrected_query:
        out.append(
            f'Showing results for "{printable(result.corrected_query)}" '
            f'(you typed "{printable(result.query)}")'
        )
    elif result.suggestions:
        fixes = ", ".join(
            f"{printable(a)} → {printable(b)}" for a, b in result.suggestions.items()
        )
        out.append(f"Did you mean: {fixes}?")
    out.append(count_line(result))
    if not result.hits:
        return "\n".join(out) + "\n"
    groups = [(g.source, g.total, g.hits) for g in result.groups or ()]
    if not groups and by_source:
        grouped: dict[str, list[Hit]] = {}
        for hit in result.hits:
            grouped.setdefault(hit.source.path, []).append(hit)
        groups = [(hits[0].source, None, tuple(hits)) for hits in grouped.values()]
    if not groups:
        out += ["", *("\n".join([format_hit(h), ""]) for h in result.hits)]
        return "\n".join(out).rstrip() + "\n"
    for source, total, hits in groups:
        by = f" · {printable(source.publisher)}" if source.publisher else ""
        shown = f"{len(hits)} of {counted(total, 'passage')}" if total else f"{len(hits)} shown"
        heading = f"== {printable(source.title)}{by} ({printable(source.path)}) — {shown}"
        out += ["", click.style(heading, bold=True)]
        out += [format_hit(h, indent="  ") for h in hits]
    return "\n".join(out).rstrip() + "\n"


#: Files `index -v` names of each change before "and N more".
NAMED = 5


def format_changes(report, named: int = NAMED) -> str:
    """For `index -v`: the files added, updated and removed, a line each,
    up to `named` of each and then how many more."""
    lines = []
    for change, paths in (
        ("added", report.added), ("updated", report.updated), ("removed", report.removed)
    ):
        if paths:
            shown = ", ".join(printable(path) for path in paths[:named])
            more = f" and {len(paths) - named} more" if len(paths) > named else ""
            lines.append(f"  {change}: {shown}{more}")
    return "".join(line + "\n" for line in lines)


def passage_context(text: str, passage: Passage, lines: int) -> dict:
    """The lines around a passage: `lines` before its first and after its last."""
    starts = line_starts(text)
    first = passage.line
    last = passage.line + text[passage.start : passage.end].count("\n")
    top = max(1, first - lines)
    bottom = min(len(starts), last + lines)
    ctx_start = starts[top - 1]
    ctx_end = starts[bottom] - 1 if bottom < len(starts) else len(text)
    return {
        "first_line": top,
        "last_line": bottom,
        "before": text[ctx_start : passage.start],
        "after": text[passage.end : ctx_end],
    }


def format_show(passage: Passage, source: SourceInfo, text: str, lines: int) -> str:
    ctx = passage_context(text, passage, lines)
    header = [
        click.style(f"{printable(passage.passage_id)} · {printable(source.title)}", bold=True),
        f"{where(source, passage.line)} · {attribution(passage)}"
        f" · characters {passage.start}-{passage.end}",
    ]
    if source.publisher:
        header.append(f"publisher: {printable(source.publisher)}")
    if source.url:
        header.append(f"url: {printable(source.url)}")
    if passage.section:
        header.append(f"section: {printable(passage.section)}")
    shown = "".join([
        printable(ctx["before"], lines=True), _MATCH_ON,
        printable(passage.text, lines=True), _RESET, printable(ctx["after"], lines=True),
    ])
    first_passage_line = passage.line
    last_passage_line = passage.line + passage.text.count("\n")
    body = []
    for number, line in enumerate(shown.split("\n"), ctx["first_line"]):
        gutter = ">" if first_passage_line <= number <= last_passage_line else " "
        body.append(f"{gutter} {number:>4} | {line}")
    return "\n".join([*header, "", *body]) + "\n"


def format_sources(sources: list[Source]) -> str:
    if not sources:
        return "No sources indexed.\n"
    out = []
    for source in sources:
        info = source.info
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(source.kinds.items()))
        out.append(click.style(printable(info.title), bold=True))
        details = [printable(info.path)]
        if info.publisher:
            details.append(printable(info.publisher))
        if info.url:
            details.append(printable(info.url))
        out.append("  " + " · ".join(details))
        out.append(f"  {source.passages} passages ({kinds or 'none'}) · {source.format}, {source.encoding}")
        for note in source.notes:
            out.append(f"  note: {printable(note)}")
    out.append(f"\n{len(sources)} sources, {sum(s.passages for s in sources)} passages")
    return "\n".join(out) + "\n"


# --- ask and audit -------------------------------------------------------------


def format_answer(answer, supporting: int = 3) -> str:
    out = [click.style(f"Q: {printable(answer.question)}", bold=True)]
    if answer.corrected_question:
        out.append(
            f'Answering "{printable(answer.corrected_question)}" '
            f'(you typed "{printable(answer.question)}")'
        )
    out.append("")
    if not answer.answer:
        out.append("No source in the corpus answers this question.")
        if answer.hits:
            out.append("The closest passages are below; none of them says it.")
    if answer.contested:
        out += _wrap(disagreement(answer), 100)
        out.append("")
    marks = side_marks(answer)
    for number, quote in enumerate(answer.answer, 1):
        mark_ = f"{marks[quote]}: " if marks else ""
        # A reader's comment is marked beside its words, not only in the citation.
        said = f" ({attribution_of(quote)})" if quote.kind == COMMENT else ""
        out.append(f"  {mark_}“{_text(quote.text, '   ')}” [{number}]{said}")
    if answer.answer:
        out.append("")
        for number, quote in enumerate(answer.answer, 1):
            credit = printable(quote.credited_as())
            place = where(quote.source, quote.line)
            out.append(f"[{number}] {credit} — {place} ({printable(quote.passage_id)})")
    if answer.hits:
        # Cited passages first, labelled with the citations quoting them
        # ("[1]", "[2, 3]"); then, told apart, a few that match uncited.
        numbers: dict[str, list[int]] = {}
        for number, quote in enumerate(answer.answer, 1):
            numbers.setdefault(quote.passage_id, []).append(number)
        cited = [h for h in answer.hits if h.passage.passage_id in numbers]
        cited.sort(key=lambda hit: numbers[hit.passage.passage_id][0])
        others = [h for h in answer.hits if h.passage.passage_id not in numbers]
        others = others[: max(0, supporting - len(cited))]
        shown = {h.passage.passage_id for h in cited}
        entries = [
            (numbers[h.passage.passage_id][0], format_hit(h, label=_cited(numbers, h)))
            for h in cited
        ]
        # A side's quote the audit found outside the best-matching passages.
        entries += [
            (
                number,
                f"[{number}] {where(quote.source, quote.line)}  ({printable(quote.passage_id)}): "
                "not among the passages that match best; quoted for its source's side",
            )
            for number, quote in enumerate(answer.answer, 1)
            if quote.passage_id not in shown
        ]
        if entries:
            out += ["", click.style("Cited passages:", bold=True)]
            out.append("\n\n".join(text for _, text in sorted(entries)))
        if others:
            heading = "Other passages that match:" if cited else "Closest passages:"
            out += ["", click.style(heading, bold=True)]
            out.append("\n\n".join(format_hit(hit, label="-") for hit in others))
    return "\n".join(out).rstrip() + "\n"


def _cited(numbers: dict[str, list[int]], hit: Hit) -> str:
    """"[1]", or "[2, 3]": the citations quoting the hit's passage."""
    return "[" + ", ".join(map(str, numbers[hit.passage.passage_id])) + "]"


def attribution_of(quote) -> str:
    """`comment · Jason, 2006-11-20` for a quote from a comment (as `attribution`)."""
    who = printable(quote.author or "anonymous")
    when = printable((quote.date or "")[:10])
    return f"comment · {who}{', ' + when if when else ''}"


#: The line naming the sources on a topic in which no claim was found.
#: Pairs of related figures shown in full; the rest are counted (all are in JSON).
RELATED_SHOWN = 6
WITHOUT_CLAIMS = "Also retrieved, no sentence read as a claim (they may say it in other words)"


def disagreement(answer) -> str:
    """What a contested answer's sides say: "The sources disagree: 2 sources
    say yes (A, B); 1 source says no (C)."."""
    said = "; ".join(
        f"{counted(len(side.voices), 'source')} {'say' if len(side.voices) > 1 else 'says'} "
        f"{'yes' if side.stance == 'affirms' else 'no'}"
        f" ({_names(side.voices)})"
        for side in answer.sides
    )
    return f"The sources disagree: {said}."


def side_marks(answer) -> dict:
    """Each quote of a contested answer -> the side it is quoted for, "yes"
    or "no", or "also" for a quote on neither (empty if not contested)."""
    if not answer.contested:
        return {}
    side_of = {
        quote: "yes" if side.stance == "affirms" else "no"
        for side in answer.sides
        for quote in side.quotes
    }
    return {q: side_of.get(q, "also") for q in answer.answer}


def _names(names) -> str:
    names = [printable(n) for n in names]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` wrapped to `width`, each line after the first indented.  Words
    are never cut: a passage id or a path longer than the width stands on a
    line of its own, whole (a cut id could name another passage)."""
    import textwrap

    lines = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(
            paragraph, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
        ) or [""]
    return lines


_STANCE_COLOUR = {"affirms": "green", "denies": "red", "mixed": "yellow"}


def _stance(stance: str) -> str:
    return click.style(f"{stance:<8}", fg=_STANCE_COLOUR.get(stance), bold=stance in _STANCE_COLOUR)


def _claim_block(claim, width: int, indent: str) -> list[str]:
    """A claim: where it is (path:line, passage id, the words that decided
    it) and its quote, wrapped, ids whole."""
    from ..claims.records import NEUTRAL  # (a search's output needs none of the claims layer)

    quote = claim.quote
    place = f"{where(quote.source, quote.line)} · passage {printable(quote.passage_id)}"
    if claim.cues and claim.stance != NEUTRAL:
        place += " · cues: " + ", ".join(printable(w) for w in dict.fromkeys(claim.cue_words))
    if claim.reported:
        place += " · reports what others say"
    lines = _wrap(place, width - len(indent), "  ")
    lines += _wrap(f"“{printable(quote.text, lines=True)}”", width - len(indent), " ")
    return [indent + line for line in lines]


def _side_note(conflict, claim, width: int, indent: str) -> list[str]:
    """When a conflict's quote alone reads otherwise than the side it stands for."""
    note = conflict.note_on(claim)
    return _wrap(f"{indent}({note})", width, indent) if note else []


def _who_says_what(report, width: int) -> list[str]:
    """One row per voice (a source, a commenter, a speaker it quotes against
    its own view): its position, how sure the reading is, its best quote."""
    out = []
    aspects = list(dict.fromkeys(p.aspect for p in report.positions))
    for aspect in aspects:
        out += ["", click.style(f"Who says what · {printable(aspect)}", bold=True)]
        indent = " " * 16
        for position in (p for p in report.positions if p.aspect == aspect):
            head = f"  {_stance(position.stance)} {position.confidence:.2f}  "
            out += _wrap(head + printable(position.who()), width, indent)
            if position.evidence is not None:
                out += _claim_block(position.evidence, width, indent)
            if note := position.note():
                out += _wrap(f"{indent}({note})", width, indent)
    return out


def _claim_lines(claims, width: int, stances: bool = False) -> list[str]:
    """One line (wrapped) per claim: its source, who it is attributed to,
    its passage (and `stances`: its stance) and its words."""
    lines = []
    for claim in claims:
        who = f" [{printable(claim.attributed_to)}]" if claim.attributed_to else ""
        said = f"{printable(claim.quote.passage_id)}, {claim.stance}" if stances else printable(claim.quote.passage_id)
        line = f"- {printable(claim.quote.cited_as())}{who} ({said}): “{printable(claim.quote.text, lines=True)}”"
        lines += _wrap(line, width, "  ")
    return lines


def format_audit(reports, width: int = 100, checklist: bool = False) -> str:
    """Each topic: its summary, who says what, the conflicts (each claim once,
    with every claim opposed to it), agreements and the other claims; after
    several topics (or a checklist), a table of conflicts per topic."""
    from ..claims.records import NEUTRAL

    out = []
    for report in reports:
        out.append(click.style(f"Topic: {printable(report.topic)}", bold=True))
        if report.corrected_topic:
            out.append(f'Auditing "{printable(report.corrected_topic)}" (you typed "{printable(report.topic)}")')
        out.append(report.summary())
        if report.set_aside:
            names = ", ".join(printable(s.path) for s in report.set_aside)
            out += _wrap(f"Set aside (their words match, but they are about something else): {names}", width)
        if report.without_claims:
            names = ", ".join(printable(s.path) for s in report.without_claims)
            out += _wrap(f"{WITHOUT_CLAIMS}: {names}", width)
        if not report.claims:
            out.append("No source in the corpus makes a claim on this topic.")
        out += _who_says_what(report, width)
        firsts = report.first_opposed_alike()
        for number, (conflict, same) in enumerate(zip(report.conflicts, firsts, strict=True), 1):
            out += [
                "",
                click.style(
                    f"Conflict {number} · {printable(conflict.aspect)} · {conflict.type} "
                    f"(strength {conflict.strength:.2f})",
                    bold=True,
                ),
                *_wrap(printable(conflict.explanation), width),
                f"  {_stance(conflict.side_of(conflict.claim))} "
                f"{printable(conflict.claim.quote.credited_as())}",
                *_claim_block(conflict.claim, width, "    "),
                *_side_note(conflict, conflict.claim, width, "    "),
            ]
            if same != number:
                # Several claims of one side against the same others: those
                # are quoted once.
                n = len(conflict.opposed_by)
                out.append(f"  opposed by the same {counted(n, 'claim')} as Conflict {same}")
                continue
            out.append(f"  opposed by {counted(len(conflict.opposed_by), 'claim')}:")
            for other in conflict.opposed_by:
                side = _stance(conflict.side_of(other))
                out.append(f"  - {side} {printable(other.quote.credited_as())}")
                out += _claim_block(other, width, "    ")
                out += _side_note(conflict, other, width, "    ")
        for related in report.related[:RELATED_SHOWN]:
            out += ["", click.style(f"Related figures · {printable(related.a.aspect)} (not compared)", bold=True)]
            out += _wrap(printable(related.reason), width)
            for claim in (related.a, related.b):
                out += _claim_block(claim, width, "  ")
        if len(report.related) > RELATED_SHOWN:
            more = counted(len(report.related) - RELATED_SHOWN, "more pair")
            out += ["", f"… and {more} of related figures (all in --json)"]
        for agreement in report.agreements:
            sources = sorted({c.quote.source.path for c in agreement.claims})
            # Claims giving the same figure may take no side, or different ones.
            stances = {c.stance for c in agreement.claims}
            verb = {"affirms": "affirm", "denies": "deny"}.get(stances.pop(), "mention")
            if stances:
                verb = "mention"
            out += [
                "",
                click.style(f"Agreement · {printable(agreement.aspect)}", bold=True),
                f"{counted(len(agreement.claims), 'claim')} from "
                f"{counted(len(sources), 'source')} all {verb} it:",
            ]
            out += _claim_lines(agreement.claims, width)
        # Claims neither in a conflict nor in an agreement: most often one
        # source alone speaks to the aspect.
        listed = {c.aspect for c in report.conflicts} | {a.aspect for a in report.agreements}
        for aspect, claims in report.unmatched().items():
            sources = {c.quote.source.path for c in claims}
            said = counted(len(claims), "claim")
            if aspect in listed:
                said = counted(len(claims), "more claim") + ", in no conflict or agreement listed:"
            elif all(c.stance == NEUTRAL for c in claims):
                said += f" from {counted(len(sources), 'source')}, taking no side to compare:"
            elif len(sources) == 1:
                said += ", all from one source, so nothing to compare:"
            else:
                said += f" from {len(sources)} sources, in neither a conflict nor an agreement:"
            out += ["", click.style(f"Claims · {printable(aspect)}", bold=True), said]
            out += _claim_lines(claims, width, stances=True)
        out.append("")
    if checklist or len(reports) > 1:
        out += _topics_table(reports, width)
    return "\n".join(out).rstrip() + "\n"


def _topics_table(reports, width: int) -> list[str]:
    """Conflicts per topic: the checklist's summary."""
    rows = [("conflicts", "pairs", "sources", "claims", "topic")]
    for report in reports:
        involved = {c.quote.source.path for x in report.conflicts for c in x.claims}
        rows.append((
            str(len(report.conflicts)), str(report.pairs()), str(len(involved)), str(len(report.claims)),
            printable(report.topic),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    out = [click.style("Conflicts per topic", bold=True)]
    for row in rows:
        cells = [row[i].rjust(widths[i]) for i in range(4)]
        out += _wrap("  ".join([*cells, row[4]]), width, " " * (sum(widths) + 8))
    with_conflicts = sum(1 for r in reports if r.conflicts)
    out.append(f"{with_conflicts} of {counted(len(reports), 'topic')} with a conflict")
    return out


def format_check(result, provenance) -> str:
    """`check`: one line per quote (its status, where, its id and words,
    and why when it is not present), then the counts and the index read."""
    lines = []
    for quote in result.quotes:
        place = f"{quote.path}:{quote.line}" if quote.line else quote.path
        words = " ".join((quote.text or "").split())
        if len(words) > _CHECK_EXCERPT:
            words = words[: _CHECK_EXCERPT - 1].rstrip() + "…"
        line = f"{quote.status:<8} {printable(place)}  {printable(quote.passage_id or '-')}"
        line += f"  “{printable(words)}”"
        if quote.detail:
            line += f" ({printable(quote.detail)})"
        lines.append(line)
    made = result.made or {}
    since = ""
    if made.get("generation") and made.get("generation") != provenance.generation:
        since = f", the report was made from {printable(str(made['generation']))}"
        if made.get("created"):
            since += f" on {printable(str(made['created']))}"
    lines += [
        "",
        f"{result.summary()} (index {printable(provenance.index)}, generation "
        f"{printable(provenance.generation or '-')}{since})",
    ]
    return "\n".join(lines) + "\n"


#: The characters of a quote shown by `check` on the terminal.
_CHECK_EXCERPT = 70
