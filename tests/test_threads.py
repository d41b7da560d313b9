"""Reddit-style threads saved as Markdown, text or HTML: each comment is its
poster's, the thread's post its original poster's."""

from __future__ import annotations

import json

from click.testing import CliRunner

from search.present.cli import cli

from .conftest import indexed_with_cli
from .test_comments import attributed

THREAD = """# r/diabetes_t2 · Has anyone actually had cinnamon work for their numbers?

Posted by u/marigold_kettle · 3y ago

Diagnosed in March. Is there anything to cinnamon, or is it another internet thing?

---

**u/BolusBarry** · 3y ago · 212 points

My fasting readings went from 150 to 130, but I also started walking.

> **u/marigold_kettle** · 3y ago · 41 points (OP)
>
> That's a fair point about the walking.

> **u/glucose_goblin** · 3y ago · 88 points
>
> Took the capsules for six months, no change at all in my A1c.
>
> My endocrinologist would not spend money on it.
>
> > **u/BolusBarry** · 3y ago · 30 points
> >
> > I wouldn't argue with that.

**u/sugarfree_steve** · 3y ago · 64 points

It absolutely lowers blood sugar. I dropped 40 points in two weeks.

**Important** · 3y ago, and still true: u/BolusBarry was right about the walking.

u/glucose_goblin wrote a long reply about trials.
"""


class TestMarkdownThreads:
    def test_each_comment_is_its_posters(self, tmp_path):
        """Each comment, nested quoted replies too, is a passage of its own,
        credited to its poster (the name without "u/"), verbatim and without
        its quote marks; the post under "Posted by u/…" is the original
        poster's, not a byline's article."""
        found = attributed(tmp_path, "thread.md", THREAD)
        assert found[
            "Diagnosed in March. Is there anything to cinnamon, or is it another internet thing?"
        ] == ("comment", "marigold_kettle", None)
        assert found[
            "My fasting readings went from 150 to 130, but I also started walking."
        ] == ("comment", "BolusBarry", None)
        assert found["That's a fair point about the walking."] == (
            "comment", "marigold_kettle", None)
        assert found["Took the capsules for six months, no change at all in my A1c."] == (
            "comment", "glucose_goblin", None)
        assert found["My endocrinologist would not spend money on it."] == (
            "comment", "glucose_goblin", None)
        assert found["I wouldn't argue with that."] == ("comment", "BolusBarry", None)
        assert found[
            "It absolutely lowers blood sugar. I dropped 40 points in two weeks."
        ] == ("comment", "sugarfree_steve", None)

    def test_headers_are_kept_as_boilerplate(self, tmp_path):
        """A header's score and age are no one's words, but stay in the
        document: the header line is a boilerplate passage, quote marks aside."""
        found = attributed(tmp_path, "thread.md", THREAD)
        for header in [
            "Posted by u/marigold_kettle · 3y ago",
            "**u/BolusBarry** · 3y ago · 212 points",
            "**u/marigold_kettle** · 3y ago · 41 points (OP)",
            "**u/glucose_goblin** · 3y ago · 88 points",
            "**u/BolusBarry** · 3y ago · 30 points",
        ]:
            assert found[header] == ("boilerplate", None, None)

    def test_bold_and_user_names_in_prose_head_nothing(self, tmp_path):
        """Bold text with an age after it, and a line of prose that starts
        with "u/", are not headers: they are the last comment's words."""
        found = attributed(tmp_path, "thread.md", THREAD)
        prose = [text for text in found if "still true" in text or "long reply" in text]
        assert prose
        assert {found[text] for text in prose} == {("comment", "sugarfree_steve", None)}
        assert "**Important** · 3y ago, and still true" not in {
            text for text, (kind, _, _) in found.items() if kind == "boilerplate"
        }


TEXT_THREAD = """r/diabetes · Does cinnamon work?

submitted 3 years ago by marigold_kettle

Diagnosed in March. Is there anything to it?

[–] BolusBarry 212 points 3 years ago (2 children)
I tried Ceylon cinnamon for three months.

    [–] glucose_goblin 88 points 3 years ago
    No change at all in my A1c.

    [–] [deleted] 3 points 3 years ago
    Mine went up.

level 1 · sugarfree_steve · 4 yr. ago
It absolutely lowers blood sugar.

level 2 · glucose_goblin · 4 yr. ago
One meter reading is not evidence.

u/AutoModerator • 5h
Reminder: no medical advice here.
"""


