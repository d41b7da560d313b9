"""Splitting documents into passages: offsets, order, kinds, comments."""

from __future__ import annotations

import codecs
import json

import pytest
from click.testing import CliRunner

from indexer.errors import UnreadableDocument
from indexer.ids import text_hash
from indexer.reading.html import HtmlLoader
from indexer.reading.loaders import SUPPORTED_SUFFIXES, loader_for
from indexer.reading.passages import split_passages
from indexer.reading.plain import MarkdownLoader, TextLoader
from indexer.reading.signatures import parse_date, parse_signature
from indexer.text import decode, sentence_spans
from search.present.cli import cli

from .conftest import SEEDS, make_index, write_corpus

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def split_file(path, max_chars=600):
    extracted = loader_for(path.suffix).load(path.read_bytes())
    return extracted, split_passages(extracted, path.name, max_chars)


def by_text(passages, needle):
    found = [p for p in passages if needle in p.text]
    assert found, f"no passage contains {needle!r}"
    return found[0]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
class TestSeedInvariants:
    def test_passages_are_verbatim_at_their_offsets(self, path):
        """source_text[start:end] is exactly the passage text, for every passage."""
        extracted, passages = split_file(path)
        assert passages
        for p in passages:
            assert extracted.text[p.start : p.end] == p.text
            assert p.text == p.text.strip()

    def test_txt_text_is_the_decoded_file(self, path):
        extracted, _ = split_file(path)
        assert extracted.text == path.read_text(encoding="utf-8")

    def test_passages_are_in_order_and_do_not_overlap(self, path):
        _, passages = split_file(path)
        for before, after in zip(passages, passages[1:], strict=False):
            assert before.end <= after.start

    def test_ids_are_the_path_and_a_hash_of_the_text(self, path):
        _, passages = split_file(path)
        ids = [p.passage_id for p in passages]
        assert ids == [f"{path.name}#{text_hash(p.text)}" for p in passages]
        assert len(set(ids)) == len(ids)

    def test_line_is_the_line_of_the_first_character(self, path):
        extracted, passages = split_file(path)
        for p in passages:
            assert extracted.text.count("\n", 0, p.start) + 1 == p.line

    def test_windows_stay_under_the_bound_unless_one_sentence(self, path):
        _, passages = split_file(path, max_chars=200)
        for p in passages:
            assert len(p.text) <= 200 or len(p.sentences) == 1


class TestSentences:
    def test_decimal_numbers_and_abbreviations_do_not_end_sentences(self):
        text = "The time was 42.9 hours, per Raphael J. Leo, M.D. in the U.S. study. Next one."
        spans = [text[a:b] for a, b in sentence_spans(text)]
        assert spans == [
            "The time was 42.9 hours, per Raphael J. Leo, M.D. in the U.S. study.",
            "Next one.",
        ]

    def test_missing_space_after_full_stop_still_splits(self):
        text = "anxiety (13.0%).The time to complete resolution was long."
        assert [text[a:b] for a, b in sentence_spans(text)] == [
            "anxiety (13.0%).",
            "The time to complete resolution was long.",
        ]

    def test_the_number_of_a_numbered_item_does_not_end_a_sentence(self):
        text = "1. Lower the dose. Wait a week.\n12. Stop.\nStep 2. Rest. Then 3. Go."
        assert [text[a:b] for a, b in sentence_spans(text)] == [
            "1. Lower the dose.", "Wait a week.", "12. Stop.", "Step 2.", "Rest.", "Then 3.", "Go.",
        ]

    def test_sentences_are_never_cut_by_packing(self):
        extracted, passages = split_file(SEEDS / "004_f2d979fd49bf137b.txt", max_chars=100)
        target = "The time to complete resolution of psychiatric symptoms after treatment was 42.9 hours, with a range of 4 to 72 hours."
        assert any(target in p.text for p in passages)


