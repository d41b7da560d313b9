"""Replay the adversarial pass of issue 22 against this groundsearch: each
case is the attack as it was found, run again in a temporary folder, and
prints one line: `ok` (the promise holds), `FAIL` (it does not) or `skip`
(this machine cannot stage it).  The cases that took quadratic time are
timed at three sizes and judged by the CPU time per doubling of the input
(about 2 for linear work, 4 for quadratic); nothing here is a test.

    python -m benchmarks.adversarial          # the whole list
    python -m benchmarks.adversarial 5 6 m3   # some cases

Commands run as `python -m search` with a key, data and config folder of
their own, so the user's key and default index are never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Per-doubling CPU time ratio above which growth counts as superlinear.
LINEAR = 2.6
NOBODY = 65534
#: Where the shared benchmark data may be (beside the repository or its worktree).
SHARED = (REPO.parent / "shared" / "benchmarks", REPO.parent.parent / "shared" / "benchmarks")


class Failed(Exception):
    """The promise does not hold; the message says what happened."""


class Skipped(Exception):
    """This machine cannot stage the case."""


CASES: dict[str, tuple[str, Callable[[Path], str]]] = {}


def case(key: str, title: str):
    def register(check):
        CASES[key] = (title, check)
        return check

    return register


# --- helpers ---------------------------------------------------------------------


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(XDG_DATA_HOME=str(home / ".data"), XDG_CONFIG_HOME=str(home / ".config"))
    env.pop("GROUNDSEARCH_INDEX", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def gs(home: Path, *args, user: int | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`groundsearch ARGS` in a process of its own (as `user`, if given)."""
    command = [sys.executable, "-m", "search", *map(str, args)]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("timeout", 600)
    return subprocess.run(command, env=environment(home), cwd=home, **kwargs)


def text(result: subprocess.CompletedProcess, stream: str = "stderr") -> str:
    data = getattr(result, stream)
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


def one_line_error(result, code: int, what: str) -> str:
    err = text(result)
    if result.returncode != code or err.count("\n") != 1 or "Traceback" in err:
        raise Failed(f"{what}: exit {result.returncode}, stderr {err[-300:]!r}")
    return err.strip()


def corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def one_page_index(home: Path) -> Path:
    """A one-page corpus in `home`/c, indexed into `home`/ix; the corpus folder."""
    folder = corpus(home / "c", {"a.txt": "Baclofen is a muscle relaxant."})
    gs(home, "index", folder, "--index", home / "ix")
    return folder


