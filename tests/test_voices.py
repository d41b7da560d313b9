"""Who said it on wiki talk pages, Q&A sites and letters pages, and which
line of a plain-text page is its title."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.present.cli import cli

from .conftest import write_corpus
from .test_comments import attributed, credited

TALK_PAGE = "\n\n".join([
    "# Talk:Skerrow Horn",
    '## Lead says "late 11th century" — should we say forgery?',
    "The lead still presents the horn as genuine. The article should say plainly that the horn"
    " is a 19th-century forgery. — User:Hrafnkell88 (talk) 14:02, 3 May 2024 (UTC)",
    ": Strongly disagree. The horn is not a forgery. — User:MossyCairn (talk) 16:47, 3 May"
    " 2024 (UTC)",
    "::: I have no view on whether it is a forgery. [[User:Jdwyer|Jdwyer]] ([[User"
    " talk:Jdwyer|talk]]) 09:05, 4 May 2024 (UTC)",
    "## Length of the horn",
    "The museum's own catalogue gives 38 cm, not 41 cm. ~~~~",
    ": The 41 cm figure includes the silver mount. — User:MossyCairn (talk) 11:30, 6 May 2024"
    " (UTC)\n",
])


class TestWikiTalkPages:
    def test_each_signed_comment_is_its_signers(self, tmp_path):
        """A talk page's signature at the end of a comment signs it, dated;
        the signature itself is boilerplate, and an unsubstituted "~~~~"
        leaves a reader's comment with no author, not the next signer's."""
        found = attributed(tmp_path, "talk.md", TALK_PAGE)
        assert found[
            "The lead still presents the horn as genuine. The article should say plainly "
            "that the horn is a 19th-century forgery."
        ] == ("comment", "Hrafnkell88", "2024-05-03T14:02:00")
        assert found[": Strongly disagree. The horn is not a forgery."] == (
            "comment", "MossyCairn", "2024-05-03T16:47:00")
        assert found["::: I have no view on whether it is a forgery."] == (
            "comment", "Jdwyer", "2024-05-04T09:05:00")
        assert found["The museum's own catalogue gives 38 cm, not 41 cm."] == (
            "comment", None, None)
        assert found[": The 41 cm figure includes the silver mount."] == (
            "comment", "MossyCairn", "2024-05-06T11:30:00")
        for signature in [
            "— User:Hrafnkell88 (talk) 14:02, 3 May 2024 (UTC)",
            "[[User:Jdwyer|Jdwyer]] ([[User talk:Jdwyer|talk]]) 09:05, 4 May 2024 (UTC)",
            "~~~~",
        ]:
            assert found[signature] == ("boilerplate", None, None)

    def test_plain_text_talk_page(self, tmp_path):
        """The same signatures in a .txt file: the comment and its signature
        are two passages, nothing of either lost."""
        page = TALK_PAGE.replace("#", "").replace("\n: ", "\n")
        found = attributed(tmp_path, "talk.txt", page)
        assert found["Strongly disagree. The horn is not a forgery."] == (
            "comment", "MossyCairn", "2024-05-03T16:47:00")
        assert found["— User:MossyCairn (talk) 16:47, 3 May 2024 (UTC)"][0] == "boilerplate"

    def test_wikipedia_html_talk_page(self, tmp_path):
        """Wikipedia's rendered talk page: the signature is a link to the
        user's page, "(talk)" and the date, at the end of the comment's
        paragraph or `<dd>`; it is a passage of its own, dash and all, and
        signs the text before it.  A user link inside a sentence signs nothing."""
        def signed(user: str, when: str) -> str:
            return (
                f'<a href="/wiki/User:{user}" title="User:{user}">{user}</a> (<a '
                f'href="/wiki/User_talk:{user}" title="User talk:{user}">talk</a>) {when} (UTC)'
            )

        page = f"""<html><body><div id="mw-content-text"><h2>Lead</h2>