class TestKinds:
    def test_forum_comments_are_attributed_to_their_posters(self):
        _, passages = split_file(SEEDS / "004_f2d979fd49bf137b.txt")
        jason = by_text(passages, "i suffer from myclonus")
        assert (jason.kind, jason.author, jason.date) == ("comment", "Jason", "2006-11-20T02:33:10")
        jeanne = by_text(passages, "Didn't sleep for 23 days straight")
        assert (jeanne.kind, jeanne.author, jeanne.date) == ("comment", "Jeanne", "2008-01-04T03:12:10")
        matthew = by_text(passages, "paralyzed from chest down")
        assert (matthew.author, matthew.date) == ("matthew", "2007-04-30T06:36:58")

    def test_the_article_above_the_first_comment_is_content(self):
        _, passages = split_file(SEEDS / "004_f2d979fd49bf137b.txt")
        review = by_text(passages, "42.9 hours")
        assert (review.kind, review.author, review.date) == ("content", None, None)

    @pytest.mark.parametrize(
        "file, needle",
        [
            ("002_229e0e8f8ee221a5.txt", "352.771.2700"),
            ("002_229e0e8f8ee221a5.txt", "Medical Disclaimer"),
            ("001_a426a29352d06d7c.txt", "verify your health insurance benefits"),
            ("001_a426a29352d06d7c.txt", "Cevapla"),
            ("004_f2d979fd49bf137b.txt", "Post Your Comments"),
            ("004_f2d979fd49bf137b.txt", "Verification Code:"),
            ("004_f2d979fd49bf137b.txt", "About TOL | Contact Us"),
            ("004_f2d979fd49bf137b.txt", "Sexual Addiction"),
            ("003_1957af6f8275ef46.txt", "Contact us today"),
        ],
    )
    def test_boilerplate_is_recognised(self, file, needle):
        _, passages = split_file(SEEDS / file)
        assert by_text(passages, needle).kind == "boilerplate"

    @pytest.mark.parametrize(
        "file, needle",
        [
            ("001_a426a29352d06d7c.txt", "the dose should be reduced slowly"),
            ("001_a426a29352d06d7c.txt", "the DEA does not consider baclofen"),
            ("001_a426a29352d06d7c.txt", "it is not on the list of controlled substances"),
            ("003_1957af6f8275ef46.txt", "brand names like Lioresal and Gablofen"),
        ],
    )
    def test_claims_mixed_with_boilerplate_stay_content(self, file, needle):
        """A paragraph mixing a claim and an insurance notice is split by sentence."""
        _, passages = split_file(SEEDS / file)
        passage = by_text(passages, needle)
        assert passage.kind == "content"
        assert "insurance" not in passage.text

    @pytest.mark.parametrize(
        "sentence, kind",
        [
            ("Call your doctor right away if you have a seizure after stopping baclofen.", "content"),
            ("Contact your healthcare provider before changing the dose.", "content"),
            ("Call 911 if someone has taken too much baclofen.", "content"),
            ("Call the poison control center if an overdose is suspected.", "content"),
            ("Contact dermatitis was reported in two patients.", "content"),
            ("Contact with the skin may cause irritation.", "content"),
            ("Contact us today to speak with an admissions navigator.", "boilerplate"),
            ("Call now for a free, confidential assessment.", "boilerplate"),
            ("Contact Zinnia Health and learn more about the programs we offer.", "boilerplate"),
        ],
    )
    def test_advice_to_call_a_clinician_is_not_a_call_to_action(self, sentence, kind):
        extracted = TextLoader().load(f"Baclofen notes\n\n{sentence}\n".encode())
        (passage,) = split_passages(extracted, "n.txt", 600)
        assert passage.kind == kind

    def test_headings_become_sections(self):
        _, passages = split_file(SEEDS / "003_1957af6f8275ef46.txt")
        assert by_text(passages, "Because Baclofen relieves pain").section == (
            "Symptoms of Baclofen Use and Abuse"
        )

    def test_a_list_stays_with_the_line_introducing_it(self):
        _, passages = split_file(SEEDS / "003_1957af6f8275ef46.txt")
        overdose = by_text(passages, "These signs include:")
        assert "Pinpoint pupils" in overdose.text


