"""Who said it: comments credited to their posters, and nothing else credited."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search import Index
from search.present.cli import cli

from .conftest import make_index, write_corpus


def attributed(tmp_path, name: str, document: str) -> dict[str, tuple]:
    """Each passage's text -> (kind, author, date), from a real index of one document."""
    with make_index(tmp_path, {name: document}) as ix:
        text = ix.source_text(name)
        passages = ix.passages(name)
    for p in passages:
        assert text[p.start : p.end] == p.text, "verbatim at its offsets"
    return {p.text: (p.kind, p.author, p.date) for p in passages}


BYLINE = """Baclofen Withdrawal: What Pharmacists Should Know

Written by Dr. Jane Smith on March 3, 2020

Baclofen withdrawal can cause seizures and hallucinations.

Intrathecal baclofen withdrawal is a medical emergency.

Comments

I quit baclofen slowly and felt fine.
Posted by: Oscar 4/5/2020 1:02:03 PM
"""


class TestBylines:
    @pytest.mark.parametrize(
        "document", [BYLINE, BYLINE.replace("Comments\n\n", "")], ids=["heading", "no-heading"]
    )
    def test_a_byline_under_the_title_signs_no_comment(self, tmp_path, document):
        """A "Written by" line with the article below it is a byline: the
        article stays the site's, and only the text above Oscar's signature is his."""
        found = attributed(tmp_path, "byline.txt", document)
        assert found["Intrathecal baclofen withdrawal is a medical emergency."][:2] == (
            "content", None)
        assert found["Baclofen withdrawal can cause seizures and hallucinations."][:2] == (
            "content", None)
        assert found["I quit baclofen slowly and felt fine."] == (
            "comment", "Oscar", "2020-04-05T13:02:03")
        assert not any(author == "Dr. Jane Smith" for _, author, _ in found.values())

    def test_ask_does_not_credit_the_article_to_a_poster(self, tmp_path):
        corpus = write_corpus(tmp_path / "corpus", {"byline.txt": BYLINE})
        index = tmp_path / "ix"
        runner = CliRunner()
        assert runner.invoke(cli, ["index", str(corpus), "--index", str(index)]).exit_code == 0
        result = runner.invoke(
            cli,
            ["ask", "Is intrathecal baclofen withdrawal an emergency?", "--index", str(index),
             "--json"],
        )
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)["answer"]
        assert answer[0]["text"] == "Intrathecal baclofen withdrawal is a medical emergency."
        assert [(quote["kind"], quote["author"]) for quote in answer] == [("content", None)] * len(
            answer)


class TestSignatureForms:
    VARIANTS = """Baclofen Variants Page

Official text: baclofen is not a controlled substance.

Baclofen helped my spasms a lot.
Posted by Erin on March 3, 2012

Baclofen made me sleepy.
Submitted by Frank on Mon, 04/05/2013 - 10:11

Baclofen is addictive and dangerous.
-- Gina, 2014-05-06

Baclofen 10 mg three times a day works for me.
Posted by: Hank

Withdrawal lasted 6 weeks for me.
Posted by: Ivy 2015-07-08T09:10:11
"""

    def test_each_comment_goes_to_the_poster_who_signed_it(self, tmp_path):
        found = attributed(tmp_path, "variants.txt", self.VARIANTS)
        assert found["Official text: baclofen is not a controlled substance."][:2] == (
            "content", None)
        assert found["Baclofen helped my spasms a lot."] == ("comment", "Erin", "2012-03-03")
        assert found["Baclofen made me sleepy."] == ("comment", "Frank", "2013-04-05T10:11:00")
        assert found["Baclofen is addictive and dangerous."] == (
            "comment", "Gina", "2014-05-06")
        assert found["Baclofen 10 mg three times a day works for me."] == (
            "comment", "Hank", None)
        assert found["-- Gina, 2014-05-06"][0] == "boilerplate"

    def test_a_dashed_handle_with_digits_signs_the_comment_above(self, tmp_path):
        """A one-word handle may hold digits ("quietstorm88", "mike_2001");
        a number alone ("-- 2001") or a date is no name."""
        found = attributed(tmp_path, "thread.md", """# Gabapentin made me gain weight?

Started gabapentin 600 mg three times a day and I've gained 15 lbs.

-- fibro_fighter, 2022-08-10

Same here, I gained 20 pounds.

-- quietstorm88, 2022-08-11

My doctor switched me to pregabalin.

-- mike_2001, 2022-08-12

Weight gain happens in about 2% of people.

-- 2001, 2022-08-13
""")
        assert found["Same here, I gained 20 pounds."] == ("comment", "quietstorm88", "2022-08-11")
        assert found["My doctor switched me to pregabalin."] == (
            "comment", "mike_2001", "2022-08-12")
        assert found["Weight gain happens in about 2% of people."][:2] == ("content", None)
        assert not any(author and author[0].isdigit() for _, author, _ in found.values())

    def test_an_unread_signature_stops_a_comment(self, tmp_path):
        """Words above a line that looks like a signature but is not read are
        credited to no one, not to the poster below."""
        found = attributed(tmp_path, "unread.txt", """Forum thread

Article text about baclofen.

First comment on baclofen.
Posted by: Ann 1/1/2010

Gina thinks baclofen is addictive.
~~ Gina in May ~~

Hank took baclofen for years.
Posted by: Hank 2/2/2010
""")
        assert found["Gina thinks baclofen is addictive."][:2] == ("content", None)
        assert found["Hank took baclofen for years."][1] == "Hank"

    def test_a_short_dated_sentence_is_a_comment_not_a_signature(self, tmp_path):
        """A few words with a date that end like a sentence are the poster's
        words, not a signature line that would stop the comment."""
        found = attributed(tmp_path, "dated.txt", """Baclofen stories

Share your story below.

I started baclofen on 5/1/2019.
Posted by: Alice 5/2/2019 10:00 AM

It helped my spasms a lot, no side effects at all.
Posted by: Bob 5/3/2019 11:00 AM
""")
        assert found["I started baclofen on 5/1/2019."][:2] == ("comment", "Alice")
        assert found["Share your story below."][:2] == ("content", None)

    def test_wordpress_and_dashed_comment_by(self, tmp_path):
        page = """<html><body><h1>Baclofen in pregnancy</h1>
<p>Baclofen crosses the placenta.</p>
<div class="comments">
<p>My doctor said never take it in pregnancy.</p>
<p>&mdash; Comment by Dr. Smith on March 15, 2019</p>
<p>Great article!!</p>
<p>Jane Doe says: May 2, 2020 at 4:15 pm<br>baclofen made me dizzy for a week</p>
</div></body></html>"""
        found = attributed(tmp_path, "broken.html", page)
        assert found["My doctor said never take it in pregnancy."] == (
            "comment", "Dr. Smith", "2019-03-15")
        assert found["Great article!!"][:2] == ("content", None)
        assert found["baclofen made me dizzy for a week"] == (
            "comment", "Jane Doe", "2020-05-02T16:15:00")


