"""Tell an article's body from its site debris, by line and inside paragraphs, keeping offsets into the source text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from qa.corpus.wrapped import lines_with_offsets, paragraphs

Span = tuple[int, int]

VERSION = 8  # part of each article's content hash: a change of the rules below (or of the dateline) re-reads the articles
_MAX_DEBRIS_WORDS = 40  # whole-line rules judge short lines; a longer line is a paragraph, judged span by span

# A line that is site furniture wherever it appears.
_DEBRIS_LINE = re.compile(
    r"""^(?:
        .*\b(?:this\s+(?:web)?site\s+uses\s+cookies|accept\s+(?:all\s+)?cookies|cookie\s+(?:policy|settings|notice))\b.*
      | .*\bback\s+to\s+main\s+page\b.*
      | (?:read|see|show)\s+(?:more|also|all)\b.{0,40}
      | all\s+news
      | .*\b(?:followers|fans|subscribers)\s+on\s+(?:facebook|twitter|telegram|instagram|youtube|vk)\b.*
      | (?:join|follow|like|subscribe\s+to)\s+(?:them|us|our)\b.{0,60}
      | (?:first|originally)\s+published\s+(?:by|in|at|on)\b.{0,80}
      | all\s+rights\s+reserved\b.*|.*\ball\s+rights\s+reserved\.?
      | (?:\(c\)|©|copyright)\s.{0,80}
      | comments?\s+(?:are\s+)?closed\.?
      | (?:leave\s+a\s+comment|share\s+(?:this|on)\b.{0,40}|click\s+here\b.*|advertisement|sponsored|print|email)
      | (?:subscribe|sign\s+up)\b.{0,80}
      | [\d\s.,]+                                  # vote / view / share counters
      | [^\w"“”'‘’]+                              # lone punctuation
      | (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{1,2}:\d{2}.*   # time stamps
      | \d{1,2}:\d{2}(?:\s*(?:am|pm))?(?:\s*(?:utc|gmt|msk)[+-]?\d*)?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# A line after which everything is trailer (tags, disclaimers, comment sections).
_TRAILER_LINE = re.compile(
    r"^(?:attention\s+readers\b.*|topics|persons|tags|tags:.*|related(?:\s+(?:articles|stories|news|topics))?:?"
    r"|more\s+on\s+this\s+topic|about\s+the\s+author|disclaimer:?.*|you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?)$",
    re.IGNORECASE,
)

_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$|[\"”»]$")

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# Site furniture inside a paragraph, as real exports run a page's text into one line. Group "d", when set, is the debris.
_INLINE = [
    re.compile(p, re.VERBOSE)
    for p in (
        # share bars: "Send Facebook Twitter Google+ Whatsapp … Newsvine Permalink http://dw.com/p/2Wx5C"
        r"""(?:\bSend\s+)?(?:\b(?:Facebook|Twitter|Google\+|Whats[Aa]pp|Tumblr|[Ll]inked[Ii]n|stumble|Digg|[Rr]eddit|Newsvine
            |Pinterest|Xing|Email|E-mail|Messenger|Telegram)(?=\s|$)\s*){4,}(?:Permalink\s+\S+)?""",
        r"\bPermalink\s+https?://\S+",
        # agency credit: "Source:-Al Jazeera and news agencies"
        r"\bSource:\s?-\s?(?:Al\s?Jazeera|Aljazeera|News|Reuters|AFP|AP)(?:\s+(?:and\s+)?(?:news\s+)?(?:agenc(?:y|ies)|News))?\b",
        # embedded tweets: their links and the "— Name (@handle) March 3, 2017" byline (the tweet's words stay)
        r"\bpic\.twitter\.com/\w+|\bhttps?://t\.co/\w+",
        rf"""(?:"\?|[—–]|--?)\s*[^()"\n]{{1,50}}?\s\(@\w{{1,15}}\)\s+{_MONTH}\s+\d{{1,2}},\s+\d{{4}}""",
        # print-edition stamps: "(China Daily European Weekly 01/27/2017 page32)"
        r"\(\s*China\s+Daily[\w ]{0,30}?\d{1,2}/\d{1,2}/\d{4}\s*page\s*\d+\s*\)",
        # a reporter's address after the last sentence: "… he says. zhongnan@chinadaily.com.cn"
        r"""(?:(?<=[.!?"”’'])|\A)\s*(?P<d>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?=\s|$)""",
        # editors' initials and agencies closing a wire story: "… the attack. jbh/rt (AFP/Reuters)"
        r"(?<![\w/])[a-z]{2,4}(?:,[a-z]{2,4})*/[a-z]{2,4}(?:/[a-z]{2,4})?\s*\([^()]{0,40}\b(?:AFP|AP|Reuters|dpa|KNA|epd|SID)\b[^()]{0,40}\)-*",
        # wire credits: "(Reporting by Kate Kelland; Editing by Kevin Liffey)"
        r"\((?:Additional\s+)?[Rr]eporting\s+by\b[^()]{1,300}\)",
        # correspondents' links: "Read more from Laura", "Read more from Reality Check"
        r"\bRead\s+more\s+from\s+(?:(?:expert|Prof|Dr)\.?\s+)?(?:Reality\s+Check|[A-Z][\w'-]+)(?:\s+here)?\.?",
        r"""\bFollow\s+(?:[A-Z][\w'-]+\s+){1,2}on\s+(?:Twitter|Facebook|Instagram)\b
            (?:(?:\s+at|:)?\s+(?:@\w+|\S*twitter\.com/\S+))?\.?""",
    )
]
# a sentence that is promotion, a call for readers' stories or a disclaimer, wherever it stands
_PROMO = re.compile(
    r"""information\s+you\s+want\s+to\s+share\s+with|\AHere's\s+how\.?\Z|Share\s+this\s+slide|\bimpact\s+(?:you|YOU)\?
      |Subscribe,\s+choose\s+the\s+community|(?:sent|delivered)\s+(?:right\s+|straight\s+)?to\s+your\s+inbox|\bemail\s+delivers
      |\bSign\s+up\b[^.]{0,40}\b(?:here|newsletter|alerts|inbox)\b|\bLearn\s+more\Z
      |haveyoursay@|include\s+a\s+contact\s+number|contact\s+us\s+in\s+the\s+following\s+ways|Run\s+by\s+the\s+BBC\s+and\s+partners
      |be\s+the\s+first\s+to\s+know|HuffPost\s+\w+\s+is\s+your|bbc\.co\.uk/getinspired|sign-up\s+to\s+our\s+newsletter
      |\ATips\?\Z|\A(?:E-?mail|Contact)\s+[\w.+-]+@|\bContact\s+the\s+(?:writer|reporter|author)s?\b
      |story\s+suggestion\s+email|\bFollow\s+us\s+on\b
      |(?:[Vv]iews|[Oo]pinions)\s+(?:expressed\s+)?(?:in\s+this\s+(?:article|piece|column)\s+)?(?:are\s+[^.]{0,40}\s+and\s+)?
       do\s+not\s+necessarily\s+reflect
      |originally\s+published\s+on\s+The\s+Conversation|\ARead\s+the\s+original\s+article
      |\bcontributed\s+(?:(?:to\s+)?(?:this\s+|the\s+)?(?:report|story|article)|reporting(?:\s+(?:to|for)\s+(?:this|the)\s+\w+)?)
       (?:\s+(?:from|in)\s+[^.]{1,60})?\.?[\"”]?-?\s*\Z|\A(?:Additional\s+)?[Rr]eporting\s+by\s+[^.]{1,120}\.?\Z""",
    re.VERBOSE,
)
# where a sentence ends, roughly ('."?' glued to the next word is a mangled quote): a promo is found whole
_SENTENCE_END = re.compile(r"[.?!]+[\"”’'?)\]]*-?(?=\s|$)|[.!?][\"”’']\??(?=[A-Z])")
_READ_MORE = re.compile(r"\bREAD\s+MORE\s*(?::\s*-?|\s-)\s*")
# a run-in link label where a sentence starts: "… last year. Opinion: Trump's spending won't … In a joint …"
_RUN_IN_LABEL = re.compile(r"(?:RELATED|Related|READ|Read|WATCH|Watch|MORE|Opinion|OPINION|See also|SEE ALSO):\s+(?=[A-Z\"“‘'])")
_TRAILER_IN_LINE = re.compile(r"\bATTENTION\s+READERS\b")
# a related story's teaser run into the text, closed by its date: "… about the challenges they face. (27.01.2017) Vienna's"
_TEASER_DATE = re.compile(r"(?<=[.!?\"”’])\s*\(\d{2}\.\d{2}\.\d{4}\)(?=\s+[\"“‘]?[A-Z]|\s*$)")
_TEASER_WORDS = 80  # a teaser is a sentence or three: a longer text between two dates is body
# words that open a sentence, and verbs that follow a name: where a run-in "READ MORE: headline" ends
_OPENERS = frozenset(
    "The A An In On At As After Before Since During While When Where Although Though But However Meanwhile Earlier Last "
    "This That These Those It Its He She They We Our There Some Many Most According Despite If Nearly Thousands Hundreds "
    "Another Even Moreover Nevertheless Throughout Such Both Each Now Still Yet Amid Following Together Once For".split()
)
_JOINERS = frozenset("- – — a an the of in on at to for from with by and or".split())  # no headline ends with these
_VERBS = frozenset(
    "said says told is was are were has have had will would could can may did added announced called urged warned "
    "accused claimed insisted stressed noted argued wrote tweeted reported confirmed denied knows learned asked spoke met "
    "believes wants".split()
)


@dataclass
class Layout:
    """Where an article's title, indexed body and stripped parts lie in its text."""

    title: tuple[int, int] | None = None
    body: list[tuple[int, int]] = field(default_factory=list)
    stripped: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind)


def is_debris(line: str) -> bool:
    """A short line that is site furniture wherever it appears; a long line is a paragraph, never debris as a whole."""
    line = line.strip()
    return len(line.split()) <= _MAX_DEBRIS_WORDS and bool(_DEBRIS_LINE.match(line))


def is_headline(line: str, max_words: int = 16) -> bool:
    """A short line with no sentence-final punctuation: a title, section heading or related-story link."""
    line = line.strip()
    return not _TERMINAL.search(line) and len(line.split()) < max_words


def inline_debris(text: str, start: int, end: int) -> list[Span]:
    """Spans of site furniture inside text[start:end] (share bars, promos, run-in related headlines), merged and sorted."""
    spans: list[Span] = []
    for pattern in _INLINE:
        for m in pattern.finditer(text, start, end):
            spans.append(m.span("d") if "d" in pattern.groupindex else m.span())
    for m in _READ_MORE.finditer(text, start, end):
        spans.append((m.start(), _headline_end(text, m.end(), end)))
    after_label = None  # where the last run-in headline ended: a label there starts the next ("READ: … READ: …")
    for m in _RUN_IN_LABEL.finditer(text, start, end):
        before = text[max(start, m.start() - 2) : m.start()]
        if m.start() in (start, after_label) or before.endswith("\n") or re.fullmatch(r"[.!?\"”’]\s", before):
            stop = _headline_end(text, m.end(), end, to_paragraph_end=False)
            spans.append((m.start(), stop))
            after_label = past_space(text, stop, end) if stop > m.end() else None
    pos = start
    for stop in [m.end() for m in _SENTENCE_END.finditer(text, start, end)] + [end]:
        sentence = text[pos:stop].strip()
        if sentence and _PROMO.search(sentence):
            spans.append((stop - len(text[pos:stop].lstrip()), stop))
        pos = stop
    spans += _teasers(text, start, end)
    m = _TRAILER_IN_LINE.search(text, start, end)
    if m and m.start() > start:
        spans.append((m.start(), end))
    merged: list[Span] = []
    for s, e in sorted(sp for sp in spans if sp[1] > sp[0]):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def past_space(text: str, at: int, end: int) -> int:
    """The first offset from `at` (before `end`) that is not white space."""
    return at + len(text[at:end]) - len(text[at:end].lstrip())


def _teasers(text: str, start: int, end: int) -> list[Span]:
    """Related stories' teasers, each closed by its date ("(27.01.2017)"): all of one between two dates, else the
    sentence before the date (where the first teaser of a run starts is not written)."""
    out: list[Span] = []
    after_date = None
    for m in _TEASER_DATE.finditer(text, start, end):
        ends = [e for e in (x.end() for x in _SENTENCE_END.finditer(text, start, m.start())) if e < m.start() - 1]
        begin = ends[-1] if ends else start
        if after_date is not None and len(text[after_date : m.start()].split()) <= _TEASER_WORDS:
            begin = min(begin, after_date)
        out.append((past_space(text, begin, m.start()), m.end()))
        after_date = m.end()
    return out


def _headline_end(text: str, start: int, end: int, max_words: int = 14, to_paragraph_end: bool = True) -> int:
    """Where a run-in related-story headline starting at `start` ends; `start` itself (only the label goes) when unsure."""
    # the sentence after it opens with a common opening word, a quotation, a name and a verb ("Abdel Rahman said") or a
    # name and an apposition ("Rachel Stroumsa, the director"); a headline may end in "?"
    words = [(start + m.start(), m.group()) for m in re.finditer(r"\S+", text[start:end])]
    ends = [bool(re.search(r"[.!]$", w)) for _, w in words]
    if to_paragraph_end and len(words) <= max_words and not any(ends[:-1]):
        return end  # the headline is the rest of the paragraph
    for i in range(2, min(len(words), max_words + 1)):
        if ends[i - 1]:
            break  # a sentence ended: the headline was shorter, and where it ended is unclear
        if _RUN_IN_LABEL.match(text, words[i][0]):
            return words[i][0]  # the next related story's label
        if _opens_sentence([w for _, w in words[max(0, i - 3) : i]], [w for _, w in words[i : i + 8]]):
            return words[i][0]
    return start


def _opens_sentence(before: list[str], rest: list[str]) -> bool:
    """Whether rest[0] opens a sentence after a headline whose last words are `before`."""
    prev, bare = before[-1], rest[0].lstrip("\"“‘'(").rstrip(",")
    if not bare[:1].isupper() or prev in _JOINERS or prev.endswith((":", "-", "'s", "’s")):
        return False
    if re.search(r"\?[\"'”’]?$", prev) or rest[0][0] in "\"“" or bare in _OPENERS:
        return True
    if prev[:1].isupper() or any(w.endswith(",") for w in before):
        return False  # a name would have begun earlier; after a comma the sentence is already under way
    k = 0  # a name: up to six capitalised words
    while k < min(len(rest), 6) and rest[k][:1].isupper() and not rest[k].endswith(","):
        k += 1
    if k < len(rest) and rest[k][:1].isupper() and rest[k].endswith(","):  # "Rachel Stroumsa, the …", "Duterte, 71, …"
        after = rest[k + 1] if k + 1 < len(rest) else ""
        return after in ("the", "a", "an", "who", "whose") or after[:1].isdigit()
    return 0 < k < len(rest) and rest[k] in _VERBS


def _pieces(text: str, s: int, e: int, cuts: list[Span], min_words: int) -> tuple[list[Span], list[Span]]:
    """text[s:e] without the cut spans: the pieces long enough to be body, and the rest as debris."""
    body: list[Span] = []
    debris: list[Span] = []
    pos = s
    for cs, ce in [*cuts, (e, e)]:
        ps, pe = pos, cs
        while ps < pe and (text[ps].isspace() or text[ps] in "-–—|•·,;:"):
            ps += 1
        while pe > ps and (text[pe - 1].isspace() or text[pe - 1] in "-–—|•·,;:"):
            pe -= 1
        if pe > ps:
            words = len(text[ps:pe].split())
            keep = words >= min_words or (words >= 2 and _TERMINAL.search(text[ps:pe]))
            (body if keep and re.search(r"[^\W\d_]", text[ps:pe]) else debris).append((ps, pe))
        if ce > cs:
            debris.append((cs, ce))
        pos = ce
    return body, debris


def analyze(text: str, min_words: int = 4) -> Layout:
    """Title, body spans and stripped spans of an article: lines judged whole, then body lines span by span."""
    layout = Layout()
    lines = paragraphs(text, lines_with_offsets(text))  # a hard-wrapped text's lines: the paragraphs they were cut from
    trailer_from = None
    for i, (s, e) in enumerate(lines):
        if _TRAILER_LINE.match(text[s:e].strip()) and any(k == "body" for k in _kinds(text, lines[:i])):
            trailer_from = i
            break
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if trailer_from is not None and i >= trailer_from:
            kind = "debris"
        elif is_debris(line):
            kind = "debris"
        elif is_headline(line) or len(line.split()) < min_words:
            kind = "title" if layout.title is None and not layout.body else "heading"
        else:
            kind = "body"
        if kind == "body":
            cuts = inline_debris(text, s, e)
            body, debris = _pieces(text, s, e, cuts, min_words) if cuts else ([(s, e)], [])
            layout.body.extend(body)
            layout.stripped.extend((ds, de, "debris") for ds, de in debris)
            if cuts and _TRAILER_IN_LINE.search(text, s, e):
                trailer_from = i + 1 if trailer_from is None else min(trailer_from, i + 1)
        else:
            if kind == "title":
                layout.title = (s, e)
            layout.stripped.append((s, e, kind))
    layout.stripped.sort()
    return layout


def _kinds(text: str, lines: list[Span]) -> Iterator[str]:
    """"body" for each line that is neither debris nor a headline."""
    for s, e in lines:
        line = text[s:e]
        if not is_debris(line) and not is_headline(line):
            yield "body"