def test_plain_text_thread_headers(tmp_path):
    """Old Reddit's "[–] name N points … ago", "level N · name · age",
    "u/name • 5h" and "submitted … by name" head their comments in a .txt
    file, indented replies too; a deleted poster's comment has no author;
    the line under a header is a comment even if it looks like a heading."""
    found = attributed(tmp_path, "thread.txt", TEXT_THREAD)
    assert found["Diagnosed in March. Is there anything to it?"] == (
        "comment", "marigold_kettle", None)
    assert found["I tried Ceylon cinnamon for three months."] == ("comment", "BolusBarry", None)
    assert found["No change at all in my A1c."] == ("comment", "glucose_goblin", None)
    assert found["Mine went up."] == ("comment", None, None)
    assert found["It absolutely lowers blood sugar."] == ("comment", "sugarfree_steve", None)
    assert found["One meter reading is not evidence."] == ("comment", "glucose_goblin", None)
    assert found["Reminder: no medical advice here."] == ("comment", "AutoModerator", None)
    assert found["[–] BolusBarry 212 points 3 years ago (2 children)"] == (
        "boilerplate", None, None)
    # A thread saved from its first comment on: the header is no title.
    first = attributed(tmp_path / "first", "first.txt", "u/Ann • 5h\nIs this normal?\n")
    assert first["Is this normal?"] == ("comment", "Ann", None)


def old_reddit_comment(who: str, said: str, when: str, replies: str = "") -> str:
    return f"""<div class=" thing id-t1_{who} noncollapsed comment " data-type="comment"
data-author="{who}"><div class="entry unvoted"><p class="tagline"><a href="#"
class="expand">[–]</a><a href="https://old.reddit.com/user/{who}" class="author may-blank">{who}</a>
<span class="score dislikes" title="11">11 points</span><span class="score unvoted" title="12">12
points</span> <time datetime="{when}" class="live-timestamp">3 years ago</time></p>
<form action="#" class="usertext warn-on-unload"><div class="usertext-body"><div class="md">
<p>{said}</p></div></div></form><ul class="flat-list buttons"><li><a href="#">permalink</a></li>
<li><a href="#">embed</a></li><li><a href="#">save</a></li><li><a href="#">reply</a></li></ul>
</div><div class="child">{replies}</div></div>"""


OLD_REDDIT = f"""<html><head><title>Has cinnamon worked for anyone? : diabetes_t2</title></head>
<body><div class="content" role="main"><div id="siteTable" class="sitetable linklisting">
<div class=" thing id-t3_abc link self" data-type="link" data-author="marigold_kettle">
<div class="entry unvoted"><p class="title"><a class="title">Has cinnamon worked for anyone?</a></p>
<p class="tagline">submitted <time datetime="2021-03-02T14:00:00+00:00">3 years ago</time> by
<a href="https://old.reddit.com/user/marigold_kettle" class="author">marigold_kettle</a></p>
<ul class="flat-list buttons"><li><a href="#">12 comments</a></li>
<li><a href="#">share</a></li></ul>
<div class="expando"><form action="#" class="usertext warn-on-unload"><div class="usertext-body">
<div class="md"><p>My mother-in-law keeps sending me cinnamon capsules.</p></div></div></form>
</div></div></div></div>
<div class="commentarea"><div class="sitetable nestedlisting">
{old_reddit_comment("BolusBarry", "My fasting readings went from 150 to 130.",
                    "2021-03-02T15:00:00+00:00",
                    old_reddit_comment("glucose_goblin", "No change at all in my A1c.",
                                       "2021-03-02T16:00:00+00:00"))}
{old_reddit_comment("sugarfree_steve", "It absolutely lowers blood sugar.",
                    "2021-03-03T09:00:00+00:00")}
</div></div></div></body></html>"""


#: Each comment of the saved thread pages below: (kind, poster, date).
SAVED_THREAD_VOICES = {
    "My mother-in-law keeps sending me cinnamon capsules.": (
        "comment", "marigold_kettle", "2021-03-02T14:00:00+00:00"),
    "My fasting readings went from 150 to 130.": (
        "comment", "BolusBarry", "2021-03-02T15:00:00+00:00"),
    "No change at all in my A1c.": ("comment", "glucose_goblin", "2021-03-02T16:00:00+00:00"),
    "It absolutely lowers blood sugar.": (
        "comment", "sugarfree_steve", "2021-03-03T09:00:00+00:00"),
}


