"""The stance reading (`search.claims.stance`) and the audit on sources it was
not written for: each cue family on made-up sentences, reported speech, and
the failures the audit issue lists, each as a small made-up corpus."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from click.testing import CliRunner

from search import ask, audit
from search.claims import stance
from search.claims.language import attributed_to
from search.claims.records import UNCLEAR
from search.claims.verify import CONTRADICT, verify
from search.present.cli import cli
from search.present.terminal import format_answer

from .conftest import SEEDS, indexed_with_cli, make_index

MODEL = stance.default_model()


def stance_of(topic: str, sentence: str) -> str:
    """The stance the model reads in `sentence` alone toward `topic`."""
    t = MODEL.topic(topic)
    return MODEL.sentence(t, stance.read(t, sentence), sentence).stance


def positions(report) -> dict[str, str]:
    """Each voice's position, keyed by its source path (and speaker or poster)."""
    return {
        "/".join(x for x in (p.source.path, p.speaker, p.author) if x): p.stance
        for p in report.positions
    }


class TestCueFamilies:
    """Each family of words a source takes a side with, toward a claim it
    does not repeat word for word."""

    TOPIC = "A giant squid washed up on the beach in Wales"

    @pytest.mark.parametrize(
        "sentence",
        [
            "The giant squid on the beach in Wales was a hoax.",
            "The photo of the giant squid in Wales turned out to be fake.",
            "Experts have debunked the story of a giant squid on a Welsh beach.",
            "There is no evidence that a giant squid washed up in Wales.",
            "Officials denied the report of a giant squid on the beach.",
            "The claim that a giant squid washed up in Wales is false.",
            "The giant squid of the Welsh beach is a myth.",
            "No giant squid washed up on the beach in Wales.",
            "It is unlikely that a giant squid washed up on the beach in Wales.",
            "Marine biologists disagree that a giant squid washed up on the beach in Wales.",
            "Talk of a giant squid washing up on the beach in Wales was wide of the mark.",
            "Reports that a giant squid washed up on the beach in Wales were wrong.",
            "A giant squid was mistakenly reported on the beach in Wales.",
        ],
    )
    def test_refuting_and_denying_words_deny(self, sentence):
        assert stance_of(self.TOPIC, sentence) == "denies"

    @pytest.mark.parametrize(
        "topic, sentence",
        [
            # "not agree" governs the claim, which comes far after the "not"
            (
                "Is aspartame carcinogenic?",
                "FDA scientists do not agree with the conclusion that these studies support "
                "classifying aspartame as a possible carcinogen.",
            ),
            # a denying phrase near the topic's words counts as a denying word there does
            (
                "Is Apple buying Netflix?",
                "Apple chief executive Tim Cook ruled out an acquisition of Netflix on Thursday.",
            ),
            # a negated direction the topic does not have is a plain negation
            ("Does coffee cause cancer?", "Coffee did not increase the risk of cancer."),
            (
                "Does aspartame cause cancer?",
                "Most studies in people have not found aspartame to increase cancer risk.",
            ),
            # "impossible for X to" negates what follows; "no more likely" is a null finding
            ("Can the flu vaccine give you the flu?", "It is impossible for the flu vaccine to give you the flu."),
            (
                "Can the flu vaccine give you the flu?",
                "Adults given the flu vaccine were no more likely to get the flu than those given a placebo.",
            ),
        ],
    )
    def test_denials_beyond_the_reach_of_a_word_deny(self, topic, sentence):
        assert stance_of(topic, sentence) == "denies"

    @pytest.mark.parametrize(
        "sentence, stance_, words",
        [
            (
                "Vitamin D supplementation did not reduce the incidence of fractures.",
                "denies",
                ["not", "reduce"],
            ),
            (
                "Vitamin D with calcium lowered the risk of fractures by 16%.",
                "affirms",
                ["lowered"],
            ),
            (
                "There is no evidence that vitamin D prevents fractures.",
                "denies",
                ["no evidence", "prevents"],
            ),
        ],
    )
    def test_the_words_that_decided_are_shown_once(self, sentence, stance_, words):
        topic = MODEL.topic("Vitamin D supplements prevent fractures")
        found = MODEL.sentence(topic, stance.read(topic, sentence), sentence)
        assert found.stance == stance_
        assert [sentence[a:b] for a, b in found.cues] == words

    @pytest.mark.parametrize(
        "sentence",
        [
            "A giant squid washed up on the beach in Wales on Sunday.",
            "Officials confirmed that a giant squid washed up on a beach in Wales.",
        ],
    )
    def test_saying_it_affirms(self, sentence):
        assert stance_of(self.TOPIC, sentence) == "affirms"

    @pytest.mark.parametrize(
        "topic, sentence",
        [
            ("Is melatonin addictive?", "Melatonin is non-addictive."),
            ("Is melatonin habit-forming?", "Melatonin is completely non-habit-forming."),
            ("Does the drug improve sleep?", "The drug did not improve sleep in the trial."),
            ("Does aspirin reduce heart attacks?", "Aspirin increased the rate of heart attacks."),
        ],
    )
    def test_negative_prefixes_negations_and_opposite_directions_deny(self, topic, sentence):
        assert stance_of(topic, sentence) == "denies"

    def test_a_topic_worded_as_a_denial_is_turned_round(self):
        topic = "The giant squid on the Welsh beach is a hoax"
        assert (
            stance_of(topic, "The giant squid on the Welsh beach was a hoax, experts said.")
            == "affirms"
        )
        assert stance_of(topic, "A giant squid really did wash up on the Welsh beach.") == "denies"

    @pytest.mark.parametrize(
        "topic, affirming, denying",
        [
            (
                "Is melatonin non-addictive?",
                "Melatonin is not addictive.",
                "Melatonin is addictive, and users become dependent on it.",
            ),
            (
                "Mitochondria are uninvolved in apoptosis",
                "Mitochondria are uninvolved in apoptosis, the study found.",
                "Mitochondria are involved in apoptosis.",
            ),
            (
                "Vitamin D deficiency is unrelated to birth weight",
                "Vitamin D deficiency was not related to birth weight.",
                "Vitamin D deficiency is related to low birth weight.",
            ),
            (
                "Vitamin D fails to prevent fractures",
                "Vitamin D did not prevent fractures in the trial.",
                "Vitamin D prevents fractures in older adults.",
            ),
            (
                "Integrated care is an ineffective treatment for comorbidities",
                "Integrated care did not work as a treatment for comorbidities.",
                "Integrated care is an effective treatment for comorbidities.",
            ),
        ],
    )
    def test_a_topic_whose_predicate_is_denied_by_a_prefix_or_fails_to_is_a_denial(
        self, topic, affirming, denying
    ):
        assert MODEL.topic(topic).negated
        assert stance_of(topic, affirming) == "affirms"
        assert stance_of(topic, denying) == "denies"

    @pytest.mark.parametrize(
        "topic",
        [
            "Is rituximab effective for non-Hodgkin lymphoma?",
            "Non-smokers have a lower risk of stroke",
            "Inpatient care is common after surgery",
            "The patient is impaired after surgery",
            "Apple unveiled the phone",
            "The man who failed to win the lottery became famous",
        ],
    )
    def test_a_negative_looking_word_that_names_something_denies_nothing(self, topic):
        assert not MODEL.topic(topic).negated

    def test_a_group_named_by_its_negation_beside_its_own_name_is_a_comparison(self):
        topic = "APOE4 carriers have an increased risk of dementia"
        compared = "The risk of dementia was higher in APOE4 carriers than in noncarriers."
        assert stance_of(topic, compared) == "affirms"
        assert "negation" not in stance.read(MODEL.topic(topic), compared).counts
        alone = "Only noncarriers of APOE4 had an increased risk of dementia."
        assert "negation" in stance.read(MODEL.topic(topic), alone).counts

    @pytest.mark.parametrize(
        "sentence",
        [
            "Officials could not confirm that a meteorite struck Managua.",
            "The report that a meteorite struck Managua has not been independently verified.",
            "The story that a meteorite struck Managua is not true.",
        ],
    )
    def test_a_confirmation_denied_is_no_confirmation(self, sentence):
        t = MODEL.topic("A meteorite struck Managua")
        counts = stance.read(t, sentence).counts
        assert "confirm" not in counts
        assert counts.get("no_evidence", 0) + counts.get("not_true", 0) == 1
        assert stance_of(t.text, sentence) == "denies"

    @pytest.mark.parametrize(
        "sentence",
        [
            "Evidence that headaches are correlated with cognitive impairment was lacking.",
            "There is a lack of evidence that headaches are correlated with cognitive impairment.",
        ],
    )
    def test_evidence_said_to_be_lacking_denies(self, sentence):
        assert stance_of("Headaches are correlated with cognitive impairment", sentence) == "denies"

    def test_a_denying_phrase_is_how_the_claim_is_taken_not_what_it_says(self):
        topic = MODEL.topic("Minister shoots down reports that fuel prices will rise")
        assert topic.negated
        assert topic.directions == (("amount", "up"),)  # "rise"; not the "down" of "shoots down"
        assert not {"shoot", "down"} & set(topic.weights)
        assert stance_of(
            topic.text, "Fuel prices will rise next month, the minister admitted."
        ) == ("denies")

    @pytest.mark.parametrize(
        "topic, denies_the_story",
        [
            ("It is a myth that the story is fake", False),
            ("It is a myth that the story happened", True),
            ("It is true that the story is fake", True),
        ],
    )
    def test_a_myth_frame_turns_round_what_it_frames(self, topic, denies_the_story):
        # A myth that the story is fake affirms the story.
        assert stance_of(topic, "The story is true, officials confirmed.") == (
            "denies" if denies_the_story else "affirms"
        )

    def test_a_denied_opposite_direction_agrees(self):
        assert (
            stance_of("Aspirin increases bleeding risk", "Aspirin did not decrease bleeding risk.")
            == "affirms"
        )

    @pytest.mark.parametrize(
        "sentence, family",
        [
            ("From January the chain will no longer serve overweight customers.", "same_direction"),
            ("The chain will continue to serve overweight customers.", "opposite_direction"),
            ("The chain did not stop serving overweight customers.", "opposite_direction"),
        ],
    )
    def test_no_longer_is_stopping_on_a_topic_of_stopping(self, sentence, family):
        """ "no longer serve" says what "stop serving" does; "continue" and
        "did not stop" say the opposite."""
        topic = MODEL.topic("Will the chain stop serving overweight customers?")
        counts = stance.read(topic, sentence).counts
        assert counts.get(family) == 1
        assert "negation" not in counts

    @pytest.mark.parametrize(
        "sentence",
        [
            "In the trial, statins caused memory loss and other cognitive impairment.",
            "Case reports have raised concern that statins cause memory loss.",
            "There are rising fears that statins cause memory loss.",
        ],
    )
    def test_coordinated_or_discourse_directions_do_not_turn_a_finding(self, sentence):
        """ "loss and impairment" is one loss, not two that multiply into a
        gain; "raised concern" raises no memory."""
        reading = stance.read(MODEL.topic("Do statins cause memory loss?"), sentence)
        assert reading.counts.get("same_direction") == 1
        assert "opposite_direction" not in reading.counts
        directions = [
            sentence[a:b] for a, b, family in reading.cues if family.endswith("direction")
        ]
        assert directions == ["loss"]

    @pytest.mark.parametrize(
        "sentence",
        [
            "We cannot yet say whether time-restricted eating raises the risk of cardiovascular "
            "death.",
            "It is unclear whether time-restricted eating lowers the risk of cardiovascular death.",
        ],
    )
    def test_an_indirect_question_says_no_direction(self, sentence):
        """What follows "whether" is asked, not said; a "not" before it
        denies knowing, not the topic."""
        topic = MODEL.topic(
            "Does time-restricted eating increase the risk of cardiovascular death?"
        )
        counts = stance.read(topic, sentence).counts
        assert not {"same_direction", "opposite_direction", "negation"} & set(counts)
        assert counts.get("doubt") == 1

    @pytest.mark.parametrize(
        "topic, sentence, family",
        [
            (
                "Does time-restricted eating increase the risk of cardiovascular death?",
                "Time-restricted eating raises the risk of cardiovascular death.",
                "same_direction",
            ),
            (
                "Does time-restricted eating increase the risk of cardiovascular death?",
                "The eating pattern lowers the risk of cardiovascular death.",
                "opposite_direction",
            ),
            (  # what is done to the topic's thing still counts: blocked, it prevents
                "CX3CR1 promotes airway inflammation.",
                "CX3CR1-blocking reagents prevented airway inflammation.",
                "same_direction",
            ),
        ],
    )
    def test_a_hyphenated_name_in_the_topic_says_no_direction(self, topic, sentence, family):
        """ "restricted" names the eating; it does not turn "increase" round."""
        reading = stance.read(MODEL.topic(topic), sentence)
        assert reading.counts.get(family) == 1
        assert len({"same_direction", "opposite_direction"} & set(reading.counts)) == 1

    @pytest.mark.parametrize(
        "topic, sentence",
        [
            (
                "Patients in stable partnerships have a faster progression to AIDS.",
                "A stable partnership is associated with a slower progression to AIDS.",
            ),
            (
                "Treg cells lacking the integrin suppress T-cell responses.",
                "Treg cells lacking the integrin were unable to suppress T-cell responses.",
            ),
            ("Exercise reduces fatigue.", "Exercise failed to reduce fatigue in the trial."),
        ],
    )
    def test_speed_and_failing_to_are_directions(self, topic, sentence):
        """ "slower" against "faster"; "unable to suppress" as "did not suppress"."""
        reading = stance.read(MODEL.topic(topic), sentence)
        assert reading.counts.get("opposite_direction") == 1
        assert "same_direction" not in reading.counts

    @pytest.mark.parametrize(
        "sentence",
        [
            "Therapy brought a reduction in tuberculosis in every group: (1) less than 200 cells.",
            "Therapy reduced tuberculosis (fewer cases in every group).",
            "Therapy brought a reduction in tuberculosis among those with less than 200 cells.",
            "Therapy brought a reduction in tuberculosis among those with 15 or more visits.",
        ],
    )
    def test_a_direction_elsewhere_does_not_turn_the_finding_round(self, sentence):
        # another clause, or a bound on a figure
        topic = MODEL.topic("Therapy reduces tuberculosis")
        reading = stance.read(topic, sentence)
        assert reading.counts.get("same_direction") == 1
        assert "opposite_direction" not in reading.counts

    def test_directions_in_one_clause_multiply_like_signs(self):
        topic = MODEL.topic("Vitamin D prevents fractures")
        sentence = "Lower vitamin D levels, in this cohort, meant more fractures."
        reading = stance.read(topic, sentence)
        assert reading.counts.get("same_direction") == 1

    def test_double_negation_and_a_condition_deny_nothing(self):
        topic = "Should the dose be tapered when stopping?"
        assert stance_of(topic, "The dose should never be stopped without tapering.") != "denies"
        assert (
            stance_of(topic, "Without tapering, stopping the dose can cause seizures.") != "denies"
        )

    def test_data_that_do_not_lend_support_are_no_evidence(self):
        topic = MODEL.topic("Compression stockings prevent thrombosis")
        sentence = "These data do not lend support to the use of compression stockings."
        assert stance.read(topic, sentence).counts.get("no_evidence") == 1

    @pytest.mark.parametrize(
        "sentence",
        [
            "Compression stockings have not been shown to prevent thrombosis.",
            "Compression stockings haven't yet been proven to prevent thrombosis.",
            "The trials do not back up the claim that compression stockings prevent thrombosis.",
            "Without the study, the analyses no longer show that stockings prevent thrombosis.",
        ],
    )
    def test_not_shown_to_is_no_evidence(self, sentence):
        topic = MODEL.topic("Compression stockings prevent thrombosis")
        assert stance.read(topic, sentence).counts.get("no_evidence") == 1

    @pytest.mark.parametrize(
        ("sentence", "confirms"),
        [
            ("Stockings were worn by patients admitted to hospital.", False),
            ("The maker admitted to selling stockings that prevent nothing.", True),
        ],
    )
    def test_admitted_to_a_place_confirms_nothing(self, sentence, confirms):
        topic = MODEL.topic("Compression stockings prevent thrombosis")
        assert ("confirm" in stance.read(topic, sentence).counts) == confirms

    def test_the_deciding_words_are_given(self):
        t = MODEL.topic("Is melatonin addictive?")
        sentence = "There is no evidence that melatonin is addictive."
        found = MODEL.sentence(t, stance.read(t, sentence), sentence)
        assert found.stance == "denies"
        assert "no evidence" in [sentence[a:b] for a, b in found.cues]
        assert 0.5 < found.confidence <= 1

    def test_the_model_is_the_shipped_file_and_says_how_it_was_made(self):
        data = json.loads(stance.MODEL_FILE.read_text(encoding="utf-8"))
        assert data["about"]["script"] == "python -m benchmarks.train_stance"
        assert "fnc1-train/sample" in data["about"]["trained_on"]["left_out"]
        assert set(data["weights"]) >= {"refute", "negation", "no_evidence", "relevance"}


