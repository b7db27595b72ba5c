"""Who says a sentence: "X said", "said X", "according to X", "X told"; "the foreign minister said" when the article
has named its foreign minister ("Foreign Minister Sergey Lavrov"); or, for a quotation or a "he said", the last speaker
named before it in the article."""

from __future__ import annotations

import re

from qa.text.calendar import CALENDAR_WORDS
from qa.text.speaker_names import family_name_first, last_name, surname
from qa.text.speech_words import (BODIES, INVERTED, NOT_NAMES, OFFICES, PLURAL_SOMEONE, ROLE_NOUNS, SOMEONE, SOMEONE_IN_ROLE,
                                  TITLES, VERBS)
from qa.text.words import POSSESSIVE, WORD

NAME_WORDS = r"[A-Z][\w’'\-]+(?:\s+(?:al-|de\s+|von\s+)?[A-Z][\w’'\-]+){0,3}"  # a name of up to four capitalised words
_NAME = rf"(?P<name>{NAME_WORDS})"
_SAYER = _NAME[:-1] + r"(?<![’']s)(?![\w’'\-]))"  # a possessive ("Erdogan's claims") is not who speaks, nor part of it
# "Senator Mitch McConnell of Kentucky said", "Rosalind Carroll of the RTB said": where someone comes from is not who
# speaks; "The Department of Justice said" is that body, "the President of Slovenia said" that office, and "Secretary
# of State Rex Tillerson said" the person who holds it (`_of_whom`)
_OF_BEFORE = re.compile(r"(?P<who>(?:[A-Z][\w’'\-]+\s+){0,3}[A-Z][\w’'\-]+)\s+of\s+(?:the\s+)?$")
_CAPITALISED_BEFORE = re.compile(r"(?:(?:[A-Z][\w’'\-]*|[A-Z]\.)\s+)*$")
# "Paul Ryan on Tuesday said", "Enda Kenny in February told"
_WHEN = r"\s+(?:(?:late|early)\s+)?(?:on|in|last|this)\s+(?:" + "|".join(sorted(w.capitalize() for w in CALENDAR_WORDS)) + r")\b"
# A surname's lower-case particle, when the name starts with it ("What did de Mistura say")
_PARTICLE = r"(?:de|del|della|der|den|van|von|da|di|du|le|la|al|bin|ibn|el|dos|das)"
# Titles abbreviated with a full stop, as American papers write them ("said Dr. Smith", "according to Sen. John McCain")
_TITLE = rf"(?:(?:[A-Z][\w\-]+|{TITLES}|[A-Z]\.)\s+){{0,4}}"  # "Russian Foreign Minister Sergey Lavrov", "Gov. George E. Pataki"
_CLOSED = r"(?:[,”]|\"\??)"  # where a quotation ends before "said X"; '"?' is a closing mark some feeds damaged
_PARTY = r"(?:\s+\((?:[DRI]-[A-Z][\w.]{1,8}|[A-Z][a-z]{1,6}\.)\))"  # "Rep. Adam Schiff (D-Calif.) said", "Feinstein (Calif.), the …"
_PATTERNS = (
    re.compile(rf"{_TITLE}{_SAYER}{_PARTY}?(?:(?:,\s*\d{{1,3}})?,(?P<appos>[^,]{{1,80}}),|,|{_WHEN})?\s+(?:has\s+|had\s+|also\s+|then\s+)?(?:{VERBS})\b"),
    re.compile(rf"(?:{_CLOSED}|\b(?:also|then))\s*(?:{INVERTED})\s+{_TITLE}{_SAYER}"),  # "…," said Varga
    re.compile(rf"\b[Aa]ccording\s+to\s+{_TITLE}{_NAME}"),
)
# "…, Russian presidential spokesman Dmitry Peskov said on Thursday": the reporting clause names who speaks, whatever
# the sentence's subject ("The Kremlin denies …") is.
_REPORTING = re.compile(
    rf"[,”\"]\s+(?:(?!(?:that|{VERBS})\b)[\w’'\-]+\s+){{0,6}}?{_SAYER}\s+(?:has\s+|had\s+|also\s+)?(?:said|says|told|tells|added|adds|noted|stressed|stated|explained|wrote|declared)\b"
    r"(?=(?:\s+[\w’'\-]+){0,6}[.!?\"”]*\s*$)"  # … and ends the sentence: "…, said that Tillerson stressed the need" does not
)
# "…," says Diken journalist Mehves Evin. / "…," said Varga in Geneva on Friday. : a reporting clause that closes the
# sentence names who speaks, whoever the quotation itself names.
_CLOSING = re.compile(rf"{_CLOSED}\s*(?:{INVERTED})\s+(?P<rest>[^\"“”]{{1,90}}?)[.!?]?\s*$")
_ADVERBIAL = re.compile(r"(?:\s*,?\s+(?:on|in|at|during|after|before|from|to|last|this|earlier|later)(?:\s+(?:the\s+)?[A-Z0-9][\w\-]*)+)+$")
DATE_BEFORE = re.compile(r"\b(?:on|in|late|early|last|this|next|since|until|by|from)[\s\-]+$", re.IGNORECASE)
_PARTICIPLE = re.compile(r",\s*describe")
_PRONOUN = re.compile(rf"\b(?:he|she)\s+(?:has\s+|had\s+|also\s+)?(?:{VERBS})\b", re.IGNORECASE)
# "…asked why Putin believed…", "wondered whether Lavrov said…": a question about what X says, not X speaking
_ASKED_ABOUT = re.compile(r"\b(?:why|whether|if|how)\s+$", re.IGNORECASE)
# "the ambassador to the United States, Sergey Kislyak, told": the name after a role's object is who speaks
# ("…, the head of the Football Union, Vitaly Mutko, said"; not "a resident of Monroe, North Carolina, said")
_OBJECT_OF_ROLE = re.compile(rf"\b(?i:{ROLE_NOUNS}|head|chief|chairman|chairwoman|leader|representative|counterpart|nominee)"
                             r"\b[^,]{0,60}\b(?:the|of|to|for)\s+$")