CHROME_PAGE = """<html><head><title>Gabapentin and snacks</title></head>
<body class="cookies-set nav-open">
<div id="cookie-banner" class="cookie-consent">We value your privacy. By continuing to browse
you agree to cookies. <a href="/privacy">Privacy</a> <button>Accept</button></div>
<div class="menu"><a href="/">News</a> <a href="/health">Health</a> <a href="/s">Subscribe</a></div>
<ol class="breadcrumb"><li>Forums</li><li>Medications</li><li>Gabapentin</li></ol>
<div class="page-wrapper nav-open">
<h1>Gabapentin and snacks</h1>
<p>Gabapentin can be taken with or without food, such as crackers or cookies.</p>
<p>Powered by a steady dose, patients slept better in the trial.</p>
<section id="informed-consent"><p>Informed consent was obtained from all 40 patients.</p></section>
<p class="disclaimer">Always consult your doctor.</p>
</div>
</body></html>"""


class TestSiteChrome:
    """The site's chrome is boilerplate, never an answer; the page's text is not."""

    def test_elements_marked_as_chrome_are_boilerplate(self, tmp_path):
        """A cookie banner, a menu, breadcrumbs and a disclaimer, by their id
        or class; not the wrapper of the whole page ("nav-open"), nor a
        section on informed consent."""
        with make_index(tmp_path, {"page.html": CHROME_PAGE}) as ix:
            kinds = {p.text: p.kind for p in ix.passages("page.html")}
        assert kinds == {
            "We value your privacy. By continuing to browse you agree to cookies. Privacy":
                "boilerplate",
            "News Health Subscribe": "boilerplate",
            "Forums": "boilerplate",
            "Medications": "boilerplate",
            "Gabapentin": "boilerplate",
            "Gabapentin can be taken with or without food, such as crackers or cookies.":
                "content",
            "Powered by a steady dose, patients slept better in the trial.": "content",
            "Informed consent was obtained from all 40 patients.": "content",
            "Always consult your doctor.": "boilerplate",
        }

    SENTENCES = {
        "This site uses cookies.": "boilerplate",
        "We use cookies to improve your experience.": "boilerplate",
        "Read our cookie policy for details.": "boilerplate",
        "Powered by phpBB®": "boilerplate",
        "Proudly powered by WordPress": "boilerplate",
        "Forums » Medications » Gabapentin": "boilerplate",
        "Home > Drugs A–Z > Gabapentin": "boilerplate",
        "Moderator note: this forum does not provide medical advice.": "boilerplate",
        "Eating cookies and cake raises blood sugar in people on gabapentin.": "content",
        "We use cookies as a treat after each injection.": "content",
        "The pump is powered by a battery that lasts five years.": "content",
        "Powered by gabapentin, I finally slept through the night.": "content",
        "The rank order of potency was pregabalin > gabapentin > placebo.": "content",
        "Pharmacists do not give medical advice by email.": "content",
        "Always consult your doctor.": "content",
    }

    def test_chrome_sentences_are_boilerplate_and_claims_are_not(self, tmp_path):
        """Sentences about the site's cookies, "Powered by X" lines,
        breadcrumb lines and a forum disclaiming medical advice, even in
        plain text; but not cookies the food, a drug or pump that powers
        something, a ranking with ">", or a bare "Always consult your doctor"
        (advice to see a clinician stays a claim, as for "Call your doctor")."""
        text = "Gabapentin notes\n\n" + "\n\n".join(self.SENTENCES) + "\n"
        with make_index(tmp_path, {"notes.txt": text}) as ix:
            kinds = {p.text: p.kind for p in ix.passages("notes.txt")}
        assert kinds == self.SENTENCES

    def test_ask_never_answers_with_the_cookie_banner(self, tmp_path):
        page = (
            '<body><div class="cookie-notice">This site uses cookies. <a href="#">OK</a></div>'
            "<h1>Gabapentin</h1><p>Gabapentin is a Schedule V drug in some states.</p></body>"
        )
        corpus = write_corpus(tmp_path / "c", {"page.html": page})
        index = str(tmp_path / "ix")
        assert CliRunner().invoke(cli, ["index", str(corpus), "--index", index]).exit_code == 0
        result = CliRunner().invoke(
            cli, ["ask", "Does the site use cookies?", "--index", index, "--json"]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["answer"] == [], result.output


class TestSignatures:
    @pytest.mark.parametrize(
        "line, expected",
        [
            ("Posted by: Jason 11/20/2006 2:33:10 AM", ("Jason", "2006-11-20T02:33:10")),
            ("Posted by Anna on March 3, 2019 at 4:05 pm", ("Anna", "2019-03-03T16:05:00")),
            ("Submitted by: Bob - 2020-01-02", ("Bob", "2020-01-02")),
            ("Posted by: Dr. Who", ("Dr. Who", None)),
            ("Posted to the forum yesterday", None),
        ],
    )
    def test_signature_lines(self, line, expected):
        assert parse_signature(line) == expected

    def test_unparseable_date_is_none(self):
        assert parse_date("13/45/2006") is None


class TestFormats:
    @pytest.mark.parametrize(
        "suffix, loader",
        [(".txt", TextLoader), (".TEXT", TextLoader), (".md", MarkdownLoader),
         (".Markdown", MarkdownLoader), (".html", HtmlLoader), (".HTM", HtmlLoader)],
    )
    def test_each_supported_suffix_has_its_loader_in_any_case(self, suffix, loader):
        assert type(loader_for(suffix)) is loader
        assert suffix.lower() in SUPPORTED_SUFFIXES

    def test_other_suffixes_have_no_loader(self):
        assert loader_for(".pdf") is None
        assert loader_for("") is None

    def test_html_drops_chrome_and_keeps_the_article(self):
        page = b"""<!doctype html><html><head><title>Baclofen facts</title>
        <link rel="canonical" href="https://example.org/baclofen">
        <meta property="og:site_name" content="Example Health">
        <style>p { color: red }</style><script>var secret = 1;</script></head>
        <body><header><nav><a href="/">Home</a> | <a href="/a">About</a></nav></header>
        <article><h1>Baclofen</h1><p>Baclofen is a <b>muscle relaxant</b>.</p>
        <h2>Signs of overdose</h2><p>These signs include:</p>
        <ul><li>Vomiting</li><li>Drowsiness</li></ul></article>
        <form>Email Address: <input name=e></form><footer>Copyright 2024</footer>
        </body></html>"""
        extracted = HtmlLoader().load(page)
        assert extracted.title == "Baclofen facts"
        assert extracted.url == "https://example.org/baclofen"
        assert extracted.publisher == "Example Health"
        for hidden in ("secret", "color: red", "Home", "Email Address", "Copyright"):
            assert hidden not in extracted.text
        passages = split_passages(extracted, "page.html")
        relaxant = by_text(passages, "muscle relaxant")
        assert relaxant.text == "Baclofen is a muscle relaxant."
        assert relaxant.section == "Baclofen"
        overdose = by_text(passages, "Vomiting")
        assert "These signs include:" in overdose.text and overdose.section == "Signs of overdose"
        for p in passages:
            assert extracted.text[p.start : p.end] == p.text

    def test_html_that_leaves_its_head_open_keeps_its_body(self):
        # HTML5 lets a page omit </head>; html.parser then nests the body in it.
        page = b"""<!DOCTYPE html><html lang=en><head><meta charset=utf-8>
        <title>Baclofen FAQ</title><base href="https://example.org/">
        <style>p { color: red }</style><script>var secret = 1;</script>
        <body><h1>Baclofen FAQ</h1>
        <p>Withdrawal symptoms usually last one to two weeks.
        <p>The maximum dose is 80 mg a day."""
        extracted = HtmlLoader().load(page)
        assert extracted.title == "Baclofen FAQ"
        assert extracted.text == (
            "Baclofen FAQ\n\nWithdrawal symptoms usually last one to two weeks."
            "\n\nThe maximum dose is 80 mg a day."
        )
        assert extracted.notes == []

    def test_html_without_title_uses_first_heading(self):
        extracted = HtmlLoader().load(b"<body><h2>Dosage</h2><p>Take it slowly.</p></body>")
        assert extracted.title == "Dosage"

    def test_unclosed_html_still_reads(self):
        extracted = HtmlLoader().load(b"<div><p>First claim. <p>Second claim<div><span>third")
        assert "First claim." in extracted.text and "third" in extracted.text

    def test_markdown_headings_are_sections_and_offsets_point_into_the_file(self):
        text = "# Baclofen\n\nIntro line that is\nwrapped over two lines.\n\n## Dosing\n\n- Start low.\n- Go slow.\n"
        extracted = MarkdownLoader().load(text.encode())
        assert extracted.title == "Baclofen"
        assert extracted.text == text
        passages = split_passages(extracted, "a.md")
        intro = by_text(passages, "Intro line")
        assert intro.text == "Intro line that is\nwrapped over two lines."
        assert intro.section == "Baclofen"
        assert by_text(passages, "Go slow.").section == "Dosing"

    def test_a_markdown_list_stays_with_the_paragraph_introducing_it(self):
        text = "# Drugy\n\nDrugy is a medicine. Its side effects include:\n\n* Rash\n* Drowsiness\n"
        passages = split_passages(MarkdownLoader().load(text.encode()), "b.md")
        assert [p.text for p in passages] == [
            "Drugy is a medicine. Its side effects include:\n\n* Rash\n* Drowsiness"
        ]

    def test_hard_wrapped_text_joins_lines_into_sentences(self):
        text = (
            "Baclofen is a muscle relaxant that has been prescribed for many years to\n"
            "people with spasticity. It is taken by mouth.\n"
        )
        extracted = TextLoader().load(text.encode())
        passages = split_passages(extracted, "w.txt")
        assert len(passages) == 1 and passages[0].text == text.strip()


class TestDecoding:
    def test_cp1252_is_detected(self):
        text, encoding = decode("Caf\u00e9 cr\u00e8me \u2013 the 1990\u2019s were long ago, weren\u2019t they.".encode("cp1252"))
        assert "Café crème" in text
        assert encoding != "utf-8"

    @pytest.mark.parametrize(
        "text",
        [
            "Baclofen overdose causes coma.\nPosted by: Jürgen 1/2/2010\n",
            "Baclofen dose 10 mg. Señora Muñoz says it helps.\n",
            "Baclofen withdrawal lasted two weeks for me.\n\nPosted by: François 3/4/2011\n",
            "Baclofen café résumé “smart quotes” – crème.\n",
            "Grüße aus München: Baclofen hat mir geholfen, sagt Jürgen.\n",
            "He said… well, it’s true. Jürgen agrees – “really”.\n",
            # One accented letter in English: guessed as Urdu (cp1006) or Big5.
            "Note\n\nCafé.\n",
            "Note\n\nÅngström units.\n",
            "Dr. Müller\n",
        ],
        ids=["juergen", "munoz", "francois", "quotes", "german", "ellipsis", "cafe", "angstrom",
             "mueller"],
    )
    def test_short_western_text_is_windows_1252(self, text):
        """Short Western text is not read in a Baltic, Central European or DOS
        code page that also fits its bytes ("J³rgen" in cp775, "Se˝ora" in cp852)."""
        assert decode(text.encode("cp1252")) == (text, "cp1252")

    @pytest.mark.parametrize(
        "text, encoding",
        [
            (
                "Baklofen to lek zwiotczający mięśnie. Zażółć gęślą jaźń. "
                "Działanie uboczne: senność.",
                "cp1250",
            ),
            ("Baklofen je lék na uvolnění svalů. Příliš žluťoučký kůň úpěl.", "cp1250"),
            ("Баклофен — миорелаксант. Побочные эффекты: сонливость.", "cp1251"),
            ("Иван Петров.\n", "cp1251"),
        ],
        ids=["polish", "czech", "russian", "russian-name"],
    )
    def test_other_code_pages_keep_their_letters(self, text, encoding):
        """Where Windows-1252 would read symbols inside words ("Za¿ó³æ"),
        or cannot read a byte, or the text is not in Latin letters, the guess stands."""
        assert decode(text.encode(encoding)) == (text, encoding)

    def test_utf8_with_and_without_bom(self):
        text = "Posted by: Jürgen – “baclofen”"
        assert decode(text.encode()) == (text, "utf-8")
        assert decode(codecs.BOM_UTF8 + text.encode()) == (text, "utf-8-sig")

    def test_utf16_with_bom(self):
        text, encoding = decode(codecs.BOM_UTF16_LE + "Baclofen dose".encode("utf-16-le"))
        assert text == "Baclofen dose" and encoding == "utf-16"

    def test_crlf_becomes_lf(self):
        assert decode(b"a\r\nb\rc")[0] == "a\nb\nc"

    def test_binary_is_refused(self):
        with pytest.raises(UnreadableDocument, match="binary"):
            decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
