"""`ask`: extractive answers quoted verbatim, ranked by how well they answer."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.claims.answer import ask, best_coverage, min_coverage, question_type
from search.present.cli import cli

from .conftest import SEEDS, make_index


def first(ix, question):
    answer = ask(ix, question)
    assert answer.answer, f"no answer to {question!r}"
    return answer.answer[0]


class TestSeeds:
    def test_how_long_answers_with_the_duration_sentence(self, seeds):
        quote = first(
            seeds, "How long did psychiatric withdrawal symptoms take to resolve after treatment?"
        )
        assert quote.text == (
            "The time to complete resolution of psychiatric symptoms after treatment was "
            "42.9 hours, with a range of 4 to 72 hours."
        )
        assert quote.passage_id.startswith("004_f2d979fd49bf137b.txt#")

    def test_how_long_quotes_the_durations_the_sources_give_side_by_side(self, seeds):
        answer = ask(seeds, "How long do baclofen withdrawal symptoms last?")
        texts = [q.text for q in answer.answer]
        assert any("one to two weeks" in t for t in texts), texts
        # Written under "Baclofen Withdrawal symptoms ...": the heading says
        # what the sentence's symptoms are.
        assert any("42.9 hours" in t for t in texts), texts
        # Once the best answer gives a duration, every answer does.
        assert not any(t.startswith("In an excellent review") for t in texts), texts
        # A reader's comment does not borrow the page's heading.
        assert not any(t.startswith("I have been taking Baclofen") for t in texts), texts

    @pytest.mark.parametrize(
        "question",
        [
            "How long does baclofen withdrawal last?",
            "how long does withdrawal last",
            "how long does withdrawal from baclofen take",
        ],
    )
    def test_how_long_as_people_ask_it_finds_the_passage_that_gives_a_time(self, seeds, question):
        # The passage saying "one to two weeks" holds few of these words: a
        # "how long" question also searches for the words a time is given in.
        texts = [q.text for q in ask(seeds, question).answer]
        assert any("one to two weeks" in t for t in texts), texts

    def test_how_long_without_a_duration_in_any_source_has_no_answer(self, seeds):
        # The seeds never say how long baclofen stays in the body; sentences
        # on withdrawal that name no time are no answer.
        assert ask(seeds, "How long does baclofen stay in your system?").answer == ()

    def test_how_something_is_treated_is_answered_about_that_thing(self, seeds):
        # The seeds say nothing on treating an overdose: "prescribed Baclofen
        # to treat neurological issues" treats something else.
        texts = [q.text for q in ask(seeds, "How is baclofen overdose treated?").answer]
        assert texts and not any("neurological issues" in t for t in texts), texts
        assert all("overdose" in t or "toxicity" in t for t in texts), texts
        # A sentence written under a heading naming what is treated answers.
        answer = ask(seeds, "What is the treatment for baclofen withdrawal?")
        texts = [q.text for q in answer.answer]
        approaches = "Treatment approaches consisted of reinstitution of baclofen alone in 10 cases"
        assert f"{approaches} (43.5%)." in texts, texts

    def test_the_drug_treating_something_does_not_answer_how_its_own_condition_is_treated(
        self, seeds
    ):
        # "Baclofen ... manage their withdrawals" from alcohol or opioids:
        # baclofen is what treats there, not whose withdrawal is treated.
        for question in (
            "How do doctors manage baclofen withdrawal?",
            "How is baclofen withdrawal treated?",
        ):
            texts = [q.text for q in ask(seeds, question).answer]
            assert texts, question
            assert not any("such as alcohol" in t or "alcohol abuse" in t for t in texts), texts
            assert not any(t.startswith("In order to maximize") for t in texts), texts
        # The drug named with the condition is still the condition's owner:
        # "reinstitution of baclofen" treats baclofen withdrawal.
        texts = [q.text for q in ask(seeds, "How is baclofen withdrawal treated?").answer]
        assert any(t.startswith("Treatment approaches consisted of") for t in texts), texts
        # "Use baclofen for the conditions it has been produced to manage"
        # names an overdose in another clause: it is not about treating one.
        texts = [q.text for q in ask(seeds, "How is baclofen overdose treated?").answer]
        assert not any(t.startswith("In order to maximize") for t in texts), texts

    def test_how_a_drug_works_is_answered_by_what_it_acts_on(self, seeds):
        # Not "at first it worked" from a reader's comment.
        texts = [q.text for q in ask(seeds, "How does baclofen work?").answer]
        assert texts and all("agonist" in t or "receptor" in t for t in texts), texts
        # The seeds never say how muscle relaxants in general work.
        assert ask(seeds, "How do muscle relaxants work?").answer == ()

    def test_when_something_happened_is_answered_only_with_a_date(self, seeds):
        # The seeds say baclofen was "initially created" for epilepsy, never when.
        assert ask(seeds, "When was baclofen first made?").answer == ()
        texts = [
            q.text for q in ask(seeds, "When did the review of baclofen withdrawal appear?").answer
        ]
        assert texts and all("December 2005" in t for t in texts), texts
        # "When should ..." may be answered by a circumstance.
        assert ask(seeds, "When should baclofen be avoided?").answer

    def test_words_that_only_join_or_grade_are_not_what_is_asked(self, seeds):
        # "while" and "too much" are not topic words: "And while Baclofen is
        # not an opioid ..." does not answer a question on pregnancy.
        texts = [q.text for q in ask(seeds, "Can I take baclofen while pregnant?").answer]
        assert texts and all("pregnan" in t for t in texts), texts
        texts = [q.text for q in ask(seeds, "How much baclofen is too much?").answer]
        assert not any("Using too much or mixing it" in t for t in texts), texts
        # "a tough one to battle" counts nothing.
        assert not any("a tough one" in t for t in texts), texts

    def test_a_heading_naming_what_every_page_names_adds_nothing(self, seeds):
        # "Baclofen" heads every page: "... the user is safe throughout
        # withdrawal" is not about baclofen in pregnancy.
        texts = [q.text for q in ask(seeds, "Is baclofen safe during pregnancy?").answer]
        assert len(texts) == 1 and "continued during pregnancy" in texts[0], texts

    def test_what_the_drug_may_cause_is_what_the_answer_names(self, seeds):
        texts = [q.text for q in ask(seeds, "Can baclofen cause hallucinations?").answer]
        assert texts and all("hallucinations" in t.lower() for t in texts), texts

    def test_what_causes_it_is_answered_with_causes(self, seeds):
        texts = [q.text for q in ask(seeds, "What causes baclofen withdrawal?").answer]
        assert (
            "Baclofen withdrawal is caused by the body building tolerance and becoming "
            "dependent on the substance." in texts
        ), texts
        assert "This is to avoid baclofen withdrawal." not in texts

    def test_asking_for_symptoms_quotes_symptoms(self, seeds):
        # Not a definition question: "is a muscle relaxer" is no answer here.
        texts = [q.text for q in ask(seeds, "What are the symptoms of baclofen withdrawal?").answer]
        psychiatric = "Psychiatric symptoms associated with baclofen withdrawal"
        assert any(t.startswith(psychiatric) for t in texts), texts
        assert not any("muscle relaxer" in t for t in texts), texts

    def test_the_corpus_synonyms_answer_for_the_words_asked(self, seeds):
        # "stop" / "discontinue" and "suddenly" / "abruptly" are in the embedded map.
        texts = [q.text for q in ask(seeds, "What happens if you stop baclofen suddenly?").answer]
        assert "A very abrupt stop to the treatment may result in an acute withdrawal." in texts

    def test_a_sentence_in_the_questions_own_words_is_preferred(self, seeds):
        # Every candidate holds "addict…"; only one says "addictive", as asked.
        texts = [q.text for q in ask(seeds, "Is baclofen addictive?").answer]
        assert any(t.startswith("Baclofen can be addictive because") for t in texts), texts

    def test_who_should_not_take_it_is_answered_with_advice_naming_whom(self, seeds):
        # Not names ("the DEA", "the Electronic Medicines Compendium"), as for "who said".
        texts = [q.text for q in ask(seeds, "Who should not take baclofen?").answer]
        assert texts == [
            "Therefore, healthcare professionals suggest not taking baclofen if you’ve ever had"
            " an allergic reaction to it.",
            "If you have severe psychiatric disorders, seizure disorders, sphincter hypertonia,"
            " liver disease, or diabetes mellitus, take baclofen with extreme caution.",
            "Baclofen may also not be right for you if you are already receiving"
            " antihypertensive therapy.",
        ]

    @pytest.mark.parametrize(
        "question", ["Can baclofen cause liver damage?", "Can baclofen cause diabetes?"]
    )
    def test_a_condition_the_reader_has_does_not_answer_what_it_causes(self, seeds, question):
        # Only "If you have … liver disease, or diabetes mellitus, take baclofen
        # with extreme caution" names them: no seed says baclofen causes either.
        assert ask(seeds, question).answer == ()

    def test_what_it_causes_is_still_answered(self, seeds):
        texts = [q.text for q in ask(seeds, "Can baclofen cause seizures?").answer]
        assert texts[0] == "Seizures, tremors, and muscle rigidity are also possible."
        assert not any(t.startswith("If you have") for t in texts)

    def test_brand_names(self, seeds):
        quote = first(seeds, "What are the brand names of baclofen?")
        assert (
            quote.text
            == "Baclofen is a prescription muscle relaxer and goes by brand names like Lioresal and Gablofen."
        )
        assert quote.source.title == "What you need to know about Baclofen"

    def test_a_list_comes_with_the_sentence_introducing_it(self, seeds):
        quote = first(seeds, "What are the signs of a baclofen overdose?")
        assert "These signs include:" in quote.text and "Pinpoint pupils" in quote.text

    def test_the_maximum_dose_is_answered_by_a_dose_with_its_limit_and_its_poster(self, seeds):
        # The seeds give a limit only in a reader's comment, in milligrams,
        # with neither "maximum" nor "dose".
        answer = ask(seeds, "What is the maximum dose of baclofen?").answer
        texts = [q.text for q in answer]
        limit = "Try not to go higher than 100 mg. a day, as you will develop a tolerance for them."
        assert limit in texts
        assert all(q.kind == "comment" and q.author == "Jeanne" for q in answer)

    def test_how_often_it_is_taken_is_answered_with_a_frequency(self, seeds):
        # Before: "Oftentimes, people will combine baclofen with ..." (the word
        # "often"); the seeds give only doses "a day" or "daily".
        texts = [q.text for q in ask(seeds, "How often should baclofen be taken?").answer]
        assert texts and all(" a day" in t or "daily" in t for t in texts), texts

    def test_the_kind_of_body_asked_for_is_not_a_word_the_answer_must_hold(self, seeds):
        # No page says "agency": "which agency" asks for a name, like "who".
        texts = [q.text for q in ask(seeds, "Which agency regulates baclofen?").answer]
        assert any("not regulated under the Controlled Substances Act" in t for t in texts)

    def test_who_makes_it_is_not_answered_by_any_name(self, seeds):
        # The seeds never name a maker; they do name the DEA and the NIH.
        assert ask(seeds, "Who makes baclofen?").answer == ()

    def test_misspelt_question_is_answered(self, seeds):
        answer = ask(seeds, "How long do withdrawl symptons last?")
        assert answer.answer and "one to two weeks" in answer.answer[0].text
        assert answer.corrected_question == "How long do withdrawal symptoms last?"

    def test_a_misspelt_question_word_is_read_after_correction(self, seeds):
        # "ofen" is corrected to "often": the question asks for a frequency,
        # not for sentences saying "Oftentimes, people will combine…".
        misspelt = ask(seeds, "How ofen should baclofen be taken?")
        assert misspelt.corrected_question == "How often should baclofen be taken?"
        assert misspelt.answer == ask(seeds, "How often should baclofen be taken?").answer
        assert misspelt.answer and not any("ften" in q.text for q in misspelt.answer)

    def test_a_question_spelt_right_is_not_corrected(self, seeds):
        assert ask(seeds, "How long do withdrawal symptoms last?").corrected_question is None

    @pytest.mark.parametrize(
        "question",
        ["What is the capital of France?", "Who won the 1998 football world cup?"],
    )
    def test_no_answer_when_no_source_says_it(self, seeds, question):
        assert ask(seeds, question).answer == ()

    def test_answers_are_verbatim_at_their_offsets(self, seeds):
        for question in (
            "Is baclofen a controlled substance?",
            "What was baclofen originally created for?",
            "What percentage of patients had visual hallucinations?",
        ):
            for quote in ask(seeds, question).answer:
                assert seeds.source_text(quote.source.path)[quote.start : quote.end] == quote.text
                assert quote.kind != "boilerplate"


def unrelated_pages(count: int) -> dict[str, str]:
    """Pages on something else, enough of them that the small corpus's
    topic words ("withdrawal", "drugx") are not words most pages share."""
    return {f"other{n}.txt": f"Tea number {n} is pleasant.\n" for n in range(count)}


class TestSmallCorpus:
    @pytest.fixture
    def ix(self, tmp_path):
        with make_index(
            tmp_path / "c",
            {
                "a.txt": (
                    "Withdrawal from the drug is unpleasant for many patients. "
                    "Symptoms of withdrawal usually last about ten days.\n"
                ),
                "b.txt": "Call 555-123-4567 today to ask how long withdrawal symptoms last for you!\n",
                "forum.txt": (
                    "My withdrawal symptoms lasted three weeks, which surprised my doctor.\n"
                    "Posted by: Ann 3/4/2010 10:00:00 AM\n"
                ),
            },
        ) as opened:
            yield opened

    def test_the_duration_sentence_beats_mere_word_overlap(self, ix):
        answer = ask(ix, "How long do withdrawal symptoms last?")
        texts = [q.text for q in answer.answer]
        assert "Symptoms of withdrawal usually last about ten days." in texts
        assert not any("unpleasant" in t for t in texts)

    def test_a_brand_name_is_answered_by_what_is_said_of_the_generic(self, tmp_path):
        with make_index(
            tmp_path / "brands",
            {
                "a.txt": "Drugx is not addictive at the usual dose.\n",
                "b.txt": "Tea is pleasant.\n",
                "synonyms.toml": 'groups = [["drugx", "Brandy"]]\n',
            },
        ) as ix:
            texts = [q.text for q in ask(ix, "Is Brandy addictive?").answer]
        assert texts == ["Drugx is not addictive at the usual dose."]

    @pytest.fixture
    def clonidine(self, tmp_path):
        with make_index(
            tmp_path / "clonidine",
            {
                "a.txt": "Clonidine is widely used to manage opioid withdrawal in clinics.\n",
                "b.txt": "Clonidine withdrawal is managed by tapering the dose over a week.\n",
                "c.txt": "Clonidine lowers blood pressure.\n",
                **unrelated_pages(5),
            },
        ) as opened:
            yield opened

    def test_what_a_drug_treats_is_told_from_how_its_own_withdrawal_is_treated(self, clonidine):
        texts = [q.text for q in ask(clonidine, "How is clonidine withdrawal managed?").answer]
        assert texts == ["Clonidine withdrawal is managed by tapering the dose over a week."]

    def test_a_heading_naming_more_than_what_is_treated_is_no_error(self, clonidine):
        # The title of b.txt names "managed", a question word that is not
        # among the words naming what is treated (opioid withdrawal).
        texts = [q.text for q in ask(clonidine, "How is opioid withdrawal managed?").answer]
        assert texts == ["Clonidine is widely used to manage opioid withdrawal in clinics."]

    @pytest.fixture
    def doses(self, tmp_path):
        with make_index(
            tmp_path / "doses",
            {
                "label.txt": (
                    "Drugx is started at 5 mg three times a day. The dose is raised every "
                    "three days. Adults should take no more than 80 mg a day.\n"
                ),
                "maker.txt": (
                    "Drugx is manufactured by Acme Pharma in Leeds. Drugx tablets are white.\n"
                ),
                "news.txt": "Drugx was praised by Jane Smith, a nurse, for its low price.\n",
                "use.txt": (
                    "Drugx is often prescribed after surgery. Drugx is taken twice a day "
                    "with food.\n"
                ),
                **unrelated_pages(4),
            },
        ) as opened:
            yield opened

    def test_a_maximum_is_a_dose_given_as_a_limit(self, doses):
        texts = [q.text for q in ask(doses, "What is the maximum dose of drugx?").answer]
        assert texts == ["Adults should take no more than 80 mg a day."]

    def test_how_often_is_a_frequency_not_the_word_often(self, doses):
        texts = [q.text for q in ask(doses, "How often is drugx taken?").answer]
        assert set(texts) == {
            "Drugx is taken twice a day with food.",
            "Drugx is started at 5 mg three times a day.",
        }

    def test_a_maker_is_a_sentence_saying_who_makes_it(self, doses):
        for question in ("Who makes drugx?", "Which company manufactures drugx?"):
            texts = [q.text for q in ask(doses, question).answer]
            assert texts == ["Drugx is manufactured by Acme Pharma in Leeds."], question

    def test_boilerplate_never_answers(self, ix):
        assert all(
            q.kind != "boilerplate" for q in ask(ix, "How long do withdrawal symptoms last?").answer
        )

    def test_a_comment_is_cited_as_the_posters_words(self, ix):
        quote = next(
            q
            for q in ask(ix, "How long do withdrawal symptoms last?").answer
            if q.kind == "comment"
        )
        assert quote.author == "Ann"
        assert (
            quote.cited_as()
            == "Ann, 2010-03-04, on My withdrawal symptoms lasted three weeks, which surprised my doctor."
        )


@pytest.mark.parametrize(
    "question, kind",
    [
        ("How long does it last?", "duration"),
        ("How many patients were treated?", "number"),
        ("What is the maximum dose of baclofen?", "limit"),
        ("What is the max daily dosage?", "limit"),
        ("How much baclofen is too much?", "limit"),
        ("How much baclofen should I take?", "number"),
        ("How often should baclofen be taken?", "frequency"),
        ("How many times a day do I use it?", "frequency"),
        ("How often do withdrawal hallucinations occur?", "number"),
        ("Who makes baclofen?", "maker"),
        ("Which company manufactures it?", "maker"),
        ("Who invented baclofen?", "maker"),
        ("Who made the claim?", "person"),
        ("Who developed hallucinations after stopping?", "person"),
        ("Who reviewed the cases?", "person"),
        ("How is baclofen overdose treated?", "treatment"),
        ("What is the treatment for baclofen withdrawal?", "treatment"),
        ("How do doctors manage withdrawal?", "treatment"),
        ("Can baclofen treat alcohol dependence?", None),
        ("Who should not take baclofen?", "caution"),
        ("Who shouldn't use it?", "caution"),
        ("Who can't take it?", "caution"),
        ("Who cannot be given baclofen?", "caution"),
        ("Who should avoid it?", "caution"),
        ("Is baclofen contraindicated in epilepsy?", "caution"),
        ("When was it approved?", "date"),
        ("Why is it dangerous?", "reason"),
        ("What causes withdrawal?", "cause"),
        ("How does baclofen work?", "mechanism"),
        ("How do muscle relaxants work?", "mechanism"),
        ("What is the mechanism of action of baclofen?", "mechanism"),
        ("What does baclofen do in the brain?", "mechanism"),
        ("How does baclofen withdrawal start?", None),
        ("What is baclofen?", "definition"),
        ("What is baclofen used for?", "definition"),
        ("What are the symptoms of baclofen withdrawal?", None),
        ("Is baclofen addictive?", None),
    ],
)
def test_question_types(question, kind):
    assert question_type(question) == kind


class TestCli:
    def test_json_contract(self, seed_index):
        result = CliRunner().invoke(
            cli,
            ["ask", "What are the brand names of baclofen?", "--index", str(seed_index), "--json"],
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert set(data) == {
            "question",
            "corrected_question",
            "answer",
            "contested",
            "sides",
            "hits",
            "provenance",
        }
        assert data["corrected_question"] is None
        quote = data["answer"][0]
        assert set(quote) == {
            "text",
            "sha256",
            "start",
            "end",
            "passage_id",
            "kind",
            "author",
            "date",
            "source",
            "attributed_to",
        }
        assert set(quote["source"]) == {"path", "title", "url", "publisher"}
        text = (SEEDS / quote["source"]["path"]).read_text(encoding="utf-8")
        assert text[quote["start"] : quote["end"]] == quote["text"]
        assert data["hits"] and "highlights" in data["hits"][0]

    def test_plain_output_numbers_citations(self, seed_index):
        result = CliRunner().invoke(
            cli, ["ask", "What are the brand names of baclofen?", "--index", str(seed_index)]
        )
        assert "goes by brand names like Lioresal and Gablofen.” [1]" in result.stdout
        assert (
            "[1] What you need to know about Baclofen — 003_1957af6f8275ef46.txt:1 (003_1957af6f8275ef46.txt#7a01325f50)"
            in result.stdout
        )

    def test_a_second_hand_source_is_credited_with_the_page_quoting_it(self, seed_index, tmp_path):
        question = "What are the symptoms of advanced baclofen withdrawal?"
        page = tmp_path / "answer.html"
        args = ["ask", question, "--index", str(seed_index)]
        data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
        (quote,) = [q for q in data["answer"] if q["text"].startswith("Symptoms of advanced")]
        assert quote["attributed_to"] == "The baclofen website"
        result = CliRunner().invoke(cli, [*args, "--html", str(page)])
        credit = "The baclofen website (per What is Baclofen?) — 002_229e0e8f8ee221a5.txt:4"
        assert credit in result.stdout
        page_text = page.read_text(encoding="utf-8")
        assert "— The baclofen website (per What is Baclofen?)" in page_text

    def test_a_corrected_question_is_said(self, seed_index):
        args = ["ask", "How ofen is it taken?", "--index", str(seed_index)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[:2] == [
            "Q: How ofen is it taken?",
            'Answering "How often is it taken?" (you typed "How ofen is it taken?")',
        ]

    def test_no_correct_answers_the_question_as_typed(self, seed_index):
        args = ["ask", "How ofen is it taken?", "--no-correct", "--json"]
        result = CliRunner().invoke(cli, [*args, "--index", str(seed_index)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["corrected_question"] is None

    def test_no_answer_exits_zero_and_says_so(self, seed_index):
        result = CliRunner().invoke(
            cli, ["ask", "What is the capital of France?", "--index", str(seed_index)]
        )
        assert result.exit_code == 0
        assert "No source in the corpus answers this question." in result.stdout
        data = json.loads(
            CliRunner()
            .invoke(
                cli, ["ask", "What is the capital of France?", "--index", str(seed_index), "--json"]
            )
            .stdout
        )
        assert data["answer"] == []


class TestLongClaims:
    """A long claim is paraphrased by the sources that answer it, rarely
    repeated: a sentence holding less of its words answers it."""

    ABSTRACTS = {
        "trial.txt": (
            "Vitamin K and fractures\n\n"
            "We randomised 900 postmenopausal women to vitamin K2 or placebo for three years. "
            "Vitamin K2 supplementation was associated with fewer vertebral fractures among "
            "the treated women. Adverse events were rare in both arms.\n"
        ),
        "cohort.txt": (
            "Coffee and sleep\n\n"
            "Among 3,000 office workers, coffee after noon shortened sleep by twenty minutes. "
            "Tea drinkers slept as long as those who drank neither.\n"
        ),
    }
    CLAIM = (
        "Daily vitamin K2 supplements reduce the rate of spine fractures among "
        "older women after menopause"
    )

    def test_a_paraphrase_answers_a_long_claim(self, tmp_path):
        with make_index(tmp_path, self.ABSTRACTS) as ix:
            quotes = ask(ix, self.CLAIM).answer
        assert quotes and quotes[0].source.path == "trial.txt"
        assert quotes[0].text.startswith("Vitamin K2 supplementation was associated")

    def test_a_long_claim_no_source_speaks_to_has_no_answer(self, tmp_path):
        with make_index(tmp_path, self.ABSTRACTS) as ix:
            claim = "Nightly melatonin tablets shorten jet lag among airline pilots on long routes"
            assert ask(ix, claim).answer == ()

    def test_short_questions_keep_the_stricter_share(self):
        assert min_coverage("Is baclofen addictive?") == 0.5
        assert min_coverage(self.CLAIM) < 0.5
        # (the answer above repeats 0.41 of the claim's weighted words)

    def test_best_coverage_is_what_ask_holds_against_its_share(self, tmp_path):
        far = "Nightly melatonin tablets shorten jet lag among airline pilots on long routes"
        with make_index(tmp_path, self.ABSTRACTS) as ix:
            for claim, answered in ((self.CLAIM, True), (far, False)):
                passages = [hit.passage for hit in ask(ix, claim).hits]
                held = best_coverage(ix, claim, passages)
                assert (held >= min_coverage(claim)) is answered, (claim, held)


def test_is_it_true_that_is_answered_as_its_claim_and_only_the_claim_corrected(tmp_path):
    # The folder has "truce" and no "true": "true" is no misspelling of it.
    files = {
        "a.txt": "A truce was agreed between the two armies on Monday.\n",
        "b.txt": "No truce was agreed between the two armies, officials said.\n",
    }
    with make_index(tmp_path / "truce", files) as ix:
        answer = ask(ix, "Is it true that a truce was agreed between the armies?")
        assert answer.corrected_question is None
        assert {q.source.path for q in answer.answer} == {"a.txt", "b.txt"}


LEAFLET = {
    "leaflet.md": "# Paracetamol for adults\n\n## Paracetamol in pregnancy\n\nA study found "
    "that children whose mothers used paracetamol for 28 days or more had more ADHD.\n\n"
    "## How much to take\n\nThe usual dose is one or two 500mg tablets up to 4 times in 24 "
    "hours. Do not take more than 8 tablets (4,000mg) in 24 hours.\n",
    "news.md": "# Painkillers\n\nPharmacists sell paracetamol in packs of 16 tablets.\n",
}


@pytest.mark.parametrize(
    "question",
    ["What is the maximum daily dose of paracetamol?", "How much paracetamol can I take in a day?"],
)
def test_a_daily_figure_is_found_however_a_day_is_written(tmp_path, question):
    with make_index(tmp_path, LEAFLET) as ix:
        answer = ask(ix, question)
    assert answer.answer
    assert "in 24 hours" in answer.answer[0].text
    assert all("28 days" not in q.text for q in answer.answer)


RUMOUR = {
    "tabloid.md": "# Gadget fears\n\nWorried parents are ditching their air fryers after claims "
    "that air fryers cause asthma in children, it has been reported.\n",
    "factcheck.md": "# Fact check\n\nA viral video claims that air fryers cause asthma in "
    "children. Doctors say air fryers do not cause asthma in children.\n",
    "other.md": "# Kitchens\n\nOvens are popular in small kitchens.\n",
}


def test_a_sentence_saying_it_comes_before_one_reporting_a_claim(tmp_path):
    with make_index(tmp_path, RUMOUR) as ix:
        answer = ask(ix, "Do air fryers cause asthma in children?")
    assert answer.answer[0].text == "Doctors say air fryers do not cause asthma in children."