_APPOSED_NAME = re.compile(r"\s*[A-Z][\w\-]+(?:\s+(?:al-|de\s+|von\s+)?[A-Z][\w\-]+){0,3}\s*")
_ROLE_NAME = re.compile(rf"(?P<role>(?:\b[\w’'\-]+\s+){{0,2}}\b(?i:{ROLE_NOUNS})(?:\s+of\s+[A-Z][\w\-]+)?)\s*,?\s+{_NAME}")
# words that make another role of the same noun: a vice president is not "the president"
_OTHER_ROLE = frozenset("vice deputy former acting assistant ex co under prime first".split())
# "the foreign minister said", "Russia's top diplomat said" (whose the role is: see `_owner_fits`)
_ROLE_OF = r"(?:\b[Tt]he|\b(?P<owner>[A-Z][\w\-]+)[’']s)\s+"
_BY_ROLE = (
    re.compile(rf"{_ROLE_OF}(?P<role>(?:[\w’'\-]+\s+){{0,3}}?(?i:{ROLE_NOUNS}))\s+(?:has\s+|had\s+|also\s+)?(?:{VERBS})\b"),
    re.compile(rf"{_CLOSED}\s*(?:{INVERTED})\s+{_ROLE_OF}(?P<role>(?:[\w’'\-]+\s+){{0,3}}?(?i:{ROLE_NOUNS}))\b"),
)
# what a role is also called: a foreign minister is the country's "top diplomat"
_ROLE_ALSO = {"diplomat": ("foreign minister", "foreign secretary", "secretary of state")}
# "What did X mean by …" asks for X's words, "What does Warszawa mean in Polish?" for a word's meaning; "X's position on
# …" for a view, "Tesla's position at Westinghouse" for a job. "What did Eck call Luther?" asks for words; "What does
# Guam call municipalities?" for a place's usual name of something: "call" asks for words only in a past tense.
_STANCE_ON = r"(?=\s+(?i:on|about|regarding|concerning|towards?|over|in\s+the\s+debate)\b|\s*[?.]?\s*$)"
_THE_ROLE = rf"(?:(?i:the)\s+(?:[\w’'\-]+\s+){{0,3}}?(?i:{ROLE_NOUNS})\s+|(?i:the)\s+(?=[A-Z]))"  # "the Philippine president Duterte", "the Pentagon"
ASKED_SPEAKER = (
    re.compile(rf"\b(?i:what|how|why|when|where)\s+(?:(?i:did|has|have|had|would)|(?P<present>(?i:does|do|will)))\s+{_THE_ROLE}?(?:{TITLES}\s+)?(?:[A-Z][\w\-]+\s+[A-Z]\.\s+)?(?:{_PARTICLE}\s+)?{_NAME}\s+(?:(?i:say|tell|think|believe|mean(?=\s+by\b)|claim|argue|describe|(?(present)(?!)|call)|react|respond|warn)|tweet)\b"),
    re.compile(rf"{_NAME}[’']s?\s+(?:(?:position|stance){_STANCE_ON}|view|views|statement|statements|remarks|comments|words|opinion|reaction|response)\b"),
    re.compile(rf"\b[Aa]ccording\s+to\s+{_TITLE}(?:{_PARTICLE}\s+)?{_NAME}\b"),
    # "Did Lavrov say anything about …", "Has Merkel mentioned …", "Did Putin talk about …"
    re.compile(rf"^\s*(?i:did|does|do|has|have|had|will|would)\s+(?:{TITLES}\s+)?(?:{_PARTICLE}\s+)?{_NAME}\s+"
               rf"(?:(?i:ever|also|not|never|already)\s+)?(?i:say|said|tell|told|mention|mentioned|talk|talked|speak|spoken"
               rf"|comment|commented|claim|claimed|warn|warned|call|called)\b"),
    re.compile(rf"\b(?i:view|stance|statement|remarks|comments)\s+of\s+{_TITLE}{_NAME}"),
    re.compile(rf"\b(?i:position)\s+of\s+{_TITLE}{_NAME}{_STANCE_ON}"),
)