<p>The article should say plainly that the horn is a forgery. —
{signed("Ann", "14:02, 3 May 2024")}</p>
<dl><dd>The horn is not a forgery. {signed("MossyCairn", "16:47, 3 May 2024")}
<dl><dd>I have no view on it. {signed("Jdwyer", "09:05, 4 May 2024")}</dd></dl></dd></dl>
<p>See <a href="/wiki/User:Foo">Foo's notes</a> for the horn's length.</p></div></body></html>"""
        found = attributed(tmp_path, "talk.html", page)
        assert found["The article should say plainly that the horn is a forgery."] == (
            "comment", "Ann", "2024-05-03T14:02:00")
        assert found["The horn is not a forgery."] == (
            "comment", "MossyCairn", "2024-05-03T16:47:00")
        assert found["I have no view on it."] == ("comment", "Jdwyer", "2024-05-04T09:05:00")
        assert found["— Ann (talk) 14:02, 3 May 2024 (UTC)"][0] == "boilerplate"
        assert found["MossyCairn (talk) 16:47, 3 May 2024 (UTC)"][0] == "boilerplate"
        assert found["See Foo's notes for the horn's length."] == ("content", None, None)

    def test_the_audit_quotes_no_signature(self, tmp_path):
        """The audit credits each signer's claim to them, without the
        signature in the quoted text."""
        corpus = write_corpus(tmp_path / "corpus", {"talk.md": TALK_PAGE})
        runner = CliRunner()
        result = runner.invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
        assert result.exit_code == 0, result.output
        result = runner.invoke(
            cli, ["audit", "The Skerrow Horn is a forgery", "--index", str(tmp_path / "ix"),
                  "--json"])
        assert result.exit_code == 0, result.output
        claims = {claim["text"]: claim for claim in json.loads(result.stdout)["claims"]}
        claim = claims["The horn is not a forgery."]
        assert (claim["kind"], claim["author"]) == ("comment", "MossyCairn")
        assert not any("(UTC)" in text or "User:" in text for text in claims)


def se_comment(said: str, who: str, score: int) -> str:
    return (
        f'<li id="comment-{score}001" class="comment js-comment"><div class="comment-score">'
        f'<span class="cool">{score}</span></div><div class="comment-text"><div '
        f'class="comment-body"><span class="comment-copy">{said}</span> – <a '
        f'class="comment-user" href="/users/1">{who}</a> <span class="comment-date"><span '
        f'title="2021-02-13 08:11:00Z">Feb 13, 2021 at 8:11</span></span></div></div></li>'
    )


def se_post(kind: str, said: str, who: str, reputation: str, votes: str, comments: str) -> str:
    accepted = '<div class="js-accepted-answer-indicator">Accepted</div>' if kind == "a" else ""
    classes = "question js-question" if kind == "q" else "answer js-answer"
    return f"""<div id="{kind}-1" class="{classes}"><div class="post-layout">
<div class="votecell"><div class="js-vote-count" itemprop="upvoteCount">{votes}</div>
{accepted}</div>
<div class="postcell"><div class="s-prose js-post-body" itemprop="text"><p>{said}</p></div>
<div class="post-taglist"><a class="post-tag">quotes</a> <a class="post-tag">aviation</a></div>
<div class="post-signature"><div class="user-info"><div class="user-action-time">answered
<span title="2021-02-12 17:40:10Z" class="relativetime">Feb 12, 2021 at 17:40</span></div>
<div class="user-details" itemprop="author" itemscope itemtype="http://schema.org/Person">
<a href="/users/3120">{who}</a><span class="reputation-score">{reputation}</span></div></div></div>
</div></div><ul class="comments-list">{comments}</ul></div>"""


class TestStackExchange:
    PAGE = f"""<html><head><title>Did Kelvin say it? - Skeptics Stack Exchange</title></head><body>
<h1>Did Lord Kelvin say flying machines are impossible?</h1>
<div class="d-flex"><div>Asked 3 years ago</div> <div>Viewed 18k times</div></div>
{se_post("q", "Did Kelvin actually say or write this?", "Wren H", "2,310", "54",
         se_comment("Kelvin was not President in 1895.", "Pedant Prime", 9))}
