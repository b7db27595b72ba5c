"""The English and the dates a follow-up rewrite needs (plain rules, no model): whether a name is a person's, a
past-tense verb's base form, the same question asked with another question word ("What did Lavrov say about
Aleppo?" + "why?" -> "Why did Lavrov say that about Aleppo?"), and periods read against the previous question's."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from qa.models import Period
from qa.query.periods import describe, parse_period
from qa.text import aliases
from qa.text.calendar import CALENDAR_WORDS
from qa.text.words import FUNCTION_WORDS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


WH = _words("what when where why who whom whose which how")
BE, HAVE, DO = _words("is was are were"), _words("has have had"), _words("do does did")
MODALS = _words("will would can could should may might must shall")
AUX = BE | HAVE | DO | MODALS
PREPOSITIONS = _words("about on regarding concerning of in for with towards toward against over at by from to into near")
TOPIC_PREPOSITIONS = ("about", "on", "regarding", "concerning", "of", "in", "for", "with", "towards", "toward", "against", "over")
PERSONAL = _words("he she him his her they them their")
THING_PRONOUNS = _words("it that this those these them")
# Titles make a name a person's; these words make it a place's or a body's.
TITLES = _words("""mr mr. mrs mrs. ms ms. dr dr. president minister secretary senator ambassador general gen. chancellor premier king
    queen prince pope spokesman spokeswoman spokesperson envoy mayor governor chairman leader foreign defense defence prime deputy""")
_BODY_WORDS = _words("""state states republic union nations council front army forces force ministry party government administration
    coalition kingdom province region islands gulf sea east west north south arabia korea emirates league organization organisation
    agency bank fund court assembly parliament congress senate committee group brigade brigades movement alliance command office
    department service police navy company city county district valley river mountains strait peninsula bay desert""")
# Countries, capitals and places often in the news: a bare "and X?" naming one asks about a topic, not a speaker.
_PLACES = _words("""afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain
    bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina burundi cambodia
    cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt
    eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea guyana
    haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati
    kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia
    maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar burma
    namibia nauru nepal netherlands holland nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay peru
    philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain
    sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu uganda
    ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe europe asia africa america eurasia balkans caucasus
    crimea donbas kurdistan chechnya gaza jerusalem aleppo mosul raqqa idlib homs palmyra ghouta kobani afrin manbij fallujah kirkuk
    benghazi tripoli donetsk luhansk kabul baghdad beirut cairo riyadh istanbul kyiv minsk astana sochi geneva vienna rome""")
_IRREGULAR = dict(pair.split(":") for pair in """said:say told:tell thought:think took:take gave:give made:make went:go came:come
    saw:see knew:know wrote:write spoke:speak met:meet held:hold led:lead left:leave sent:send began:begin won:win lost:lose
    fought:fight brought:bring bought:buy sought:seek struck:strike stood:stand built:build broke:break chose:choose drew:draw
    fell:fall felt:feel found:find got:get grew:grow kept:keep meant:mean paid:pay ran:run rose:rise sold:sell spent:spend
    threw:throw withdrew:withdraw became:become undertook:undertake froze:freeze fled:flee flew:fly arose:arise forgot:forget
    laid:lay dealt:deal sank:sink shot:shoot understood:understand heard:hear taught:teach caught:catch hid:hide swore:swear
    tore:tear stole:steal drove:drive woke:wake died:die lied:lie tied:tie did:do had:have""".split())
_PARTICIPLES = frozenset(_IRREGULAR) | _words("""taken given gone come seen known written spoken begun won broken chosen drawn fallen
    gotten grown run risen thrown withdrawn become undertaken frozen flown arisen forgotten sunk hidden sworn torn stolen driven woken
    done been put set cut let hit""")
# Base forms that end the verb phrase of "What did X ...?"
_VERBS = _words("""say tell think believe mean claim argue describe call react respond warn propose do want demand offer suggest
    promise ask expect plan announce decide agree accuse sign discuss mention report write deny threaten criticise criticize reject
    accept consider need see know find get make give take send use ban block blame condemn support back oppose urge attack bomb hit
    target seize capture destroy build order sell buy pay cost change achieve gain lose win discover reveal hide learn predict
    recommend approve veto fund supply deliver provide request insist stress note add explain confirm admit talk speak concede
    dismiss label name brand compare link tie hope fear intend try seek aim happen occur matter read show publish""")
_NO_E = _words("focus bias develop monitor sponsor honor mentor censor tailor anchor author favor labor color harbor factor")
_YES_E = _words("postpone condone intervene convene interfere adhere create")
_ONE_L = _words("control cancel label travel patrol compel expel fuel signal model")


def clean(token: str) -> str:  # a whitespace token as a plain lower-case word ("Aleppo?" -> "aleppo")
    return token.strip(".,;:!?\"“”()[]").lower()


def base_form(verb: str) -> str:
    """The base form of a past-tense or third-person verb: "warned" -> "warn", "proposed" -> "propose"."""
    v = verb.lower()
    if v in _IRREGULAR or v in BE:
        return _IRREGULAR.get(v, "be")
    if v.endswith("ed") and len(v) > 3:
        return _strip_ed(v)
    if v.endswith("s") and not v.endswith("ss") and len(v) > 3:
        if v.endswith("ies"):
            return v[:-3] + "y"
        return v[:-2] if v.endswith(("sses", "shes", "ches", "xes", "zzes", "oes")) else v[:-1]
    return "have" if v == "has" else v


def _strip_ed(v: str) -> str:
    if v.endswith("ied"):
        return v[:-3] + "y"
    if v.endswith(("eed", "ued", "oed", "yed")) and not v.endswith("eded"):
        return v[:-1] if v.endswith(("eed", "ued")) else v[:-2]
    stem = v[:-2]
    if stem in _NO_E or stem + "e" in _YES_E:
        return stem + ("e" if stem + "e" in _YES_E else "")
    if len(stem) > 2 and stem[-1] == stem[-2] and (stem[-1] not in "aeioulsfzd" or stem[:-1] in _ONE_L):
        return stem[:-1]  # "stopped", "controlled"; not "called", "passed", "added"
    return stem + "e" if _needs_e(stem) else stem


def _needs_e(stem: str) -> bool:
    """Whether a regular verb's stem lost an "e" before "-ed" ("propos" -> "propose", "warn" -> "warn")."""
    last, before, vowels = stem[-1], stem[-2:-1], "aeiou"
    two_vowels = len(stem) > 2 and stem[-3] in vowels and before in vowels and stem[-4:-2] != "qu"
    if last in "vzcu" or stem.endswith(("iat", "uat")):
        return True
    if last == "s":
        return before != "s"
    if last == "g":
        return before in "nrd" or (before in vowels and not two_vowels)
    if before not in vowels or two_vowels:
        return last == "l" and before in "bptdgkcf"  # "enabled", "settled", "handled"
    return {"l": before in "iou", "r": before in "aiuo", "t": before in "aou" or stem.endswith(("vit", "cit", "nit", "let", "pet")),
            "d": True, "b": True, "k": True, "m": True, "p": True, "n": before in "iu"}.get(last, False)