def _clean(name: str) -> str | None:
    words = [w for w in name.split() if w not in NOT_NAMES]
    return " ".join(words) if words else None


def _closing_reporter(sentence: str) -> str | None:
    """The name in a reporting clause that ends the sentence ("…," said Varga on Friday.), or None."""
    m = _CLOSING.search(sentence.rstrip())
    if not m:
        return None
    rest = _ADVERBIAL.sub("", m["rest"].strip())
    words = rest.split()
    name = []
    while words and words[-1][:1].isupper() and not re.search(r"[’']s$", words[-1]):
        name.insert(0, words.pop())
    if not name or len(words) > 4 or any(w.lower() in CALENDAR_WORDS for w in name):
        return None  # "…, said Erdogan was wrong": a clause, not a reporting clause
    return _clean(" ".join(name))


# whom they speak for: "a spokesman for Mrs May said" is the spokesman, not May
_FOR_WHOM = r"(?:\s+(?:for|of|to|close\s+to)\s+(?:the\s+)?(?:[A-Z][\w.’'\-]*\s+){1,4}?)?"
_WHO = (rf"(?:(?i:the)\s+(?:[\w.\-]+\s+){{0,3}}?(?i:{SOMEONE})|(?i:a|an|one|another|two|three|several|some|many|other)\s+"
        rf"(?:[\w.\-]+\s+){{0,3}}?(?i:{SOMEONE}|{SOMEONE_IN_ROLE})|(?:[A-Z][\w.\-]*\s+){{0,2}}(?i:{PLURAL_SOMEONE})){_FOR_WHOM}")
