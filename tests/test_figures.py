"""`audit`: sums of money and counts of things compared across sources."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.claims.audit import audit
from search.present.cli import cli

from .conftest import indexed_with_cli, make_index

GAP = "Does Harwick council face a budget shortfall?"
CUTS = "Will Brantley Foods cut jobs in Leeds?"


def audited(tmp_path, files, topic):
    with make_index(tmp_path, files) as ix:
        return audit(ix, topic)


def quantity_pairs(report):
    """Each opposed pair of the quantity conflicts, as a set of its two files."""
    return {
        frozenset((a.quote.source.path, b.quote.source.path))
        for c in report.conflicts
        if c.type == "quantity"
        for a, b in c.pairs()
    }


def agreeing(report):
    """The files of each agreement."""
    return [sorted(c.quote.source.path for c in a.claims) for a in report.agreements]


@pytest.mark.parametrize(
    "topic, a, b",
    [
        (GAP, "Harwick council faces a £212m shortfall this year.",
         "The budget shortfall at Harwick council is £198m this year."),
        (GAP, "Harwick council's budget shortfall is £212m.",
         "Harwick council's budget shortfall is nearly £200m."),
        (GAP, "Harwick council has a shortfall of $1.2 billion.",
         "Harwick council has a shortfall of 900 million dollars."),
        (CUTS, "Brantley Foods said 1,200 jobs will go in Leeds.",
         "The union said about 800 jobs would be lost at Brantley Foods in Leeds."),
        (CUTS, "Brantley Foods will lay off 4,000 workers in Leeds.",
         "Brantley Foods will lay off 1,200 hourly workers in Leeds."),
        # The figure it is set against is not its own: 1,200 against 4,000.
        (CUTS, "Brantley Foods will cut 1,200 jobs in Leeds, rather than the 4,000 jobs feared.",
         "Brantley Foods will cut 4,000 jobs in Leeds."),
    ],
)
def test_two_sources_figures_of_one_thing_conflict(tmp_path, topic, a, b):
    """Sums of one currency of the same thing, or counts of the same thing
    with the same thing happening to it, that differ beyond rounding."""
    report = audited(tmp_path, {"a.txt": a + "\n", "b.txt": b + "\n"}, topic)
    assert quantity_pairs(report) == {frozenset(("a.txt", "b.txt"))}, report.conflicts
    (conflict,) = report.conflicts
    assert conflict.explanation.endswith("the figures differ beyond rounding")
    # Sources giving different figures agree on no side.
    assert report.agreements == ()


#: A third source's figure, unlike any of the others.
OTHER = {
    GAP: "Harwick council's shortfall is £90m.",
    CUTS: "Brantley Foods will cut 5,000 jobs in Leeds.",
}
AC, BC = frozenset(("a.txt", "c.txt")), frozenset(("b.txt", "c.txt"))


@pytest.mark.parametrize(
    "topic, a, b, against_c",
    [
        # the same figure, written another way
        (GAP, "Harwick council has a shortfall of £212 million.",
         "Harwick council faces a £212m budget shortfall.", {AC, BC}),
        # within the words around it: "about", a range, "more than"
        (GAP, "Harwick council faces a £212m shortfall.",
         "Harwick council says its shortfall is about £200m.", {AC, BC}),
        (GAP, "Harwick council faces a shortfall of between £190m and £215m.",
         "Harwick council faces a £212m shortfall.", {AC, BC}),
        (CUTS, "Brantley Foods will cut between 800 and 1,000 jobs in Leeds.",
         "About 1,000 jobs will go at Brantley Foods in Leeds.", {AC, BC}),
        (CUTS, "Brantley Foods will cut more than 1,000 jobs in Leeds.",
         "Brantley Foods will cut 1,200 jobs in Leeds.", {BC}),
        (CUTS, "Brantley Foods will cut 1,200 jobs in Leeds.",
         "Brantley Foods will lay off 1,200 workers in Leeds.", {AC, BC}),
        # different things: a budget and a shortfall, jobs cut and created,
        # a workforce and jobs cut, another currency, a share and a count
        (GAP, "Harwick council faces a £212m shortfall.",
         "Harwick council has a budget of £198m and a shortfall.", {AC}),
        (GAP, "Harwick council faces a £212m shortfall.",
         "Harwick council faces a $198m shortfall.", {AC}),
        (CUTS, "Brantley Foods said 1,200 jobs will go in Leeds.",
         "Brantley Foods will create 800 new jobs in Leeds.", {AC}),
        (CUTS, "Brantley Foods said 1,200 jobs will go in Leeds.",
         "Brantley Foods employs 800 people in Leeds and will cut jobs.", {AC}),
        (CUTS, "Brantley Foods will cut 1,200 jobs in Leeds.",
         "Brantley Foods will cut 12% of jobs in Leeds.", {AC}),
        # a year is no count
        (CUTS, "Brantley Foods will cut 2,000 jobs in Leeds.",
         "In 2019 Brantley Foods cut jobs in Leeds.", {AC}),
    ],
)
def test_figures_that_may_both_be_true_are_no_conflict(tmp_path, topic, a, b, against_c):
    """a and b may both be true: only a third source's figure, unlike
    theirs, is set against those of the same thing."""
    files = {"a.txt": a + "\n", "b.txt": b + "\n", "c.txt": OTHER[topic] + "\n"}
    report = audited(tmp_path, files, topic)
    assert len(report.claims) == 3
    assert quantity_pairs(report) == against_c, [c.explanation for c in report.conflicts]


def test_a_figure_for_another_year_or_a_forecast_is_related_not_in_conflict(tmp_path):
    report = audited(tmp_path, {
        "a.txt": "Harwick council faced a £212m shortfall in 2019.\n",
        "b.txt": "Harwick council faces a £198m shortfall in 2024.\n",
        "c.txt": "Harwick council expects its shortfall to reach £150m, its forecast says.\n",
    }, GAP)
    assert report.conflicts == ()
    reasons = sorted(r.reason for r in report.related)
    assert any("for 2019; the other for 2024" in r for r in reasons), reasons
    assert any("as a forecast or an estimate" in r for r in reasons), reasons


def test_the_same_figure_from_two_sources_is_an_agreement(tmp_path):
    """On a question of how much, whose claims take no side, two sources
    giving the same figure agree; the one giving another is set against
    them, and a budget beside them is no figure of the shortfall."""
    report = audited(tmp_path, {
        "gazette.txt": "Harwick council faces a £212m shortfall, in a budget of £1.4bn.\n",
        "blog.md": "Harwick council has a shortfall of around £212 million to close.\n",
        "courier.txt": "The budget shortfall at Harwick council is £198m.\n",
    }, "How big is the Harwick council shortfall?")
    assert quantity_pairs(report) == {frozenset(("gazette.txt", "courier.txt"))}
    assert ["blog.md", "gazette.txt"] in agreeing(report)
    assert all("courier.txt" not in files for files in agreeing(report))


def test_one_source_is_not_set_against_itself(tmp_path):
    """An article reporting two figures is set against no one for that; a
    source giving one of them is set against the other."""
    report = audited(tmp_path, {
        "a.txt": "Leeds news\n\nBrantley Foods said 1,200 jobs will go in Leeds.\n\n"
                 "The union said about 800 jobs would be lost at Brantley Foods in Leeds.\n",
        "b.txt": "Brantley Foods will cut 1,200 jobs in Leeds.\n",
    }, CUTS)
    assert len(report.claims) == 3
    found = [(a.quote.text, b.quote.text) for c in report.conflicts for a, b in c.pairs()]
    assert len(found) == 1 and quantity_pairs(report) == {frozenset(("a.txt", "b.txt"))}
    assert any("800 jobs" in text for text in found[0])


def test_audit_json_lists_the_figures_conflict(tmp_path):
    index = indexed_with_cli(tmp_path, {
        "wire.txt": "Brantley Foods to cut jobs\n\nBrantley Foods said on Monday that 1,200 jobs "
                    "will go at its Leeds plant.\n\nThe plant employs 3,500 people.\n",
        "union.txt": "Union responds\n\nThe union said about 800 jobs would be lost at the "
                     "Brantley Foods plant in Leeds.\n",
        "local.md": "# What we know\n\nBrantley Foods will cut between 1,100 and 1,300 jobs in "
                    "Leeds.\n\nBrantley Foods also said 300 new jobs will be created in Hull.\n",
    })
    result = CliRunner().invoke(cli, ["audit", CUTS, "--index", str(index), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    found = [c for c in report["conflicts"] if c["type"] == "quantity"]
    assert len(found) == 1, result.stdout
    (conflict,) = found
    sides = {conflict["claim"]["source"]["path"]} | {
        o["source"]["path"] for o in conflict["opposed_by"]
    }
    assert sides == {"union.txt", "wire.txt", "local.md"}
    assert "800 jobs (lost)" in conflict["explanation"]
    text = json.dumps(conflict)
    assert "3,500" not in text and "300 new jobs" not in text
    terminal = CliRunner().invoke(cli, ["audit", CUTS, "--index", str(index)])
    assert "the figures differ beyond rounding" in terminal.output


def test_a_price_per_unit_is_no_sum_to_set_against_a_total():
    from search.claims.language import figures

    assert [f.text for f in figures("It bought the shares for 138 crowns a share.")] == []
    assert [f.text for f in figures("The plan costs £212m a year.")] == []
    assert [f.text for f in figures("It employs 1,200 workers a year after the cuts.")] == [
        "1,200 workers"
    ]
    assert [f.text for f in figures("a deal valuing the carrier at 18 billion crowns")] == [
        "18 billion crowns"
    ]


def test_a_unit_written_with_the_greek_mu_is_read_as_micro():
    """ "10 μg" (Greek mu, as many texts write it) once raised a KeyError in
    `ask` and `audit`: it is 10 micrograms, as "10 µg" (the micro sign) is."""
    from search.claims.language import quantities

    greek, micro = quantities("Rice held 10 μg of arsenic."), quantities("Rice held 10 µg of arsenic.")
    assert [(q.dimension, q.low) for q in greek] == [(q.dimension, q.low) for q in micro]
    assert greek and greek[0].dimension == "mass"


def test_ask_and_audit_read_a_folder_that_writes_micrograms_with_the_greek_mu(tmp_path):
    index = indexed_with_cli(tmp_path, {
        "rice.txt": "Arsenic in rice\n\nA serving of brown rice held 10 μg of arsenic.\n",
        "chicken.txt": "Arsenic in chicken\n\nChicken held 2 µg of arsenic a serving.\n",
    })
    for command in ("ask", "audit"):
        result = CliRunner().invoke(cli, [command, "Reducing arsenic in chicken and rice", "--index", str(index)])
        assert result.exit_code == 0, result.output