@contextlib.contextmanager
def isolated(home: Path):
    """This process's own key and default index, for cases run in-process."""
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    os.environ.update(XDG_DATA_HOME=str(home / ".data"), XDG_CONFIG_HOME=str(home / ".config"))
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def cpu_seconds(run: Callable[[], object], repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def growth(make: Callable[[int], object], run: Callable[[object], object], sizes) -> str:
    """CPU seconds at each size, and the ratio per doubling; fails above `LINEAR`."""
    times = []
    for n in sizes:
        data = make(n)
        times.append(cpu_seconds(lambda data=data: run(data)))
    ratios = [b / a if a > 0 else 0.0 for a, b in zip(times, times[1:], strict=False)]
    shown = ", ".join(f"n={n:,}: {t:.2f} s" for n, t in zip(sizes, times, strict=True))
    per = "/".join(f"{r:.1f}" for r in ratios)
    if max(ratios) > LINEAR:
        raise Failed(f"{shown}; x{per} per doubling (superlinear)")
    return f"{shown}; x{per} per doubling"


# --- the cases -------------------------------------------------------------------


@case("1", "a file or folder name that is not UTF-8")
def names(home: Path) -> str:
    folder = corpus(home / "m", {"ok.txt": "Baclofen is fine."})
    (folder / os.fsdecode(b"bad\xffname.txt")).write_text("x")
    (folder / os.fsdecode(b"d\xfeir")).mkdir()
    (folder / os.fsdecode(b"d\xfeir") / "in.txt").write_text("y")
    for _ in range(2):
        result = gs(home, "index", folder, "--index", home / "ix", "--json")
        if result.returncode != 3 or "Traceback" in text(result):
            raise Failed(f"exit {result.returncode}: {text(result)[-200:]!r}")
        skipped = {s["path"] for s in json.loads(text(result, "stdout"))["skipped"]}
    if skipped != {"bad\\xffname.txt", "d\\xfeir/"}:
        raise Failed(f"skipped {sorted(skipped)}")
    return "skipped with the name escaped (bad\\xffname.txt), exit 3, run completes, twice"


@case("2", "a file swapped for a link between the scan and the read")
def race(home: Path) -> str:
    import indexer.build
    from indexer import index_folder
    from search import Index

    folder = corpus(home / "race", {"a.txt": "Baclofen.", "zzzz.txt": "Harmless.", "s/in.txt": "x"})
    outside = corpus(home / "outside", {"secret.txt": "Outside platypus.", "s/in.txt": "Quokka."})
    real_scan = indexer.build._scan

    def scan_then_swap(root, report):
        found = real_scan(root, report)
        (folder / "zzzz.txt").unlink()
        (folder / "zzzz.txt").symlink_to(outside / "secret.txt")
        shutil.rmtree(folder / "s")
        (folder / "s").symlink_to(outside / "s")
        return found

    indexer.build._scan = scan_then_swap
    try:
        with isolated(home):
            report = index_folder(folder, home / "ix")
            with Index(home / "ix") as ix:
                leaked = ix.search("platypus OR quokka", correct=False).total
    finally:
        indexer.build._scan = real_scan
    if leaked:
        raise Failed("the file outside the corpus was indexed")
    skipped = sorted(s["path"] for s in report.skipped)
    return f"not followed; skipped {skipped} (links outside the corpus folder)"


POISON = "evil\nError: forged title\x1b]0;OSC\x07\u202e\x9b31m"
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@case("3", "names and text forging lines, sending terminal escapes")
def escapes(home: Path) -> str:
    folder = corpus(home / "c", {
        f"{POISON}.html": f"<p>Baclofen is a controlled substance.\x1b]52;c;eA==\x07 {POISON}</p>",
        "b.md": "# S\x1b[31mred \u202eh\n\nBaclofen is not a controlled substance.\n",
        "sources.toml": '[sources."b.md"]\ntitle = "T\\u001b]0;t\\u0007"\npublisher = "P\\u202e"\n',
    })
    gs(home, "index", folder, "--index", home / "ix")
    question = "Is baclofen a controlled substance?"
    runs = [["search", "baclofen", "--by-source"], ["ask", question], ["audit", question],
            ["sources"]]
    for args in runs:
        result = gs(home, *args, "--index", home / "ix", "--color", "always")
        shown = re.sub(r"\x1b\[[0-9;]*m", "", text(result, "stdout") + text(result))
        raw = _RAW.findall(shown)
        forged = [line for line in shown.splitlines() if line.startswith("Error: forged")]
        if result.returncode or raw or forged:
            raise Failed(f"{args[0]}: exit {result.returncode}, raw {raw[:5]!r}, {forged[:1]}")
    return f"{len(runs)} commands, coloured: no raw control, C1 or bidi character, no forged line"


@case("4", "--html FILE onto special files, and empty names")
def html_file(home: Path) -> str:
    one_page_index(home)
    fifo = home / "page.fifo"
    os.mkfifo(fifo)
    result = gs(home, "search", "baclofen", "--index", home / "ix", "--html", fifo, timeout=60)
    one_line_error(result, 2, "--html FIFO")
    if not stat.S_ISFIFO(fifo.lstat().st_mode):
        raise Failed("the FIFO was replaced")
    for args in (["search", "baclofen", "--html", ""], ["index", ""]):
        one_line_error(gs(home, *args, "--index", home / "ix"), 2, " ".join(args))
    return "a FIFO is refused (exit 2) and kept; --html '' and index '' are usage errors"


@case("5", "nested comment elements, unclosed lists (time per doubling)")
def nested_html(home: Path) -> str:
    from indexer.reading.html import HtmlLoader

    loader = HtmlLoader()
    comment = (
        '<div class="comment"><span class="fn">Bob</span><p>Posted by Bob on March 3, 2012</p>'
        "<p>baclofen reply text.</p>"
    )
    sizes = (5_000, 10_000, 20_000)
    nested = growth(lambda n: (comment * n + "</div>" * n).encode(), loader.load, sizes)
    lists = growth(lambda n: ("<ul><li>baclofen item " * n).encode(), loader.load, sizes)
    return f"comments {nested}; <ul><li> {lists}"


@case("6", "fuzzy terms with large edit distances")
def fuzzy(home: Path) -> str:
    from search import Index
    from search.retrieval.default import resolve_index

    with isolated(home):
        location = resolve_index(None)
        with Index(location) as ix:
            start = time.process_time()
            result = ix.search("baclofen~9", correct=False)
            spent = time.process_time() - start
    notes = " ".join(getattr(result, "notes", ()))
    if spent > 2 or "2" not in notes:
        raise Failed(f"baclofen~9 on the seeds: {spent:.1f} s CPU, notes {notes!r}")
    said = f"baclofen~9 on the seeds: {spent:.2f} s CPU ({notes})"
    scifact = next((p for p in SHARED if (p / "scifact" / "corpus.jsonl").is_file()), None)
    if scifact is None:
        return said + "; SciFact not found"
    from benchmarks import beir
    from indexer import index_folder

    folder = home / "scifact"
    folder.mkdir()
    for did, (title, body) in beir.load(scifact / "scifact").corpus.items():
        (folder / f"{did}.txt").write_text(f"{title}\n\n{body}", encoding="utf-8")
    with isolated(home):
        index_folder(folder, home / "sf")
        with Index(home / "sf") as ix:
            query = "cell~9 gene~9 dna~9 rna~9 tau~9 p53~9"
            start = time.process_time()
            ix.search(query, correct=False)
            big = time.process_time() - start
    if big > 20:
        raise Failed(f"{said}; {query} on SciFact: {big:.1f} s CPU")
    return f"{said}; {query} on SciFact: {big:.2f} s CPU"


@case("7", "HTML pages growing with hits x line length")
def page_size(home: Path) -> str:
    line = ("Baclofen tablets are taken by mouth. " * 27_000)[:1_000_000]
    folder = corpus(home / "c", {"long.txt": line})
    gs(home, "index", folder, "--index", home / "ix")
    page = home / "page.html"
    result = gs(home, "search", "baclofen", "--limit", 100, "--index", home / "ix", "--html", page)
    if result.returncode:
        raise Failed(text(result)[-200:])
    size = page.stat().st_size
    if size > 2_000_000:
        raise Failed(f"a 1 MB line, 100 hits: a {size / 1e6:.0f} MB page")
    return f"a 1 MB line, 100 hits: a {size / 1e6:.2f} MB page"


@case("8", "a sub-folder that can be listed but not entered")
def folder_not_entered(home: Path) -> str:
    user = None
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            raise Skipped("root, and no setpriv to run as another user")
        user = NOBODY
        home.chmod(0o777)
    folder = corpus(home / "c", {"a.txt": "Baclofen.", "noexec/in.txt": "Hidden."})
    for path in (home / "c", home / "c" / "a.txt"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (folder / "noexec").chmod(0o644)
    try:
        result = gs(home, "index", folder, "--index", home / "ix", "--json", user=user)
    finally:
        (folder / "noexec").chmod(0o755)
    if result.returncode != 3 or "Traceback" in text(result):
        raise Failed(f"exit {result.returncode}: {text(result)[-200:]!r}")
    skipped = json.loads(text(result, "stdout"))["skipped"]
    return f"skipped {skipped}, exit 3" + (" (as nobody)" if user else "")


@case("9", "a crafted index folder running code")
def crafted(home: Path) -> str:
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from indexer.storage.schema import make_schema

    marker = home / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    one_page_index(home)
    generation = home / "ix" / (home / "ix" / "CURRENT").read_text().strip()
    messages = []
    for unsealed in (False, True):  # planted in a sealed index; then with no seal at all
        if unsealed:
            (generation / "MANIFEST").unlink(missing_ok=True)
        if not unsealed:
            TOC(make_schema(), [Payload()], 99).write(FileStorage(str(generation)), "MAIN")
        for command in (["search", "baclofen"], ["sources"]):
            result = gs(home, *command, "--index", home / "ix")
            messages.append(one_line_error(result, 1, command[0]))
    if marker.exists():
        raise Failed("the crafted table of contents ran code")
    shown = [m.split("(", 1)[-1].split(";")[0] if "(" in m else m[7:70] for m in messages[::2]]
    return f"refused, exit 1: {' / '.join(shown)}"


@case("10", "two searches on first use")
def first_use(home: Path) -> str:
    runs = []
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "search", "search", "baclofen"], env=environment(home),
            cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        _, err = process.communicate(timeout=600)
        runs.append((process.returncode, err))
    if any(code for code, _ in runs):
        raise Failed("; ".join(err.strip().splitlines()[-1] for code, err in runs if code))
    return "both exit 0 (the second waits for the first's build)"


@case("11", "deeply nested TOML and endless files")
def toml(home: Path) -> str:
    folder = one_page_index(home)
    deep = home / "deep.toml"
    deep.write_text("groups = " + "[" * 5000)
    codes = []
    for args in (
        ["search", "baclofen", "--synonyms", deep], ["audit", "baclofen", "--topics", deep],
        ["search", "baclofen", "--synonyms", "/dev/zero"],
        ["audit", "baclofen", "--topics", "/dev/zero"],
    ):
        result = gs(home, *args, "--index", home / "ix", timeout=120)
        one_line_error(result, result.returncode if result.returncode in (1, 2) else -1,
                       " ".join(map(str, args)))
        codes.append(result.returncode)
    (folder / "sources.toml").write_text("x = " + "[" * 5000)
    result = gs(home, "index", folder, "--index", home / "ix")
    one_line_error(result, 1, "sources.toml")
    return f"one line each, exit {'/'.join(map(str, codes))} and 1 (sources.toml)"


@case("12", "two files sharing a passage id")
def ids(home: Path) -> str:
    names = ("a.md", "a.txt", "a.md.txt")
    folder = corpus(home / "c", {n: f"Baclofen text of {n}." for n in names})
    gs(home, "index", folder, "--index", home / "ix")
    hits = json.loads(text(gs(home, "search", "baclofen", "--index", home / "ix", "--json"),
                           "stdout"))["hits"]
    found = [h["passage_id"] for h in hits]
    if len(found) != 3 or len(set(found)) != 3:
        raise Failed(f"ids {found}")
    return f"ids unique: {', '.join(found)}"


@case("13", "a damaged table of contents")
def damaged_toc(home: Path) -> str:
    folder = corpus(home / "c", {"a.txt": "Baclofen is a controlled substance."})
    gs(home, "index", folder, "--index", home / "ix")
    generation = home / "ix" / (home / "ix" / "CURRENT").read_text().strip()
    (toc,) = generation.glob("*.toc")
    toc.write_bytes(toc.read_bytes().replace(b"expression", b"exprossion", 1))
    for command in (["search", "baclofen"], ["ask", "Is it?"], ["audit", "Is it controlled?"]):
        line = one_line_error(gs(home, *command, "--index", home / "ix"), 1, command[0])
        if "--rebuild" not in line:
            raise Failed(line)
    return "search, ask, audit: exit 1 with the --rebuild hint"


# --- the minor list ------------------------------------------------------------------


@case("m1", "out of inodes while indexing")
def inodes(home: Path) -> str:
    folder = corpus(home / "c", {f"{n}.txt": f"Baclofen text {n}." for n in range(40)})
    mount = home / "tiny"
    mount.mkdir()
    lines = set()
    for inodes in range(3, 16):  # running out at each file a run makes in turn
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size=20m,nr_inodes={inodes}", "tmpfs", mount],
            capture_output=True,
        )
        if made.returncode:
            raise Skipped("cannot mount a small tmpfs here")
        try:
            result = gs(home, "index", folder, "--index", mount / "ix")
            if result.returncode:
                line = one_line_error(result, 1, f"{inodes} inodes")
                lines.add(re.sub(r"/\S*", "PATH", line))
        finally:
            subprocess.run(["umount", "-l", mount], capture_output=True)
    return f"{len(lines)} distinct one-line errors: {'; '.join(sorted(lines))[:150]}"