_UNNAMED = (
    re.compile(rf"(?:^|[\s,\"”?(]){_WHO}\s*(?:(?:has|had|also|then|later)\s+)?(?:{VERBS})\b"),
    re.compile(rf"(?:^|[,”\"?])\s*(?:{INVERTED})\s+{_WHO}\b"),  # after its quotation, taken out
)
# "…, which Theresa May announced in January, was expected early in Trump's term, UK officials said privately.": the
# clause that closes the sentence says who speaks, whoever it names before
_CLOSING_UNNAMED = re.compile(rf",\s*{_WHO}\s*(?:{VERBS})(?:\s+[\w’'\-]+){{0,4}}[.!?]?[\"”]?\s*$")
# "a spokesman for Mrs May said", "lawyers for Smith told": the name is whom they speak for
_AGENT_FOR = re.compile(r"\b(?i:spokes(?:man|woman|person)|aides?|advis[eo]rs?|lawyers?|attorneys?|office|officials?"
                        r"|sources?|allies|friends?)\s+(?:for|of|to|close\s+to)\s+(?:the\s+)?(?:[A-Z][\w.’'\-]*\s+){0,3}$")
_QUOTED = re.compile(r"\"(?![\s?])[^\"]*(?:\"|$)|“[^”]*(?:”|$)")  # a mark before a space or "?" closes (a damaged ”)


def _blank_quotations(sentence: str) -> str:
    """The sentence with the words inside its quotations blanked (the marks and every offset kept): what names who speaks."""
    def blank(m: re.Match) -> str:
        closed = len(m[0]) > 1 and m[0][-1] in "\"”"
        return m[0][0] + " " * (len(m[0]) - 1 - closed) + (m[0][-1] if closed else "")

    return _QUOTED.sub(blank, sentence)


def unnamed(sentence: str) -> bool:
    """Whether someone the sentence does not name says it ("…," the official said; never words inside a quotation:
    '"Some people say it is over," he said' is his)."""
    return _unnamed_outside(_QUOTED.sub(" ", sentence))


def _unnamed_outside(stripped: str) -> bool:
    """`unnamed`, on a sentence whose quotations are already taken out."""
    return any(p.search(stripped) for p in _UNNAMED)


def speaker_of(sentence: str, previous: str | None = None, roles: Roles | None = None) -> str | None:
    """The name of who says this sentence, or None; `previous` is the last speaker named before it, `roles` who holds
    each role named so far ("foreign minister" → "Sergey Lavrov", see `learn_roles`)."""
    if closing := _closing_reporter(sentence):
        return closing
    stripped = _QUOTED.sub(" ", sentence)  # the words outside its quotations
    if _CLOSING_UNNAMED.search(stripped):
        return None
    outside = _blank_quotations(sentence)  # '"Tillerson said that …," he said.' is not Tillerson's
    for pattern in (_REPORTING, *_PATTERNS):
        for m in pattern.finditer(outside):
            if (name := _clean(m["name"])) and not _ASKED_ABOUT.search(outside, 0, m.start()) and not _not_said(m, outside, name):
                who = _apposed(m, outside) or _of_whom(m, outside, name)
                return _body_name(m, outside, who) if who == name else who
    for pattern in _BY_ROLE if roles else ():
        for m in pattern.finditer(outside):
            if (name := holder(m["role"], roles)) and _owner_fits(m["owner"], name, roles):
                return name
    if _unnamed_outside(stripped):
        return None
    if _PRONOUN.search(sentence) or sentence.lstrip()[:1] in "\"“«‘":
        return previous
    return None


def _of_whom(m: re.Match, sentence: str, name: str) -> str | None:
    """Who speaks when the matched name follows "X of": X ("Mitch McConnell" of Kentucky); a body or an office with it
    ("Department of Justice", "President of Slovenia"); the name itself after an office's object ("Secretary of State
    Rex Tillerson"); nobody when X speaks for someone ("a spokesperson for the California Department of Water …")."""
    run = _CAPITALISED_BEFORE.search(sentence, 0, m.start("name")).start()
    of = _OF_BEFORE.search(sentence, 0, run)
    if not of or not (who := _clean(of["who"])) or POSSESSIVE.search(who) or _OF_BEFORE.search(sentence, 0, of.start()):
        return name  # "Oxfam's Horn of Africa …", "The Head of Operations of the Irish Coast Guard": as read before
    head, named = who.split()[-1], sentence[run : m.end("name")].split()
    office = OFFICES.fullmatch(head)
    if office and len(named) > 1:
        return name
    if office or BODIES.fullmatch(head):
        return None if _AGENT_FOR.search(sentence, 0, of.start("who")) else _clean(sentence[of.start("who") : m.end("name")])
    return who