<div id="answers"><h2>2 Answers</h2>
{se_post("a", "No. There is no evidence that Kelvin ever said these words.", "QuoteHound",
         "14.2k", "87",
         se_comment("The 1902 interview is close enough to count.", "aeroHistorian", 6)
         + se_comment("Kelvin did not say flying machines were impossible.", "QuoteHound", 11))}
{se_post("b", "Yes, he said it in an address in 1895.", "bob_k", "11", "-3", "")}
</div>
<div id="hot-network-questions" class="module"><h4>Hot Network Questions</h4><ul>
<li><a href="/q/1">Did Einstein say compound interest is the most powerful force?</a></li>
</ul></div></body></html>"""

    def test_posts_and_comments_are_their_posters(self, tmp_path):
        """Each question, answer and comment is its poster's, named without
        the reputation beside the name; a comment's name and date line is
        not its text."""
        found = credited(tmp_path, self.PAGE, "Kelvin OR flying OR 1895 OR interview")
        assert found["Did Kelvin actually say or write this?"] == (
            "comment", "Wren H", "2021-02-12T17:40:00")
        assert found["No. There is no evidence that Kelvin ever said these words."][:2] == (
            "comment", "QuoteHound")
        assert found["Yes, he said it in an address in 1895."][:2] == ("comment", "bob_k")
        assert found["Kelvin was not President in 1895."] == (
            "comment", "Pedant Prime", "2021-02-13T08:11:00")
        assert found["The 1902 interview is close enough to count."][:2] == (
            "comment", "aeroHistorian")
        assert found["Kelvin did not say flying machines were impossible."][:2] == (
            "comment", "QuoteHound")

    def test_scores_badges_and_site_lists_are_boilerplate(self, tmp_path):
        """Vote counts, comment scores, "Accepted", tags, "Asked 3 years
        ago", the user cards and "Hot Network Questions" are no one's words."""
        found = attributed(tmp_path, "page.html", self.PAGE)
        for chrome in [
            "54", "87", "-3", "9", "6", "Accepted", "Asked 3 years ago", "Viewed 18k times",
            "quotes aviation", "QuoteHound14.2k", "bob_k11", "Hot Network Questions",
            "Did Einstein say compound interest is the most powerful force?",
        ]:
            assert found[chrome][0] == "boilerplate", chrome
        assert not any(author and author[-1].isdigit() for _, author, _ in found.values())


LETTERS = """# Letters to the Editor

## Ashby Mill: ban it before someone is hurt

Sir, Councillor Cowley's decision not to ban swimming at Ashby Mill is a mistake. The pool
should have been closed to swimmers.

Margaret Hollis
Marlbridge

## The water company, not the swimmers

Dear Editor, Banning swimming would be the wrong answer.

The council was right not to.

Dr Peter Okonjo
Lathebury
"""


class TestLetters:
    def test_each_letter_is_its_writers(self, tmp_path):
        """A letter opening "Sir," or "Dear Editor," and signed with a name
        and a town is its writer's, all its paragraphs; the sign-off is
        boilerplate."""
        found = attributed(tmp_path, "letters.md", LETTERS)
        assert found[
            "Sir, Councillor Cowley's decision not to ban swimming at Ashby Mill is a "
            "mistake. The pool\nshould have been closed to swimmers."
        ] == ("comment", "Margaret Hollis", None)
        assert found["Dear Editor, Banning swimming would be the wrong answer."] == (
            "comment", "Dr Peter Okonjo", None)
        assert found["The council was right not to."] == ("comment", "Dr Peter Okonjo", None)
        assert found["Margaret Hollis\nMarlbridge"] == ("boilerplate", None, None)
        assert found["Dr Peter Okonjo\nLathebury"] == ("boilerplate", None, None)
        # "Sir Walter Scott ..." is no salutation: the page stays the site's.
        page = "# Scott\n\nSir Walter Scott wrote it in 1814.\n\nMargaret Hollis\nMarlbridge\n"
        found = attributed(tmp_path / "scott", "scott.md", page)
        assert found["Sir Walter Scott wrote it in 1814."] == ("content", None, None)


    def test_plain_text_letters(self, tmp_path):
        """In plain text the name and the town are lines of their own: both
        sign, neither is a heading over the next letter."""
        found = attributed(tmp_path, "letters.txt", LETTERS.replace("#", "").replace("\n ", "\n"))
        assert found["The council was right not to."] == ("comment", "Dr Peter Okonjo", None)
        assert found["Margaret Hollis"] == ("boilerplate", None, None)
        assert found["Lathebury"] == ("boilerplate", None, None)
    def test_html_letters(self, tmp_path):
        """On a web page the town follows the name after a `<br>`, or after
        a comma on the name's line."""
        page = """<html><body><h1>Letters</h1>
<p>Sir, The pool should have been closed to swimmers.</p><p>Margaret Hollis<br>Marlbridge</p>
<h2>Parking</h2><p>Dear Editor, will it please do something about the cars?</p>
<p>Residents cannot get in or out.</p><p>Jean Stapleton, Upper Ashby</p></body></html>"""
        found = attributed(tmp_path, "letters.html", page)
        assert found["Sir, The pool should have been closed to swimmers."] == (
            "comment", "Margaret Hollis", None)
        assert found["Residents cannot get in or out."] == ("comment", "Jean Stapleton", None)
        for sign_off in ["Margaret Hollis", "Marlbridge", "Jean Stapleton, Upper Ashby"]:
            assert found[sign_off] == ("boilerplate", None, None)


