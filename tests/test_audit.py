"""`audit`: claims, stances, attribution, conflicts of each type, agreements."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from search.claims.audit import audit, read_topics
from search.claims.language import attributed_to, given_as_limit, negated, quantities
from search.present.cli import cli

from .conftest import SEEDS, indexed_with_cli, make_index

DEA = "Despite its muscle relaxant properties and interaction with the CNS, the DEA does not consider baclofen to have any potential for abuse."


def audited(tmp_path, files, topic):
    """The audit of `topic` over an index of `files`."""
    with make_index(tmp_path, files) as ix:
        return audit(ix, topic)


def stances(report):
    """Each claim's source and stance."""
    return {c.quote.source.path: c.stance for c in report.claims}


def conflicting_texts(report):
    return [(c.type, a.quote.text, b.quote.text) for c in report.conflicts for a, b in c.pairs()]


def pairs(report, kind=None):
    """Each opposed pair of the listed conflicts: (type, claim, opposing claim)."""
    return [(c.type, a, b) for c in report.conflicts for a, b in c.pairs() if kind in (None, c.type)]


def pair_paths(report, kind=None):
    return {frozenset((a.quote.source.path, b.quote.source.path)) for _, a, b in pairs(report, kind)}


class TestSeeds:
    def test_dea_denial_conflicts_with_abuse_potential(self, seeds):
        report = audit(seeds, "Is baclofen a controlled substance with abuse potential?")
        (dea,) = [c for c in report.conflicts if c.type == "negation" and c.claim.quote.text == DEA]
        # Opposed by the page quoting the DEA, in its own voice, and by another
        # page: each by its surest sentence on abuse (which of two near-equal
        # sentences is surest is the stance model's to say).
        assert {o.quote.source.path for o in dea.opposed_by} == {
            "001_a426a29352d06d7c.txt", "003_1957af6f8275ef46.txt"
        }
        assert all("abuse" in o.quote.text and o.attributed_to is None for o in dea.opposed_by)
        claim = dea.claim
        assert (claim.stance, claim.attributed_to, claim.aspect) == ("denies", "the DEA", "abuse potential")
        assert all(o.stance == "affirms" for o in dea.opposed_by)
        # Shown once, with all of its opponents: not once per pair.
        assert sum(c.claim.quote.text == DEA for c in report.conflicts) == 1

    def test_the_dea_is_a_voice_of_its_own_against_the_page_quoting_it(self, seeds):
        report = audit(seeds, "Is baclofen addictive?")
        voices = {(p.source.path, p.speaker): p.stance for p in report.positions}
        assert voices[("001_a426a29352d06d7c.txt", "the DEA")] == "denies"
        assert voices[("001_a426a29352d06d7c.txt", None)] == "affirms"
        assert voices[("003_1957af6f8275ef46.txt", None)] == "affirms"
        (conflict,) = report.conflicts
        # The page's own view is set against the DEA it quotes.
        (same_page,) = [o for o in conflict.opposed_by if o.quote.source.path == "001_a426a29352d06d7c.txt"]
        assert same_page.attributed_to is None and same_page.stance == "affirms"

    def test_withdrawal_hours_after_treatment_are_related_not_in_conflict(self, seeds):
        # 42.9 hours is how long psychiatric symptoms took to clear after
        # treatment; one to two weeks, how long withdrawal lasts.
        report = audit(seeds, "How long do baclofen withdrawal symptoms last?")
        assert [c for c in report.conflicts if c.type == "quantity"] == []
        assert report.related
        texts = " ".join(r.a.quote.text + r.b.quote.text for r in report.related)
        assert "42.9 hours" in texts and "one to two weeks" in texts
        assert all("after treatment" in r.reason for r in report.related)
        assert not any("42.9" in c.quote.text for cs in report.unmatched().values() for c in cs)

    def test_tapering_is_an_agreement_not_a_conflict(self, seeds):
        report = audit(seeds, "Should the baclofen dose be reduced gradually when stopping?")
        assert report.conflicts == ()
        (agreement,) = report.agreements
        sources = {c.quote.source.path for c in agreement.claims}
        assert len(sources) >= 3
        assert all(c.stance == "affirms" for c in agreement.claims)
        texts = [c.quote.text for c in agreement.claims]
        assert "Therefore, except for serious adverse reactions, the dose should be reduced slowly when the drug is discontinued." in texts

    def test_claims_in_no_conflict_or_agreement_are_kept_by_aspect(self, seeds):
        report = audit(seeds, "Is baclofen a controlled substance?")
        assert report.conflicts == () and report.agreements == ()
        (claims,) = report.unmatched().values()
        assert {c.aspect for c in claims} == {"controlled-substance status"}
        assert {c.stance for c in claims} == {"denies"}
        assert len(claims) == 3

    def test_every_claim_is_listed_somewhere(self, seeds):
        report = audit(seeds, "Is baclofen a controlled substance with abuse potential?")
        in_conflicts = {claim for c in report.conflicts for claim in c.claims}
        unmatched = {claim for claims in report.unmatched().values() for claim in claims}
        agreeing = {claim for a in report.agreements for claim in a.claims}
        assert in_conflicts.isdisjoint(unmatched)
        assert in_conflicts | unmatched | agreeing == set(report.claims)
        (addictive,) = [c for c in agreeing | unmatched if c.quote.text.startswith("Baclofen can be addict")]
        assert addictive.aspect == "abuse potential"
        # The two pages that say so agree, though the DEA they quote does not.
        (agreement,) = report.agreements
        assert {c.quote.source.path for c in agreement.claims} == {
            "001_a426a29352d06d7c.txt", "003_1957af6f8275ef46.txt"
        }

    def test_a_use_against_dependence_is_not_the_drugs_own_abuse_potential(self, seeds):
        report = audit(seeds, "Can baclofen treat alcohol dependence?")
        aspects = {c.aspect for c in report.claims}
        assert aspects == {"claims about baclofen treat alcohol dependence"}
        quoted = {c.quote.text for c in report.claims}
        assert (
            "Baclofen is great for helping people manage their withdrawals and dependence on "
            "substances such as alcohol, opioids, cocaine, and tobacco." in quoted
        )
        assert DEA not in quoted
        # Asked about its own dependence, it is the abuse-potential aspect again,
        # also in a clause after one about what it treats.
        for topic in (
            "Does baclofen cause dependence?",
            "Does baclofen help with withdrawal, and is it addictive?",
            "Does baclofen help with sleep and is it addictive?",
        ):
            assert {c.aspect for c in audit(seeds, topic).claims} == {"abuse potential"}, topic

    def test_a_treatment_topic_keeps_only_sentences_about_treating(self, seeds):
        report = audit(seeds, "Does baclofen help alcohol withdrawal?")
        quoted = {c.quote.text for c in report.claims}
        assert any("may be able to help treat alcohol abuse withdrawal" in t for t in quoted)
        assert not any(t.startswith("The symptoms are very similar to withdrawal") for t in quoted)

    def test_a_warning_for_those_with_seizure_disorders_is_not_a_claim_it_causes_them(self, seeds):
        texts = [c.quote.text for c in audit(seeds, "Does baclofen cause seizures?").claims]
        assert "Seizures, tremors, and muscle rigidity are also possible." in texts
        assert not any(t.startswith("If you have severe psychiatric disorders") for t in texts)

    def test_a_condition_listed_after_if_you_have_is_not_an_effect(self, seeds):
        # "If you have …, liver disease, or diabetes mellitus, take baclofen with
        # extreme caution": no seed says baclofen causes diabetes.
        assert audit(seeds, "Can baclofen cause diabetes?").claims == ()

    def test_how_it_works_gathers_what_it_acts_on_and_no_conflict(self, seeds):
        # "at first it worked" and "no longer works as well" are no claims on
        # how it works, and no conflict between them.
        report = audit(seeds, "How does baclofen work?")
        assert report.conflicts == ()
        assert {(c.aspect, c.stance) for c in report.claims} == {("how it works", "neutral")}
        texts = [c.quote.text for c in report.claims]
        agonist = "It acts as an agonist to the gamma-aminobutyric acid, type B (GABA-B) receptor."
        assert agonist in texts
        assert not any("worked" in t or "works" in t for t in texts)

    def test_naming_opioids_is_not_saying_baclofen_is_one(self, seeds):
        report = audit(seeds, "Is baclofen an opioid?")
        assert [(c.stance, c.quote.text) for c in report.claims] == [(
            "denies",
            "And while Baclofen is not an opioid, other drugs such as this come with their "
            "own dangers and potential for abuse.",
        )]
        assert report.conflicts == ()

    def test_claims_are_verbatim_and_never_boilerplate(self, seeds):
        report = audit(seeds, "Is baclofen a controlled substance with abuse potential?")
        assert report.claims
        for claim in report.claims:
            text = seeds.source_text(claim.quote.source.path)
            assert text[claim.quote.start : claim.quote.end] == claim.quote.text
            assert claim.quote.kind != "boilerplate"
            for start, end in claim.cues:
                assert 0 <= start < end <= len(claim.quote.text)

    def test_a_list_item_is_quoted_with_what_the_list_is_of(self, seeds):
        report = audit(seeds, "Does baclofen overdose cause vomiting?")
        texts = [c.quote.text for c in report.claims]
        # "• Vomiting" is listed under the signs of an overdose.
        assert len(texts) == 1 and texts[0].startswith(
            "It is also important to note that this drug comes with the potential of overdose."
        ), texts
        assert texts[0].endswith("• Vomiting"), texts
        for claim in report.claims:
            text = seeds.source_text(claim.quote.source.path)
            assert text[claim.quote.start : claim.quote.end] == claim.quote.text
            # "baclofen overdose" is what is asked about, "vomiting" what is asked
            assert [claim.quote.text[a:b] for a, b in claim.cues] == ["Vomiting"]

    def test_a_misspelt_topic_is_audited_as_corrected(self, seeds):
        # "adictive" is no word of the seeds: uncorrected, no claim was found.
        report = audit(seeds, "Is baclofen adictive?")
        assert report.corrected_topic == "Is baclofen addictive?"
        right = audit(seeds, "Is baclofen addictive?")
        assert right.corrected_topic is None
        assert report.conflicts and report.claims == right.claims
        assert report.conflicts == right.conflicts

    def test_second_hand_authorities_are_recorded(self, seeds):
        report = audit(seeds, "Should the baclofen dose be reduced gradually when stopping?")
        assert "the Electronic Medicines Compendium" in {c.attributed_to for c in report.claims}