class TestSignatureAbove:
    def test_signatures_heading_their_comments(self, tmp_path):
        """Each "Posted by" line on the first line of its comment: the text
        below it is the poster's, the article above it no one's."""
        found = attributed(tmp_path, "sig_above.txt", """Baclofen Forum Thread

The clinic article says baclofen should be tapered over two weeks.

Posted by: Alice 1/1/2010 10:00:00 AM
I stopped baclofen cold turkey and had seizures.

Posted by: Bob 1/2/2010 11:00:00 AM
Baclofen never gave me any withdrawal at all.
""")
        assert found["The clinic article says baclofen should be tapered over two weeks."][:2] == (
            "content", None)
        assert found["I stopped baclofen cold turkey and had seizures."][1] == "Alice"
        assert found["Baclofen never gave me any withdrawal at all."][1] == "Bob"

    def test_the_first_post_of_a_thread_under_its_title_is_no_byline(self, tmp_path):
        """A thread whose "Posted by" lines head their posts: the first one,
        under the title, heads Alice's post; it is not the page's byline."""
        found = attributed(tmp_path, "thread.txt", """Baclofen withdrawal help
Posted by: Alice 1/1/2020 10:00 AM
I stopped baclofen last week and I cannot sleep.

Posted by: Bob 1/2/2020 11:00 AM
Sorry to hear that, my doctor tapered me slowly.
""")
        assert found["I stopped baclofen last week and I cannot sleep."][:2] == ("comment", "Alice")
        assert found["Sorry to hear that, my doctor tapered me slowly."][:2] == ("comment", "Bob")

    def test_posted_by_paragraphs_under_their_comments_on_a_web_page(self, tmp_path):
        """Separate paragraphs, no line breaks to tell, a footer after the
        last: the "Posted by" lines sign the text above them, as in the seeds."""
        page = """<html><head><title>Baclofen forum</title></head><body>
<h1>Baclofen withdrawal</h1><p>Baclofen is a muscle relaxant used for spasticity.</p>
<h2>Comments</h2>
<p>I stopped baclofen and had hallucinations for three days.</p>
<p>Posted by: Alice 11/20/2006 2:33:10 AM</p>
<p>My doctor tapered me over two weeks and I was fine.</p>
<p>Posted by: Bob 11/21/2006 4:10:00 PM</p>
<p>Copyright 2006 Baclofen Forum. All rights reserved.</p>
</body></html>"""
        found = attributed(tmp_path, "forum.html", page)
        assert found["I stopped baclofen and had hallucinations for three days."][:2] == (
            "comment", "Alice")
        bob = found["My doctor tapered me over two weeks and I was fine."]
        assert bob[:2] == ("comment", "Bob")


    @pytest.mark.parametrize("name", ["thread.md", "thread.txt"])
    def test_signatures_heading_their_comments_apart_by_blank_lines(self, tmp_path, name):
        """Each "Posted by" line a paragraph of its own, blank lines all
        round: the first, under a heading, has nothing above it to sign, so
        they head their comments; the question is Harry's, the last reply
        Olga's, not the site's."""
        heading = "## " if name.endswith(".md") else ""
        found = attributed(tmp_path, name, f"""{heading}Gabapentin and alcohol

Gabapentin adds to the drowsiness alcohol causes.

{heading}Reader questions

**Posted by Harry on March 5, 2023**

Can I drink alcohol on gabapentin? My pharmacist said a little is fine.

**Posted by Olga on March 7, 2023**

Alcohol made my dizziness much worse. I would avoid it.
""")
        assert found["Gabapentin adds to the drowsiness alcohol causes."][:2] == ("content", None)
        assert found[
            "Can I drink alcohol on gabapentin? My pharmacist said a little is fine."
        ] == ("comment", "Harry", "2023-03-05")
        assert found["Alcohol made my dizziness much worse. I would avoid it."] == (
            "comment", "Olga", "2023-03-07")


    def test_a_byline_above_replies_headed_by_their_signatures(self, tmp_path):
        """The article's "Posted by" byline stays a byline (its article is no
        one's comment) while the replies under their heading are headed."""
        found = attributed(tmp_path, "byline.md", """# Gabapentin and alcohol

Posted by Admin on March 1, 2023

Gabapentin adds to the drowsiness alcohol causes.

Most pharmacists advise against drinking on it.

## Reader questions

Posted by Harry on March 5, 2023

Can I drink alcohol on gabapentin?

Posted by Olga on March 7, 2023

Alcohol made my dizziness much worse.
""")
        for article in (
            "Gabapentin adds to the drowsiness alcohol causes.",
            "Most pharmacists advise against drinking on it.",
        ):
            assert found[article][:2] == ("content", None)
        assert found["Can I drink alcohol on gabapentin?"] == ("comment", "Harry", "2023-03-05")
        assert found["Alcohol made my dizziness much worse."] == ("comment", "Olga", "2023-03-07")


class TestHtmlComments:
    def test_comments_in_list_items_keep_their_posters(self, tmp_path):
        page = """<html><head><title>Baclofen forum</title></head><body>
<h1>Baclofen forum</h1>
<p>Article: baclofen should never be stopped abruptly.</p>
<ol class="comments">
<li><p>Baclofen helps my MS spasms.</p><p>Posted by: Max 2/5/2012 4:05:06 PM</p></li>
<li><p>Baclofen made me dizzy.</p><p>Posted by: Ned 2/6/2012 4:05:06 PM</p></li>
</ol>
</body></html>"""
        found = attributed(tmp_path, "forum.html", page)
        assert found["Article: baclofen should never be stopped abruptly."][:2] == (
            "content", None)
        assert found["Baclofen helps my MS spasms."] == ("comment", "Max", "2012-02-05T16:05:06")
        assert found["Baclofen made me dizzy."] == ("comment", "Ned", "2012-02-06T16:05:06")


class TestNotSignatures:
    def test_a_sentence_saying_by_whom_is_no_signature(self, tmp_path):
        found = attributed(tmp_path, "label.txt", """Baclofen labelling history

The original label for intrathecal baclofen warned about abrupt withdrawal.
Submitted by the manufacturer to the FDA in 1992.

A boxed warning was later added about high fever and muscle rigidity.
Posted by the agency in its 2002 safety bulletin.

Written by experts, reviewed by doctors: our promise
""")
        assert {kind for kind, _, _ in found.values()} <= {"content", "boilerplate"}

    def test_a_heading_is_no_signature(self, tmp_path):
        found = attributed(tmp_path, "masks.html", """<html><body><h1>Masks</h1>
<p>Official advice on masks changed several times in 2020.</p>
<h2>What the WHO said on March 3, 2020</h2>
<p>Healthy people do not need to wear masks unless caring for someone who is ill.</p>
</body></html>""")
        assert {kind for kind, _, _ in found.values()} == {"content"}

    def test_a_byline_glued_to_its_article_signs_nothing(self, tmp_path):
        found = attributed(tmp_path, "statins.txt", """How statins work
Written by Dr. Jane Smith on March 3, 2020
Statins block HMG-CoA reductase, an enzyme the liver uses to make cholesterol.
Most people tolerate them well.
""")
        assert not any(kind == "comment" for kind, _, _ in found.values()), found

    def test_a_guillemet_parts_name_and_date(self, tmp_path):
        found = attributed(tmp_path, "phpbb.txt", """Forum: Levothyroxine timing

Take levothyroxine on an empty stomach.

I take mine at night and my TSH is fine.
Posted by Jason » 20 Nov 2006, 14:33
""")
        assert found["I take mine at night and my TSH is fine."] == (
            "comment", "Jason", "2006-11-20T14:33:00")