@case("m2", "Ctrl-C during start-up")
def early_interrupt(home: Path) -> str:
    tracebacks = 0
    for delay in (0.1, 0.2, 0.3, 0.4):  # (the first ~0.04 s are Python's own start)
        process = subprocess.Popen(
            [sys.executable, "-m", "search", "search", "baclofen"], env=environment(home),
            cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=600)
        tracebacks += "Traceback" in err
    if tracebacks:
        raise Failed(f"{tracebacks} of 4 interrupted starts printed a traceback")
    return "4 interrupted starts, no traceback"


@case("m3", "standard output closed")
def closed_stdout(home: Path) -> str:
    result = subprocess.run(
        ["sh", "-c", f"exec {sys.executable} -m search search baclofen >&-"],
        env=environment(home), cwd=home, stderr=subprocess.PIPE, text=True, timeout=600,
    )
    err = result.stderr
    if "Traceback" in err or result.returncode not in (1, 2):
        raise Failed(f"exit {result.returncode}: {err[-200:]!r}")
    return f"exit {result.returncode}: {err.strip()[:90]}"


@case("m4", "CURRENT: a link to a big file, a folder")
def odd_current(home: Path) -> str:
    folder = one_page_index(home)
    big = home / "big"
    big.write_text("x" * 1_000_000)
    (home / "ix" / "CURRENT").unlink()
    (home / "ix" / "CURRENT").symlink_to(big)
    line = one_line_error(gs(home, "search", "baclofen", "--index", home / "ix"), 1, "link")
    if len(line) > 400:
        raise Failed(f"a {len(line):,}-character error line")
    (home / "ix" / "CURRENT").unlink()
    (home / "ix" / "CURRENT").mkdir()
    hint = one_line_error(gs(home, "search", "baclofen", "--index", home / "ix"), 1, "folder")
    if "move it out of the way" in hint:  # the advice, followed
        (home / "ix" / "CURRENT").rename(home / "moved")
    rebuilt = gs(home, "index", folder, "--index", home / "ix", "--rebuild")
    if rebuilt.returncode:
        raise Failed(f"the suggested --rebuild fails: {text(rebuilt).strip()[-150:]}")
    return f"link: {len(line)} characters; folder: {hint[7:90]}…"