class TestConflictTypes:
    def test_negation(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Experts say that drugx is addictive.\n",
            "b.txt": "The agency does not consider drugx to be addictive.\n",
        }, "Is drugx addictive?")
        (conflict,) = report.conflicts
        assert conflict.type == "negation"
        (other,) = conflict.opposed_by
        assert (conflict.claim.quote.source.path, other.quote.source.path) == ("b.txt", "a.txt")
        assert conflict.claim.attributed_to == "The agency"
        assert other.attributed_to == "Experts"
        assert "denies abuse potential" in conflict.explanation

    def test_limits_on_prescription_and_without_are_related_not_opposed(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx dosage\n\nThe maximum daily dose of drugx is 3,200 mg when "
            "prescribed by a doctor.\n",
            "b.txt": "Drugx guide\n\nThe maximum daily dose of drugx is 2,400 mg.\n",
        }, "What is the maximum daily dose of drugx?")
        assert report.conflicts == () and report.agreements == ()
        (related,) = report.related
        assert "on prescription" in related.reason
        assert "3,200 mg (3,200 mg)" not in related.reason  # no figure misread as 3.2

    def test_limits_a_third_apart_conflict_and_do_not_agree(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx dosage\n\nThe maximum daily dose of drugx is 3,200 mg.\n",
            "b.txt": "Drugx guide\n\nThe maximum daily dose of drugx is 2,400 mg.\n",
        }, "What is the maximum daily dose of drugx?")
        (conflict,) = report.conflicts
        assert conflict.type == "quantity"
        assert "2,400 mg (2,400 mg)" in conflict.explanation
        assert report.agreements == ()

    def test_a_labelled_maximum_is_a_limit(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx formulary\n\nDrugx tablets. Maximum daily dose: 200 mg.\n",
            "b.txt": "Drugx label\n\nThe maximum daily dose of drugx is 400 mg.\n",
        }, "What is the maximum daily dose of drugx?")
        (conflict,) = report.conflicts
        assert conflict.type == "quantity" and "limits differ" in conflict.explanation

    def test_a_dose_taken_several_times_a_day_is_no_daily_limit(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx leaflet\n\nTake one 100 mg capsule of drugx twice a day. Never "
            "take more than 300 mg of drugx in one day.\n",
            "b.txt": "Drugx label\n\nThe maximum daily dose of drugx is 600 mg.\n",
        }, "What is the maximum daily dose of drugx?")
        # 300 mg in one day against 600 mg a day is a conflict; the 100 mg
        # taken twice a day is a dose, not a day's
        (conflict,) = report.conflicts
        assert "100 mg" not in conflict.explanation
        assert {"300 mg", "600 mg"} <= set(re.findall(r"\d+ mg", conflict.explanation))

    def test_related_figures_beyond_six_are_counted_in_the_terminal(self, tmp_path):
        files = {"adult.txt": "Drugx label\n\nThe maximum daily dose of drugx is 400 mg.\n"}
        for i in range(8):
            files[f"child{i}.txt"] = (
                f"Drugx note {i}\n\nIn children, the maximum daily dose of drugx is {20 + i} mg.\n"
            )
        index = indexed_with_cli(tmp_path, files)
        base = ["audit", "What is the maximum daily dose of drugx?", "--index", str(index)]
        data = json.loads(CliRunner().invoke(cli, [*base, "--json"]).stdout)
        shown = CliRunner().invoke(cli, base).stdout
        n = len(data["related_figures"])
        assert n > 6
        assert shown.count("Related figures · ") == 6
        more = f"{n - 6} more pair{'s' * (n - 6 > 1)}"
        assert f"… and {more} of related figures (all in --json)" in shown

    def test_a_negation_elsewhere_in_the_sentence_is_not_a_denial(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx is not an opioid, but it is addictive.\n",
            "b.txt": "Drugx is addictive.\n",
        }, "Is drugx addictive?")
        assert {c.stance for c in report.claims} == {"affirms"}
        assert report.conflicts == ()
        assert len(report.agreements) == 1

    def test_a_condition_the_reader_already_has_is_not_an_effect(self, tmp_path):
        files = {
            "a.txt": "Drugx can cause seizures in some patients.\n",
            "b.txt": "Patients with a history of seizures should not take drugx.\n",
            "c.txt": "If you have seizure disorders, take drugx with caution.\n",
            "d.txt": "Drugx may cause psychiatric disorders.\n",
            "e.txt": "If you have asthma or seizures, tell your doctor of drugx.\n",
            # Not a condition the reader has: what taking it for years may do.
            "f.txt": "If you have taken drugx for years, you may develop seizures.\n",
        }
        with make_index(tmp_path, files) as ix:
            assert stances(audit(ix, "Does drugx cause seizures?")) == {
                "a.txt": "affirms", "f.txt": "affirms"
            }
            # "disorders" is what this topic asks about: d.txt speaks to it.
            assert "d.txt" in stances(audit(ix, "Does drugx cause psychiatric disorders?"))
            # Not a question of effects: the history of seizures counts.
            assert "b.txt" in stances(audit(ix, "Is drugx safe for patients with seizures?"))

    def test_quantity_with_units_normalised(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Withdrawal symptoms resolve within 48 hours.\n",
            "b.txt": "Withdrawal symptoms persist for three to four weeks.\n",
            "c.txt": "Withdrawal symptoms resolve within two days.\n",
        }, "How long do withdrawal symptoms last?")
        found = pair_paths(report)
        assert found == {frozenset(("a.txt", "b.txt")), frozenset(("b.txt", "c.txt"))}
        assert all(c.type == "quantity" for c in report.conflicts)

    def test_doses_in_mg_and_grams(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "The usual daily dose is 2 g.\n",
            "b.txt": "The usual daily dose is 5 mg.\n",
            "c.txt": "The usual daily dose is 2000 mg.\n",
        }, "What is the usual dose?")
        found = pair_paths(report)
        assert frozenset(("a.txt", "c.txt")) not in found, "2 g is 2000 mg"
        assert found == {frozenset(("a.txt", "b.txt")), frozenset(("b.txt", "c.txt"))}

    def test_another_drugs_dose_in_the_same_sentence_is_not_the_topics(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "He was given quetiapine 5 mg and baclofen 300 mg daily.\n",
            "b.txt": "The maximum daily dose of baclofen is 80 mg.\n",
        }, "What is the maximum dose of baclofen?")
        # 5 mg is quetiapine's: baclofen's 300 mg conflicts with 80 mg.
        assert [(kind, a.quote.source.path, b.quote.source.path)
                for kind, a, b in pairs(report)] == [("quantity", "a.txt", "b.txt")]
        assert "gives 300 mg (300 mg);" in report.conflicts[0].explanation
        given = next(c for c in report.claims if c.quote.source.path == "a.txt")
        assert [given.quote.text[start:end] for start, end in given.cues] == ["300 mg"]

    @pytest.mark.parametrize(
        "a, b, conflict",
        [
            # Two upper limits are stated exactly: 80 and 120 mg differ.
            ("The maximum dose of drugx is 80 mg a day.",
             "Drugx can be taken at up to 120 mg a day by adults.", True),
            ("Take no more than 80 mg of drugx a day.",
             "Never go above 120 mg of drugx a day.", True),
            # Doses taken, not limits, must be further apart (QUANTITY_GAP).
            ("Most adults take drugx at 80 mg a day.",
             "Some adults take drugx at 120 mg a day.", False),
            # Limits a tenth apart are the same limit, rounded.
            ("The maximum dose of drugx is 100 mg a day.",
             "Drugx can be taken at up to 105 mg a day by adults.", False),
            # The starting dose beside a limit is not compared with a limit.
            ("The maximum dose of drugx is 80 mg a day.",
             "A typical starting dose of drugx is 40 mg; the maximum dose is 60 mg a day.", True),
        ],
    )
    def test_two_upper_limits_conflict_when_they_differ(self, tmp_path, a, b, conflict):
        report = audited(
            tmp_path, {"a.txt": a + "\n", "b.txt": b + "\n"}, "What is the maximum dose of drugx?"
        )
        assert len(report.claims) == 2
        found = [c for c in report.conflicts if c.type == "quantity"]
        assert bool(found) == conflict, [c.explanation for c in report.conflicts]
        if conflict:
            assert found[0].explanation.endswith("the limits differ")
            assert "gives a limit of 80 mg (80 mg)" in found[0].explanation
            assert found[0].explanation.count("gives a limit of") == 2
            assert "(40 mg)" not in found[0].explanation

    def test_claims_about_different_countries_do_not_conflict(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx law\n\nDrugx is not a controlled substance in the United States.\n",
            "b.txt": "Drugx news\n\nIn 2019 the UK made drugx a Class C controlled substance.\n",
            "c.txt": "Drugx facts\n\nDrugx is a controlled substance.\n",
            "d.txt": "Drugx notes\n\nThe DEA says drugx is not a controlled substance.\n",
        }, "Is drugx a controlled substance?")
        assert len(report.claims) == 4
        found = pair_paths(report)
        assert found == {frozenset(("a.txt", "c.txt")), frozenset(("d.txt", "c.txt"))}

    def test_an_idiom_is_no_claim(self, seeds):
        # Jeanne is "scared to death of withdrawal symptoms": no claim that
        # withdrawal can cause death, and no agreement with one.
        report = audit(seeds, "Can baclofen withdrawal cause death?")
        texts = [c.quote.text for c in report.claims]
        assert texts and not any("scared to death" in t for t in texts), texts
        agreeing = [c.quote.text for a in report.agreements for c in a.claims]
        assert not any("scared to death" in t for t in agreeing)

    def test_how_many_mg_asks_about_the_drug_named_after_it(self, seeds):
        # "many" and "mg" were taken for the topic's subject, which no page names.
        report = audit(seeds, "how many mg of baclofen a day")
        assert {c.aspect for c in report.claims} == {"dose"}
        assert any("100 mg. a day" in c.quote.text for c in report.claims)

    def test_doses_that_differ_are_no_agreement(self, seeds):
        # A case report's 20 mg daily and "not higher than 100 mg. a day"
        # both speak of the dose, and agree on nothing.
        report = audit(seeds, "What is the maximum dose of baclofen?")
        assert len({c.quote.source.path for c in report.claims}) == 2
        assert report.agreements == () and report.conflicts == ()
        assert {c.aspect for cs in report.unmatched().values() for c in cs} == {"dose"}

    def test_figures_on_a_topic_of_its_own_words_are_compared(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx has a half-life of 5 to 7 hours.\n",
            "b.txt": "The half-life of drugx is about 12 hours, so take it once a day.\n",
            "c.txt": "Drugx's half-life is 6 hours in adults.\n",
        }, "What is the half-life of drugx?")
        assert pair_paths(report) == {frozenset(("a.txt", "b.txt")), frozenset(("b.txt", "c.txt"))}
        assert all(c.type == "quantity" for c in report.conflicts)
        assert "gives 5 to 7 hours (5–7 hours)" in report.conflicts[0].explanation
        assert report.agreements == ()

    def test_a_dose_written_after_the_drug_or_alone_is_its_own(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Adults take 300 mg of baclofen daily, with quetiapine 5 mg at night.\n",
            "b.txt": "The maximum daily dose of baclofen is 80 mg, up to 100 mg in hospital.\n",
        }, "What is the maximum dose of baclofen?")
        cues = {c.quote.source.path: [c.quote.text[s:e] for s, e in c.cues] for c in report.claims}
        # "up to 100 mg" is written beside no other drug: it stays.
        assert cues == {"a.txt": ["300 mg"], "b.txt": ["80 mg", "100 mg"]}

    def test_a_sentence_opening_a_list_is_quoted_with_its_list(self, seeds):
        report = audit(seeds, "side effects of baclofen")
        (claim,) = [c for c in report.claims if c.quote.text.startswith("There are certain")]
        assert claim.quote.text.endswith("• Fatigue\n  • Headache")
        assert "These include:\n\n  • Nausea" in claim.quote.text
        (severe,) = [c for c in report.claims if c.quote.text.startswith("In some cases")]
        assert severe.quote.text.endswith("• Confusion")
        # An item that says what is asked is still quoted on its own.
        report = audit(seeds, "Does baclofen cause drowsiness?")
        assert all(c.quote.text.endswith("• Drowsiness") for c in report.claims)

    def test_each_list_item_is_one_claim_quoted_from_its_lead_in(self, tmp_path):
        text = (
            "Drugx guide\n\nDrugx is taken daily. Common side effects of drugx include:\n\n"
            "- Nausea\n- Drowsiness\n- Headache\n\nDrowsiness fades after a week.\n"
        )
        report = audited(tmp_path, {"a.txt": text}, "Does drugx cause drowsiness?")
        quotes = sorted((c.quote.start, c.quote.text) for c in report.claims)
        # The item, from the sentence before its list's opening; then the
        # prose sentence.  "- Headache" repeats nothing: no claim of its own.
        assert quotes == [
            (text.index("Drugx is taken"), "Drugx is taken daily. Common side effects of drugx "
             "include:\n\n- Nausea\n- Drowsiness"),
            (text.index("Drowsiness fades"), "Drowsiness fades after a week."),
        ]

    @pytest.mark.parametrize("name, page", [
        ("a.html", "<h1>Drugx</h1><p>Drugx is a medicine. Its side effects include:</p>"
                   "<ul><li>Nausea</li><li>Drowsiness</li></ul>"),
        ("a.md", "# Drugx\n\nDrugx is a medicine. Its side effects include:\n\n"
                 "* Nausea\n* Drowsiness\n"),
    ])
    def test_a_list_item_of_a_page_or_markdown_is_quoted_from_its_lead_in(self, tmp_path, name, page):
        with make_index(tmp_path, {name: page}) as ix:
            report = audit(ix, "Does drugx cause drowsiness?")
            [claim] = report.claims
            assert claim.quote.text.startswith("Drugx is a medicine. Its side effects include:")
            assert claim.quote.text.endswith("Drowsiness")
            text = ix.source_text(name)
            assert text[claim.quote.start : claim.quote.end] == claim.quote.text

    def test_antonym(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx carries a high abuse potential.\n",
            "b.txt": "Drugx carries a low abuse potential.\n",
        }, "Does drugx have abuse potential?")
        (conflict,) = report.conflicts
        assert conflict.type == "antonym"
        assert "high" in conflict.explanation and "low" in conflict.explanation

    def test_hedges_weaken_a_conflict(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx may be addictive in some people.\n",
            "b.txt": "Drugx is not addictive.\n",
        }, "Is drugx addictive?")
        (conflict,) = report.conflicts
        assert conflict.strength < 1.0

    def test_topic_outside_the_curated_aspects(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Coffee is safe during pregnancy in small amounts.\n",
            "b.txt": "Coffee is not safe during pregnancy.\n",
            "c.txt": "Tea contains less caffeine than coffee.\n",
        }, "Is coffee safe during pregnancy?")
        (conflict,) = report.conflicts
        assert conflict.type == "negation"
        assert {c.quote.source.path for c in conflict.claims} == {"a.txt", "b.txt"}
        assert all(c.quote.source.path != "c.txt" for c in report.claims)

    def test_a_claim_must_name_the_topics_subject(self, tmp_path):
        # "Exercise" reduces cancer risk too, but that says nothing of vitamin D.
        report = audited(tmp_path, {
            "a.txt": "Vitamin D supplements reduce cancer risk.\n",
            "b.txt": "Vitamin D does not reduce cancer risk.\n",
            "c.txt": "Regular exercise does reduce cancer risk.\n",
        }, "Does vitamin D reduce cancer risk?")
        assert {c.quote.source.path for c in report.claims} == {"a.txt", "b.txt"}
        (conflict,) = report.conflicts
        assert {c.quote.source.path for c in conflict.claims} == {"a.txt", "b.txt"}

    def test_a_curated_aspect_also_asks_for_the_subject(self, tmp_path):
        # Nicotine's abuse potential is not a claim about caffeine's.
        report = audited(tmp_path, {
            "a.txt": "Caffeine is addictive.\n",
            "b.txt": "Caffeine is not addictive.\n",
            "c.txt": "Nicotine is highly addictive.\n",
        }, "Is caffeine addictive?")
        assert {c.quote.source.path for c in report.claims} == {"a.txt", "b.txt"}

    def test_a_synonym_names_the_subject(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Baclofen is addictive.\n",
            "b.txt": "Baclofen is not addictive.\n",
            "synonyms.toml": 'groups = [["baclofen", "Lioresal"]]\n',
        }, "Is Lioresal addictive?")
        (conflict,) = report.conflicts
        assert conflict.type == "negation"

    def test_the_subject_may_be_named_by_the_passage_or_the_sources_title(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Vitamin D and cancer\n\nSupplements reduce cancer risk.\n",
            "b.txt": "Vitamin D and cancer\n\nSupplements do not reduce cancer risk.\n",
        }, "Does vitamin D reduce cancer risk?")
        assert len(report.conflicts) == 1

    def test_what_the_subject_is_needs_a_sentence_saying_so(self, tmp_path):
        # "Is drugx an opioid?" is answered by "drugx is (not) an opioid", not
        # by every sentence that names opioids.
        report = audited(tmp_path, {
            "a.txt": "Drugx is an opioid.\n",
            "b.txt": "Drugx is not an opioid.\n",
            "c.txt": "People often mix drugx with opioids.\n",
            "d.txt": "Other substances that people mix drugx with are opioids.\n",
            "e.txt": "It acts as an opioid in the gut, drugx makers say.\n",
        }, "Is drugx an opioid?")
        assert stances(report) == {"a.txt": "affirms", "b.txt": "denies", "e.txt": "affirms"}
        assert {"a.txt", "b.txt"} in pair_paths(report)

    def test_whether_it_treats_something_needs_a_sentence_about_treating_it(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Drugx helps people with insomnia sleep.\n",
            "b.txt": "Drugx does not help insomnia.\n",
            "c.txt": "Insomnia is common when drugx is stopped.\n",
        }, "Does drugx help insomnia?")
        assert stances(report) == {"a.txt": "affirms", "b.txt": "denies"}
        assert len(report.conflicts) == 1

    @pytest.mark.parametrize(
        "topic", ["Pat Doe quit the Drone movie", "Did Pat Doe quit the Drone movie?"]
    )
    def test_a_page_repeating_only_the_storys_names_still_takes_a_side(self, tmp_path, topic):
        # In a folder about one story its names are on most pages, so only
        # "quit" tells a sentence on the story from a page on it; a page that
        # never says it but reports the opposite is still read.
        fans = {
            f"fan-{i:02}.txt": f"Pat Doe fan page {i}: news about Pat Doe and the Drone movie.\n"
            for i in range(20)
        }
        report = audited(tmp_path, {
            **fans,
            "agent.txt": "Pat Doe quit the Drone movie on Monday, his agent said.\n",
            "studio.txt": "Pat Doe will star in the Drone movie, the studio said on Tuesday.\n",
        }, topic)
        found = {c.quote.source.path: c for c in report.claims}
        assert found["studio.txt"].found_by == "closest"
        assert found["agent.txt"].stance == "affirms"

    def test_resistance_against_an_infection_is_no_treatment_topic(self, tmp_path):
        # "against" alone does not make a topic ask what a drug treats: the
        # sentence need not speak of treating to be a claim on it.
        report = audited(tmp_path, {
            "a.txt": "Antibiotics reduce colonization resistance against Clostridium difficile.\n",
        }, "Antibiotics reduce resistance against Clostridium difficile")
        assert stances(report) == {"a.txt": "affirms"}

    @pytest.mark.parametrize(
        "topic, says, denies",
        [
            (
                "Kinase Q regulates neuronal death in patients.",
                "Kinase Q regulates neuronal death in patients treated with the drug.",
                "Kinase Q does not regulate neuronal death in patients.",
            ),
            (
                "Inflammation is dependent on the Q inflammasome.",
                "In patients, inflammation is dependent on the Q inflammasome.",
                "In patients, inflammation was not dependent on the Q inflammasome.",
            ),
        ],
    )
    def test_a_curated_aspect_is_not_read_into_a_science_claim(
        self, tmp_path, topic, says, denies
    ):
        # "regulates" is no controlled-substance status and "dependent on" no
        # abuse potential, though the pages speak of patients and drugs.
        report = audited(tmp_path, {"a.txt": says + "\n", "b.txt": denies + "\n"}, topic)
        assert stances(report) == {"a.txt": "affirms", "b.txt": "denies"}
        assert {c.aspect for c in report.claims} == {report.claims[0].aspect}
        assert report.claims[0].aspect.startswith("claims about")

    def test_a_treatment_named_as_a_noun_asks_nothing_about_treating(self, tmp_path):
        # "chemotherapy treatments" names what is made less effective; the
        # claim is not whether something treats, so "treat" need not appear.
        report = audited(tmp_path, {
            "a.txt": "Stromal density decreased the efficacy of chemotherapy in mice.\n",
        }, "Stromal density decreases the efficacy of chemotherapy treatments.")
        assert stances(report) == {"a.txt": "affirms"}

    def test_no_effect_speaks_to_whether_it_protects(self, tmp_path):
        report = audited(tmp_path, {
            "a.txt": "Macrolides protect against myocardial infarction in older adults.\n",
            "b.txt": "No effect of macrolides on myocardial infarction was found.\n",
        }, "Macrolides protect against myocardial infarction.")
        assert stances(report) == {"a.txt": "affirms", "b.txt": "denies"}

    TRUCE = {
        "a.txt": "A truce was agreed between the two armies on Monday.\n",
        "b.txt": "No truce was agreed between the two armies, officials said.\n",
    }

    def test_is_it_true_that_audits_the_claim_it_asks_about(self, tmp_path):
        # The folder has "truce" and no "true": only the claim is corrected.
        topic = "Is it true that a truce was agreed between the armies?"
        report = audited(tmp_path, self.TRUCE, topic)
        assert report.topic == topic
        assert report.corrected_topic is None
        assert stances(report) == {"a.txt": "affirms", "b.txt": "denies"}
        assert len(report.conflicts) == 1

    def test_is_it_a_myth_that_turns_the_sides_round(self, tmp_path):
        topic = "Is it a myth that a truce was agreed between the armies?"
        report = audited(tmp_path, self.TRUCE, topic)
        assert stances(report) == {"a.txt": "denies", "b.txt": "affirms"}

    def test_nothing_relevant_means_no_claims(self, tmp_path):
        report = audited(tmp_path, {"a.txt": "Tea contains caffeine.\n"}, "Is drugx addictive?")
        assert report.claims == () and report.conflicts == ()