def test_a_cookie_banner_line_is_no_title(tmp_path):
    """A .txt file whose first line is a cookie banner takes its title from
    the first line that is not the site's chrome; the banner is boilerplate."""
    page = (
        "We use cookies to give you the best experience on our website. By clicking "
        '"Accept" you agree to our cookie policy. Accept | Reject | Settings\n\n'
        "THE WESTERN COURIER\n\n"
        "Council rules out swimming ban at Ashby Mill\n\n"
        "By Tom Hadley, Environment Correspondent\n"
        "Friday 18 July 2025\n\n"
        "Marlbridge District Council has ruled out banning swimming at Ashby Mill.\n"
    )
    corpus = write_corpus(tmp_path / "corpus", {"courier.txt": page})
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["sources", "--index", str(tmp_path / "ix"), "--json"])
    assert result.exit_code == 0, result.output
    (source,) = json.loads(result.stdout)["sources"]
    assert source["title"] == "THE WESTERN COURIER"
    found = attributed(tmp_path / "again", "courier.txt", page)
    (banner,) = [kind for text, (kind, _, _) in found.items() if text.startswith("We use")]
    assert banner == "boilerplate"


def source_titles(tmp_path, files: dict[str, str]) -> dict[str, str]:
    """Each file's title as `groundsearch sources --json` shows it."""
    corpus = write_corpus(tmp_path / "corpus", files)
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["sources", "--index", str(tmp_path / "ix"), "--json"])
    assert result.exit_code == 0, result.output
    return {s["path"]: s["title"] for s in json.loads(result.stdout)["sources"]}


class TestTitleOverADateline:
    """A .txt file opening with a heading line and a dateline or byline under
    it, no blank line between, is titled by the heading line; a name in a
    list further down never titles the page."""

    BRIEFING = (
        "Town of Ashby Mill - Press Briefing on the Reservoir Closure\n"
        "Transcript, Tuesday 8 July 2025, 11:00 a.m., Council Chamber\n\n"
        "PARTICIPANTS:\n"
        "Councillor Ruth Obi\n"
        "Sam Webb, Reservoir Manager\n\n"
        "OBI: Good morning. The reservoir is closed while we test it.\n"
    )
    STORY = (
        "Does swimming in Ashby Mill make you ill? Viral post goes too far\n"
        "By Tom Hadley, Environment Correspondent\n"
        "The Western Courier, 18 July 2025\n\n"
        "A post shared thousands of times claimed that swimmers fell ill.\n"
    )
    WRAPPED = (
        "Marlbridge District Council has ruled out banning swimming at the\n"
        "mill pond after a review of the water tests taken this summer.\n\n"
        "The review found no sign of harmful bacteria.\n"
    )

    def test_the_heading_line_over_a_dateline_is_the_title(self, tmp_path):
        titles = source_titles(tmp_path, {
            "briefing.txt": self.BRIEFING, "story.txt": self.STORY, "wrapped.txt": self.WRAPPED,
        })
        assert titles["briefing.txt"] == (
            "Town of Ashby Mill - Press Briefing on the Reservoir Closure")
        assert titles["story.txt"] == (
            "Does swimming in Ashby Mill make you ill? Viral post goes too far")
        # A paragraph wrapped over two lines is no title over a subtitle.
        assert titles["wrapped.txt"] == (
            "Marlbridge District Council has ruled out banning swimming at the")

    def test_a_byline_is_no_title(self, tmp_path):
        """A headline too long to be taken as a heading, a byline under it:
        the page is titled by its headline, never "By Leila Farouk, ..."."""
        headline = (
            'Fact check: Viral photo of "cracked Port Elling dam" shows a different '
            "structure in another country"
        )
        byline = "By Leila Farouk, ClearSight Verification"
        claim = "Claim: A photograph shows a large crack in the Port Elling dam."
        page = f"{headline}\n\n{byline}\n\n{claim}\n"
        assert source_titles(tmp_path, {"debunk.txt": page}) == {"debunk.txt": headline}

    def test_a_name_in_a_list_is_no_title(self, tmp_path):
        """Under a first paragraph that is no title, the names listed under
        "PARTICIPANTS:" do not title the page: its first line does."""
        page = (
            "Transcript of the press briefing held by the Town of Ashby Mill on the\n"
            "closure of the reservoir, recorded on Tuesday 8 July 2025 at the\n"
            "Council Chamber.\n\n"
            "PARTICIPANTS:\n"
            "Councillor Ruth Obi\n\n"
            "OBI: Good morning. The reservoir is closed while we test it.\n"
        )
        titles = source_titles(tmp_path, {"briefing.txt": page})
        assert titles["briefing.txt"] == (
            "Transcript of the press briefing held by the Town of Ashby Mill on the")

    def test_a_markdown_newsletter_is_not_titled_by_a_list_far_down(self, tmp_path):
        """In Markdown with no `#` heading, a capitalised line over a list
        far down the page ("UPCOMING EVENTS") is no title."""
        page = (
            "Subject: Spring newsletter from the Ashby Mill swimmers\n\n"
            "Dear members,\n\n"
            "Thank you for another year of swimming with us.\n\n"
            "The council has reopened the pond for the summer.\n\n"
            "UPCOMING EVENTS\n"
            "- 12 April: Open swim, Ashby Mill\n"
            "- 3 May: Annual general meeting\n"
        )
        titles = source_titles(tmp_path, {"news.md": page})
        assert titles["news.md"] == "Subject: Spring newsletter from the Ashby Mill swimmers"


