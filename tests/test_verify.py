"""`verify`: the audit's rules deciding SUPPORT / CONTRADICT for one claim, and
the SciFact claims benchmark run (a smoke test: figures are never asserted)."""

from __future__ import annotations

import dataclasses

import pytest

from benchmarks.claims import DEFAULT_DATA, LABELS, load_pairs, run, scores
from search.claims.language import direction, negated, opposed
from search.claims.verify import CONTRADICT, SUPPORT, Verdict, verify


class TestDecisions:
    def test_negation(self):
        verdict = verify(
            "Bone marrow cells contribute to adult macrophage compartments.",
            [
                "Macrophages are found in every tissue.",
                "Bone marrow cells did not contribute to adult macrophage compartments after transplantation.",
            ],
        )
        assert (verdict.label, verdict.evidence) == (CONTRADICT, 1)
        assert verdict.reason.startswith("negation:")

    def test_a_denying_claim_against_an_affirming_sentence(self):
        verdict = verify(
            "Gene expression does not vary across genetically identical cells.",
            ["Gene expression varies markedly across genetically identical cells."],
        )
        assert verdict.label == CONTRADICT and verdict.reason.startswith("negation:")

    def test_antonym(self):
        verdict = verify(
            "Chenodeoxycholic acid treatment reduces whole-body energy expenditure.",
            ["Whole-body energy expenditure was increased upon chenodeoxycholic acid treatment."],
        )
        assert (verdict.label, verdict.evidence) == (CONTRADICT, 0)
        assert "antonym" in verdict.reason and "reduces" in verdict.reason

    def test_a_denied_opposite_is_agreement(self):
        verdict = verify(
            "Aspirin increases bleeding risk after surgery.",
            ["Aspirin did not decrease bleeding risk after surgery."],
        )
        assert verdict.label == SUPPORT

    def test_quantity(self):
        verdict = verify(
            "Withdrawal symptoms last about 2 days.",
            ["Withdrawal symptoms last for 3 to 6 weeks."],
        )
        assert verdict.label == CONTRADICT and verdict.reason.startswith("quantity:")

    def test_support(self):
        verdict = verify(
            "CX3CR1 signaling promotes Th2 cell survival in inflamed lungs.",
            ["We found that CX3CR1 signaling promoted T helper 2 cell survival in the inflamed lungs."],
        )
        assert (verdict.label, verdict.evidence) == (SUPPORT, 0)
        assert verdict.reason.startswith("agreement:")

    def test_nothing_on_the_aspect_supports_by_default(self):
        verdict = verify("Vitamin D prevents fractures.", ["The weather was fine."])
        assert (verdict.label, verdict.evidence) == (SUPPORT, None)

    def test_a_negation_elsewhere_is_not_a_denial(self):
        verdict = verify(
            "Metformin lowers blood glucose.",
            ["Although not all patients responded, metformin lowers blood glucose in most."],
        )
        assert verdict.label == SUPPORT

    def test_the_verdict_is_read_from_the_sentences_nearest_the_claim(self):
        # An abstract's background refutes and asks about other things; its
        # finding is what the claim is checked against.
        verdict = verify(
            "Drug X lowers blood pressure in adults with hypertension.",
            [
                "Can the condition be treated without side effects?",
                "Earlier drugs were ineffective, and some were withdrawn as unsafe.",
                "We enrolled 400 adults with hypertension.",
                "In our trial, drug X lowered blood pressure in adults with hypertension.",
                "Myths about salt are common, and many claims about diet are false.",
            ],
        )
        assert (verdict.label, verdict.evidence) == (SUPPORT, 3)

    def test_verdict_is_frozen(self):
        verdict = verify("X causes Y.", ["X causes Y."])
        assert isinstance(verdict, Verdict)
        with pytest.raises(dataclasses.FrozenInstanceError):
            verdict.label = CONTRADICT  # type: ignore[misc]


class TestLanguageHelpers:
    def test_direction_axes(self):
        assert direction("reduces") == ("amount", "down")
        assert direction("elevated") == ("amount", "up")
        assert direction("moreover") is None and direction("more") == ("amount", "up")
        assert direction("ineffective") == ("value", "down")
        assert opposed("raises", "reduced") and opposed("better", "poor")
        assert not opposed("higher", "increased") and not opposed("poor", "higher")

    def test_fails_to_and_not_only(self):
        text = "The treatment failed to reduce mortality."
        assert negated(text, text.index("reduce"))
        text = "Failed punctures reduce mortality."
        assert not negated(text, text.index("reduce"))
        text = "It is not only safe but effective."
        assert not negated(text, text.index("safe"))

    def test_lacking_is_not_a_negation(self):
        text = "Mice lacking Lyn develop nephritis."
        assert not negated(text, text.index("develop"))


def test_scores_by_hand():
    gold = [SUPPORT, SUPPORT, CONTRADICT, CONTRADICT]
    result = scores(gold, [SUPPORT, CONTRADICT, CONTRADICT, SUPPORT])
    assert result["accuracy"] == 0.5
    assert result["macro_f1"] == pytest.approx(0.5)
    baseline = scores(gold, [SUPPORT] * 4)
    assert baseline["per_class"][CONTRADICT]["f1"] == 0.0
    assert baseline["macro_f1"] == pytest.approx((2 / 3) / 2)


@pytest.mark.skipif(
    not (DEFAULT_DATA / "claims_dev.jsonl").exists(),
    reason=f"SciFact claims data not found at {DEFAULT_DATA}",
)
def test_benchmark_smoke_on_the_first_dev_pairs():
    pairs = load_pairs(DEFAULT_DATA, "dev", limit=20)
    assert len(pairs) == 20
    result = run(pairs)
    assert result["n"] == 20 == sum(result["gold"].values())
    assert set(result["gold"]) <= set(LABELS)
    for system in result["systems"].values():
        assert system["n"] == 20 == sum(system["predicted"].values())
        assert 0.0 <= system["accuracy"] <= 1.0 and 0.0 <= system["macro_f1"] <= 1.0
        assert sum(c["support"] for c in system["per_class"].values()) == 20
        for c in system["per_class"].values():
            assert all(0.0 <= c[k] <= 1.0 for k in ("precision", "recall", "f1"))
    assert sum(result["decided_by"].values()) == 20


def test_agent_nouns_are_not_directions():
    assert direction("inhibitors") is None and direction("promoter") is None
    assert direction("inhibits") == ("amount", "down")