def test_text_two_signatures_claim_is_an_anonymous_comment(tmp_path):
    """A reader wrote it (a signature on either side claims it), but the page
    does not show which: a comment with no author, never the site's text."""
    found = attributed(tmp_path, "thread.txt", """Thread: Gabapentin for anxiety

Gabapentin is approved for epilepsy and nerve pain.

Jane says: May 2, 2020
Gabapentin worked for my anxiety.

Someone else's reply in between with no signature.
-- Mark, 2020-05-03
""")
    assert found["Gabapentin worked for my anxiety."] == ("comment", None, None)
    assert found["Gabapentin is approved for epilepsy and nerve pain."][:2] == ("content", None)


def test_markdown_signatures_under_their_comments(tmp_path):
    """Markdown joins a paragraph's lines: a signature right under its comment
    is still read, and so is a bold one."""
    found = attributed(tmp_path, "forum.md", """# Lisinopril cough

ACE inhibitors such as lisinopril cause a dry cough in up to 20% of patients.

## Comments

I switched to losartan and the cough stopped in a week.
Posted by: Erin 03/03/2012 10:00 AM

The cough is in your head, lisinopril never did that to me.

**Posted by Harry on March 5, 2014**
""")
    assert found["I switched to losartan and the cough stopped in a week."] == (
        "comment", "Erin", "2012-03-03T10:00:00")
    assert found["The cough is in your head, lisinopril never did that to me."] == (
        "comment", "Harry", "2014-03-05")
    assert found["ACE inhibitors such as lisinopril cause a dry cough in up to 20% of patients."][
        :2] == ("content", None)


def test_a_question_run_on_under_a_comment_is_the_posters(tmp_path):
    """Not a heading: Alice asks it, and the replies are not "under" it."""
    found = attributed(tmp_path, "thread.txt", """Forum: Sertraline and insomnia

Posted by Alice on March 3, 2012
I started sertraline 50 mg and cannot sleep.
Is this normal?

Posted by Bob on March 4, 2012
Yes, take it in the morning instead.
""")
    assert found["Is this normal?"][:2] == ("comment", "Alice")


def test_an_editors_note_between_comments_is_the_sites(tmp_path):
    found = attributed(tmp_path, "notes.txt", """Baclofen and sleepiness

Baclofen commonly causes drowsiness, especially when starting.

I was fine on it.
Posted by: Jason 11/20/2006 2:33:10 AM

Editor's note: Baclofen withdrawal can cause seizures. Never stop it abruptly.

Drowsiness went away after 2 weeks.
Posted by: Maria 11/21/2006 9:00:00 AM
""")
    note = "Editor's note: Baclofen withdrawal can cause seizures. Never stop it abruptly."
    assert found[note][:2] == ("content", None)
    assert found["Drowsiness went away after 2 weeks."][:2] == ("comment", "Maria")


def test_glued_article_lines_above_the_first_comment_stay_the_sites(tmp_path):
    """No blank line parts the article from the first comment: the comment is
    only the line right above its signature."""
    found = attributed(tmp_path, "glued.txt", """Baclofen and alcohol use disorder
Baclofen is a GABA-B agonist approved for spasticity.
The French regulator approved it for that use in 2018.
I took baclofen for my drinking and it really helped me cut down.
Posted by: Ann 11/20/2006 2:33:10 AM
It made me so sleepy I could not drive.
Posted by: Bob 11/21/2006 4:01:00 PM
""")
    assert found["The French regulator approved it for that use in 2018."][:2] == ("content", None)
    mine = "I took baclofen for my drinking and it really helped me cut down."
    assert found[mine][:2] == ("comment", "Ann")


def test_a_byline_under_a_dek_signs_no_article(tmp_path):
    """"Written by" is a byline wherever it stands: with a summary line
    between it and the title, the article is still the site's."""
    found = attributed(tmp_path, "dek.txt", """Baclofen withdrawal: what to expect
Stopping baclofen suddenly can cause seizures and hallucinations, doctors warn.
Written by Jane Smith, MD on March 1, 2020

Patients who take high doses for a long time can develop physical dependence.

I stopped cold turkey and had a seizure.
Posted by Ann on March 3, 2020
""")
    article = "Patients who take high doses for a long time can develop physical dependence."
    assert found[article][:2] == ("content", None)
    assert found["I stopped cold turkey and had a seizure."][:2] == ("comment", "Ann")
    assert not any(author == "Jane Smith, MD" for _, author, _ in found.values())


def test_a_signature_ending_in_a_colon_heads_what_follows(tmp_path):
    found = attributed(tmp_path, "colon.txt", """Baclofen tapering

Most patients can taper baclofen over two to four weeks.

Comment by Dr. Smith on March 15, 2019:
Never stop intrathecal baclofen abruptly; it can be fatal.
""")
    assert found["Most patients can taper baclofen over two to four weeks."][:2] == (
        "content", None)
    assert found["Never stop intrathecal baclofen abruptly; it can be fatal."] == (
        "comment", "Dr. Smith", "2019-03-15")


def test_a_wrapped_markdown_sentence_is_not_split_at_by(tmp_path):
    found = attributed(tmp_path, "wrapped.md", """# Baclofen guideline

The guideline on baclofen withdrawal was
written by Dr. Jane Lee
and colleagues at the national society.
""")
    assert list(found) == [
        "The guideline on baclofen withdrawal was\nwritten by Dr. Jane Lee\n"
        "and colleagues at the national society."
    ]