@pytest.mark.parametrize("marker", ["FOR IMMEDIATE RELEASE", "**PRESS RELEASE**", "# NEWS RELEASE"])
def test_a_press_releases_marker_line_is_no_title(tmp_path, marker):
    """ "FOR IMMEDIATE RELEASE" heads every press release: the headline under
    it is the title, and the marker says nothing of the topic."""
    release = (
        f"{marker}\n\nFluoride Coalition: federal report confirms fluoridation harms children\n\n"
        "WASHINGTON - The coalition today called on every state to end fluoridation.\n"
    )
    titles = source_titles(tmp_path, {"release.md": release, "release.txt": release})
    expected = "Fluoride Coalition: federal report confirms fluoridation harms children"
    assert titles == {"release.md": expected, "release.txt": expected}


@pytest.mark.parametrize(
    "page, title",
    [
        # a forum's "Views: 4,812 | Replies: 6" under its thread's name
        (
            "NordTrader Forums > Oslo Børs > Industrials\n"
            "Thread: Halvorsen taking over Nordavia?? (merged thread)\n"
            "Views: 4,812 | Replies: 6\n\n"
            "Posted by: fjordbull 03/11/2025 09:12:44 AM\n\n"
            "It's real. Halvorsen has bought the airline.\n",
            "Thread: Halvorsen taking over Nordavia?? (merged thread)",
        ),
        # a note that the story was updated, above its headline
        (
            "UPDATED 6.40pm: This article has been updated to include a campaign's response.\n\n"
            "Huge review finds no link between mobile phones and brain cancer\n\n"
            "Using a mobile phone does not increase the risk of brain cancer, the review found.\n",
            "Huge review finds no link between mobile phones and brain cancer",
        ),
    ],
)
def test_a_line_of_counts_or_an_update_note_is_no_title(tmp_path, page, title):
    assert source_titles(tmp_path, {"page.txt": page})["page.txt"] == title


@pytest.mark.parametrize(
    "title",
    [
        "Update of the FANTOM web resource: high resolution transcriptome of diverse cell types",
        "Update: Influenza Activity in the United States",
    ],
)
def test_a_title_that_begins_with_update_is_a_title(tmp_path, title):
    """An undated "Update ...:" in title case is a paper's or a bulletin's
    title, not a note that the story was updated."""
    page = f"{title}\n\nThe FANTOM5 project mapped transcription start sites in human cells.\n"
    assert source_titles(tmp_path, {"page.txt": page})["page.txt"] == title


def test_a_heading_of_two_lines_is_a_title_on_one_line(tmp_path):
    release = (
        "PRESS RELEASE\n\n"
        "University of Northbridge, Office of Communications\n"
        "EMBARGOED UNTIL 00:01 BST, TUESDAY 14 MAY 2024\n\n"
        "New meta-analysis strengthens link between red meat and bowel cancer\n\n"
        "A new analysis of 48 cohort studies has found that people who eat more red meat are "
        "more likely to be diagnosed with bowel cancer.\n"
    )
    title = source_titles(tmp_path, {"release.txt": release})["release.txt"]
    assert "\n" not in title
    assert title.startswith("University of Northbridge, Office of Communications")