class TestLanguage:
    def test_negation_scope(self):
        assert negated(DEA, DEA.index("potential for abuse"))
        sentence = "Although it is not an opioid, other drugs come with potential for abuse."
        assert not negated(sentence, sentence.index("potential"))

    def test_a_negation_in_a_condition_denies_nothing(self):
        for sentence in ("If not treated, it can progress.", "Unless it is not treated, it helps."):
            assert not negated(sentence, sentence.index("treated"))
        sentence = "If taken as prescribed by a doctor, it is not addictive."
        assert negated(sentence, sentence.index("addictive"))
        sentence = "If you take it as prescribed it is not addictive."
        assert negated(sentence, sentence.index("addictive"))

    def test_a_negated_verb_that_takes_what_follows_as_true_denies_nothing(self):
        sentence = "Many people don't realise how easily it can be misused."
        assert not negated(sentence, sentence.index("misused"))
        sentence = "Doctors are not aware that it is addictive."
        assert not negated(sentence, sentence.index("addictive"))
        sentence = "Doctors do not think that it is addictive."
        assert negated(sentence, sentence.index("addictive"))

    def test_the_seed_saying_if_not_treated_is_no_conflict_over_what_it_treats(self, seeds):
        report = audit(seeds, "What does baclofen treat?")
        assert report.claims and report.conflicts == ()

    @pytest.mark.parametrize(
        "sentence, who",
        [
            (DEA, "the DEA"),
            ("According to the Electronic Medicines Compendium, you should taper.", "the Electronic Medicines Compendium"),
            ("The effects include itching, according to medtronic.com, and more.", "medtronic.com"),
            ("As PNN has reported, a study found an increase.", "PNN"),
            ("Baclofen relieves pain.", None),
            (
                "The baclofen website says, “If not treated, it can progress.”",
                "The baclofen website",
            ),
            ("The baclofen says nothing.", None),
            (
                "One person on a drug forum also attests to it, saying, “Tolerance builds fast.”",
                "One person on a drug forum",
            ),
        ],
    )
    def test_attribution(self, sentence, who):
        assert attributed_to(sentence) == who

    @pytest.mark.parametrize(
        "sentence, who",
        [
            ("The WHO said aspartame is possibly carcinogenic.", "The WHO"),
            ("According to the WHO, aspartame is possibly carcinogenic.", "the WHO"),
            ("Aspartame is safe, WHO says.", "WHO"),
            ("It said the shot is safe.", None),
            ("IT SAID THE SHOT IS SAFE.", None),  # all capitals: "IT" is the pronoun
        ],
    )
    def test_an_acronym_is_a_speaker_though_it_spells_a_pronoun(self, sentence, who):
        assert attributed_to(sentence) == who

    def test_attribution_from_a_lead_in_line(self):
        assert attributed_to("Baclofen is a muscle relaxer.", "According to Physiopedia:\n\n") == "Physiopedia"

    def test_a_lead_in_line_attributes_its_whole_paragraph_only(self):
        above = "According to Physiopedia:\n\nBaclofen is a muscle relaxer. "
        sentence = "It acts as an agonist to the GABA-B receptor."
        assert attributed_to(sentence, above) == "Physiopedia"
        assert attributed_to("It should be started slowly.", above + "Its effect.\n\n") is None

    def test_a_quotation_is_attributed_to_its_speaker_until_it_closes(self):
        above = "The baclofen website says, “If not treated, it can progress. "
        assert attributed_to("Symptoms are high fever.", above) == "The baclofen website"
        assert attributed_to("It may result in death.”", above + "Symptoms are x. ") == (
            "The baclofen website"
        )
        assert attributed_to("One person disagrees.", above + "It may result in death.” ") is None
        assert attributed_to("Then it stops.", 'He said "It helps." ') is None
        assert attributed_to("It stops.", 'The FDA warns, "Taper slowly. ') == "The FDA"
        assert attributed_to("It stops.", "The FDA warns, “Taper slowly.\n\n") is None

    def test_the_seed_quoting_the_baclofen_website_credits_every_quoted_sentence(self, seeds):
        report = audit(seeds, "What are the symptoms of advanced baclofen withdrawal?")
        opening = ("Symptoms of advanced", "In rare")
        quoted = [c for c in report.claims if c.quote.text.startswith(opening)]
        assert quoted, [c.quote.text for c in report.claims]
        assert {c.attributed_to for c in quoted} == {"The baclofen website"}

    def test_the_seed_quoting_physiopedia_is_attributed_to_it(self, seeds):
        report = audit(seeds, "Is baclofen a GABA-B receptor agonist?")
        (claim,) = [c for c in report.claims if c.quote.text.startswith("It acts as an agonist")]
        assert claim.attributed_to == "Physiopedia"

    @pytest.mark.parametrize(
        "text, limit",
        [
            ("Take no more than 80 mg a day.", True),
            ("The maximum daily dose of baclofen is 80 mg.", True),
            ("Try not to go higher than 100 mg. a day.", True),
            ("It should not exceed 80 mg.", True),
            ("Adults take 80 mg a day.", False),
            ("The maximum daily dose is 80 mg, up to 100 mg in hospital.", True),
            ("At most, patients say that 80 mg helps.", False),  # (another clause)
            ("The maximum effect was seen in patients who were given 80 mg.", False),
            ("Do not take more than 4800 mg a day.", True),
            ("Don't take more than 80 mg.", True),
            ("Patients who take more than 80 mg feel dizzy.", False),
            ("| Condition | Usual dose | Max dose |\n| Epilepsy | 1800 mg/day |", False),
        ],
    )
    def test_a_quantity_given_as_an_upper_limit(self, text, limit):
        dose = quantities(text)[-1]
        assert given_as_limit(text, dose) is limit

    def test_quantities_normalise_units(self):
        found = quantities("It took 42.9 hours, with a range of 4 to 72 hours, or one to two weeks, 100 mg a day.")
        assert [(q.text, q.dimension, q.low, q.high) for q in found] == [
            ("42.9 hours", "time", 42.9, 42.9),
            ("4 to 72 hours", "time", 4.0, 72.0),
            ("one to two weeks", "time", 168.0, 336.0),
            ("100 mg", "mass", 100.0, 100.0),
        ]

    @pytest.mark.parametrize(
        "text, value",
        [
            ("The maximum dose is 2,400 mg per day.", 2400.0),  # a thousands separator
            ("Do not take more than 1,200mg in 24 hours.", 1200.0),
            ("It holds 12,500.5 mg.", 12500.5),
            ("Take 2,5 mg at night.", 2.5),  # a decimal comma
        ],
    )
    def test_thousands_separators_and_decimal_commas(self, text, value):
        assert quantities(text)[0].low == value