def _body_name(m: re.Match, sentence: str, name: str) -> str:
    """A body by its whole name, as the title words before it write it ("The White House said": White House, not House;
    "Russia's Foreign Ministry"); anyone else as matched."""
    if " " in name or not BODIES.fullmatch(name):
        return name
    words: list[str] = []
    for w in reversed(sentence[m.start() : m.start("name")].split()):
        if len(words) == 3 or not w[:1].isupper() or w in NOT_NAMES or w.lower() in CALENDAR_WORDS or POSSESSIVE.search(w):
            break
        words.insert(0, w)
    return " ".join([*words, name])


def _not_said(m: re.Match, sentence: str, name: str) -> bool:
    """A match that is no statement: a date ("the report released in December described …", not "Mrs May said"), or
    a participle ("Karim Baratov, described as a hacker")."""
    dated = all(w.lower() in CALENDAR_WORDS for w in name.split()) and DATE_BEFORE.search(sentence, 0, m.start("name"))
    agent = not m.groupdict().get("appos") and _AGENT_FOR.search(sentence, 0, m.start("name"))  # "Spokesman for X, Haq, told": Haq
    return bool(dated or _PARTICIPLE.match(sentence, m.end("name")) or agent)


def _apposed(m: re.Match, sentence: str) -> str | None:
    """The name set off by commas after a role's object ("…, the ambassador to the United States, Sergey Kislyak,
    told …") or after an office or a body ("Russian Defense Minister, Sergey Shoigu, said"), who speaks rather than
    either; None when there is none ("Sergey Lavrov, Russia's Foreign Minister,
    said": the name comes first)."""
    appos = m.groupdict().get("appos")
    head = m["name"].split()[-1]  # "Russian Defense Minister, Sergey Shoigu, said": an office or a body names nobody
    named_by_role = bool(OFFICES.fullmatch(head) or BODIES.fullmatch(head)) or _OBJECT_OF_ROLE.search(sentence, 0, m.start())
    if not appos or not _APPOSED_NAME.fullmatch(appos) or not named_by_role or re.fullmatch(r"\s*[DRI]-[A-Z][\w.]*\s*", appos):
        return None  # "Rep. Steve King, R-Iowa, says": a party tag is no name
    if re.search(rf"(?i:\b(?:{ROLE_NOUNS})\b)", appos) or any(w.lower() in CALENDAR_WORDS for w in appos.split()):
        return None
    return _clean(appos.strip())


class Roles(dict):
    """Who holds each role the article has named ("foreign minister" → "Sergey Lavrov"), and the words each person
    was named with ("Sergey Lavrov" → {"russian", "foreign", "minister"}), filled by `learn_roles`."""

    def __init__(self) -> None:
        super().__init__()
        self.named_with: dict[str, set[str]] = {}


def _owner_fits(owner: str | None, name: str, roles: Roles) -> bool:
    """Whether "<owner>'s minister" can be `name`: no owner ("the minister"), or one the person was named with
    ("Russia's top diplomat" for "Russian Foreign Minister Sergey Lavrov"). Another country's, or a person's aide
    ("Trump's spokesman"), is someone else."""
    if not owner:
        return True
    words = roles.named_with.get(name, set())
    return any(w[:4] == owner.lower()[:4] for w in words if len(w) >= 4)