@case("m5", "audit with 2,000 '('")
def parentheses(home: Path) -> str:
    one_page_index(home)
    result = gs(home, "audit", "(" * 2000, "--index", home / "ix")
    err = text(result)
    if "4,000" in err or "Traceback" in err:
        raise Failed(err.strip()[:120])
    return f"exit {result.returncode}: {err.strip()[:90] or 'no error'}"


@case("m8", "audit of one transcript growing in speaker turns (time per doubling)")
def transcript(home: Path) -> str:
    """Each claim's speaker is read from the whole text of its transcript: the
    audit of one page of many labelled turns must grow with its length, not
    its square (3,000 turns took more than ten minutes before stop 35)."""
    from indexer import index_folder
    from search import Index
    from search.claims.audit import audit

    def make(turns: int) -> Path:
        lines = ["Radio transcript\nHost: Ann Lee\nGuest: Bob Roe\n"]
        for i in range(turns):
            who = "ANN LEE" if i % 2 else "BOB ROE"
            lines.append(f"{who}: Study {i} found no link between the vaccine and autism.")
        folder = corpus(home / f"t{turns}", {"t.txt": "\n\n".join(lines) + "\n"})
        with isolated(home):
            index_folder(folder, home / f"ix{turns}")
        return home / f"ix{turns}"

    def run(location: Path) -> None:
        with isolated(home), Index(location) as ix:
            audit(ix, "Does the vaccine cause autism?")

    return growth(make, run, (250, 500, 1_000))