def is_past(word: str) -> bool:
    w = word.lower()
    return w in _IRREGULAR or (w.endswith("ed") and len(w) > 3 and w not in ("need", "feed", "seed", "speed", "shed"))


def _is_participle(w: str) -> bool:
    return w in _PARTICIPLES or (w.endswith("ed") and len(w) > 3) or (w.endswith("ing") and len(w) > 4)


def _is_finite(w: str) -> bool:
    """A past-tense or third-person verb right after a subject question word ("What happened", "Who says")."""
    return is_past(w) or (w.endswith("s") and not w.endswith("ss") and len(w) > 3 and base_form(w) in _VERBS)


def is_place(phrase: str) -> bool:
    """A country, capital or place often in the news, or a name an alias group lists ("the US", "Kremlin")."""
    low = re.sub(r"^the\s+", "", " ".join(clean(w) for w in phrase.split()))
    return low in _PLACES or low in _alias_members() or (" " in low and any(w in _PLACES for w in low.split()))


@lru_cache(maxsize=1)
def _alias_members() -> frozenset[str]:
    return frozenset(m for group in aliases.groups() for m in group)  # "us", "kremlin", "nato", ...


def is_person(phrase: str, speakers: frozenset[str] | None = None) -> bool:
    """Whether a bare "and X?" names a person (a new speaker) rather than a topic. A title ("President Putin") makes
    it one; when the corpus' speakers are known (surnames), being among them decides; otherwise a capitalised name
    that is not a known place, an alias or a body ("Islamic State", "NATO") is one."""
    words = phrase.split()
    if not words or len(words) > 4:
        return False
    if clean(words[0]) in TITLES and len(words) > 1 and words[-1][:1].isupper():
        return True
    if speakers is not None:
        return surname(phrase) in speakers
    particles = ("al-", "de", "von", "bin", "van")
    return not is_place(phrase) and all(
        (w[:1].isupper() or clean(w) in particles) and clean(w) not in _BODY_WORDS | CALENDAR_WORDS and not (w.isupper() and len(w) > 1)
        for w in words
    )