def test_old_reddit_html(tmp_path):
    """An old.reddit page saved as HTML: each comment's text (in its
    `<form class="usertext">`) is its poster's, a nested reply its own
    poster's, dated; the post is the original poster's; the tagline (name,
    scores, age) and the buttons are boilerplate."""
    found = attributed(tmp_path, "thread.html", OLD_REDDIT)
    assert {text: found[text] for text in SAVED_THREAD_VOICES} == SAVED_THREAD_VOICES
    taglines = [text for text in found if "points" in text and "3 years ago" in text]
    assert len(taglines) == 3
    assert {found[text][0] for text in taglines} == {"boilerplate"}
    assert {found[button][0] for button in ("permalink", "embed", "save", "reply")} == {
        "boilerplate"}


def shreddit_comment(who: str, said: str, when: str, replies: str = "") -> str:
    return f"""<shreddit-comment author="{who}" thingid="t1_{who}" depth="0" score="12"
created="{when}"><div slot="commentMeta"><faceplate-hovercard><a href="/user/{who}/">{who}</a>
</faceplate-hovercard> <span>•</span> <faceplate-timeago><time datetime="{when}">3y ago</time>
</faceplate-timeago></div><div slot="comment" class="md"><p>{said}</p></div>
<shreddit-comment-action-row slot="actionRow"><button>Reply</button></shreddit-comment-action-row>
{replies}</shreddit-comment>"""


NEW_REDDIT = f"""<html><head><title>Has cinnamon worked for anyone? : r/diabetes_t2</title></head>
<body><shreddit-app><main id="main-content">
<shreddit-post author="marigold_kettle" post-title="Has cinnamon worked for anyone?"
created-timestamp="2021-03-02T14:00:00.000000+0000" score="57" post-type="text">
<div slot="credit-bar"><a href="/r/diabetes_t2/">r/diabetes_t2</a> • <faceplate-timeago>
<time datetime="2021-03-02T14:00:00.000Z">3y ago</time></faceplate-timeago>
<a href="/user/marigold_kettle/">marigold_kettle</a></div>
<h1 slot="title">Has cinnamon worked for anyone?</h1>
<div slot="text-body"><div class="md"><p>My mother-in-law keeps sending me cinnamon capsules.</p>
</div></div></shreddit-post>
<shreddit-comment-tree totalcomments="3">
{shreddit_comment("BolusBarry", "My fasting readings went from 150 to 130.",
                  "2021-03-02T15:00:00.000000+0000",
                  shreddit_comment("glucose_goblin", "No change at all in my A1c.",
                                   "2021-03-02T16:00:00.000000+0000"))}
{shreddit_comment("sugarfree_steve", "It absolutely lowers blood sugar.",
                  "2021-03-03T09:00:00.000000+0000")}
</shreddit-comment-tree></main></shreddit-app></body></html>"""


def test_new_reddit_html(tmp_path):
    """A www.reddit.com page saved as HTML: each `<shreddit-comment>`, a
    nested one too, and the `<shreddit-post>` are their `author`'s, dated by
    `created`; the meta lines (name, community, "3y ago") are boilerplate."""
    found = attributed(tmp_path, "thread.html", NEW_REDDIT)
    assert {text: found[text] for text in SAVED_THREAD_VOICES} == SAVED_THREAD_VOICES
    meta = [text for text in found if "3y ago" in text]
    assert len(meta) == 4
    assert {found[text][0] for text in meta} == {"boilerplate"}


def test_search_credits_each_commenter(tmp_path):
    """Through the CLI: the hits from a thread are its commenters', each
    credited to the poster of its comment, not the site's."""
    index = indexed_with_cli(tmp_path, {"thread.md": THREAD})
    result = CliRunner().invoke(
        cli, ["search", "cinnamon blood sugar A1c walking", "--index", str(index), "--json",
              "--limit", "50"])
    assert result.exit_code == 0, result.output
    authors = {hit["author"] for hit in json.loads(result.stdout)["hits"]
               if hit["kind"] == "comment"}
    assert {"BolusBarry", "glucose_goblin", "sugarfree_steve", "marigold_kettle"} <= authors


POST_THREAD = """# Thread by @KettleKate (Kate Morrow)

**@KettleKate** · Mar 4
1/ Three weeks of cinnamon capsules and my numbers are the best in years.

**@KettleKate** · Mar 4
2/ Cinnamon lowers blood sugar. I don't care what my nurse says.

**Dr Sam Okoye** (@DrSamOkoye) · Mar 4, 2025
Replying to @KettleKate
Glad you feel better, but trials keep finding that cinnamon does not lower blood sugar.

Ravi @ravi_runs · 5h
Replying to @KettleKate and @DrSamOkoye
Same here, my readings dropped too.
"""