@case("m9", "threads pasted as text: a run of footers, of posts (time per doubling)")
def pasted_threads(home: Path) -> str:
    """A Facebook thread's post runs up from its "Like · Reply" footer to its
    poster's name: a page of nothing but footers, or of thousands of posts,
    must be read in time growing with its length (a run of 8,000 footers
    took 36 s before the walk up stopped at the footer above)."""
    from indexer.model import DEFAULT_MAX_CHARS
    from indexer.reading.loaders import loader_for
    from indexer.reading.passages import split_passages

    def read(data: bytes) -> None:
        split_passages(loader_for(".txt").load(data), "thread.txt", DEFAULT_MAX_CHARS)

    footers = growth(
        lambda n: ("Group\n\n" + "Like · Reply · 1h\n" * n).encode(), read, (4_000, 8_000, 16_000)
    )
    post = (
        "Mike Dunleavy\n20 May 2025 at 08:47\nThat is not what happened, post {}.\n"
        "Like · Reply · 14h\n\n"
    )
    posts = growth(
        lambda n: ("Group\n\n" + "".join(post.format(i) for i in range(n))).encode(),
        read,
        (2_000, 4_000, 8_000),
    )
    return f"footers {footers}; posts {posts}"


@case("m6", "HTML: a bidi override in a publisher, a 200,000-character title")
def html_names(home: Path) -> str:
    title = "T" * 200_000
    folder = corpus(home / "c", {
        "a.txt": "Baclofen is a muscle relaxant.",
        "sources.toml": f'[sources."a.txt"]\ntitle = "{title}"\npublisher = "P\\u202eevil"\n',
    })
    gs(home, "index", folder, "--index", home / "ix")
    page = home / "p.html"
    gs(home, "search", "baclofen", "--index", home / "ix", "--html", page)
    html = page.read_text(encoding="utf-8")
    at = html.find("\u202e")
    isolated_ = html.rfind("\u2068", 0, at) > html.rfind("\u2069", 0, at)
    if not isolated_ or "overflow-wrap: anywhere" not in html:
        raise Failed(f"bidi isolated: {isolated_}; long names wrap: {'anywhere' in html}")
    return "the override is isolated (U+2068…U+2069); long names wrap anywhere"


@case("m7", "index '' indexing the current folder")
def empty_folder(home: Path) -> str:
    corpus(home, {"here.txt": "Baclofen."})
    line = one_line_error(gs(home, "index", "", "--index", home / "ix"), 2, "index ''")
    return line[:90]


def main(argv: list[str]) -> int:
    chosen = argv or list(CASES)
    failed = 0
    for key in chosen:
        title, check = CASES[key]
        with tempfile.TemporaryDirectory(prefix=f"gs-adv-{key}-") as tmp:
            start = time.monotonic()
            try:
                status, detail = "ok", check(Path(tmp))
            except Failed as exc:
                status, detail = "FAIL", str(exc)
            except Skipped as exc:
                status, detail = "skip", str(exc)
            except Exception as exc:  # noqa: BLE001 - a replay reports, never stops
                status, detail = "FAIL", f"{type(exc).__name__}: {exc}"
            failed += status == "FAIL"
            spent = time.monotonic() - start
        detail = detail.replace("\n", "\\n")
        print(f"{key:>3} {status:<4} {title} — {detail} [{spent:.0f} s]", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
