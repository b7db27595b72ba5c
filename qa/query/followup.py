"""Turn a chat follow-up into a stand-alone question, with plain rules (no model).

The previous question gives a period (as `parse_period` reads it), a speaker ("What did Lavrov say ...") and a topic
(the object of its last "about/on/..." phrase, else its last name that is not the speaker); each carries over unless
the follow-up replaces it: "and in December?" (a year-less month takes the previous year), "before that", "and
Kerry?", "what about Kerry on Turkey?", "and about Turkey?", "what about the US?". "he", "his", "it" after "about"
stand for them; "when was that?" and "why?" ask the previous question with the new question word, grammatically
("Why did Lavrov say that about Aleppo?"). A question naming its own topic, with no follow-up word ("and", "what
about", a pronoun), stays as it is. The period always goes back at the end of the rewrite.

`history`: the earlier questions, oldest first, as strings, messages ({"role": "user", "content": ...}) or (user, bot)
pairs. Pass the rewritten forms (`Conversation` keeps them); raw follow-ups are rewritten in turn first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from qa.models import Period
from qa.query.focus import user_questions
from qa.query.followup_rules import (
    AUX, BE, PERSONAL, RELATIVE, THING_PRONOUNS, TOPIC_PREPOSITIONS, WH, bare_period, clean, complete_period, is_past, is_person,
    is_place, own_period, surname, swap_question_word, without,
)
from qa.query.periods import parse_period
from qa.text.names import capitalised_words as names, cased
from qa.text.speakers import asked_speaker
from qa.text.words import FUNCTION_WORDS, content_terms

__all__ = ["Followup", "Conversation", "rewrite", "condense", "is_followup", "key_terms", "names"]

LEAD = re.compile(r"^\s*(?:(?:and|but|also|so|ok(?:ay)?|now|then|well)\b[\s,:]*)+", re.I)
OPENER = re.compile(r"^(?:(?:what|how)\s+about|what\s+of|as\s+(?:for|to|regards)|(?:the\s+)?same\s+(?:question\s+)?(?:for|about|with))\s+",
                    re.I)
PREP = re.compile(r"^(?:about|on|regarding|concerning|in|for|with|towards?|against|over)\s+", re.I)
WHO_ON = re.compile(r"^(?P<who>.+?)\s+(?:on|about|regarding|concerning)\s+(?P<what>.+)$")
WH_FILLER = frozenset("""was is were did does do has have had it that this so then happen happened happens occur occurred take took
    place he she they say said mean meant come him her them exactly again the case done there""".split())
ELSE_FILLER = frozenset("what else anything more tell me did does he she they say said is was there".split())
SPEAKER_NP = re.compile(r"^(?:what|how|why|when|where)\s+(?:else\s+)?(?:did|does|do|has|have|had|will|would)\s+(?P<who>.+?)\s+"
                        r"(?:say|said|tell|told|think|mean|claim|argue|react|respond|warn|tweet)\b", re.I)
SPEECH = re.compile(r"\b(?:say|said|says|tell|told|think|position|views?|stance|opinion|comments?|remarks|statement|tweet(?:s|ed)?)\b", re.I)
STANCE = re.compile(r"\b(?:position|views?|stance|opinion|reaction|response)\b", re.I)
KEEP_ALL = ("speaker", "topic")
_PROBE = "What did the minister say about the talks in March 2016?"  # a previous question with every part


@dataclass
class Followup:
    """A rewritten question: `text` is asked; `carried` says what came from the conversation, for people."""

    text: str
    carried: list[str] = field(default_factory=list)
    is_followup: bool = False


@dataclass
class _Context:
    """The previous (stand-alone) question taken apart: `base` is it without its period."""

    base: str
    period: Period | None
    speaker: str | None
    topic: tuple[int, int, str | None] | None  # span of the topic in `base`, and the preposition before it
    topic_text: str | None = None


class Conversation:
    """The questions of one chat, kept in their rewritten forms: `ask(q)` rewrites `q` against them."""

    def __init__(self, reference: dt.date | None = None, speakers: Iterable[str] | None = None):
        self.reference, self.speakers, self.history = reference, None if speakers is None else list(speakers), []

    def ask(self, question: str) -> Followup:
        out = rewrite(question, self.history, self.reference, speakers=self.speakers)
        if out.text:
            self.history.append(out.text)
        return out


def rewrite(question: str, history: Iterable | None, reference: dt.date | None = None, *,
            speakers: Iterable[str] | None = None) -> Followup:
    """`question` as a stand-alone question, given the earlier questions in `history` (oldest first). `reference`: the
    date year-less months are read against (the corpus' latest article date); `speakers`, when given, the names the
    corpus quotes: a bare "and X?" then replaces the speaker only for one of them, and typed in lower case they are
    read as if capitalised."""
    q, items = (question or "").strip(), user_questions(history)
    if not q or not items:
        return Followup(q)
    known = frozenset(surname(s) for s in speakers if s and s.strip()) if speakers is not None else None
    if known is not None:  # "what did may say about it?": typed in lower case, the speakers the corpus quotes as names
        q, *items = [cased(text, lambda w: surname(w) in known) for text in (q, *items)]
    for item in items[1:]:
        items[0] = _rewrite(item, items[0], reference, known).text
    return _rewrite(q, items[0], reference, known)


def condense(question: str, history: Iterable | None = None) -> str:
    """The stand-alone text of `question` (see `rewrite`)."""
    return rewrite(question, history).text


def is_followup(question: str) -> bool:
    """True when the question leans on an earlier one for its topic, speaker or question."""
    return _rewrite(question, _PROBE, None, None).is_followup


key_terms = content_terms  # the content words of a question, lower-cased, in order


def _context(previous: str, reference: dt.date | None) -> _Context:
    period = parse_period(previous, reference)
    base = _question(without(previous, period.text if period else ""))
    speaker = _speaker(base)
    topic = _topic_span(base, speaker)
    return _Context(base, period, speaker, topic, base[topic[0] : topic[1]] if topic else None)


def _speaker(question: str) -> str | None:
    """Whose words the question asks for: "What did Lavrov say", also "What did the US say", "What has Putin said"."""
    m = SPEAKER_NP.match(question)
    return asked_speaker(question[:1].upper() + question[1:]) or (m["who"] if m and clean(m["who"]) not in PERSONAL else None)


def _topic_span(base: str, speaker: str | None) -> tuple[int, int, str | None] | None:
    """The object of the last "about/on/regarding/concerning" phrase (else of/in/for/...) that runs to the end,
    else the last run of capitalised words that is not the speaker."""
    end = len(base.rstrip(" ?.!"))
    for group in (TOPIC_PREPOSITIONS[:4], TOPIC_PREPOSITIONS[4:]):
        pattern = re.compile(r"\b(" + "|".join(group) + r")\s+", re.IGNORECASE)
        for m in reversed(list(pattern.finditer(base, 0, end))):
            obj = base[m.end() : end]
            if content_terms(obj) and not (speaker and obj.strip() == speaker) and obj.split()[0].lower() not in TOPIC_PREPOSITIONS:
                return m.end(), end, m.group(1).lower()
    spoken = set(speaker.split()) if speaker else set()
    for m in reversed(list(re.finditer(r"(?<!^)\b[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*", base))):
        words = [w for w in m.group().split() if w not in spoken and re.sub(r"[’']s$", "", w) not in spoken]
        if words == m.group().split() and names("the " + m.group()):
            start = m.start() - 4 if base[: m.start()].lower().endswith(" the ") else m.start()  # "the UN"
            return start, m.end(), None
    return None


def _rewrite(question: str, previous: str, reference: dt.date | None, speakers: frozenset[str] | None) -> Followup:
    q = question.strip()
    if not q:
        return Followup(q)
    ctx = _context(previous, reference)
    period, notes, rest = own_period(q, ctx.period, reference)
    led = bool(LEAD.match(rest))
    body = LEAD.sub("", rest).strip().rstrip("?.! ").strip(" ,")
    body = "" if OPENER.fullmatch(body + " ") else body
    words = [clean(w) for w in body.split()]
    if not words:  # "and in December?"
        return _done(ctx.base, ctx, period, notes, KEEP_ALL) if period else Followup(q)
    if wh := _bare_question_word(words):  # "when was that?", "why?"
        return _done(swap_question_word(ctx.base, wh) or _generic(ctx, wh), ctx, period, notes, KEEP_ALL)
    if set(words) <= ELSE_FILLER and ("else" in words or "more" in words):  # "what else?", "tell me more"
        return _done(_with_else(ctx.base), ctx, period, notes, KEEP_ALL)
    if not period and (when := bare_period(body)):  # "and December?", "what about 2015?", "and on 5 December?"
        return _done(ctx.base, ctx, *(complete_period(when, ctx.period, reference) or (when, [])), KEEP_ALL)
    if not period and (m := RELATIVE.search(body)) and not without(body, m.group()).strip(" ,"):
        return _done(ctx.base, ctx, None, [], KEEP_ALL)  # "before that", with no previous period to count from
    done = _replacement(body, led, ctx, speakers) or _resolve_pronouns(body, words, led, ctx)
    return _done(done[0], ctx, period, notes, done[1]) if done else Followup(q)


def _bare_question_word(words: list[str]) -> str | None:
    """"when was that", "why did he say that", "how come" -> the question word; else None."""
    if words[:2] in (["how", "come"], ["what", "for"]):
        return "why" if len(words) == 2 else None
    return words[0] if words[0] in ("when", "why", "where", "how") and set(words[1:]) <= WH_FILLER else None


def _replacement(body: str, led: bool, ctx: _Context, speakers: frozenset[str] | None):
    """"and about Turkey", "what about the US", "and Kerry", "Turkey": (the rewrite, what it keeps) or None."""
    opened = OPENER.match(body)
    x = body[opened.end() :] if opened else body
    prep = PREP.match(x)
    x = x[prep.end() :] if prep else x
    xw = [clean(w) for w in x.split()]
    if not xw or xw[0] in WH or xw[0] in AUX:
        return None
    if not (opened or prep or led) and (len(xw) > 3 or any(w in AUX or (is_past(w) and not w[:1].isupper()) for w in xw)):
        return None
    if all(w in THING_PRONOUNS | PERSONAL | {"then", "there"} for w in xw):
        return ctx.base, KEEP_ALL
    if not content_terms(x) and not re.search(r"[A-Z]", x):
        return None
    x = x.strip(" ,")
    if not prep and ctx.speaker:
        m = WHO_ON.match(x)
        if m and is_person(m["who"], speakers):  # "what about Kerry on Turkey?"
            text = _replace_topic(_replace_speaker(ctx, m["who"]), m["what"], ctx, shift=len(m["who"]) - len(ctx.speaker))
            return text, ()
        if is_person(x, speakers):  # "and Kerry?"
            return _replace_speaker(ctx, x), ("topic",)
    return _replace_topic(ctx.base, x, ctx), ("speaker",)


def _replace_speaker(ctx: _Context, who: str) -> str:
    m = re.search(r"\b" + re.escape(ctx.speaker) + r"\b", ctx.base)
    return ctx.base[: m.start()] + who + ctx.base[m.end() :] if m else ctx.base


def _replace_topic(base: str, topic: str, ctx: _Context, shift: int = 0) -> str:
    if ctx.topic:
        start, end = ctx.topic[0] + shift, ctx.topic[1] + shift
        return base[:start] + topic + base[end:]
    link = "about" if SPEECH.search(base) else "regarding"
    return f"{base.rstrip(' ?.!')} {link} {topic}?"


def _with_else(base: str) -> str:
    low = [clean(t) for t in base.split()]
    if len(low) > 3 and low[0] in ("what", "who") and (low[1] in AUX - BE or (low[1] in BE and is_past(low[2]))):
        return " ".join([base.split()[0], "else"] + base.split()[1:])  # not "Who else is Lavrov?"
    return base


def _generic(ctx: _Context, wh: str) -> str:
    """A grammatical question word swap for a previous question of no handled shape."""
    about = ctx.topic_text or " and ".join(names("the " + ctx.base)[-2:])
    return f"{wh.capitalize()} did that happen" + (f" regarding {about}?" if about else "?")


def _resolve_pronouns(body: str, words: list[str], led: bool, ctx: _Context) -> tuple[str, tuple[str, ...]] | None:
    """"what did he say about Turkey" -> "What did Lavrov say about Turkey"; None when nothing leans on the context."""
    own_speaker = _speaker(body)
    person = ctx.speaker if ctx.speaker and is_person(ctx.speaker) else next((n for n in _name_runs(ctx.base) if is_person(n)), None)
    group = ctx.speaker if ctx.speaker and not is_person(ctx.speaker) else None
    if not group and ctx.topic and re.search(r"[^s]s$", clean(ctx.topic_text.split()[-1])):
        group = ctx.topic_text  # "they" after "... about the rebels?"
    toks, used, standing_in = body.split(), set(), set()  # standing_in: the words of the names put in for "he", "his"
    topicless = not _terms(body) - _terms(own_speaker or "") - THING_PRONOUNS - PERSONAL - {"there", "else"}
    group_kind = "speaker" if group and group == ctx.speaker else "topic"
    for i, tok in enumerate(toks):
        w, nxt, before = clean(tok), clean(toks[i + 1]) if i + 1 < len(toks) else "", clean(toks[i - 1]) if i else ""
        new, kind = None, "speaker"
        if w in THING_PRONOUNS and before in TOPIC_PREPOSITIONS and (not nxt or nxt in FUNCTION_WORDS) and topicless and ctx.topic:
            new, kind = ctx.topic_text, "topic"
        elif w == "there" and i == len(toks) - 1 and i > 1 and ctx.topic and ctx.topic_text[:1].isupper():
            new, kind = f"in {ctx.topic_text}", "topic"
        elif person and not own_speaker and (w in ("he", "she") or (w in ("his", "her") and nxt and nxt not in FUNCTION_WORDS)):
            new = _possessive(person) if w in ("his", "her") else person
        elif person and w in ("him", "her") and (not own_speaker or surname(own_speaker) != surname(person)):
            new = person
        elif group and not own_speaker and (w == "they" or (w == "their" and nxt)):
            new, kind = _possessive(group) if w == "their" else group, group_kind
        if new is not None:
            toks[i] = new + tok[len(tok.rstrip(".,;:!?")) :]
            used.add(kind)
            standing_in |= _terms(new) if kind == "speaker" else set()
    text = " ".join(toks)
    speech = bool(SPEECH.search(text))
    own = _terms(without(text, own_speaker) if own_speaker else text) - standing_in - {"else"}
    vague = len(words) <= 4 and not names("the " + body) and not content_terms(body)
    dangling = not own_speaker and any(clean(t) in PERSONAL for t in toks)  # "they" with nobody to stand for
    if not (used or led or vague or dangling or (own_speaker and speech and not own)):
        return None
    stance = STANCE.search(text)
    if clean(text.split()[0]) not in WH | AUX:  # a noun phrase: "and his position?"
        if not stance:
            return None
        text = f"What was {text}"
    if not own and ctx.topic and "topic" not in used and ctx.topic_text.lower() not in text.lower():
        prep = ctx.topic[2] if ctx.topic[2] in ("about", "on", "regarding", "concerning") else None
        text = f"{text.rstrip(' ?.!')} {'on' if stance else prep or ('about' if speech else 'regarding')} {ctx.topic_text}"
        used.add("topic")
    return _question(text), tuple(k for k in KEEP_ALL if k in used)


def _terms(text: str) -> set[str]:
    """The topic words of a text, acronyms that look like function words ("US", "IT") included."""
    return set(content_terms(text)) | {w.lower() for w in re.findall(r"\b[A-Z][A-Z.]+\b", text)}


def _name_runs(text: str) -> list[str]:
    runs = [m.group() for m in re.finditer(r"(?<!^)\b[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*", text)]
    return [r for r in reversed(runs) if names("the " + r) and not is_place(r)]


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _done(text: str, ctx: _Context, period: str | None, notes: list[str], keep: Iterable[str]) -> Followup:
    """`text` with the period (its own, else the previous one) at the end, and the notes of what was carried."""
    carried = []
    if period is None and ctx.period and ctx.period.text:
        period = ctx.period.text
        carried.append(f"period: {_lower_lead(period)}")
    carried += notes
    if "speaker" in keep and ctx.speaker and ctx.speaker in text:
        carried.append(f"speaker: {ctx.speaker}")
    if "topic" in keep and ctx.topic and ctx.topic_text in text:
        carried.append(f"topic: {ctx.topic_text}")
    return Followup(_question(f"{text.strip().rstrip('?.! ')} {_lower_lead(period or '')}"), carried, True)


def _lower_lead(phrase: str) -> str:
    return phrase[:1].lower() + phrase[1:] if phrase.split() and phrase.split()[0].lower() in FUNCTION_WORDS else phrase


def _question(text: str) -> str:
    return (t := text.strip().rstrip("?.! "))[:1].upper() + t[1:] + "?"