def surname(name: str) -> str:
    return re.sub(r"[’']s$", "", clean(name.split()[-1])) if name.split() else ""


def _stand_in(phrase: list[str]) -> str:
    """"which countries" -> "those countries", "what" -> "that", "who" -> "those involved" (a "they" would read as a follow-up)."""
    head, noun = clean(phrase[0]), phrase[2:] if clean(phrase[0]) == "how" else phrase[1:]
    if head in ("who", "whom"):
        return "those involved" if head == "who" else "them"
    if not noun:
        return "that"
    return ("those " if re.search(r"[^s]s$", clean(noun[-1])) else "that ") + " ".join(noun)


def swap_question_word(previous: str, wh: str) -> str | None:
    """The previous question asked with `wh` (when / why / where / how), or None for a shape not handled here.
    "What did Lavrov say about Aleppo?" -> "Why did Lavrov say that about Aleppo?"; "Why was the pause initiated?" ->
    "When was the pause initiated?"; "What happened in Aleppo?" -> "Why did that happen in Aleppo?"."""
    toks = previous.strip().rstrip("?.! ").split()
    low = [clean(t) for t in toks]
    W = wh.capitalize()
    if len(toks) < 2:
        return None
    if low[0] in AUX:  # "Did Lavrov criticise Turkey?"
        return _join([W, low[0]] + toks[1:])
    if low[0] not in WH:
        return _statement(toks, low, W)
    i = 1  # the end of the question phrase: "which countries", "how many civilians"
    if low[0] in ("which", "what", "whose", "how") and low[1] not in AUX and (low[0] == "how" or not _is_finite(low[1])):
        while i < min(len(low), 4) and low[i] not in AUX and not (i > 1 and _is_finite(low[i])):
            i += 1
    phrase, adverbial = toks[:i], low[0] in ("when", "where", "why", "how") and (i == 1 or low[1] in ("long", "often", "soon"))
    if i >= len(toks) - 1 and (i >= len(toks) or low[i] in AUX):
        return None
    if low[i] not in AUX:  # "What happened in Aleppo?", "Which countries backed it?"
        if not _is_finite(low[i]) or adverbial:
            return None
        subject = _stand_in(phrase)
        aux = "did" if is_past(low[i]) else ("do" if subject.startswith("those") else "does")
        return _join([W, aux, subject, base_form(low[i])] + toks[i + 1 :])
    aux, rest, rlow = low[i], toks[i + 1 :], low[i + 1 :]
    if adverbial:
        return _join([W, aux] + rest)
    if (aux in BE | HAVE and _is_participle(rlow[0])) or (aux in MODALS and rest[0][:1].islower() and rlow[0] not in FUNCTION_WORDS):
        subject = _stand_in(phrase)  # "What has happened in Aleppo?", "Who will attend?"
        plural = {"has": "have", "is": "are", "was": "were", "does": "do"}
        return _join([W, plural.get(aux, aux) if subject.startswith("those") else aux, subject] + rest)
    obj = "them" if low[0] == "who" else _stand_in(phrase)
    v = _verb_index(rlow, aux)
    if v is None:  # "What was the outcome of the talks?" -> "When was the outcome of the talks?"
        if aux not in BE or low[0] == "who":
            return None
        return _join([W, aux] + rest) if W in ("When", "Where") else _join([W, aux, obj] + rest)
    at = v + 1
    if at < len(rlow) and rlow[at] in PREPOSITIONS and (at == len(rlow) - 1 or rlow[at + 1] in PREPOSITIONS):
        at += 1  # a stranded preposition: "What did Lavrov talk about in Geneva?" -> "... talk about that in Geneva"
    return _join([W, aux] + rest[:at] + [obj] + rest[at:])


def _verb_index(rlow: list[str], aux: str) -> int | None:
    """Where the verb of "What did <subject> <verb> ...?" is, after at least one word of subject."""
    if "do" in rlow[1:]:
        return len(rlow) - 1 - rlow[::-1].index("do")
    for j, w in enumerate(rlow[1:], 1):
        if (aux in DO | MODALS and w in _VERBS) or (aux in BE and w.endswith("ing") and len(w) > 4):
            return j
        if aux in HAVE | BE and _is_participle(w) and not w.endswith("ing"):
            return j
    return None