class TestReportedSpeech:
    @pytest.mark.parametrize(
        "sentence",
        [
            "Everyone thinks that the President adopted him to stop him turning into a werewolf.",
            "Rumours claimed that the President adopted a werewolf.",
            "The tabloid alleged that the President adopted a werewolf.",
            "Posts shared thousands of times on Facebook since 3 March say that the President "
            "adopted a werewolf.",
            "Case reports have raised concern that the President adopted a werewolf.",
            'WITHDRAWN: "The President adopted a werewolf"',
        ],
    )
    def test_repeating_what_others_say_is_neutral_and_marked(self, tmp_path, sentence):
        report = audit_of(
            tmp_path,
            {"a.txt": f"The werewolf story\n\n{sentence}\n"},
            "The President adopted a werewolf",
        )
        (claim,) = report.claims
        assert (claim.stance, claim.reported) == ("neutral", True)

    def test_a_report_the_source_calls_false_is_its_denial(self, tmp_path):
        report = audit_of(
            tmp_path,
            {
                "a.txt": (
                    "The werewolf story\n\nThe tabloid claimed that the President adopted a "
                    "werewolf, "
                    "but the story is false.\n"
                )
            },
            "The President adopted a werewolf",
        )
        (claim,) = report.claims
        assert (claim.stance, claim.reported) == ("denies", False)

    @pytest.mark.parametrize(
        "sentence, who",
        [
            ("“Melatonin is safe for adults,” said Dr. Lena Park.", "Dr. Lena Park"),
            ("Sorkin told Reuters that Bale will play Jobs.", "Sorkin"),
            (
                "John Smith, a spokesman for the Pentagon, said the report was false.",
                "John Smith, spokesman for the Pentagon",
            ),
            (
                "According to the Hollywood Reporter, Bale has left the film.",
                "the Hollywood Reporter",
            ),
            (
                '"We are not in talks with Apple," a Netflix spokeswoman told Reuters.',
                "a Netflix spokeswoman",
            ),
            ("“The product is safe,” the company said in a statement.", "the company"),
        ],
    )
    def test_named_speakers_are_recorded(self, sentence, who):
        assert attributed_to(sentence) == who


def audit_of(tmp_path, files, topic):
    with make_index(tmp_path, files) as ix:
        return audit(ix, topic)


MELATONIN = {
    "01_sleepwell_guide.md": (
        "# SleepWell Melatonin Gummies: your guide\n\n"
        "SleepWell Melatonin Gummies help you fall asleep faster. Melatonin is completely "
        "non-habit-forming, so you can take it every night.\n\n"
        "There is no maximum dose: take as many gummies as you need.\n"
    ),
    "02_health_agency.html": (
        "<html><head><title>Melatonin: what you need to know</title></head><body>"
        "<h1>Melatonin: what you need to know</h1>"
        "<p>Melatonin is a hormone that your body makes to regulate sleep. "
        "Melatonin is non-addictive.</p>"
        "<p>The maximum dose of melatonin for adults is 5 mg a day.</p>"
        '<div class="comments"><div class="comment"><span class="author">Dr. Alan Roe</span>'
        "<p>In my practice I have seen that melatonin can be habit-forming in children.</p>"
        "</div></div>"
        "</body></html>"
    ),
    "03_forum.md": (
        "# Melatonin dosing questions\n\n"
        "The usual dose for adults is 2 mg, taken an hour before bed.\n\n"
        "Some people say melatonin is addictive, but I have never had a problem with it.\n"
    ),
}


#: A passage of a court report (about the indexer's 600 characters) that
#: shares one word, "bail", with a film rumour.
COURT = (
    "The judge denied bail to the man charged with vandalism, and the hearing was "
    "adjourned until March. His lawyer said the graffiti on the council offices was a "
    "protest against the new parking charges, which shopkeepers in the town centre say "
    "have halved their trade since the summer. The council estimates the cost of cleaning "
    "the walls at four thousand pounds and says the cameras outside the offices recorded "
    "two men on the night. Police are still looking for the second man, and ask anyone "
    "who saw a white van near the market square on the Tuesday evening to call them."
)