class TestCommentElements:
    """A comment in its own HTML element with one signature: the element
    shows whose the text is, whether the signature opens or closes it."""

    def test_the_meta_line_before_the_text(self, tmp_path):
        comments = "".join(
            f'<div class="comment"><p class="meta">Posted by {who} on March {day}, 2020</p>'
            f"<p>{said}</p></div>"
            for who, day, said in [
                ("Ann", 3, "I sleep twelve hours a day on baclofen."),
                ("Bob", 4, "No sleep problems at all for me."),
            ]
        )
        page = f"""<html><body><h1>Baclofen and sleep</h1>
<p>Doctors usually recommend taking the first dose at bedtime.</p>{comments}</body></html>"""
        found = attributed(tmp_path, "meta.html", page)
        assert found["I sleep twelve hours a day on baclofen."] == ("comment", "Ann", "2020-03-03")
        assert found["No sleep problems at all for me."] == ("comment", "Bob", "2020-03-04")
        assert found["Doctors usually recommend taking the first dose at bedtime."][:2] == (
            "content", None)

    def test_a_review_with_its_title_above_the_signature(self, tmp_path):
        reviews = "".join(
            f'<div class="review"><p><b>{title}</b><br>Posted by {who} on March {day}, 2020</p>'
            f"<p>{said}</p></div>"
            for title, who, day, said in [
                ("Helped my spasms a lot!", "Ann", 3, "I take it for MS."),
                ("Made me way too drowsy.", "Bob", 4, "I had to stop."),
            ]
        )
        page = f"<html><body><h1>Baclofen reviews</h1>{reviews}</body></html>"
        found = attributed(tmp_path, "reviews.html", page)
        assert found["Helped my spasms a lot!"][:2] == ("comment", "Ann")
        assert found["I take it for MS."][:2] == ("comment", "Ann")
        assert found["Made me way too drowsy."][:2] == ("comment", "Bob")
        assert found["I had to stop."][:2] == ("comment", "Bob")


    def test_wordpress_comment_markup(self, tmp_path):
        """WordPress's comment list: each comment is its "fn" author's, dated
        by its `<time datetime>`, a reply nested in it its own poster's; the
        name and date lines are no one's words, and the article, with its
        author's byline in the same markup, stays the site's."""

        def comment(number, who, when, shown, said, replies=""):
            return (
                f'<li id="comment-{number}" class="comment depth-1">'
                '<article class="comment-body"><footer class="comment-meta">'
                f'<div class="comment-author vcard"><b class="fn">{who}</b> '
                '<span class="says">says:</span></div><div class="comment-metadata">'
                f'<a href="#c{number}"><time datetime="{when}">{shown}</time></a></div>'
                f'</footer><div class="comment-content"><p>{said}</p></div>'
                '<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>'
                f"</article>{replies}</li>"
            )

        reply = comment(13, "Ann Lee", "2022-02-21", "February 21, 2022", "Same for me.")
        page = f"""<html><body><article class="post hentry">
<h1 class="entry-title">Is Gabapentin Safe?</h1>
<div class="entry-meta">By <span class="author vcard"><a class="fn">Admin</a></span>
<time class="published" datetime="2022-02-01">February 1, 2022</time></div>
<div class="entry-content"><p>Gabapentin has a low risk of dependence.</p></div>
</article>
<div class="comments-area"><ol class="comment-list">
{comment(11, "Renée Dubois", "2022-02-14T09:30:00+00:00", "February 14, 2022 at 9:30 am",
         "Zero withdrawal when I stopped.")}
{comment(12, "Tom Becker", "2022-02-20T18:05:00+00:00", "February 20, 2022 at 6:05 pm",
         "I had terrible anxiety for two weeks after stopping.",
         f'<ol class="children">{reply}</ol>')}
</ol></div></body></html>"""
        found = attributed(tmp_path, "blog.html", page)
        assert found["Gabapentin has a low risk of dependence."][:2] == ("content", None)
        assert found["Zero withdrawal when I stopped."] == (
            "comment", "Renée Dubois", "2022-02-14T09:30:00+00:00")
        assert found["I had terrible anxiety for two weeks after stopping."] == (
            "comment", "Tom Becker", "2022-02-20T18:05:00+00:00")
        assert found["Same for me."] == ("comment", "Ann Lee", "2022-02-21")
        assert found["Renée Dubois says:"][0] == "boilerplate"
        assert found["February 14, 2022 at 9:30 am"][0] == "boilerplate"
        assert {author for _, author, _ in found.values()} == {
            None, "Renée Dubois", "Tom Becker", "Ann Lee"}

    def test_a_signature_in_a_list_item_comment_signs_only_its_element(self, tmp_path):
        """A `<li class="comment">` whose markup names no author but that
        holds "Posted by Bob …" is Bob's; the signature never reaches the
        article above the comment list."""
        page = """<html><body>
<article><h1>Reply thread</h1><p>The article says gabapentin is used for nerve pain.</p></article>
<ol class="comment-list"><li class="comment"><p>Posted by Bob on May 5, 2021</p>
<p>Bob replied that he never felt dizzy on gabapentin at all.</p></li></ol></body></html>"""
        found = attributed(tmp_path, "top.html", page)
        assert found["The article says gabapentin is used for nerve pain."][:2] == (
            "content", None)
        assert found["Bob replied that he never felt dizzy on gabapentin at all."] == (
            "comment", "Bob", "2021-05-05")

    def test_a_reply_naming_no_one_is_not_its_parents_posters(self, tmp_path):
        """Replies nested in Alice's comment are other posters': Bob's, by
        his signature, and one naming no one is a comment with no author."""
        page = """<html><body><h1>Gabapentin forum thread</h1>
<p>The article body says gabapentin is used for nerve pain in adults.</p>
<ol class="comment-list"><li class="comment">
<div class="comment-author vcard"><b class="fn">Alice</b> says:</div>
<time datetime="2021-03-04">March 4, 2021</time>
<p>Alice wrote that gabapentin made her very dizzy for two weeks.</p>
<ul class="children">
<li class="comment"><p>Posted by Bob on May 5, 2021</p><p>Bob never felt dizzy at all.</p></li>
<li class="comment"><p>Gabapentin withdrawal was terrible for me.</p></li>
</ul></li></ol></body></html>"""
        found = attributed(tmp_path, "nested.html", page)
        assert found["Alice wrote that gabapentin made her very dizzy for two weeks."] == (
            "comment", "Alice", "2021-03-04")
        assert found["Bob never felt dizzy at all."] == ("comment", "Bob", "2021-05-05")
        assert found["Gabapentin withdrawal was terrible for me."] == ("comment", None, None)

    def test_a_comment_element_is_never_chrome(self, tmp_path):
        """A chrome word in a comment element's class ("comment banner")
        does not make the comment boilerplate."""
        page = """<html><body><h1>Gabapentin</h1><p>Article text about gabapentin.</p>
<ol class="comment-list"><li class="comment banner">
<div class="comment-author"><b class="fn">Carol</b></div><time datetime="2021-06-01">June 1</time>
<p>Carol says gabapentin helped her restless legs a lot.</p></li></ol></body></html>"""
        found = attributed(tmp_path, "banner.html", page)
        assert found["Carol says gabapentin helped her restless legs a lot."] == (
            "comment", "Carol", "2021-06-01")

    @pytest.mark.parametrize(
        "meta",
        [
            '<span class="author">Linda Park</span> <span class="date">June 9, 2021</span>',
            '<p class="author">Linda Park says:</p><p class="date">June 9, 2021</p>',
            '<p>by <a rel="author" href="/u/lp">Linda Park</a> on <time>June 9, 2021</time></p>',
            # a shop's review: its reviewer, with what the shop adds of them
            '<p class="reviewer">Linda Park · Verified purchase · 9 June 2021</p>',
        ],
        ids=["spans", "paragraphs", "rel-author", "reviewer"],
    )
    def test_author_and_date_elements(self, tmp_path, meta):
        """A comment element whose author and date are elements of their
        own, not a signature line: the comment is that author's."""
        page = f"""<html><body><h1>Gabapentin</h1>
<p>Article text about gabapentin.</p>
<div class="comment">{meta}<p>My doctor told me it is not addictive.</p></div>
<div class="comment"><p>Anonymous coward here, it is.</p></div>
</body></html>"""
        found = attributed(tmp_path, "page.html", page)
        assert found["My doctor told me it is not addictive."] == (
            "comment", "Linda Park", "2021-06-09")
        assert found["Article text about gabapentin."][:2] == ("content", None)
        assert found["Anonymous coward here, it is."][:2] == ("content", None)
        assert not any(kind == "comment" for kind, *_ in (
            value for text, value in found.items() if "Linda Park" in text))


