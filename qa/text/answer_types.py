"""What kind of answer a question asks for (a number, a date, a person, a place), and whether a text offers one."""

from __future__ import annotations

import re

NUMBER_QUESTION = re.compile(
    r"\bhow (?:many|much|long|old|far|big|large|tall|high|often|fast)\b"
    r"|\bwhat (?:percentage|percent|number|amount|proportion|size|age)\b"
)
DATE_QUESTION = re.compile(
    r"\bwhen\b|\bwhat (?:year|date|century|decade|month|day|time|period|era)\b|\bwhich (?:year|century|decade|month|day)\b"
)
PERSON_QUESTION = re.compile(r"\b(?:who|whom|whose)\b")
PLACE_QUESTION = re.compile(r"\bwhere\b|\bin (?:what|which) (?:city|country|state|region|town|place)\b")

NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|hundred|thousand|million|billion|dozen|half|several)\b",
    re.IGNORECASE,
)
DATE = re.compile(
    r"\b(?:1\d{3}|20\d{2})s?\b|\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|century|decade|ago|yesterday|today|spring"
    r"|summer|autumn|winter|era|period|age)\b",
    re.IGNORECASE,
)
CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")  # a capitalised word that does not start a sentence


def asked_type(question: str) -> str:
    """"number", "date", "person", "place", or "" when the question asks for something else."""
    low = question.lower()
    for kind, pattern in (("number", NUMBER_QUESTION), ("date", DATE_QUESTION), ("person", PERSON_QUESTION), ("place", PLACE_QUESTION)):
        if pattern.search(low):
            return kind
    return ""


def offers(kind: str, text: str, question: str) -> bool:
    """Whether the text holds an answer of that kind: a number, a date, or a name the question does not already say."""
    if kind == "number":
        return bool(NUMBER.search(text))
    if kind == "date":
        return bool(DATE.search(text))
    asked = {w.lower() for w in re.findall(r"\w+", question)}
    return any(m.group(0).lower() not in asked for m in CAPITALISED.finditer(text))