def _statement(toks: list[str], low: list[str], W: str) -> str | None:
    """"Lavrov warned the US about the Nusra front" -> "Why did Lavrov warn the US about the Nusra front?"."""
    for j in range(1, min(len(low), 8)):
        subject = toks[:j]
        if clean(subject[0]) in FUNCTION_WORDS:
            subject = [subject[0].lower()] + subject[1:]
        if low[j] in AUX:
            return _join([W, low[j]] + subject + toks[j + 1 :])
        if toks[j][:1].islower() and is_past(low[j]):
            return _join([W, "did"] + subject + [base_form(low[j])] + toks[j + 1 :])
    return None


def _join(words: list[str]) -> str:
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:] + "?"


# ---- periods

RELATIVE = re.compile(r"\b(?:(?P<op>before|after|since|until|till|prior\s+to|following)\s+(?:that|then|this)"
                      r"|(?:the|a)\s+(?:day|week|month|year)\s+(?P<near>before|after|earlier|later))\b", re.I)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"


def own_period(q: str, prev: Period | None, reference: dt.date | None) -> tuple[str | None, list[str], str]:
    """A follow-up's own period as the words to ask with ("before that" read against the previous period `prev`, a
    year-less month given its year), notes for people, and the follow-up without it."""
    rel = RELATIVE.search(q)
    op = " ".join((rel["op"] or rel["near"]).lower().split()) if rel else ""
    if rel and prev and (text := relative_period(op, prev, reference)):
        return text, [f"period: {text}"], without(q, rel.group())
    period = parse_period(q, reference)
    if not period or not period.text:
        return None, [], q
    text, notes = complete_period(period.text, prev, reference) or (period.text, [])
    return text, notes, without(q, period.text)


def complete_period(text: str, prev: Period | None, reference: dt.date | None) -> tuple[str, list[str]] | None:
    """The phrase with the previous period's year when it names none ("in December" after "in November 2016" ->
    "in December 2016"), and a note saying so; None when the phrase is no period."""
    year = (prev.since or prev.until or "")[:4] if prev else ""
    if year and not re.search(r"\d{4}|\b(?:last|this|next|past|previous|current|ago|yesterday|today|week|day)s?\b", text, re.I):
        for candidate in (f"{text} {year}", f"{text} of {year}"):
            got = parse_period(candidate, reference)
            if got and got.text.lower() == candidate.lower() and (got.since or got.until or "").startswith(year):
                return candidate, [f"year: {year}"]
    got = parse_period(text, reference)
    return (got.text, []) if got and got.text.lower() == text.lower() else None


def bare_period(body: str) -> str | None:
    """The period a follow-up is made of ("December", "on 5 December", "2015", "Q3"), with a preposition, or None."""
    x = re.sub(r"^(?:what|how)\s+about\s+", "", body, flags=re.I)
    prep = re.match(r"^(in|on|during|for)\s+", x, re.I)
    x = x[prep.end() :] if prep else x
    words = [clean(w) for w in x.split()]
    dated = [w for w in words if w in CALENDAR_WORDS or re.fullmatch(r"spring|summer|autumn|fall|winter|(?:19|20)\d\d|q[1-4]", w)]
    if not dated or any(w not in dated and not re.fullmatch(rf"early|mid|late|the|of|beginning|end|start|middle|{_DAY}", w) for w in words):
        return None
    return f"{prep[1].lower() if prep else 'on' if any(re.fullmatch(_DAY, w) for w in words) else 'in'} {x}"


def relative_period(op: str, prev: Period, reference: dt.date | None) -> str | None:
    """"before that" after "in November 2016" -> "before November 2016"; after "since 2016" -> "before 2016"."""
    op = {"prior to": "before", "earlier": "before", "following": "after", "later": "after", "till": "until"}.get(op, op)
    since, until = (dt.date.fromisoformat(d) if d else None for d in (prev.since, prev.until))
    if open_end := re.fullmatch(r"(?:since|after|before|until) (.+)", prev.label or ""):
        words = open_end[1]
    elif since and until and "–" not in describe(since, until):
        words = describe(since, until)
    elif day := (since if op in ("before", "since") else until):
        words = describe(day, day)
    else:
        return None
    return f"{op} {words}" if parse_period(f"{op} {words}", reference) else None


def without(text: str, phrase: str) -> str:
    """`text` with the first `phrase` cut out, spaces and punctuation mended."""
    i = text.find(phrase) if phrase else -1
    rest = text if i < 0 else text[:i] + " " + text[i + len(phrase) :]
    rest = re.sub(r"\s+([?.!,;:])", r"\1", re.sub(r"\s+", " ", rest)).strip()
    return re.sub(r",\s*([?.!])", r"\1", re.sub(r"[,;:]\s*$", "", re.sub(r"^[,;:\s]+", "", rest)))