def test_a_single_signature_heading_its_lines_takes_them(tmp_path):
    """A blank line above "Posted by Ann", her words run on below it: hers,
    and the article above stays the site's."""
    found = attributed(tmp_path, "one.txt", """Baclofen side effects

Rare but serious effects include seizures and hallucinations on withdrawal.

Posted by Ann on March 3, 2020
I had terrible hallucinations when I stopped baclofen after two years.
""")
    article = "Rare but serious effects include seizures and hallucinations on withdrawal."
    assert found[article][:2] == ("content", None)
    mine = "I had terrible hallucinations when I stopped baclofen after two years."
    assert found[mine] == ("comment", "Ann", "2020-03-03")


def test_separator_lines_part_comments(tmp_path):
    found = attributed(tmp_path, "hr.txt", """Baclofen forum thread

Posted by Ann on March 3, 2020
I take 20 mg three times a day and the spasms are much better.
-----
Posted by Bob on March 4, 2020
I had to stop because of the drowsiness.
""")
    assert found["I take 20 mg three times a day and the spasms are much better."][:2] == (
        "comment", "Ann")
    assert found["I had to stop because of the drowsiness."][:2] == ("comment", "Bob")
    assert found["-----"][:2] != ("comment", "Bob")


def credited(tmp_path, page: str, query: str) -> dict[str, tuple]:
    """Index one web page and search it, both with the CLI: each hit's text
    -> (kind, author, date), each hit checked verbatim against the page's
    source text."""
    corpus = write_corpus(tmp_path / "corpus", {"page.html": page})
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    args = ["search", query, "--index", str(tmp_path / "ix"), "--json", "--limit", "50"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    with Index(tmp_path / "ix") as ix:
        text = ix.source_text("page.html")
    for hit in hits:
        assert text[hit["start"] : hit["end"]] == hit["text"], "verbatim at its offsets"
    return {hit["text"]: (hit["kind"], hit["author"], hit["date"]) for hit in hits}


ARTICLE_HTML = (
    "<h1>Is Desmond Kale dead?</h1><p>The actor Desmond Kale was last seen in Verbier.</p>"
)


class TestCommentMarkups:
    """The comment markups of common blog and forum software: each comment
    is its own poster's (a nested reply its poster's, not its parent's),
    dated as its markup dates it; the lines that only name the poster are
    no one's words."""

    def test_wordpress_classic(self, tmp_path):
        """`<li class="comment">` with its author in `comment-author vcard`
        ("TomG says:"), its date in `comment-meta` and its text in a
        `comment-body` of its own; a reply in `<ul class="children">`."""

        def comment(number, who, when, said, replies=""):
            return (
                f'<li class="comment" id="comment-{number}"><div class="comment-author vcard">'
                f'<span class="fn">{who}</span> <span class="says">says:</span></div>'
                f'<div class="comment-meta"><a href="#comment-{number}">{when}</a></div>'
                f'<div class="comment-body"><p>{said}</p></div>'
                '<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>'
                f"{replies}</li>"
            )

        nameless = (
            '<li class="comment" id="comment-14"><div class="comment-body">'
            "<p>Kale is filming in Vancouver, nobody died.</p></div></li>"
        )
        reply = comment(13, "Ann Lee", "March 4, 2025 at 8:00 am",
                        "Kale is alive, the Switzerland story was a hoax.",
                        f'<ul class="children">{nameless}</ul>')
        page = f"""<html><body>{ARTICLE_HTML}<ol class="commentlist">
{comment(12, "TomG", "March 3, 2025 at 9:14 pm", "Kale died in Switzerland, my cousin saw it.",
         f'<ul class="children">{reply}</ul>')}
</ol></body></html>"""
        found = credited(tmp_path, page, "Kale OR TomG OR Ann")
        assert found["Kale died in Switzerland, my cousin saw it."] == (
            "comment", "TomG", "2025-03-03T21:14:00")
        assert found["Kale is alive, the Switzerland story was a hoax."] == (
            "comment", "Ann Lee", "2025-03-04T08:00:00")
        assert found["Kale is filming in Vancouver, nobody died."] == ("comment", None, None)
        assert found["The actor Desmond Kale was last seen in Verbier."] == (
            "content", None, None)
        assert found["TomG says:"] == ("boilerplate", None, None)

    def test_wordpress_block_theme(self, tmp_path):
        """The block theme's `wp-block-comment-template`: the author in
        `wp-block-comment-author-name`, the date a `<time datetime>`."""

        def comment(number, who, when, said, replies=""):
            return (
                f'<li id="comment-{number}" class="comment byuser comment-author-x depth-1">'
                '<div class="wp-block-group"><div class="wp-block-columns">'
                '<div class="wp-block-column"><div class="wp-block-avatar">'
                '<img alt="" class="avatar"></div></div><div class="wp-block-column">'
                f'<div class="wp-block-comment-author-name"><a rel="external nofollow ugc" '
                f'href="https://example.com" class="url">{who}</a></div>'
                f'<div class="wp-block-comment-date"><time datetime="{when}">'
                f'<a href="#comment-{number}">{when[:10]}</a></time></div>'
                f'<div class="wp-block-comment-content"><p>{said}</p></div>'
                '<div class="wp-block-comment-reply-link"><a class="comment-reply-link" '
                f'href="#">Reply</a></div></div></div></div>{replies}</li>'
            )

        reply = comment(4, "Tom G", "2025-03-04T08:00:00+00:00",
                        "Kale is alive, that was not the real BBC.")
        page = f"""<html><body>{ARTICLE_HTML}<ol class="wp-block-comment-template">
{comment(3, "Sally Harbour", "2025-03-03T21:14:00+00:00",
         "Kale died in Switzerland, I saw it on the BBC site.",
         f'<ol class="children">{reply}</ol>')}</ol></body></html>"""
        found = credited(tmp_path, page, "Kale OR Sally OR Tom")
        assert found["Kale died in Switzerland, I saw it on the BBC site."] == (
            "comment", "Sally Harbour", "2025-03-03T21:14:00+00:00")
        assert found["Kale is alive, that was not the real BBC."] == (
            "comment", "Tom G", "2025-03-04T08:00:00+00:00")
        assert found["Sally Harbour"] == ("boilerplate", None, None)

    def test_disqus(self, tmp_path):
        """`<li class="post">` with its author in `<span class="author">`,
        its text in `post-content` / `post-message`, dated by the `title`
        of its relative date, and replies in `<ul class="children">`."""
        page = f"""<html><body>{ARTICLE_HTML}<ul id="post-list">
<li class="post" id="post-101"><div class="post-content"><div class="post-body"><header>
<span class="author publisher-anchor-color"><a href="/by/kale4ever/">kale_4ever</a></span>
<span class="post-meta"><a class="time-ago" title="Monday, March 3, 2025 9:14 PM">3 days ago</a>
</span></header><div class="post-body-inner"><div class="post-message">
<p>Kale is fine, his publicist says he is filming in Vancouver.</p></div></div></div></div>
<ul class="children"><li class="post" id="post-102"><div class="post-content">
<div class="post-body"><header><span class="author"><a href="/by/rachel/">RachelM</a></span>
</header><div class="post-message"><p>Kale was rescued by helicopter in Verbier.</p>
</div></div></div></li></ul></li></ul>
<div class="post"> <span class="author"><a href="/by/sally/">sallyharbour</a></span>
<div class="post-message"><p>Kale died in Switzerland, I saw it on the BBC.</p></div></div>
</body></html>"""
        found = credited(tmp_path, page, "Kale OR kale_4ever OR RachelM")
        assert found["Kale is fine, his publicist says he is filming in Vancouver."] == (
            "comment", "kale_4ever", "2025-03-03T21:14:00")
        assert found["Kale was rescued by helicopter in Verbier."] == (
            "comment", "RachelM", None)
        assert found["Kale died in Switzerland, I saw it on the BBC."] == (
            "comment", "sallyharbour", None)
        assert found["kale_4ever 3 days ago"] == ("boilerplate", None, None)

    def test_discourse(self, tmp_path):
        """A post's author in `<span class="username">` and its text in
        `<div class="content">`; and the crawler view, a schema.org Comment
        whose text is a `<div class="post" itemprop="text">`: part of that
        post, never a post naming no one."""
        page = f"""<html><body>{ARTICLE_HTML}
<div class="post"><span class="username">sallyharbour</span>
<div class="content"><p>Kale died in Switzerland, I saw it on the BBC.</p></div></div>
<div id="post_2" itemprop="comment" itemscope itemtype="http://schema.org/Comment"
 class="topic-body crawler-post"><div class="crawler-post-meta">
<span class="creator" itemprop="author" itemscope itemtype="http://schema.org/Person">
<a itemprop="url" href="/u/tomg"><span itemprop="name">TomG</span></a></span>
<span class="crawler-post-infos"><time itemprop="datePublished" datetime="2025-03-04T08:00:00Z"
 class="post-time">March 4, 2025, 8:00am</time></span></div>
<div class="post" itemprop="text"><p>Kale is alive, that was not the real BBC.</p></div></div>
</body></html>"""
        found = credited(tmp_path, page, "Kale OR sallyharbour OR TomG")
        assert found["Kale died in Switzerland, I saw it on the BBC."][:2] == (
            "comment", "sallyharbour")
        assert found["Kale is alive, that was not the real BBC."] == (
            "comment", "TomG", "2025-03-04T08:00:00+00:00")

    def test_xenforo(self, tmp_path):
        """`<article class="message" data-author="…">`: the poster its
        `data-author`; the `<h4>` showing their name is no heading of the
        page's, and the `message-body` is part of the message."""
        page = f"""<html><body>{ARTICLE_HTML}
<article class="message message--post js-post" data-author="TomG" id="js-post-55">
<div class="message-inner"><div class="message-cell message-cell--user">
<section class="message-user"><h4 class="message-name"><a href="/members/tomg.5/"
 class="username">TomG</a></h4></section></div><div class="message-cell message-cell--main">
<header class="message-attribution"><a href="#post-55"><time class="u-dt"
 datetime="2025-03-04T08:00:00+0000">Mar 4, 2025</time></a></header>
<div class="message-content"><article class="message-body"><div class="bbWrapper">
Kale is alive, that was not the real BBC.</div></article></div></div></div></article>
<article class="message" data-author="RachelM"><div class="message-content">
<p>Kale was rescued by helicopter in Verbier.</p></div></article>
</body></html>"""
        found = credited(tmp_path, page, "Kale OR TomG")
        assert found["Kale is alive, that was not the real BBC."] == (
            "comment", "TomG", "2025-03-04T08:00:00+00:00")
        assert found["Kale was rescued by helicopter in Verbier."] == (
            "comment", "RachelM", None)

    def test_phpbb(self, tmp_path):
        """`<div class="postbody">` whose `<p class="author">` reads "by
        <strong>Name</strong> » date": the name without "by" or the date,
        the date read from the line."""

        def post(who, when, said):
            return (
                f'<div class="postbody"><p class="author">by <strong>{who}</strong> » {when}</p>'
                f'<div class="content">{said}</div></div>'
            )

        page = f"""<html><body>{ARTICLE_HTML}
{post("RachelM", "Mon Mar 03, 2025 9:14 pm", "Kale was rescued by helicopter in Verbier.")}
{post("TomG", "Tue Mar 04, 2025 8:00 am", "Kale is alive, that was not the real BBC.")}
</body></html>"""
        found = credited(tmp_path, page, "Kale OR TomG OR RachelM")
        assert found["Kale was rescued by helicopter in Verbier."] == (
            "comment", "RachelM", "2025-03-03T21:14:00")
        assert found["Kale is alive, that was not the real BBC."] == (
            "comment", "TomG", "2025-03-04T08:00:00")
        assert found["by TomG » Tue Mar 04, 2025 8:00 am"] == ("boilerplate", None, None)

    def test_schema_org_microdata(self, tmp_path):
        """`itemtype="https://schema.org/Comment"` with `itemprop="author"`
        (an element, or a `<meta content>`); a Comment nested in it is its
        own author's."""
        page = f"""<html><body>{ARTICLE_HTML}
<div itemscope itemtype="https://schema.org/Comment">
<span itemprop="author" itemscope itemtype="https://schema.org/Person">
<span itemprop="name">RachelM</span></span>
<time itemprop="dateCreated" datetime="2025-03-03">March 3, 2025</time>
<div itemprop="text"><p>Kale was rescued by helicopter in Verbier.</p></div>
<div itemprop="comment" itemscope itemtype="https://schema.org/Comment">
<meta itemprop="author" content="TomG"><meta itemprop="dateCreated" content="2025-03-04">
<div itemprop="text"><p>Kale is alive, that was not the real BBC.</p></div></div></div>
</body></html>"""
        found = credited(tmp_path, page, "Kale OR RachelM")
        assert found["Kale was rescued by helicopter in Verbier."] == (
            "comment", "RachelM", "2025-03-03")
        assert found["Kale is alive, that was not the real BBC."] == (
            "comment", "TomG", "2025-03-04")

    def test_the_audit_credits_a_wordpress_comment_to_its_poster(self, tmp_path):
        """The new-user trial's page: the audit quotes sallyharbour's claim
        as hers, not an anonymous reader's."""
        comments = "".join(
            f'<li class="comment"><div class="comment-author"><span class="fn">{who}</span>'
            f'</div><div class="comment-body"><p>{said}</p></div></li>'
            for who, said in [
                ("sallyharbour", "I saw it on the BBC site, he died in Switzerland."),
                ("TomG", "That was not the real BBC, he is alive."),
            ]
        )
        page = f"""<html><body><h1>Is Desmond Kale dead??</h1>
<div class="post"><p>Thread for the Desmond Kale news.</p></div>
<ol class="commentlist">{comments}</ol></body></html>"""
        corpus = write_corpus(tmp_path / "corpus", {"fanforum.html": page})
        runner = CliRunner()
        result = runner.invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
        assert result.exit_code == 0, result.output
        result = runner.invoke(cli, [
            "audit", "Did Desmond Kale die in Switzerland?",
            "--index", str(tmp_path / "ix"), "--json",
        ])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        claims = {claim["text"]: claim for claim in report["claims"]}
        claim = claims["I saw it on the BBC site, he died in Switzerland."]
        assert (claim["kind"], claim["author"]) == ("comment", "sallyharbour")
        assert any(
            position["who"].startswith("sallyharbour") for position in report["positions"]
        )


def test_a_threads_first_post_under_its_title_and_an_update_post_are_their_posters(tmp_path):
    """Round 6's fan forum: each "Posted by:" paragraph heads one post, the
    first under the title too, and a post opening "UPDATE:" is its poster's,
    not the site speaking."""
    found = attributed(tmp_path, "forum.txt", """Fan Forum :: General Discussion
Topic: is it true??? please someone tell me

Posted by: luzdeluna 06/14/2025 11:48:02 PM

my cousin sent me a post saying she died in a crash tonight.

Posted by: vega_fan 06/14/2025 11:55:40 PM

Breathe. That page is a known scam page. She is not dead.

Posted by: vega_fan 06/15/2025 08:03:26 AM

UPDATE: she posted a video this morning. She's alive and fine.
""")
    assert found["my cousin sent me a post saying she died in a crash tonight."][:2] == (
        "comment", "luzdeluna")
    assert found["Breathe. That page is a known scam page. She is not dead."][:2] == (
        "comment", "vega_fan")
    assert found["UPDATE: she posted a video this morning. She's alive and fine."][:2] == (
        "comment", "vega_fan")


def test_a_verified_tick_after_a_handle_still_heads_a_post(tmp_path):
    found = attributed(tmp_path, "thread.md", """# Thread

**@checker** · Jun 15, 2025

This account has posted 4 death hoaxes this year.

**@marisolvega** ✓ · Jun 15, 2025

jaja i'm alive, at rehearsal right now.

**@rita** · Jun 15, 2025

that's what a label would post.
""")
    assert found["jaja i'm alive, at rehearsal right now."][:2] == ("comment", "@marisolvega")
    assert found["This account has posted 4 death hoaxes this year."][:2] == ("comment", "@checker")


def test_a_pages_tags_and_citation_lines_are_boilerplate(tmp_path):
    found = attributed(tmp_path, "post.md", """# No, Frayne hasn't quit

Colin Frayne is still mayor and has no plans to step aside.

Tags: Eastbridge Town Council, Colin Frayne, budget 2025/26

*Citation: Lindqvist E, Park J. Vitamin C for preventing colds. Rev 2023.*
""")
    assert found["Colin Frayne is still mayor and has no plans to step aside."][0] == "content"
    assert found["Tags: Eastbridge Town Council, Colin Frayne, budget 2025/26"][0] == "boilerplate"
    citation = "*Citation: Lindqvist E, Park J. Vitamin C for preventing colds. Rev 2023.*"
    assert found[citation][0] == "boilerplate"


FORUM_COPIED = """OL Fans United › [RUMOUR] Vidal to OL
Views: 6,210 | Replies: 3

LyonLad69 — 17 Jun 2025, 08:41
Contract signed, three years. My cousin saw the medical.

**Kasey T.** — 17 Jun 2025, 09:02
Nothing is signed. I'll wait for the club.

Original post by mamabear_22 — 21 Feb 2025, 9:14 pm
Talks are real, but she's not a Lyon player yet.

Reply from Sam R. — 22 Feb 2025, 7:05 am
The agent said there is no signature.
"""


@pytest.mark.parametrize("name", ["forum.txt", "forum.md"])
def test_a_copied_forums_name_and_date_lines_head_their_posts(tmp_path, name):
    """ "NAME — DATE" lines, bare or "Reply from NAME — DATE", each glued
    to its post: the post is that poster's, the lines themselves no one's words."""
    found = attributed(tmp_path, name, FORUM_COPIED)
    assert found["Contract signed, three years. My cousin saw the medical."][:3] == (
        "comment", "LyonLad69", "2025-06-17T08:41:00")
    assert found["Nothing is signed. I'll wait for the club."][:2] == ("comment", "Kasey T.")
    assert found["Talks are real, but she's not a Lyon player yet."][:2] == (
        "comment", "mamabear_22")
    assert found["The agent said there is no signature."][:2] == ("comment", "Sam R.")


def test_one_name_and_date_line_is_a_byline_not_a_thread(tmp_path):
    found = attributed(tmp_path, "story.txt", """Lyon deny agreement

Gemma Lockhart — 17 Jun 2025

Olympique Lyonnais rejected reports that Vidal had signed.
""")
    assert found["Olympique Lyonnais rejected reports that Vidal had signed."][:2] == (
        "content", None)


FACEBOOK = """Harlow Falls Neighbors (Public group · 8.4K members)

Brenda Kowalski
March 12 at 7:48 AM
Well they actually did it. City council voted last night to ban gas stoves in new houses 😡
👍😡 134   💬 57 comments   ↪ 22 shares

Comments (most relevant)

Mike Dunleavy
That's not what happened. Nobody banned anything last night, it was a first reading
Like · Reply · 14h   👍 61

  Brenda Kowalski
  @Mike Dunleavy so if there's no gas line how exactly do you hook up a gas stove Mike
  Like · Reply · 14h   👍 48

Write a comment...
"""


def test_a_copied_facebook_thread_credits_each_post_to_its_poster(tmp_path):
    """A name alone on its line, a time, the post, and "Like · Reply" under
    it: each post its poster's, the names and footers no one's words."""
    found = attributed(tmp_path, "thread.txt", FACEBOOK)
    posts = {text: who[:2] for text, who in found.items() if who[0] == "comment"}
    assert posts == {
        "Well they actually did it. City council voted last night to ban gas stoves in new "
        "houses 😡": ("comment", "Brenda Kowalski"),
        "That's not what happened. Nobody banned anything last night, it was a first reading": (
            "comment", "Mike Dunleavy"),
        "@Mike Dunleavy so if there's no gas line how exactly do you hook up a gas stove Mike": (
            "comment", "Brenda Kowalski"),
    }
    assert found["Like · Reply · 14h   👍 61"][0] == "boilerplate"


def test_a_social_posts_header_with_the_posters_name_after_the_handle(tmp_path):
    """ "@handle (Name, role) · date" heads a post as "Name (@handle)" does;
    a post in capitals under "Replying to" is its poster's, not a heading."""
    found = attributed(tmp_path, "tweets.txt", """Tweet thread, compiled 18 June 2025

@MattiaRossi (Mattia Rossi, transfer reporter) · 16 Jun 2025, 22:04
Marta Vidal to Olympique Lyonnais, here we go! Contract signed until June 2028.

@ol_ultra · 16 Jun 2025, 22:11
Replying to @MattiaRossi
WELCOME TO LYON MARTA!!! She's one of us now

@laura_ff (Laura Benítez, reporter) · 17 Jun 2025, 10:26
Nothing is signed with Lyon. Talks advanced, yes. Signature, no.
""")
    assert found[
        "Marta Vidal to Olympique Lyonnais, here we go! Contract signed until June 2028."
    ][:2] == ("comment", "@MattiaRossi")
    assert found["WELCOME TO LYON MARTA!!! She's one of us now"][:2] == ("comment", "@ol_ultra")
    assert found["Nothing is signed with Lyon. Talks advanced, yes. Signature, no."][:2] == (
        "comment", "@laura_ff")


def test_a_copied_facebook_thread_without_footers_dates_each_post(tmp_path):
    """The same thread copied without its "Like · Reply" lines: a name, the
    time it was posted on the next line and the post under it."""
    found = attributed(tmp_path, "group.txt", """Greyhaven Community Noticeboard
Public group · 6.1K members

Kerry Dunmore
20 May 2025 at 08:47
Is it true the bridge is closing for a WHOLE YEAR from July?? Anyone know anything?

👍😮 64 · 38 comments

Deb Harding
20 May 2025 at 09:21
It's NOT shutting for a year. The Gazette got it wrong.

Write a comment…
""")
    assert found[
        "Is it true the bridge is closing for a WHOLE YEAR from July?? Anyone know anything?"
    ] == ("comment", "Kerry Dunmore", "2025-05-20T08:47:00")
    assert found["It's NOT shutting for a year. The Gazette got it wrong."] == (
        "comment", "Deb Harding", "2025-05-20T09:21:00")


def test_a_qa_pages_question_is_its_askers(tmp_path):
    """A Q&A page's question, the page's title inside it, is its asker's
    words, as each answer is its answerer's: not the site's."""
    page = """<html><head><title>Should I take vitamin C every day? - HealthAnswers</title></head>
<body><main><div class="question">
<h1>Should I take vitamin C every day?</h1>
<p class="asked">Asked 12 November 2023 by <a class="author" href="/u/mum3">mum3</a></p>
<p>With three kids at school I catch every cold going. My sister swears by vitamin C.</p>
</div>
<h2>1 Answer</h2>
<div class="answer"><p class="answer-author">Rachel Ng</p>
<p>Taking vitamin C every day won't stop you catching colds.</p></div>
</main></body></html>"""
    found = attributed(tmp_path, "qa.html", page)
    asked = "With three kids at school I catch every cold going. My sister swears by vitamin C."
    assert found[asked][:2] == ("comment", "mum3")
    assert found["Taking vitamin C every day won't stop you catching colds."][:2] == (
        "comment", "Rachel Ng")


def test_a_letter_to_an_advice_column_is_its_writers(tmp_path):
    """ "Dear Dr. Morales, ... — Worried in Westfield": the reader's letter
    is the reader's, under their pen name; the columnist's answer the page's."""
    found = attributed(tmp_path, "column.txt", """ASK DR. MORALES

Knuckle-popping habit is annoying, but it won't wreck your joints

Dear Dr. Morales,

My mother always told us that if you crack your knuckles you will end up with arthritis.

— Worried in Westfield

Dear Worried,

The habit does not appear to cause arthritis.
""")
    letter = (
        "My mother always told us that if you crack your knuckles you will end up with arthritis."
    )
    assert found[letter][:2] == ("comment", "Worried in Westfield")
    assert found["The habit does not appear to cause arthritis."][:2] == ("content", None)


def test_a_note_in_italics_below_a_thread_is_the_pages(tmp_path):
    """The last post of a thread runs to the page's end, but not over the
    compiler's note in italics below it."""
    found = attributed(tmp_path, "thread.md", """# Archived thread

**@ann** · Jun 15, 2025
She is alive, the label says.

**@bob** · Jun 15, 2025
That's what a label would say.

**@cy** · Jun 15, 2025
Wait for the family.

*Posts shown are as captured; deleted posts are preserved from the snapshot.*
""")
    assert found["Wait for the family."][:2] == ("comment", "@cy")
    note = "*Posts shown are as captured; deleted posts are preserved from the snapshot.*"
    assert found[note][:2] == ("content", None)


def test_a_saved_reddit_posts_text_is_its_posters_title_and_all(tmp_path):
    """A saved Reddit page's post holds the thread's title (an <h1>), and is
    still its poster's, "u/" and all, as its replies are theirs."""
    page = """<html><head><title>Quit diet soda after the WHO news? : nutrition</title></head><body>
<div class="post">
<p class="meta">Posted by <span class="author">u/diet_coke_dan</span> · 2023-07-15</p>
<h1>Quit diet soda after the WHO news. Overreacting?</h1>
<div class="body"><p>I'm honestly convinced the stuff gave my aunt cancer.</p></div></div>
<div class="comments"><div class="comment">
<p class="meta"><span class="author">u/tox_grad</span></p>
<p>Drinking it won't give you cancer, full stop.</p></div></div>
</body></html>"""
    found = attributed(tmp_path, "thread.html", page)
    assert found["I'm honestly convinced the stuff gave my aunt cancer."][:2] == (
        "comment", "u/diet_coke_dan")
    assert found["Drinking it won't give you cancer, full stop."][:2] == ("comment", "u/tox_grad")


def test_a_line_in_small_letters_heads_no_post(tmp_path):
    """A poster's name is capitalised: "then the rain came" over a time and
    a paragraph is no one's post, however often the page does it."""
    entry = "then the rain came\n20 May 2025 at 08:47\nWe sheltered under the bridge.\n\n"
    found = attributed(tmp_path, "diary.txt", "Trip diary\n\n" + entry * 2)
    assert found["We sheltered under the bridge."][:2] == ("content", None)


def test_numbered_posts_with_dates_written_day_first(tmp_path):
    """A forum's "#3 Posted by NAME, 14.10.2026 10:47": the post's number
    before it, its date day first."""
    found = attributed(tmp_path, "forum.txt", """Thread: NWAV suspended, what now?

#1 Posted by ValueHunter88, 14.10.2026 08:55
Shares suspended pre-market.

#2 Posted by K_Lindner_CFA, 14.10.2026 10:47
That is not an insolvency, not yet.
""")
    assert found["Shares suspended pre-market."] == (
        "comment", "ValueHunter88", "2026-10-14T08:55:00")
    assert found["That is not an insolvency, not yet."][:2] == ("comment", "K_Lindner_CFA")