class TestFailuresOfTheIssue:
    """The audit issue's failures, each as a small made-up multi-source corpus."""

    def test_non_addictive_denies_and_the_commenter_is_a_voice_of_its_own(self, tmp_path):
        report = audit_of(tmp_path, MELATONIN, "Is melatonin addictive?")
        assert positions(report) == {
            "01_sleepwell_guide.md": "denies",
            "02_health_agency.html": "denies",
            "02_health_agency.html/Dr. Alan Roe": "affirms",
            "03_forum.md": "unclear",
        }
        # The vendor and the agency agree; the reader's comment is the conflict.
        (conflict,) = report.conflicts
        assert conflict.claim.quote.author == "Dr. Alan Roe"
        assert {c.quote.source.path for c in conflict.opposed_by} == {
            "01_sleepwell_guide.md",
            "02_health_agency.html",
        }
        (agreement,) = report.agreements
        assert {c.stance for c in agreement.claims} == {"denies"}
        # "Some people say" is reported speech: no side taken.
        forum = next(c for c in report.claims if c.quote.source.path == "03_forum.md")
        assert forum.reported and forum.stance == "neutral"

    def test_a_maximum_is_not_compared_with_a_usual_dose_and_no_maximum_is_a_claim(self, tmp_path):
        report = audit_of(tmp_path, MELATONIN, "What is the maximum dose of melatonin?")
        (conflict,) = report.conflicts
        sides = {c.quote.source.path: c.quote.text for c in conflict.claims}
        assert sides == {
            "01_sleepwell_guide.md": "There is no maximum dose: take as many gummies as you need.",
            "02_health_agency.html": "The maximum dose of melatonin for adults is 5 mg a day.",
        }
        assert "says there is no limit" in conflict.explanation
        assert all("2 mg" not in c.quote.text for c in conflict.claims)

    def test_withdrawal_from_a_treaty_is_no_drugs_withdrawal(self, tmp_path):
        report = audit_of(
            tmp_path,
            {
                "a.txt": "Paris pact\n\nThe actual process of withdrawal from the agreement "
                "would take one year.\n",
                "b.txt": "Treaty news\n\nWithdrawal from the treaty takes three years "
                "under its rules.\n",
            },
            "How long does withdrawal take?",
        )
        assert all(c.aspect != "duration of withdrawal" for c in report.claims)
        assert not [c for c in report.conflicts if c.type == "quantity"]

    def test_an_abbreviation_the_documents_define_counts_as_its_word(self, tmp_path):
        report = audit_of(
            tmp_path,
            {
                "a.txt": "HCQ trial\n\nHydroxychloroquine (HCQ) is an effective treatment "
                "for COVID-19.\n",
                "b.txt": "Trial results\n\nIn the large trial, HCQ was not effective "
                "against COVID-19.\n",
            },
            "Is hydroxychloroquine effective against COVID-19?",
        )
        assert positions(report) == {"a.txt": "affirms", "b.txt": "denies"}
        assert {c.quote.source.path for c in report.conflicts[0].claims} == {"a.txt", "b.txt"}

    def test_a_debunk_that_never_repeats_the_claim_is_read(self, tmp_path):
        report = audit_of(
            tmp_path,
            {
                "a.txt": "Squid news\n\nA giant squid washed up on a beach in Wales on Sunday, "
                "witnesses said.\n",
                "b.txt": "Fact check\n\nA giant squid on a Welsh beach? The story is a hoax. "
                "The photo was doctored, and nothing washed up.\n",
            },
            "A giant squid washed up on a beach in Wales",
        )
        assert positions(report) == {"a.txt": "affirms", "b.txt": "denies"}
        (conflict,) = report.conflicts
        assert {c.quote.source.path for c in conflict.claims} == {"a.txt", "b.txt"}
        debunk = next(c for c in conflict.claims if c.quote.source.path == "b.txt")
        assert {"hoax", "doctored"} & set(debunk.cue_words)

    def test_a_page_on_another_story_sharing_a_word_takes_no_side(self, tmp_path):
        # A folder of many stories: the bail hearing shares "bailed" with the
        # topic and says "denied", but it is not about the film.
        report = audit_of(
            tmp_path,
            {
                "a.txt": "Film news\n\nChristian Bale has bailed on the Steve Jobs movie, "
                "sources close to the production said.\n",
                "b.txt": "Film news\n\nChristian Bale did not bail on the Steve Jobs movie: "
                "the report is false, his agent said.\n",
                "c.txt": f"Court news\n\n{COURT}\n",
            },
            "Christian Bale bailed on the Steve Jobs movie",
        )
        assert positions(report) == {"a.txt": "affirms", "b.txt": "denies"}
        assert all(c.quote.source.path != "c.txt" for c in report.claims)
        (conflict,) = report.conflicts
        assert {c.quote.source.path for c in conflict.claims} == {"a.txt", "b.txt"}

    def test_a_near_story_keeps_its_row_but_is_set_against_no_one(self, tmp_path):
        # The Managua meteorite report names NASA and a denial, but it is
        # another story: listed, in no conflict and no agreement.
        report = audit_of(
            tmp_path,
            {
                "a.txt": "Space news\n\nNASA has confirmed that the Earth will experience six "
                "days of total darkness in December, when a solar storm hits.\n",
                "b.txt": "Fact check\n\nThe story that NASA confirmed six days of total "
                "darkness in December is a hoax: NASA said no such darkness will happen.\n",
                "c.txt": "Managua blast\n\nA small meteorite struck near Managua, the capital "
                "of Nicaragua, on Saturday night, leaving a crater twelve metres wide. NASA "
                "experts questioned the report, saying no fireball was seen in the sky, and "
                "the government has not confirmed the cause of the blast.\n",
            },
            "NASA confirms Earth will experience six days of total darkness in December",
        )
        assert set(positions(report)) == {"a.txt", "b.txt", "c.txt"}
        (conflict,) = report.conflicts
        assert {c.quote.source.path for c in conflict.claims} == {"a.txt", "b.txt"}
        assert all(c.quote.source.path != "c.txt" for a in report.agreements for c in a.claims)

    def test_a_long_claim_naming_a_therapy_is_read_by_what_sentences_repeat(self, tmp_path):
        # "therapy" names the subject here: the claim is that it reduces
        # something, and no sentence repeats two-thirds of its many words.
        report = audit_of(
            tmp_path,
            {
                "a.txt": "Cohort study\n\nIn this cohort, early statin therapy was associated "
                "with a lower incidence of stroke in patients over seventy.\n",
                "b.txt": "Trial report\n\nStatin therapy did not lower the incidence of stroke "
                "in older patients in our randomised trial.\n",
            },
            "Statin therapy lowers the incidence of stroke across age groups of older patients",
        )
        assert positions(report) == {"a.txt": "affirms", "b.txt": "denies"}
        assert {c.found_by for c in report.claims} == {"topic"}

    def test_another_drugs_pages_in_the_same_folder_take_no_side(self, tmp_path):
        # The melatonin pages say "non-habit-forming" and "addictive" too,
        # but the story of "Is baclofen addictive?" is the seeds'.
        files = dict(MELATONIN)
        files.update({p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")})
        report = audit_of(tmp_path, files, "Is baclofen addictive?")
        assert {"01_sleepwell_guide.md", "02_health_agency.html"} <= {
            s.path for s in report.set_aside
        }
        sides = {path.split("/")[0] for path, side in positions(report).items() if side != UNCLEAR}
        assert sides and not sides & set(MELATONIN)

    def test_sources_on_different_stories_are_set_against_no_one(self, tmp_path):
        # c.txt also says "will not close in March", of a swimming pool.
        files = {
            "a.txt": "Library news\n\nThe town council will close the Elm Street library in "
            "March, the mayor said on Monday. Staff will move to the new hub and the books go "
            "to the county store.\n",
            "b.txt": "Library news\n\nThe Elm Street library will not close in March: the "
            "council dropped the plan after readers protested, and its staff and books stay "
            "where they are.\n",
            "c.txt": "Sports news\n\nThe swimming pool will not close in March, the sports "
            "trust said: its boilers were repaired over the winter, swimming lessons and the "
            "diving club carry on, and the gala is on Saturday.\n",
        }
        report = audit_of(tmp_path, files, "The council will close the library in March")
        (conflict,) = report.conflicts
        assert {c.quote.source.path for c in conflict.claims} == {"a.txt", "b.txt"}
        text = {name: stance.vector([body], MODEL.idf) for name, body in files.items()}
        near = stance.cosine_between
        assert near(text["a.txt"], text["b.txt"]) >= MODEL.min_same_story
        assert near(text["a.txt"], text["c.txt"]) < MODEL.min_same_story
        assert near(text["b.txt"], text["c.txt"]) < MODEL.min_same_story

    def test_relatedness_is_the_nearest_passage_and_is_cut_relative_to_the_nearest_source(self):
        topic = MODEL.topic("Christian Bale bailed on the Steve Jobs movie")
        film = "Christian Bale has bailed on the Steve Jobs movie."
        court = COURT
        # A long page is as near as its nearest passage, not diluted by the rest.
        assert MODEL.relatedness(topic, [court, film]) == MODEL.relatedness(topic, [film])
        near_court, near_film = MODEL.relatedness(topic, [court]), MODEL.relatedness(topic, [film])
        assert near_court < near_film
        whole = {t: stance.vector([t], MODEL.idf) for t in (film, court)}
        story = MODEL.story(topic, [(near_film, whole[film]), (near_court, whole[court])])
        on_story = {
            name: MODEL.relatedness(story, [t]) for name, t in (("film", film), ("court", court))
        }
        nearest = max(on_story.values())
        assert MODEL.related(near_film, on_story["film"], nearest)
        assert not MODEL.related(near_court, on_story["court"], nearest)
        # Near the story but not the topic itself: not about it.
        assert not MODEL.related(MODEL.min_relatedness / 2, nearest, nearest)

    def test_a_source_on_the_story_in_other_words_is_read(self, tmp_path):
        # c.txt never says "weatherman" or "urinating", but it names the
        # story's people as the nearest sources do: it is about the topic.
        report = audit_of(
            tmp_path,
            {
                "a.txt": "TV news\n\nAn NBC weatherman was caught urinating in the woods live "
                "on air, when Lester Holt cut to meteorologist Mike Seidel in North Carolina "
                "during the storm.\n",
                "b.txt": "TV news\n\nThe NBC weatherman caught urinating in the woods live on "
                "air was Mike Seidel, reports said after the Lester Holt broadcast.\n",
                "c.txt": "Brian Williams defends Seidel\n\nMike Seidel was not doing what the "
                "rumours said during his Lester Holt appearance in North Carolina: the NBC "
                "anchor called the story false and asked social media for an apology.\n",
                "d.txt": f"Court news\n\n{COURT}\n",
                "e.txt": "Garden news\n\nThe woods behind the library will be cleared in the "
                "spring, and the council says the paths will be open again by the summer.\n",
            },
            "NBC weatherman caught urinating in the woods live on air",
        )
        assert {s.path for s in report.set_aside} >= {"e.txt"}
        assert "c.txt" not in {s.path for s in report.set_aside}
        assert positions(report)["c.txt"] == "denies"

    def test_ask_on_a_contested_question_quotes_each_side(self, tmp_path):
        with make_index(tmp_path, MELATONIN) as ix:
            answer = ask(ix, "Is melatonin addictive?")
        assert answer.contested
        assert {side.stance for side in answer.sides} == {"affirms", "denies"}
        quoted = {q.text for q in answer.answer}
        assert any("non-addictive" in t or "non-habit-forming" in t for t in quoted)
        assert (
            "In my practice I have seen that melatonin can be habit-forming in children." in quoted
        )

    def test_a_claim_worded_as_a_statement_is_answered(self, tmp_path):
        with make_index(tmp_path, MELATONIN) as ix:
            answer = ask(ix, "Melatonin is addictive")
        assert answer.answer and answer.contested


class TestCli:
    def test_json_leads_with_positions(self, tmp_path):
        index = indexed_with_cli(tmp_path, MELATONIN)
        result = CliRunner().invoke(
            cli, ["audit", "Is melatonin addictive?", "--index", str(index), "--json"]
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert list(data)[:4] == ["topic", "corrected_topic", "summary", "positions"]
        roe = next(p for p in data["positions"] if p["author"] == "Dr. Alan Roe")
        assert (roe["kind"], roe["stance"]) == ("comment", "affirms")
        assert roe["who"] == "Dr. Alan Roe, commenting on Melatonin: what you need to know"
        terminal = CliRunner().invoke(
            cli, ["audit", "Is melatonin addictive?", "--index", str(index)]
        )
        lines = terminal.stdout.splitlines()
        assert lines[3] == "Who says what · abuse potential"

    def test_sources_set_aside_are_named_in_every_output(self, tmp_path):
        folder = tmp_path / "docs"
        folder.mkdir()
        (folder / "a.txt").write_text(
            "Film news\n\nChristian Bale has bailed on the Steve Jobs movie, "
            "sources close to the production said.\n",
            encoding="utf-8",
        )
        (folder / "court.txt").write_text(f"Court news\n\n{COURT}\n", encoding="utf-8")
        index = tmp_path / "ix"
        assert CliRunner().invoke(cli, ["index", str(folder), "--index", str(index)]).exit_code == 0
        topic = "Christian Bale bailed on the Steve Jobs movie"
        base = ["audit", topic, "--index", str(index)]
        data = json.loads(CliRunner().invoke(cli, [*base, "--json"]).stdout)
        assert data["set_aside"] == [{"path": "court.txt", "title": "Court news"}]
        assert data["summary"].endswith("; 1 source set aside as not about the topic")
        assert all(p["source"]["path"] != "court.txt" for p in data["positions"])
        terminal = CliRunner().invoke(cli, base).stdout
        assert (
            "Set aside (their words match, but they are about something else): court.txt"
            in terminal
        )
        page = tmp_path / "audit.html"
        assert CliRunner().invoke(cli, [*base, "--html", str(page)]).exit_code == 0
        html = page.read_text(encoding="utf-8")
        assert 'class="lede set-aside"' in html and "court.txt" in html

    def test_ask_labels_each_quote_with_its_side_in_every_output(self, tmp_path):
        index = indexed_with_cli(tmp_path, MELATONIN)
        base = ["ask", "Is melatonin addictive?", "--index", str(index)]
        terminal = CliRunner().invoke(cli, base).stdout.splitlines()
        assert terminal[2].startswith("The sources disagree: 1 source says yes (Dr. Alan Roe")
        quoted = [line for line in terminal if line.startswith("  ") and "” [" in line]
        sides = [line.split(":")[0].strip() for line in quoted]
        assert quoted and set(sides) <= {"yes", "no", "also"}
        roe = "  yes: “In my practice I have seen that melatonin can be habit-forming"
        assert any(line.startswith(roe) for line in quoted)
        assert any(line.startswith("  no: “Melatonin is non-addictive.”") for line in quoted)
        csv_rows = list(
            csv.DictReader(io.StringIO(CliRunner().invoke(cli, [*base, "--format", "csv"]).stdout))
        )
        assert [r["side"] for r in csv_rows] == sides
        markdown = CliRunner().invoke(cli, [*base, "--format", "markdown"]).stdout
        assert "The sources disagree:" in markdown
        assert "> **no:** “Melatonin is non-addictive.”" in markdown
        page = tmp_path / "ask.html"
        assert CliRunner().invoke(cli, [*base, "--html", str(page)]).exit_code == 0
        html = page.read_text(encoding="utf-8")
        assert '<p class="lede disagreement">The sources disagree:' in html
        assert '<span class="side side-no">no:</span> Melatonin is non-addictive.' in html


def test_a_further_sentence_of_a_voice_on_a_side_is_quoted_with_its_side(tmp_path):
    files = {
        "who.md": "# Aspartame assessment\n\nThe agency classified aspartame as possibly "
        "carcinogenic to humans, citing limited evidence for liver cancer.\n",
        "fda.html": "<html><head><title>Aspartame | FDA</title></head><body><h1>Aspartame</h1>"
        "<p>Aspartame is not carcinogenic at the levels people consume.</p></body></html>",
        "forum.html": "<html><head><title>Diet soda and cancer?</title></head><body>"
        "<h1>Diet soda and cancer?</h1>"
        '<div class="comment"><span class="author">Maria K.</span><p>Aspartame is a '
        "carcinogen, I've read it a hundred times.</p></div></body></html>",
    }
    with make_index(tmp_path, files) as ix:
        answer = ask(ix, "Is aspartame carcinogenic?")
    assert answer.contested
    side_of = {q.text: side.stance for side in answer.sides for q in side.quotes}
    assert side_of["Aspartame is a carcinogen, I've read it a hundred times."] == "affirms"
    assert side_of["Aspartame is not carcinogenic at the levels people consume."] == "denies"
    # each side's quotes come together, the sides in order
    stances = [side_of.get(q.text) for q in answer.answer]
    assert stances == sorted(stances, key=lambda s: {"affirms": 0, "denies": 1, None: 2}[s])


def test_a_source_on_the_topic_with_no_claim_is_named_in_every_output(tmp_path):
    files = {
        "who.md": "# Aspartame assessment\n\nThe agency classified aspartame as possibly "
        "carcinogenic to humans.\n",
        # on aspartame and cancer, but never in the topic's word "carcinogenic"
        "factcheck.txt": "Fact check: aspartame\n\nPosts claim that aspartame gives you brain "
        "tumours. A study of half a million people found no link between aspartame and brain "
        "cancer.\n",
    }
    index = indexed_with_cli(tmp_path, files)
    base = ["audit", "Is aspartame carcinogenic?", "--index", str(index)]
    data = json.loads(CliRunner().invoke(cli, [*base, "--json"]).stdout)
    assert {p["source"]["path"] for p in data["positions"]} == {"who.md"}
    assert data["without_claims"] == [{"path": "factcheck.txt", "title": "Fact check: aspartame"}]
    terminal = CliRunner().invoke(cli, base).stdout
    assert (
        "Also retrieved, no sentence read as a claim (they may say it in other words): "
        "factcheck.txt" in terminal
    )
    page = tmp_path / "audit.html"
    assert CliRunner().invoke(cli, [*base, "--html", str(page)]).exit_code == 0
    assert 'class="lede without-claims"' in page.read_text(encoding="utf-8")


def test_the_synonym_map_counts_a_synonym_as_the_topics_word(tmp_path):
    files = {
        "who.md": "# Aspartame assessment\n\nThe agency classified aspartame as possibly "
        "carcinogenic to humans.\n",
        "factcheck.txt": "Fact check: aspartame\n\nA study of half a million people found no "
        "link between aspartame and cancer.\n",
        "synonyms.toml": 'groups = [["carcinogenic", "cancer"]]\n',
    }
    with make_index(tmp_path, files) as ix:
        report = audit(ix, "Is aspartame carcinogenic?")
    assert report.without_claims == ()
    assert positions(report) == {"who.md": "affirms", "factcheck.txt": "denies"}


def test_a_verdicts_first_sentence_is_quoted_when_its_line_goes_on(tmp_path):
    claimed = "**Claim:** Cracking your knuckles leads to arthritis."
    files = {
        "check.md": f"# Fact check\n\n{claimed}\n\n**Verdict: FALSE.** Studies of habitual "
        "crackers over many decades have found no more arthritis in them than in others.\n",
    }
    with make_index(tmp_path, files) as ix:
        report = audit(ix, "Does cracking your knuckles cause arthritis?")
    quoted = {c.quote.text: c.stance for c in report.claims}
    assert quoted[f"{claimed}\n\n**Verdict: FALSE.**"] == "denies"


@pytest.mark.parametrize(
    "claimed, verdict",
    [
        ("Many people believe that cracking your knuckles leads to arthritis.", "This is a myth."),
        ("Claim: cracking your knuckles leads to arthritis.", "Verdict: False."),
        # a fact check's labels, each a paragraph of its own
        ("**Claim:** Cracking your knuckles leads to arthritis.", "\n\n**Verdict:** False."),
        ("Claim: Cracking your knuckles leads to arthritis.", "\nRating: Mostly false"),
    ],
)
def test_a_verdict_on_the_sentence_before_is_quoted_and_read_with_it(tmp_path, claimed, verdict):
    files = {
        "myths.md": f"# Health myths\n\n## Knuckles\n\n{claimed} {verdict}\n\n## Colds\n\n"
        "Colds are caused by viruses, not by wet hair.\n",
    }
    with make_index(tmp_path, files) as ix:
        report = audit(ix, "Does cracking your knuckles cause arthritis?")
    (claim,) = report.claims
    assert claim.quote.text == f"{claimed} {verdict}"
    assert (claim.stance, claim.reported) == ("denies", False)
    assert positions(report) == {"myths.md": "denies"}


def test_a_similar_rate_in_both_groups_is_read_as_no_effect():
    topic = MODEL.topic("Does cracking your knuckles cause arthritis?")
    sentence = "The prevalence of arthritis was similar in crackers and non-crackers."
    assert stance.read(topic, sentence).counts.get("no_evidence") == 1


KNUCKLES = {
    "harvard.md": "# Knuckle cracking\n\nThere is no evidence that cracking your knuckles "
    "causes arthritis.\n",
    "forum.html": "<html><head><title>Knuckle cracking - Ask a Doctor</title></head><body>"
    "<h1>Knuckle cracking</h1>"
    '<div class="comment"><span class="author">Dr. Sam Okafor</span><p>Studies have not shown '
    "that knuckle cracking causes arthritis. It may be linked to hand swelling and lower grip "
    "strength, though.</p></div></body></html>",
    "study.txt": "Knuckle cracking and hand function\n\nIn a study of 300 people, habitual "
    "knuckle crackers were more likely to have hand swelling and lower grip strength. The "
    "prevalence of arthritis was similar in crackers and non-crackers.\n",
}


def test_a_question_on_one_predicate_takes_no_denial_of_another(tmp_path):
    with make_index(tmp_path, KNUCKLES) as ix:
        grip = audit(ix, "Does knuckle cracking reduce grip strength?")
        arthritis = audit(ix, "Does cracking your knuckles cause arthritis?")
    # "no evidence that cracking your knuckles causes arthritis" is about arthritis
    assert all("arthritis" not in c.quote.text for c in grip.claims)
    assert {c.stance for c in grip.claims} == {"affirms"}
    assert positions(arthritis)["harvard.md"] == "denies"


def test_a_conflict_never_sets_two_claims_of_one_side_against_each_other(tmp_path):
    with make_index(tmp_path, KNUCKLES) as ix:
        reports = [
            audit(ix, topic)
            for topic in (
                "Does knuckle cracking reduce grip strength?",
                "Does cracking your knuckles cause arthritis?",
                "Knuckle cracking causes arthritis",
            )
        ]
    for report in reports:
        for conflict in report.conflicts:
            if conflict.type == "negation":
                assert all(o.stance != conflict.claim.stance for o in conflict.opposed_by)
                assert " denys " not in conflict.explanation


def test_a_position_its_quote_alone_does_not_take_says_so(tmp_path):
    measured = (
        "Knuckle cracking and grip strength\n\nWe measured knuckle cracking and grip strength "
        "in 200 adults. Habitual crackers had weaker hands and more hand swelling.\n"
    )
    index = indexed_with_cli(tmp_path, {**KNUCKLES, "measures.txt": measured})
    base = ["audit", "Does knuckle cracking reduce grip strength?", "--index", str(index)]
    data = json.loads(CliRunner().invoke(cli, [*base, "--json"]).stdout)
    turned = [
        p for p in data["positions"] if p["evidence"] and p["evidence"]["stance"] != p["stance"]
    ]
    assert turned, "the folder has a voice read one way whose quote reads the other"
    terminal = CliRunner().invoke(cli, base).stdout
    alone = {"neutral": "takes no side"}.get(
        turned[0]["evidence"]["stance"], turned[0]["evidence"]["stance"]
    )
    note = f"(read from its whole text; this quote alone {alone})"
    assert note in terminal
    page = tmp_path / "audit.html"
    assert CliRunner().invoke(cli, [*base, "--html", str(page)]).exit_code == 0
    assert f'<span class="note">{note}</span>' in page.read_text(encoding="utf-8")


def test_a_conflict_shows_the_side_a_quote_stands_for():
    """A voice read from its whole text stands in a conflict for its
    position, not for its quote's own reading ("neutral" in a list of
    claims opposed to a denial), and says so as its row does: in the
    terminal, the HTML page and the JSON."""
    import click
    from bs4 import BeautifulSoup

    from search.claims.conflicts import conflicts
    from search.claims.records import AuditReport, Claim, Position
    from search.present.html import render_audit
    from search.present.terminal import format_audit

    from .records import DEA_DENIES, TRANSFORMATIONS, TRANSFORMATIONS_AFFIRMS, ZINNIA, quote

    dea = Claim(
        quote(ZINNIA, DEA_DENIES, "001#dea"), "abuse potential", "denies", "the DEA", (), 0.9
    )
    # read "affirms" from its page's whole text, its quote alone no side
    plain = Claim(
        quote(TRANSFORMATIONS, TRANSFORMATIONS_AFFIRMS, "003#tr"), "abuse potential", "neutral",
        None, (), 0.0,
    )
    voices = [
        Position("abuse potential", ZINNIA, None, "content", "denies", 0.9, dea, (dea,), "the DEA"),
        Position(
            "abuse potential", TRANSFORMATIONS, None, "content", "affirms", 0.8, plain, (plain,)
        ),
    ]
    (conflict,), _, _ = conflicts([dea, plain], voices)
    assert (conflict.side_of(dea), conflict.side_of(plain)) == ("denies", "affirms")
    note = "its voice's position, read from its whole text; this quote alone takes no side"
    assert conflict.note_on(plain) == note and conflict.note_on(dea) is None
    assert conflict.explanation.endswith("What you need to know about Baclofen affirms it")
    as_json = conflict.to_dict()
    assert as_json["opposed_by"][0]["side"] == "affirms"
    assert as_json["opposed_by"][0]["stance"] == "neutral"
    assert as_json["opposed_by"][0]["side_note"] == note
    report = AuditReport(
        "abuse potential", (dea, plain), (conflict,), (), positions=tuple(voices)
    )
    terminal = click.unstyle(format_audit([report]))
    assert f"({note})" in terminal and "  - affirms " in terminal
    assert "  - neutral " not in terminal
    page = BeautifulSoup(render_audit(report), "html.parser")
    conflict_notes = [span.get_text() for span in page.select("article.conflict .note")]
    assert conflict_notes == [f"({note})"]


class TestClausesAndNegatedDenials:
    """Readings a new user's health and news folders showed wrong."""

    def test_a_semicolon_clause_nearer_the_topic_decides(self):
        topic = "Pioglitazone use is associated with an increased risk of pancreatic cancer."
        sentence = (
            "There was no association with 8 of the 10 additional cancers; ever use of "
            "pioglitazone was associated with increased risk of pancreatic cancer "
            "(HR, 1.41; 95% CI, 1.16-1.71)."
        )
        assert stance_of(topic, sentence) == "affirms"
        # each clause alone still reads its own way
        assert stance_of(topic, sentence.split(";")[0] + ".") == "denies"

    def test_a_semicolon_inside_brackets_splits_nothing(self):
        topic = MODEL.topic("Does pioglitazone increase the risk of pancreatic cancer?")
        sentence = (
            "Pioglitazone use was linked to pancreatic cancer (no association with pancreatic "
            "cancer in women; use increased the risk of pancreatic cancer in men)."
        )
        as_one = stance.read(topic, sentence.replace(";", ","))
        assert stance.read(topic, sentence).counts == as_one.counts

    @pytest.mark.parametrize(
        "topic, sentence, stance_",
        [
            ("Is the shark video real?", "Police said the video was not a hoax.", "affirms"),
            ("Is the shark video a hoax?", "Police said the video was not a hoax.", "denies"),
            ("Will Vantrell cut jobs?", "Vantrell ruled out job cuts.", "denies"),
        ],
    )
    def test_a_denial_denied_takes_the_other_side(self, topic, sentence, stance_):
        assert stance_of(topic, sentence) == stance_

    def test_a_denial_left_open_denies_nothing(self):
        topic = MODEL.topic("Will Vantrell cut jobs?")
        counts = stance.read(topic, "Vantrell has not ruled out cuts.").counts
        assert "deny" not in counts and "negation" not in counts
        assert counts.get("hedge") == 1

    def test_no_significant_difference_is_read_as_no_effect(self):
        topic = MODEL.topic("Do zinc lozenges shorten the duration of the common cold?")
        sentence = "Cold duration in the zinc lozenge group did not differ from placebo."
        assert stance.read(topic, sentence).counts.get("no_evidence") == 1

    def test_a_group_named_no_use_is_no_negation(self):
        topic = MODEL.topic("Paracetamol in pregnancy increases the risk of ADHD.")
        sentence = (
            "Paracetamol use vs no use in pregnancy was associated with an increased risk of "
            "ADHD (HR 1.07)."
        )
        reading = stance.read(topic, sentence)
        assert "negation" not in reading.counts
        assert stance_of("Paracetamol in pregnancy increases the risk of ADHD.", sentence) == (
            "affirms"
        )

    @pytest.mark.parametrize(
        "sentence",
        [
            "For colds, the evidence is honestly mixed.",
            "Trials of zinc for colds have given conflicting results.",
        ],
    )
    def test_mixed_evidence_is_doubt(self, sentence):
        topic = MODEL.topic("Does zinc shorten colds?")
        assert stance.read(topic, sentence).counts.get("doubt") == 1


AIR_FRYERS = {
    "factcheck.md": "# Fact check: air fryers and asthma\n\nThere is no evidence that air "
    "fryers cause asthma. Doctors say air fryers do not cause asthma in children.\n",
    "blog.md": "# Our air fryer and asthma\n\nI am convinced air fryers cause asthma. My son "
    "got asthma the month we bought our air fryer.\n",
    "study.md": "# Air fryer fumes and asthma\n\nA study of air fryers and asthma in 2,000 "
    "homes found that air fryer fumes increase the risk of asthma. Air fryers cause asthma "
    "in some children, the authors said.\n",
    "faq.md": "# Air fryer FAQ\n\nAir fryers are not linked to asthma. Air fryers use hot "
    "air; asthma has other causes.\n",
    # A folder about the one claim: every word of the topic on most of its pages.
    **{
        f"tips{i:02}.md": f"# Air fryer tip {i}\n\nTip {i}: an air fryer causes less smoke "
        f"than a frying pan, say parents whose children have asthma.\n"
        for i in range(20)
    },
}


@pytest.mark.parametrize(
    "topic", ["Air fryers cause asthma", "Do air fryers cause asthma?", "air fryers cause asthma"]
)
def test_a_folder_sharing_every_word_of_the_topic_still_takes_sides(tmp_path, topic):
    with make_index(tmp_path, AIR_FRYERS) as ix:
        report = audit(ix, topic)
    assert {"affirms", "denies"} <= {c.stance for c in report.claims}
    assert report.conflicts


def test_a_folder_sharing_a_named_subject_takes_no_side_on_it(tmp_path):
    with make_index(tmp_path, AIR_FRYERS) as ix:
        report = audit(ix, "air fryers")
    assert report.claims and {c.stance for c in report.claims} == {"neutral"}


ZINC = {
    "trial.txt": "Zinc lozenges and the common cold: a randomised trial\n\n"
    "In 31 general practices, 810 adults with a cold were randomised to zinc lozenges or "
    "placebo. Recovery was slower in the zinc group than in the placebo group, and colds "
    "lasted longer with zinc.\n",
    "maker.md": "# ColdAway\n\nColdAway zinc lozenges shorten the duration of the common cold. "
    "Zinc lozenges shorten colds by up to three days.\n",
}


def test_a_nearest_sentence_with_no_cue_takes_no_side(tmp_path):
    with make_index(tmp_path, ZINC) as ix:
        report = audit(ix, "Do zinc lozenges shorten the duration of the common cold?")
    randomised = [c for c in report.claims if "randomised" in c.quote.text]
    assert randomised and {c.stance for c in randomised} == {"neutral"}


def test_claims_opposed_by_the_same_others_quote_them_once(tmp_path):
    index = indexed_with_cli(tmp_path, AIR_FRYERS)
    base = ["audit", "Air fryers cause asthma", "--index", str(index)]
    data = json.loads(CliRunner().invoke(cli, [*base, "--json"]).stdout)
    groups = [tuple(o["passage_id"] for o in c["opposed_by"]) for c in data["conflicts"]]
    repeated = [i for i, g in enumerate(groups) if g in groups[:i]]
    assert repeated, "the folder has two claims of one side opposed by the same claims"
    terminal = CliRunner().invoke(cli, base).stdout
    n = len(data["conflicts"][repeated[0]]["opposed_by"])
    first = groups.index(groups[repeated[0]]) + 1
    assert f"opposed by the same {n} claim{'s' * (n > 1)} as Conflict {first}" in terminal
    assert terminal.count("opposed by ") == len(groups)
    page = tmp_path / "audit.html"
    assert CliRunner().invoke(cli, [*base, "--html", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("the conflict above</a>") == len(repeated)


class TestContractions:
    """A negation written as a contraction, straight or curly, counts as "not"."""

    @pytest.mark.parametrize(
        "sentence, family",
        [
            ("The story isn't true.", "not_true"),
            ("The story isn’t true.", "not_true"),
            ("Police couldn't confirm that a giant squid washed up.", "no_evidence"),
            ("Marine biologists don't agree that a giant squid washed up.", "deny"),
            ("Police cannot confirm that a giant squid washed up.", "no_evidence"),
        ],
    )
    def test_a_contracted_negation_makes_its_phrase(self, sentence, family):
        topic = MODEL.topic("A giant squid washed up on the beach in Wales")
        assert stance.read(topic, sentence).counts.get(family) == 1


THREAD = {
    "forum.html": "<html><head><title>Is Desmond Kale dead?? - Fans Forum</title></head><body>"
    "<h1>Is Desmond Kale dead??</h1><p>Post what you know about Desmond Kale here.</p>"
    '<div class="comment"><span class="author">TomG</span><p>That was not the real BBC '
    "site. It's a hoax, he is alive.</p></div>"
    '<div class="comment"><span class="author">Ann</span><p>My cat sleeps all day.</p></div>'
    "</body></html>",
    "wire.txt": "Desmond Kale is alive\n\nDesmond Kale did not die in a skiing accident, his "
    "publicist said. Reports that Desmond Kale died are false.\n",
}


def test_a_reply_answering_the_thread_without_naming_it_is_a_voice(tmp_path):
    with make_index(tmp_path, THREAD) as ix:
        report = audit(ix, "Did Desmond Kale die in a skiing accident?")
    assert positions(report)["forum.html/TomG"] == "denies"
    toms = [c for c in report.claims if c.quote.author == "TomG"]
    assert "It's a hoax, he is alive." in [c.quote.text for c in toms]
    assert {c.found_by for c in toms} == {"thread"}
    assert "forum.html/Ann" not in positions(report)  # says nothing of it


TRANSFER_FORUM = {
    "forum.txt": "OL Fans › [RUMOUR] Marta Vidal to OL, done deal??\n\n"
    "LyonLad69 — 17 Jun 2025, 08:41\nContract signed, three years. Get in!!!\n\n"
    "gone_to_grenoble — 18 Jun 2025, 11:15\nTold you. I read the Whistle on Marta Vidal "
    "every morning. She hasn't signed for us.\n",
    "wire.txt": "Lyon deny agreement with Vidal\n\nOlympique Lyonnais rejected reports that "
    "Marta Vidal had signed, saying no contract had been concluded.\n",
}


def test_a_reader_answering_the_thread_beside_a_sentence_on_its_names(tmp_path):
    """A thread whose title says some of the topic ("Marta Vidal to OL"): a
    reader's "She hasn't signed for us." answers it, though another of their
    sentences names more of the topic and takes no side."""
    with make_index(tmp_path, TRANSFER_FORUM) as ix:
        report = audit(ix, "Has Marta Vidal signed for Olympique Lyonnais?")
    assert positions(report)["forum.txt/gone_to_grenoble"] == "denies"
    answers = [c for c in report.claims if c.quote.author == "gone_to_grenoble"]
    assert "She hasn't signed for us." in [c.quote.text for c in answers if c.stance == "denies"]


@pytest.mark.parametrize(
    "files, topic",
    [
        (AIR_FRYERS, "Air fryers cause asthma"),
        (ZINC, "Do zinc lozenges shorten the duration of the common cold?"),
        (THREAD, "Did Desmond Kale die in a skiing accident?"),
        (KNUCKLES, "Does cracking your knuckles cause arthritis?"),
        (MELATONIN, "Is melatonin addictive?"),
    ],
)
def test_an_agreement_quotes_two_sources_on_its_side(tmp_path, files, topic):
    with make_index(tmp_path, files) as ix:
        report = audit(ix, topic)
    for agreement in report.agreements:
        if agreement.claims[0].stance in ("affirms", "denies"):
            assert {c.stance for c in agreement.claims} == {agreement.claims[0].stance}
            assert len({c.quote.source.path for c in agreement.claims}) >= 2


FAQ = {
    "facts.md": "# MSG facts\n\nMonosodium glutamate is a flavour enhancer used in many foods "
    "and studied by many researchers over the years.\n\n## Does MSG cause headaches?\n\nNo. "
    "Many people believe it, and some reports describe headaches after meals with MSG.\n\n"
    "## Is MSG found in tomatoes?\n\nYes. Tomatoes and cheese hold glutamate.\n",
    "clinic.md": "# Headache clinic\n\nCan MSG cause headaches? Yes, in some people large "
    "doses of MSG cause headaches.\n",
    "blog.md": "# Food myths\n\nMSG causes headaches in almost everyone who eats it.\n",
}


@pytest.mark.parametrize(
    "topic, facts, clinic",
    [
        ("Does MSG cause headaches?", "denies", "affirms"),
        ("Is it a myth that MSG causes headaches?", "affirms", "denies"),
    ],
)
def test_a_plain_answer_to_the_topics_question_decides(tmp_path, topic, facts, clinic):
    with make_index(tmp_path, FAQ) as ix:
        report = audit(ix, topic)
    found = positions(report)
    assert (found["facts.md"], found["clinic.md"]) == (facts, clinic)
    answers = {c.quote.text: c for c in report.claims if c.found_by == "answer"}
    no = answers[
        "No. Many people believe it, and some reports describe headaches after meals with MSG."
    ]
    assert [no.quote.text[a:b] for a, b in no.cues] == ["No"]
    # "Yes." after a question on something else answers nothing asked
    assert all("Tomatoes" not in text for text in answers)


KITCHEN = {
    "kitchen.md": "# Small kitchens\n\nAir fryers are popular in small kitchens.\n",
    "factcheck.md": "# Fact check\n\nDoctors say air fryers do not cause asthma in children.\n",
    "blog.md": "# My story\n\nI am sure air fryers cause asthma in children.\n",
}


def test_a_sentence_naming_only_the_questions_subject_takes_no_side(tmp_path):
    with make_index(tmp_path, KITCHEN) as ix:
        report = audit(ix, "Do air fryers cause asthma in children?")
    assert "kitchen.md" not in positions(report)
    assert positions(report) == {"factcheck.md": "denies", "blog.md": "affirms"}


class TestBoundsAndModifiers:
    """A figure's bound and a compound's first word say no more than they are."""

    @pytest.mark.parametrize(
        "sentence",
        ["Eat no more than three eggs a week.", "Adults need not less than 7 hours of sleep."],
    )
    def test_a_bounded_figure_is_no_negation(self, sentence):
        topic = MODEL.topic("How many eggs a week and hours of sleep are healthy for adults?")
        assert "negation" not in stance.read(topic, sentence).counts

    def test_a_topic_with_a_bound_is_not_a_denial(self):
        assert not MODEL.topic("You should eat no more than three eggs a week").negated

    def test_a_myth_with_a_bound_denies_it(self):
        topic = "You should eat no more than three eggs a week"
        assert stance_of(topic, "Myth: You should eat no more than three eggs a week.") == (
            "denies"
        )

    def test_the_first_word_of_a_compound_is_no_direction(self):
        topic = MODEL.topic("Probiotics prevent antibiotic-associated diarrhoea")
        sentence = "High-dose probiotics were more effective at preventing diarrhoea."
        assert "opposite_direction" not in stance.read(topic, sentence).counts
        assert MODEL.topic("Do high-dose probiotics prevent diarrhoea?").directions == (
            ("amount", "down"),
        )


def test_a_topic_figure_keeps_its_thousands_in_the_aspect_shown(tmp_path):
    files = {
        "wire.txt": "Layoffs\n\nVantrell will lay off 4,000 workers at its Dayton plant, the "
        "union said.\n",
        "statement.txt": "Statement\n\nReports that Vantrell will lay off 4,000 workers at "
        "Dayton are inaccurate.\n",
    }
    with make_index(tmp_path, files) as ix:
        report = audit(ix, "Will Vantrell lay off 4,000 workers at its Dayton plant?")
    assert {c.aspect for c in report.claims} == {
        "claims about vantrell lay off 4,000 workers dayton plant"
    }


HORN = {
    "museum.md": "# The Skerrow Horn\n\nThe Skerrow Horn is genuine, the museum says: the "
    "Skerrow Horn was carved in the twelfth century.\n",
    "paper.md": "# A Victorian fake\n\nExperts called the Skerrow Horn a forgery made in "
    "the 1860s.\n",
}


def test_an_identity_question_no_source_answers_in_its_words_is_read_as_any(tmp_path):
    with make_index(tmp_path, HORN) as ix:
        report = audit(ix, "Is the Skerrow Horn a forgery?")
        plain = audit(ix, "Is the Skerrow Horn a forgery made in the 1860s?")
    assert report.claims
    assert positions(report).get("paper.md") == "affirms"
    assert plain.claims  # a question that is no identity question is read as before


# --- stop 33: a third round of folders nobody here wrote --------------------------

KNUCKLE_LETTERS = {
    **{
        f"letters{i:02}.md": f"# Letter {i}\n\nA reader wrote in about knuckle cracking and "
        f"arthritis in her family, letter {i} of many.\n"
        for i in range(24)
    },
    "study.txt": "Knuckle cracking and the hand\n\nIn 300 patients, habitual knuckle cracking "
    "did not lead to arthritis of the hand.\n",
    "magazine.md": '# Joint myths\n\n"Text thumb" is real, and can lead to tendon '
    "inflammation.\n\nExperts say knuckle cracking wears the joint and may lead to arthritis.\n",
}


def test_a_light_verb_alone_is_not_what_a_topic_asks(tmp_path):
    # Every page shares "knuckle cracking" and "arthritis": what is left of
    # the question, "lead", must not make "can lead to tendon inflammation"
    # a claim on it.
    index = indexed_with_cli(tmp_path, KNUCKLE_LETTERS)
    question = "Does knuckle cracking lead to arthritis?"
    result = CliRunner().invoke(cli, ["audit", question, "--index", str(index), "--json"])
    claims = json.loads(result.stdout)["claims"]
    assert not [c for c in claims if "Text thumb" in c["text"]]
    study = [c for c in claims if "did not lead to arthritis" in c["text"]]
    assert [c["stance"] for c in study] == ["denies"]
    asked = CliRunner().invoke(cli, ["ask", question, "--index", str(index), "--color", "never"])
    answer = asked.stdout.split("Cited passages:")[0]
    assert "may lead to arthritis" in answer and "Text thumb" not in answer


def test_a_voice_naming_both_things_but_no_link_takes_no_side(tmp_path):
    with make_index(tmp_path, KNUCKLE_LETTERS) as ix:
        report = audit(ix, "Does knuckle cracking lead to arthritis?")
    sides = positions(report)
    assert {sides[f"letters{i:02}.md"] for i in range(24)} == {UNCLEAR}
    assert sides["study.txt"] == "denies" and sides["magazine.md"] == "affirms"
    assert {
        (a.quote.source.path, b.quote.source.path) for c in report.conflicts for a, b in c.pairs()
    } <= {
        ("magazine.md", "study.txt"),
        ("study.txt", "magazine.md"),
    }


VITAMIN_D = {
    **{
        f"notes{i:02}.md": f"# Vitamin D note {i}\n\nVitamin D is made in the skin in sunlight, "
        f"note {i} of a series on vitamin D.\n"
        for i in range(24)
    },
    "review.txt": "Vitamin D for preventing fractures: a review\n\nVitamin D alone is unlikely "
    "to prevent hip fractures in older adults.\n",
    "trial.txt": "A care home trial\n\nDaily vitamin D supplementation lowered the number of "
    "fractures in older adults in care homes.\n",
}


def test_a_subject_named_by_the_thing_not_its_form_is_named(tmp_path):
    # "Supplementation" is how vitamin D is taken; a review speaking of
    # "vitamin D alone" speaks to the question.
    with make_index(tmp_path, VITAMIN_D) as ix:
        report = audit(ix, "Does vitamin D supplementation prevent fractures in older adults?")
    sides = positions(report)
    assert sides["review.txt"] == "denies" and sides["trial.txt"] == "affirms"
    assert report.conflicts


def test_how_often_a_thing_is_done_is_no_part_of_its_subject(tmp_path):
    # "daily" says how often aspirin is taken: a trial of "aspirin use"
    # speaks to the question as much as one of "daily aspirin".
    files = {
        "trial.txt": "Trial\n\nAspirin use was not associated with colorectal cancer risk "
        "over ten years of follow-up.\n",
        "cohort.txt": "Cohort\n\nDaily aspirin was associated with a lower risk of "
        "colorectal cancer.\n",
    }
    topic = "Is daily aspirin associated with a lower risk of colorectal cancer?"
    report = audit_of(tmp_path, files, topic)
    sides = positions(report)
    assert sides["trial.txt"] == "denies" and sides["cohort.txt"] == "affirms"
    assert report.conflicts


def test_a_folder_without_conflicts_says_so_plainly(tmp_path):
    with make_index(tmp_path, {"a.md": "# A\n\nBaclofen is a muscle relaxant.\n"}) as ix:
        report = audit(ix, "Is baclofen a muscle relaxant?")
    assert not report.conflicts
    assert report.summary().startswith("no conflicts; ")


def test_a_quote_outside_the_passages_shown_is_still_listed(tmp_path):
    # The audit may quote a side from a passage that is not among the best
    # matches the answer shows; its citation must still be listed.
    with make_index(tmp_path, KNUCKLE_LETTERS) as ix:
        answer = ask(ix, "Does knuckle cracking lead to arthritis?")
    first = answer.answer[0]
    hidden = dataclasses.replace(
        answer, hits=tuple(h for h in answer.hits if h.passage.passage_id != first.passage_id)
    )
    _, _, listed = format_answer(hidden).partition("Cited passages:")
    assert f"[1] {first.source.path}:{first.line}  ({first.passage_id}): not among" in listed
    assert f"[1] {first.source.path}" not in format_answer(answer).partition("Cited passages:")[0]


class TestGroupsFiguresAndRumours:
    """Words that look like a negation, a direction or a confirmation and are not."""

    @pytest.mark.parametrize(
        "sentence",
        [
            "Exercise training improved quality of life compared with usual care without training.",
            "Quality of life improved in patients with and without diabetes after training.",
            "Exercise training improved quality of life more in patients without heart failure.",
            "Compared with patients with no training, patients in exercise training improved "
            "their quality of life.",
        ],
    )
    def test_without_naming_a_group_is_no_negation(self, sentence):
        topic = MODEL.topic("Exercise training improves quality of life")
        assert "negation" not in stance.read(topic, sentence).counts
        assert stance_of("Exercise training improves quality of life", sentence) == "affirms"

    def test_a_name_the_topic_gives_with_non_is_no_negation(self):
        # "non-small cell lung cancer" names the disease, as the topic does
        topic = "Erlotinib improves survival in non-small cell lung cancer."
        said = "Erlotinib improved survival in patients with non-small cell lung cancer."
        assert "negation" not in stance.read(MODEL.topic(topic), said).counts
        assert stance_of(topic, said) == "affirms"
        assert stance_of("Is melatonin addictive?", "Melatonin is non-addictive.") == "denies"

    def test_a_cue_word_the_topic_names_with_is_no_cue(self):
        # "failure" in "heart failure" is the disease, not a failure
        topic = MODEL.topic("Statins reduce the risk of heart failure.")
        said = "Statins reduced the risk of heart failure by 20%."
        assert "ineffective" not in stance.read(topic, said).counts
        assert "ineffective" in stance.read(topic, "The statin trial failed.").counts

    def test_without_as_a_negation_still_denies(self):
        topic = MODEL.topic("Exercise training improves quality of life")
        sentence = "Patients finished exercise training without any change in quality of life."
        assert "negation" in stance.read(topic, sentence).counts

    def test_directions_of_findings_joined_alongside_do_not_multiply(self):
        # "a reduction ... accompanied by a low incidence of ..." is a reduction
        topic = MODEL.topic("Radioiodine reduces thyroid volume.")
        said = (
            "Radioiodine gave a substantial reduction in thyroid volume accompanied by a low "
            "incidence of hypothyroidism."
        )
        counts = stance.read(topic, said).counts
        assert "same_direction" in counts and "opposite_direction" not in counts

    def test_a_figures_size_is_no_direction(self):
        topic = MODEL.topic("Does cinnamon lower blood sugar?")
        sentence = "Cinnamon at doses as low as 1 g lowered blood sugar in adults."
        assert "opposite_direction" not in stance.read(topic, sentence).counts
        assert stance_of("Does cinnamon lower blood sugar?", sentence) == "affirms"

    def test_a_rumour_called_untrue_far_from_its_words_is_read_near(self):
        topic = MODEL.topic("Batmobile stolen from the film set")
        sentence = (
            "Thankfully, rumours that the caped crusader's famous car had been taken from "
            "under his nose proved to be untrue."
        )
        counts = stance.read(topic, sentence).counts
        assert counts.get("refute_near") and "confirm" not in counts


ABSTRACT = [
    "BACKGROUND Knuckle cracking is widely believed to cause arthritis of the hands.",
    "Many parents warn children that cracking knuckles causes arthritis.",
    "METHODS We surveyed 300 adults about knuckle cracking and examined their hands.",
    "RESULTS Arthritis was as common in those who cracked their knuckles as in those who did not.",
    "CONCLUSIONS Habitual knuckle cracking was not associated with arthritis.",
]


class TestStructuredAbstracts:
    """An abstract's background, aims and methods say what was believed,
    asked or done; its results and conclusions, what was found."""

    def test_the_sections_are_found_by_their_labels(self):
        text = "\n".join(ABSTRACT)
        found = stance.background(text)
        assert [text[a:b].split()[0] for a, b in found] == ["BACKGROUND", "METHODS"]
        assert text[found[-1][1] :].startswith("RESULTS")

    @pytest.mark.parametrize(
        "text",
        [
            "Background\n\nThe council has long been blamed for the closure.\n\nMore news.",
            "Patients were randomised. The results were clear.",
        ],
    )
    def test_a_heading_alone_or_a_word_is_no_section(self, text):
        assert stance.background(text) == []

    def test_verify_reads_the_finding_not_the_belief(self):
        verdict = verify("Knuckle cracking causes arthritis.", ABSTRACT)
        assert verdict.label == CONTRADICT and verdict.evidence == 4

    def test_the_audit_reads_the_finding_not_the_belief(self, tmp_path):
        files = {
            "abstract.txt": "Knuckle cracking and arthritis\n\n" + "\n\n".join(ABSTRACT) + "\n",
            "blog.md": "# My hands\n\nCracking your knuckles causes arthritis, my doctor said.\n",
        }
        with make_index(tmp_path, files) as ix:
            report = audit(ix, "Does cracking your knuckles cause arthritis?")
        assert positions(report)["abstract.txt"] == "denies"
        believed = [c for c in report.claims if "widely believed" in c.quote.text]
        assert [c.stance for c in believed] in ([], ["neutral"])
        assert report.conflicts


def test_a_sources_nearest_sentence_is_a_finding_not_its_background(tmp_path):
    files = {
        "trial.txt": "Hip fractures in care homes: a randomised trial\n\n"
        "BACKGROUND: Low vitamin D is common in older adults and may add to fractures.\n\n"
        "METHODS: 2,810 women in 94 care homes were given a supplement or placebo.\n\n"
        "CONCLUSIONS: Daily vitamin D3 and calcium supplementation lowered the incidence of hip "
        "fractures in frail women.\n",
        "review.txt": "Vitamin D for fractures\n\nVitamin D alone is unlikely to prevent "
        "fractures in older adults.\n",
    }
    with make_index(tmp_path, files) as ix:
        report = audit(ix, "Does vitamin D supplementation prevent fractures in older adults?")
    trial = [c for c in report.claims if c.quote.source.path == "trial.txt"]
    assert [c.quote.text[:12] for c in trial] == ["CONCLUSIONS:"]


def test_the_people_a_question_names_need_not_be_named(tmp_path):
    files = {
        "embassy.md": "# Medicines and Japan\n\nMedicines that contain pseudoephedrine cannot be "
        "brought into Japan.\n",
        "blog.md": "# Packing for Tokyo\n\nYes, you can bring pseudoephedrine into Japan for a "
        "short trip, I always do.\n",
    }
    with make_index(tmp_path, files) as ix:
        report = audit(ix, "Can travellers bring pseudoephedrine into Japan?")
    sides = positions(report)
    assert sides["embassy.md"] == "denies" and sides["blog.md"] == "affirms"


@pytest.mark.parametrize(
    "leaflet",
    [
        "Do not use this gel if:\n\n* you are allergic to aspirin\n* you have asthma\n",
        "Do not take these tablets if you:\n\n- are allergic to aspirin\n- have asthma\n",
    ],
)
def test_a_prohibitions_listed_conditions_are_in_its_scope(leaflet):
    topic = MODEL.topic("Is ibuprofen safe for people with asthma?")
    assert "negation" in stance.read(topic, leaflet).counts


JAPAN = {
    "embassy.md": "# Medicines and Japan\n\nProducts that contain pseudoephedrine, such as "
    "Sudafed, are prohibited in Japan.\n",
    "blog.md": "# Packing for Tokyo\n\nI have brought Sudafed into Japan on every trip and "
    "nobody at customs cared.\n",
}


class TestPermission:
    """A question asking leave ("Can travellers bring ...?", "Is it legal to
    ...?") is denied by a ban; a headline reporting a ban asks no leave."""

    @pytest.mark.parametrize(
        "question",
        ["Can travellers bring Sudafed into Japan?", "Is it legal to bring Sudafed into Japan?"],
    )
    def test_a_ban_denies_a_question_of_leave(self, tmp_path, question):
        with make_index(tmp_path, JAPAN) as ix:
            report = audit(ix, question)
        sides = positions(report)
        assert sides["embassy.md"] == "denies" and sides["blog.md"] == "affirms"
        assert report.conflicts

    def test_a_headline_reporting_a_ban_asks_no_leave(self):
        assert MODEL.topic("Singer barred from all future award shows").directions == ()
        assert MODEL.topic("Is the singer barred from award shows?").directions == (
            ("permission", "down"),
        )


def test_a_quotation_of_someone_unnamed_is_reported_not_said(tmp_path):
    files = {
        "oped.md": '# The poster in the waiting room\n\n"Ibuprofen is never safe for people '
        'with asthma," a parent told me last month.\n\nShe is wrong: most people with asthma '
        "can take ibuprofen safely.\n",
    }
    with make_index(tmp_path, files) as ix:
        report = audit(ix, "Is ibuprofen safe for people with asthma?")
    quoted = [c for c in report.claims if "a parent told me" in c.quote.text]
    assert [(c.stance, c.reported) for c in quoted] == [("neutral", True)]


def test_no_such_thing_denies_it():
    topic = "ESPN will hold an all-male panel on domestic abuse"
    sentence = "ESPN has since said that no such panel will take place tonight."
    assert "not_true" in stance.read(MODEL.topic(topic), sentence).counts
    assert stance_of(topic, sentence) == "denies"


SPOOF_NOTE = "NOTE: We got taken on this one! It's a spoof, and we apologize."
SPOOF = {
    "blog.txt": "North Dakota names landfill after Obama\n\nNorth Dakota voted to name its new "
    "landfill after President Obama. The state Senate approved the bill 35-10.\n\n"
    "NOTE: We got taken on this one! It's a spoof, and we apologize.\n",
    "wire.txt": "Landfill named for Obama\n\nNorth Dakota has named its new landfill after "
    "President Obama, the state Senate said.\n",
}


@pytest.mark.parametrize(
    "note, evidence",
    [
        ("NOTE: We got taken on this one! It's a spoof, and we apologize.", "It's a spoof"),
        ("Update: The governor's office confirmed it. Not happening.", "Not happening."),
        (
            "CORRECTION: An earlier version of this story said the vote was 35-10. The Senate "
            "passed no such bill.",
            "The Senate passed no such bill.",
        ),
        (  # naming the topic, it is read once, as the update
            "UPDATE: The story that North Dakota named a landfill after Obama is fake.",
            "UPDATE: The story that North Dakota named",
        ),
    ],
)
def test_an_update_below_the_story_is_the_pages_last_word(tmp_path, note, evidence):
    """ "NOTE: ... It's a spoof" below a story that repeats the claim: the
    page denies it, quoting its note, and is set against the page that
    still says it."""
    files = dict(SPOOF, **{"blog.txt": SPOOF["blog.txt"].replace(SPOOF_NOTE, note)})
    report = audit_of(tmp_path, files, "North Dakota names landfill after Obama")
    blog = next(p for p in report.positions if p.source.path == "blog.txt")
    assert blog.stance == "denies"
    assert blog.evidence.found_by == "update"
    assert blog.evidence.quote.text.startswith(evidence)
    starts = [(c.quote.source.path, c.quote.start) for c in report.claims]
    assert len(starts) == len(set(starts))  # a sentence is one claim
    assert positions(report)["wire.txt"] == "affirms"
    assert any(
        {c.quote.source.path for c in (conflict.claim, *conflict.opposed_by)}
        == {"blog.txt", "wire.txt"}
        for conflict in report.conflicts
    )


def test_a_note_taking_no_side_changes_nothing(tmp_path):
    files = dict(
        SPOOF,
        **{
            "blog.txt": SPOOF["blog.txt"].replace(
                "It's a spoof, and we apologize.", "Photos are by the state Senate."
            )
        },
    )
    report = audit_of(tmp_path, files, "North Dakota names landfill after Obama")
    assert positions(report)["blog.txt"] == "affirms"
    assert all(c.found_by != "update" for c in report.claims)


def test_is_x_an_effective_treatment_asks_whether_it_treats(tmp_path):
    """"Is ivermectin an effective treatment for COVID-19?" is no question of
    what ivermectin is: "does not work as a treatment" speaks to it, as it
    would to "Does ivermectin treat COVID-19?"."""
    files = {
        "trial.html": "<html><head><title>Trial finds ivermectin does not speed recovery"
        "</title></head><body><h1>Trial finds ivermectin does not speed recovery</h1><p>In a "
        "trial of 3,000 adults with COVID-19, ivermectin did not reduce hospital admissions. "
        '"Ivermectin does not work as a treatment for COVID-19," said Professor Martin '
        "Oyelaran.</p></body></html>",
        "fda.md": "# Why you should not use ivermectin to treat COVID-19\n\nCurrently available "
        "data do not show ivermectin is effective against COVID-19.\n",
    }
    report = audit_of(tmp_path, files, "Is ivermectin an effective treatment for COVID-19?")
    (trial,) = [c for c in report.claims if c.quote.source.path == "trial.html"]
    assert trial.quote.text.startswith('"Ivermectin does not work as a treatment')
    assert trial.attributed_to == "Professor Martin Oyelaran"
    assert positions(report)["trial.html"] == "denies"


class TestRoundSix:
    """Failures from the sixth round of folders written by others."""

    def test_a_word_inside_a_null_finding_is_no_cue_of_its_own(self):
        topic = MODEL.topic("Can the flu vaccine give you the flu?")
        sentence = "Adults given the vaccine were no more likely to get the flu."
        families = [family for _, _, family in stance.read(topic, sentence).cues]
        assert "no_evidence" in families and "hedge" not in families  # "likely" is the phrase's

    def test_a_compound_holds_the_topics_word(self):
        topic = MODEL.topic("Does knuckle cracking cause arthritis?")
        assert stance.read(topic, "Crackers had no more osteoarthritis.").matched
        assert not stance.read(topic, "It was an anticancer drug.").matched
        cancer = MODEL.topic("Does aspartame cause cancer?")
        assert not stance.read(cancer, "It is an anticancer drug.").matched
        assert stance.read(cancer, "It is a precancerous lesion.").matched == ()

    def test_what_was_said_before_the_news_takes_no_side(self):
        topic = "Did Halvorsen Motors agree to buy the airline Nordavia?"
        sentence = (
            "Halvorsen Motors confirmed that it has signed an agreement to buy Nordavia, "
            "three days after it publicly said no such deal existed."
        )
        assert stance_of(topic, sentence) == "affirms"
        assert stance_of(topic, "Halvorsen Motors said no such deal with Nordavia existed.") == "denies"

    @pytest.mark.parametrize(
        "sentence",
        [
            "Parents and grandparents have long warned that cracking your knuckles causes arthritis.",
            "A folk belief, often repeated, holds that cracking your knuckles causes arthritis.",
            "My mom keeps telling me that cracking your knuckles causes arthritis.",
            "I've seen a lot of posts saying that cracking your knuckles causes arthritis.",
            "Some influencers have taken to calling knuckle cracking the cause of arthritis.",
            "This morning a British newspaper says that knuckle cracking causes arthritis.",
        ],
    )
    def test_a_belief_passed_on_is_reported(self, tmp_path, sentence):
        report = audit_of(tmp_path, {"a.txt": sentence + "\n"}, "Does cracking your knuckles cause arthritis?")
        (claim,) = report.claims
        assert claim.reported and claim.stance == "neutral"

    def test_a_quoted_question_and_an_answer_to_another_question_claim_nothing(self, tmp_path):
        files = {
            "faq.md": (
                "# Aspartame questions\n\n"
                "## Is it safe to consume products containing aspartame?\n\n"
                "Yes. We reviewed the studies in full.\n\n"
                "## Does aspartame cause cancer?\n\n"
                "No. The studies found no link between aspartame and cancer.\n"
            ),
            "letter.txt": '"Is it true that aspartame causes cancer?"\n\nWe asked the agency.\n',
        }
        report = audit_of(tmp_path, files, "Does aspartame cause cancer?")
        answers = [c for c in report.claims if c.found_by == "answer"]
        assert [(c.quote.text[:3], c.stance) for c in answers] == [("No.", "denies")]
        assert not [c for c in report.claims if c.quote.source.path == "letter.txt"]

    def test_a_list_of_whole_sentences_is_quoted_item_by_item(self, tmp_path):
        files = {
            "wiki.md": (
                "# Knuckle cracking\n\n"
                "Various sources have made different claims about it:\n\n"
                "- A widespread folk belief holds that cracking the knuckles leads to arthritis later in life.\n"
                "- A 2011 study found that habitual knuckle cracking does not lead to arthritis of the hand.\n"
            ),
        }
        report = audit_of(tmp_path, files, "Does cracking your knuckles lead to arthritis?")
        quotes = sorted(c.quote.text for c in report.claims)
        assert quotes == [
            "- A 2011 study found that habitual knuckle cracking does not lead to arthritis of the hand.",
            "- A widespread folk belief holds that cracking the knuckles leads to arthritis later in life.",
        ]

    def test_a_comment_takes_the_side_its_own_words_take(self, tmp_path):
        # Its sentences together lean to "affirms" (0.53 before): its own
        # denial decides.
        page = (
            "<html><head><title>Quit diet soda after the WHO news?</title></head><body>"
            '<div class="post"><p class="meta">Posted by <span class="author">u/dan</span>'
            " · 2023-07-15</p><h1>Quit diet soda after the WHO news?</h1>"
            '<div class="body"><p>My aunt drank diet soda for thirty years and got leukemia. '
            "I'm convinced the stuff gave her cancer.</p></div></div>"
            '<div class="comments"><div class="comment">'
            '<p class="meta"><span class="author">u/tox_grad</span> · 2023-07-15</p>'
            "<p>Yes, the WHO cancer agency called aspartame possibly carcinogenic, and rat "
            "studies of aspartame found lymphomas and leukemia. Those studies have been picked "
            "apart for years. Drinking aspartame won't give you cancer, full stop.</p></div>"
            "</div></body></html>"
        )
        report = audit_of(tmp_path, {"thread.html": page}, "Does aspartame cause cancer?")
        (row,) = [p for p in report.positions if p.author == "u/tox_grad"]
        assert row.stance == "denies"
        assert row.evidence.quote.text == "Drinking aspartame won't give you cancer, full stop."

    def test_a_person_on_the_sources_side_gets_a_row_when_it_says_so_itself(self, tmp_path):
        files = {
            "news.txt": (
                "Halvorsen denies deal\n\n"
                "Halvorsen Motors has not agreed to buy the airline Nordavia. "
                '"We did not agree to buy Nordavia, and no deal has been signed," chief '
                "financial officer Ingrid Solberg said.\n"
            ),
            "wire.txt": "Deal near\n\nHalvorsen Motors agreed to buy the airline Nordavia, sources said.\n",
        }
        report = audit_of(tmp_path, files, "Did Halvorsen Motors agree to buy the airline Nordavia?")
        found = positions(report)
        assert found["news.txt"] == "denies"
        assert [k for k in found if k.startswith("news.txt/")] == ["news.txt/Ingrid Solberg"]
        assert found["news.txt/Ingrid Solberg"] == "denies"
        # The page's row quotes its own words, hers are in her row.
        page = next(p for p in report.positions if p.source.path == "news.txt" and not p.speaker)
        assert page.evidence.attributed_to is None

    def test_a_post_a_debunk_describes_is_reported(self, tmp_path):
        page = (
            "Death hoax explained\n\nOn Saturday a page called Celebrity Today posted a graphic "
            'reading "BREAKING: Singer Marisol Vega dies in horror crash in Malibu."\n'
        )
        report = audit_of(tmp_path, {"hoax.txt": page}, "Did the singer Marisol Vega die in a car crash?")
        (claim,) = report.claims
        assert claim.reported and claim.stance == "neutral"

    def test_an_irregular_past_is_its_verbs_word(self):
        topic = MODEL.topic("Can the flu vaccine give you the flu?")
        assert stance.read(topic, "The vaccine gave him the flu.").relevance == stance.read(
            topic, "The vaccine gives him the flu."
        ).relevance

    def test_an_agreement_lists_a_claim_once_though_a_person_has_a_row(self, tmp_path):
        files = {
            "a.txt": (
                "Deal denied\n\nHalvorsen Motors has not agreed to buy the airline Nordavia. "
                '"We did not agree to buy Nordavia, and no deal has been signed," chief '
                "financial officer Ingrid Solberg said.\n"
            ),
            "b.txt": "No deal\n\nHalvorsen Motors did not agree to buy the airline Nordavia.\n",
        }
        report = audit_of(tmp_path, files, "Did Halvorsen Motors agree to buy the airline Nordavia?")
        (agreement,) = report.agreements
        assert len(agreement.claims) == len(set(agreement.claims))


FLUORIDE_FORUM = {
    "forum.txt": "ParentNet › Is fluoride in tap water lowering our kids' IQ??\n\n"
    "Original post by mamabear_22 — 21 Feb 2025, 9:14 pm\n"
    "My son's school testing came back lower this year. Anyone else?\n\n"
    "Reply from DadOfThree — 21 Feb 2025, 9:47 pm\n"
    "I get the worry, but one year of school scores going down has a hundred possible causes. "
    "Fluoride at the levels in city water doesn't make kids dumber.\n\n"
    "Reply from jenn_k — 21 Feb 2025, 10:30 pm\n"
    "Honestly I have no idea who to believe anymore. We got a filter pitcher.\n",
    "report.txt": "Fluoride and children's IQ\n\nFluoride above 1.5 mg/L in drinking water "
    "lowers children's IQ, the review concluded.\n",
}


def test_a_claim_in_other_words_of_the_same_thing_is_read(tmp_path):
    """ "doesn't make kids dumber" speaks to "Does fluoride in drinking water
    lower children's IQ?": "kids" are children."""
    with make_index(tmp_path, FLUORIDE_FORUM) as ix:
        report = audit(ix, "Does fluoride in drinking water lower children's IQ?")
    assert positions(report)["forum.txt/DadOfThree"] == "denies"


FASTING_BLOG = {
    "blog.md": "# Will Intermittent Fasting Eat Your Gains?\n\n"
    "Intermittent fasting is everywhere in gyms now, and lifters keep asking whether it "
    "costs them muscle. The fasting window isn't what costs people muscle; under-eating "
    "protein is.\n\n"
    "### Comments (2)\n\n"
    "**GymRat_Lou** — June 5, 2024\n"
    "Did OMAD for three months last year and my bench dropped 20 lbs. Pretty sure I lost "
    "muscle doing it, whatever the studies say.\n\n"
    "**Kasey T.** — June 6, 2024\n"
    "Same experience as the article for me — 18:6 for almost a year, lifting 4x a week, no "
    "strength loss at all. Protein is the key.\n",
}


def test_a_comments_row_takes_the_side_of_its_own_claim(tmp_path):
    """A comment whose sentences read near even together still stands
    where its own claim does: its row is never unclear beside a claim of
    its that takes a side."""
    with make_index(tmp_path, FASTING_BLOG) as ix:
        report = audit(ix, "Does intermittent fasting cause muscle loss?")
    for position in report.positions:
        if position.kind == "comment":
            sides = {c.stance for c in position.claims} - {"neutral"}
            assert position.stance in sides or (not sides and position.stance == "unclear")
    assert positions(report)["blog.md/Kasey T."] == "denies"



def test_a_fact_checks_claim_label_is_the_claim_checked_not_its_view(tmp_path):
    """ "Claim: "BREAKING: Experts CONFIRM ..."" is the claim a fact check
    checks, reported, whatever its words; read with its verdict line below
    it, it is the fact check's verdict."""
    files = {
        "factcheck.md": "# Was the painting a fake?\n\n"
        'Claim: "BREAKING: Experts CONFIRM the Lindqvist painting is a fake."\n\n'
        "We contacted the auction house, which stands by the sale.\n",
        "verdict.md": "# Council vote\n\n"
        "THE CLAIM: The council voted to ban gas stoves in new homes.\n\n"
        "OUR VERDICT: False.\n",
    }
    report = audit_of(tmp_path, files, "Is the Lindqvist painting a fake?")
    claimed = [c for c in report.claims if c.quote.text.startswith("Claim:")]
    assert claimed and all(c.reported and c.stance == "neutral" for c in claimed)
    vote = audit_of(tmp_path / "v", files, "Did the council vote to ban gas stoves in new homes?")
    checked = [c for c in vote.claims if c.quote.text.startswith("THE CLAIM:")]
    assert [c.stance for c in checked] == ["denies"]


SALT_STUDIES = {
    "meta.txt": "Dietary salt and gastric cancer: a meta-analysis\n\n"
    "Across 11 cohorts, each additional 5 g of daily salt was associated with a 12% "
    "higher risk of gastric cancer.\n",
    "cohort.txt": "Dietary sodium in a European cohort\n\n"
    "After adjustment for smoking, estimated dietary sodium showed no significant "
    "association with gastric cancer incidence.\n",
    "other.txt": "Fruit and stroke\n\nEating fruit daily was linked to fewer strokes.\n",
}


def test_a_health_topic_is_read_in_its_medical_words(tmp_path):
    """ "salt" and "gastric cancer" speak to "Is high sodium intake linked to
    stomach cancer?": a body part's medical adjective and a nutrient's
    everyday name stand for the topic's words, in finding sources and in
    reading them; "high" says how much, so it need not be named."""
    report = audit_of(tmp_path, SALT_STUDIES, "Is high sodium intake linked to stomach cancer?")
    assert positions(report) == {"meta.txt": "affirms", "cohort.txt": "denies"}


def test_a_null_findings_no_reaches_what_it_was_found_for():
    """ "No effect was found for previous use of macrolides" denies that
    macrolides protect: a finding's "no" reaches past the words a plain
    negation does."""
    model = stance.default_model()
    topic = model.topic("Macrolides protect against myocardial infarction.")
    null = "No effect was found for previous use of macrolides, sulfonamides or penicillins."
    assert model.sentence(topic, stance.read(topic, null), null).stance == "denies"
    far = "No one in the trial was given anything but the usual use of macrolides."
    assert "negation" not in stance.read(topic, far).counts


def test_a_correction_is_the_pages_word_not_the_report_it_corrects(tmp_path):
    """ "A Herald report ... said X. That was not correct." denies X in the
    page's voice: the report it names is credited with none of it; and a
    wire story's closing "the regional water authority said" names who
    speaks, not the inspectors its sentence tells of."""
    files = {
        "followup.txt": "Residents return home\n\n"
        "CORRECTION: A Herald report on October 3 said the earthquake had cracked the "
        "Port Elling dam. That was not correct.\n",
        "wire.txt": "Engineers inspect spillway\n\n"
        "Inspectors found the Port Elling dam cracked after the earthquake on Friday, "
        "the regional water authority said.\n",
    }
    report = audit_of(tmp_path, files, "Did the Port Elling dam crack after the earthquake?")
    credit = {c.quote.source.path: (c.attributed_to, c.stance) for c in report.claims}
    assert credit["followup.txt"] == (None, "denies")
    assert credit["wire.txt"] == ("the regional water authority", "affirms")


def test_a_question_told_of_asserts_nothing(tmp_path):
    """ "Travel agents wondered if Nordwind had really gone bankrupt" tells of
    a question, and "it is unclear whether" of an open one: neither says it
    has; the wire's "Nordwind Airlines has gone bankrupt" does."""
    files = {
        "helpline.txt": "Consumer helpline\n\n"
        "Travel agents wondered if Nordwind Airlines had really gone bankrupt after the "
        "reports. It is unclear whether Nordwind Airlines has gone bankrupt.\n",
        "wire.txt": "Airline news\n\n"
        "Nordwind Airlines has gone bankrupt, its administrators said.\n",
    }
    report = audit_of(tmp_path, files, "Has Nordwind Airlines gone bankrupt?")
    said = {c.quote.text: c.stance for c in report.claims}
    asked = [stance for text, stance in said.items() if " if " in text or "whether" in text]
    assert asked and set(asked) == {"neutral"}
    assert said["Nordwind Airlines has gone bankrupt, its administrators said."] == "affirms"


def test_a_correction_tells_what_the_page_said_before_without_holding_it(tmp_path):
    """ "CORRECTION: An earlier version of this story stated that X" reports
    what the page no longer says."""
    files = {
        "news.txt": "Singer news\n\nCORRECTION: An earlier version of this story stated that "
        "Mara Vell had announced she is retiring from touring.\n\n"
        "Mara Vell is not retiring from touring, her label said.\n",
    }
    report = audit_of(tmp_path, files, "Is the singer Mara Vell retiring from touring?")
    said = {c.quote.text[:10]: (c.stance, c.reported) for c in report.claims}
    assert said["CORRECTION"] == ("neutral", True)
    assert said["Mara Vell "][0] == "denies"
    assert positions(report) == {"news.txt": "denies"}