def assert_posters(found: dict) -> None:
    """`POST_THREAD`'s posts, each its poster's (dated where its header gives a year)."""
    assert found["2/ Cinnamon lowers blood sugar. I don't care what my nurse says."] == (
        "comment", "@KettleKate", None)
    assert found[
        "Glad you feel better, but trials keep finding that cinnamon does not lower blood sugar."
    ] == ("comment", "@DrSamOkoye", "2025-03-04")
    assert found["Same here, my readings dropped too."] == ("comment", "@ravi_runs", None)


class TestPostThreads:
    """Threads of posts copied from X (Twitter) and the like: each post is
    its poster's, the thread's own posts its author's, each reply its
    replier's, never the thread author's."""

    def test_each_post_is_its_posters(self, tmp_path):
        """A post under "**@handle** · date" (or "Name (@handle) · date",
        "Name @handle · 5h") is a comment by the handle, dated when the
        header gives a year; "Replying to @…" and the header are boilerplate."""
        found = attributed(tmp_path, "thread.md", POST_THREAD)
        assert found[
            "1/ Three weeks of cinnamon capsules and my numbers are the best in years."
        ] == ("comment", "@KettleKate", None)
        assert_posters(found)
        for line in ["**@KettleKate** · Mar 4", "Replying to @KettleKate",
                     "Replying to @KettleKate and @DrSamOkoye", "Ravi @ravi_runs · 5h"]:
            assert found[line] == ("boilerplate", None, None)

    def test_plain_text_thread(self, tmp_path):
        """The same in a .txt file."""
        page = POST_THREAD.replace("# ", "").replace("**", "")
        found = attributed(tmp_path, "thread.txt", page)
        assert_posters(found)

    def test_a_post_of_several_paragraphs_in_a_thread_is_its_posters_to_the_end(self, tmp_path):
        """In a thread of posts, a reply's second paragraph is still the
        replier's, not the page's: a post runs to the next header."""
        page = POST_THREAD.replace(
            "Glad you feel better, but trials keep finding that cinnamon does not lower blood sugar.",
            "Glad you feel better, but trials keep finding that cinnamon does not lower blood "
            "sugar.\n\nA review of ten trials found no effect on fasting glucose.",
        )
        found = attributed(tmp_path, "thread.md", page)
        assert found["A review of ten trials found no effect on fasting glucose."] == (
            "comment", "@DrSamOkoye", "2025-03-04")
        assert_posters(found)

    def test_an_article_that_quotes_a_post_keeps_its_own_words(self, tmp_path):
        """A post quoted in an article is its poster's; the article's text
        after it (past a blank line) is the page's, and @handles in its
        sentences head nothing."""
        page = (
            "# Cinnamon claims spread online\n\n"
            "Health officials (@NHSuk on X) were asked about the claims.\n\n"
            "One post read:\n\n"
            "> **@KettleKate** · Mar 4\n"
            "> Cinnamon lowers blood sugar.\n\n"
            "Trials have not found that cinnamon lowers blood sugar.\n\n"
            "Follow our reporter @ann_writes · 2 stories a week\n"
        )
        found = attributed(tmp_path, "news.md", page)
        assert found["Cinnamon lowers blood sugar."] == ("comment", "@KettleKate", None)
        assert found["Trials have not found that cinnamon lowers blood sugar."] == (
            "content", None, None)
        assert found["Health officials (@NHSuk on X) were asked about the claims."] == (
            "content", None, None)
        assert {kind for kind, _, _ in found.values()} <= {"content", "comment", "boilerplate"}
        assert [author for _, author, _ in found.values() if author] == ["@KettleKate"]

    def test_audit_sets_a_reply_against_the_thread_author(self, tmp_path):
        """Through the CLI: the thread author's position is read from her own
        posts, and the reply that denies it is the replier's, not hers."""
        index = indexed_with_cli(tmp_path, {"thread.md": POST_THREAD})
        result = CliRunner().invoke(
            cli, ["audit", "Does cinnamon lower blood sugar?", "--index", str(index), "--json"])
        assert result.exit_code == 0, result.output
        positions = {p["author"]: p for p in json.loads(result.stdout)["positions"]}
        assert positions["@KettleKate"]["stance"] == "affirms", result.output
        assert positions["@KettleKate"]["evidence"]["author"] == "@KettleKate"
        assert positions["@DrSamOkoye"]["stance"] == "denies", result.output
        assert positions["@DrSamOkoye"]["evidence"]["author"] == "@DrSamOkoye"