def _role_keys(role: str) -> list[str]:
    """"Russian Foreign Minister" → ["foreign minister", "minister"]: the role with its last qualifier, then bare."""
    words = re.findall(r"[\w’']+", role.lower())
    if "of" in words[1:]:  # "Secretary of State" → ["secretary of state", "secretary"]
        at = words.index("of", 1)
        words, noun = words[: at - 1], " ".join(words[at - 1 :])
    else:
        words, noun = words[:-1], words[-1]
    if _OTHER_ROLE & set(words):  # "Vice Foreign Minister": that role exactly, never "the (foreign) minister"
        return [" ".join(words[next(i for i, w in enumerate(words) if w in _OTHER_ROLE):] + [noun])]
    return [f"{words[-1]} {noun}", noun] if words else [noun]


def learn_roles(sentence: str, roles: Roles) -> None:
    """Note who holds each role the sentence names ("Foreign Minister Sergey Lavrov"); a role two people have been
    named with ("President Donald Trump", "ProPublica president Dick Tofel") becomes "" (nobody can tell)."""
    for m in _ROLE_NAME.finditer(sentence):
        name = _clean(re.sub(r"[’']s$", "", m["name"]))
        if name and not any(w.lower() in CALENDAR_WORDS for w in name.split()):
            for key in _role_keys(m["role"]):
                roles[key] = name if key not in roles or same_speaker(roles[key], name) else ""
            roles.named_with.setdefault(name, set()).update(re.findall(r"[\w’']+", m["role"].lower()))


def holder(role: str, roles: Roles) -> str | None:
    """Who holds the role ("the Russian foreign minister", "the top diplomat") by what the article said before: the one
    person named with it, else nobody."""
    for key in _role_keys(role):
        if key in roles:
            return roles[key] or None
        for other in _ROLE_ALSO.get(key.split()[-1], ()):
            if other in roles:
                return roles[other] or None
    return None


def role_speaks(sentence: str) -> bool:
    """Whether the sentence names its speaker by a role ("…," Russia's top diplomat said)."""
    return any(p.search(sentence) for p in _BY_ROLE)


def speakers(sentences: list[str], previous: str | None = None) -> list[str | None]:
    """The speaker of each sentence, in order, carrying the last named speaker forward."""
    out: list[str | None] = []
    roles = Roles()
    for s in sentences:
        who = speaker_of(s, previous, roles)
        learn_roles(s, roles)
        out.append(who)
        previous = who or (None if unnamed(s) else previous)  # after "…," the official said, "He …" is not the one before
    return family_name_first(" ".join(sentences), out)


_DAY_OR_YEAR = re.compile(r"\s+\d")


def asked_speaker(question: str) -> str | None:
    """Whose words the question asks for: "What did Lavrov say…", "Lavrov's position on…", "according to Lavrov"."""
    # a capitalised word after the first but a date's month ("of December 1922"): where a speaker stands, "May" is May
    names = {POSSESSIVE.sub("", m.group(0)) for i, m in enumerate(WORD.finditer(question))
             if i and m.group(0)[:1].isupper() and not (m.group(0).lower() in CALENDAR_WORDS and _DAY_OR_YEAR.match(question, m.end()))}
    for pattern in ASKED_SPEAKER:
        m = pattern.search(question)
        if m and (name := _clean(m["name"])) and any(w in names for w in name.split()):
            particle = re.search(rf"\b{_PARTICLE}\s+$", question[: m.start("name")])
            return f"{particle[0].strip()} {name}" if particle and name == m["name"] else name
    return None


def role_before(question: str, speaker: str | None) -> str | None:
    """The words describing the asked speaker ("the Philippine president " Duterte): who speaks, not what about."""
    m = re.search(_THE_ROLE + rf"(?={re.escape(speaker)}\b)", question) if speaker else None
    return m[0] if m and m[0].strip().lower() != "the" else None


def asked_body(question: str, speaker: str | None) -> bool:
    """Whether the asked speaker is a body named with "the" ("What did the Pentagon say …"): whoever speaks for it."""
    return bool(speaker) and re.search(rf"\b(?i:the)\s+{re.escape(speaker)}\b", question) is not None


def same_speaker(a: str | None, b: str | None) -> bool:
    return bool(a and b) and surname(a) == surname(b)