class TestCli:
    def test_json_contract(self, seed_index):
        result = CliRunner().invoke(
            cli, ["audit", "Is baclofen addictive?", "--index", str(seed_index), "--json"]
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert set(data) == {
            "topic", "corrected_topic", "summary", "positions", "claims", "conflicts",
            "more_conflicts", "agreements", "related_figures", "set_aside", "without_claims",
            "provenance",
        }
        assert data["set_aside"] == []  # every seed page is about baclofen
        assert data["more_conflicts"] == 0
        assert data["corrected_topic"] is None
        claim_fields = {
            "text", "sha256", "start", "end", "passage_id", "kind", "author", "date", "source",
            "aspect", "stance", "confidence", "cues", "reported", "found_by", "attributed_to",
        }
        assert all(claim_fields <= set(c) for c in data["claims"])
        position_fields = {
            "aspect", "source", "author", "kind", "speaker", "who", "stance", "confidence",
            "evidence", "claims",
        }
        assert all(set(p) == position_fields for p in data["positions"])
        dea = next(p for p in data["positions"] if p["speaker"] == "the DEA")
        assert (dea["stance"], dea["who"]) == ("denies", "the DEA (per Baclofen side effects, abuse and toxicity)")
        (conflict,) = data["conflicts"]
        assert set(conflict) == {"aspect", "type", "claim", "opposed_by", "explanation", "strength"}
        assert conflict["claim"]["attributed_to"] == "the DEA"
        assert len(conflict["opposed_by"]) == 2
        assert claim_fields <= set(conflict["opposed_by"][0])
        for claim in data["claims"]:
            text = (SEEDS / claim["source"]["path"]).read_text(encoding="utf-8")
            assert text[claim["start"] : claim["end"]] == claim["text"]
            assert all(word in claim["text"] for word in claim["cues"])

    def test_claims_with_nothing_to_compare_are_still_quoted(self, seed_index):
        # One page alone says baclofen is not a controlled substance: no
        # conflict, no agreement, but a reader still needs its words.
        result = CliRunner().invoke(
            cli, ["audit", "Is baclofen a controlled substance?", "--index", str(seed_index)]
        )
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        at = lines.index("Claims · controlled-substance status")
        assert lines[at + 1] == "3 claims, all from one source, so nothing to compare:"
        words = " ".join(result.stdout.split())  # (quotes are wrapped)
        assert "not regulated under the Controlled Substances Act" in words
        assert "(001_a426a29352d06d7c.txt#8cda324e3a, denies)" in words

    def test_a_corrected_topic_is_said(self, seed_index):
        args = ["audit", "Is baclofen adictive?", "--index", str(seed_index)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[:2] == [
            "Topic: Is baclofen adictive?",
            'Auditing "Is baclofen addictive?" (you typed "Is baclofen adictive?")',
        ]

    def test_claims_that_take_no_side_are_still_quoted(self, seed_index):
        args = ["audit", "How does baclofen work?", "--index", str(seed_index)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        said = "Claims · how it works\n7 claims from 3 sources, taking no side to compare:"
        assert said in result.stdout
        said = "(003_1957af6f8275ef46.txt#1040927e51, neutral): “It acts as"
        assert said in " ".join(result.stdout.split())

    def test_no_correct_audits_the_topic_as_typed(self, seed_index):
        args = ["audit", "Is baclofen adictive?", "--index", str(seed_index), "--json"]
        typed = json.loads(CliRunner().invoke(cli, [*args, "--no-correct"]).stdout)
        assert typed["corrected_topic"] is None and typed["claims"] == []
        assert json.loads(CliRunner().invoke(cli, args).stdout)["claims"]

    def test_who_says_what_then_each_conflict_once_on_the_terminal(self, seed_index):
        result = CliRunner().invoke(
            cli, ["audit", "Is baclofen a controlled substance with abuse potential?", "--index", str(seed_index)]
        )
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert lines[1].startswith("1 conflict (2 opposed pairs) across 2 sources on 1 aspect")
        heads = [line for line in lines if line.startswith(("Who says what", "Conflict ", "Claims · "))]
        assert heads[:3] == [
            "Who says what · abuse potential",
            "Who says what · controlled-substance status",
            "Conflict 1 · abuse potential · negation (strength 0.72)",
        ] or heads[0].startswith("Who says what")
        assert sum(line.startswith("Conflict ") for line in lines) == 1
        assert any(line.strip().startswith("denies") and "the DEA (per" in line for line in lines)
        assert "  opposed by 2 claims:" in lines
        assert len(lines) < 80  # was 103 lines, the DEA's sentence printed six times

    def test_passage_ids_and_paths_wrap_whole_never_cut(self, seed_index):
        result = CliRunner().invoke(
            cli, ["audit", "Is baclofen addictive?", "--index", str(seed_index)], env={"COLUMNS": "64"}
        )
        assert result.exit_code == 0
        data = json.loads(CliRunner().invoke(
            cli, ["audit", "Is baclofen addictive?", "--index", str(seed_index), "--json"]
        ).stdout)
        known = {c["passage_id"] for c in data["claims"]}
        places = set()
        for c in data["claims"]:
            text = (SEEDS / c["source"]["path"]).read_text(encoding="utf-8")
            places.add(f'{c["source"]["path"]}:{text.count(chr(10), 0, c["start"]) + 1}')
        words = {w.strip("(),:;") for w in result.stdout.split()}
        shown = {w for w in words if "#" in w}
        assert shown and shown <= known, shown - known  # every id whole, none cut to another
        assert {w for w in words if ".txt:" in w} <= places

    def test_batch_topics_and_exit_codes(self, seed_index, tmp_path):
        checklist = tmp_path / "checklist.txt"
        checklist.write_text(
            "# standing checks\nShould the baclofen dose be reduced gradually when stopping?\n\n"
            "Is baclofen addictive?\n"
        )
        args = ["audit", "--topics", str(checklist), "--index", str(seed_index)]
        relaxed = CliRunner().invoke(cli, [*args, "--json"])
        assert relaxed.exit_code == 0
        data = json.loads(relaxed.stdout)
        assert [t["topic"] for t in data["topics"]] == [
            "Should the baclofen dose be reduced gradually when stopping?",
            "Is baclofen addictive?",
        ]
        strict = CliRunner().invoke(cli, [*args, "--fail-on-conflict"])
        assert strict.exit_code == 4
        table = strict.stdout[strict.stdout.index("Conflicts per topic"):].splitlines()
        assert table[1].split()[:4] == ["conflicts", "pairs", "sources", "claims"]
        assert table[2].split()[0] == "0" and table[2].endswith("when stopping?")
        assert table[3].split()[:2] == ["1", "2"] and table[3].endswith("Is baclofen addictive?")
        assert table[-1] == "1 of 2 topics with a conflict"
        calm = tmp_path / "calm.toml"
        calm.write_text('topics = ["Should the baclofen dose be reduced gradually when stopping?"]\n')
        assert CliRunner().invoke(
            cli, ["audit", "--topics", str(calm), "--index", str(seed_index), "--fail-on-conflict"]
        ).exit_code == 0

    def test_each_quoted_topic_is_audited_on_its_own(self, seed_index):
        both = CliRunner().invoke(
            cli, ["audit", "Is baclofen addictive?", "Is baclofen a controlled substance?",
                  "--index", str(seed_index), "--json"],
        )
        assert both.exit_code == 0, both.output
        assert [t["topic"] for t in json.loads(both.stdout)["topics"]] == [
            "Is baclofen addictive?", "Is baclofen a controlled substance?"
        ]
        # Words typed without quotes are one topic.
        one = CliRunner().invoke(cli, ["audit", "Is", "baclofen", "addictive?", "--index", str(seed_index), "--json"])
        assert json.loads(one.stdout)["topic"] == "Is baclofen addictive?"

    def test_an_empty_topics_file_says_so(self, seed_index, tmp_path):
        empty = tmp_path / "topics.txt"
        empty.write_text("# nothing yet\n\n", encoding="utf-8")
        args = ["audit", "--topics", str(empty), "--index", str(seed_index)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2
        assert f"{empty} holds no topic" in result.stderr

    def test_no_topic_is_a_usage_error(self, seed_index):
        result = CliRunner().invoke(cli, ["audit", "--index", str(seed_index)])
        assert result.exit_code == 2 and "give a TOPIC" in result.stderr


def test_read_topics_formats():
    assert read_topics("a\n# no\n\n b \n") == ["a", "b"]
    assert read_topics('topics = ["x", "y"]\n') == ["x", "y"]
