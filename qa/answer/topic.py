"""Whether a statement names what the question asks about (the topic of "what did X say about Y")."""

from __future__ import annotations

from qa.answer.features import Context
from qa.answer.features import found as terms_found
from qa.models import Chunk, Query
from qa.text import aliases
from qa.text.words import SPEECH_FRAME_WORDS


def names_topic(topic: list[str], text: str, alternatives: dict[str, list[str]], weights: dict[str, float] | None = None) -> bool:
    """Whether the text names what the question asks about: one of its words, other than the corpus's most common one
    when there are several ("Western sanctions against Russia" is not answered by a statement on Moscow). The words of
    a name with other names ("United States": US, Washington) count as one, found only together or as one of those
    ("… with other states" is not the US)."""
    weights = weights or {}
    parts = [t for t in topic if len(alternatives.get(t, [])) and sum(alternatives.get(u) == alternatives[t] for u in topic) > 1]
    rest = [t for t in topic if t not in parts]
    present = terms_found(rest, text, alternatives)
    units = [(weights.get(t, 1.0), t in present) for t in rest]
    if parts:
        named = aliases.contains(text, alternatives[parts[0]]) or aliases.contains(text, [" ".join(parts)])
        units.append((max(weights.get(t, 1.0) for t in parts), named))
    if len(units) > 1:
        units.remove(min(units, key=lambda u: u[0]))
    return any(found for _, found in units)


def on_the_topic(query: Query, chunk: Chunk, first: int, last: int, ctx: Context) -> bool:
    """Whether sentences first..last name what the question asks about besides the speaker and the verb that asks what
    they said ("call", "describe": SPEECH_FRAME_WORDS), by `names_topic`."""
    topic = [t for t in ctx.known if t not in query.speaker.lower() and t not in SPEECH_FRAME_WORDS]
    text = chunk.sentence_text((chunk.sentences[first][0], chunk.sentences[last][1]))
    return not topic or names_topic(topic, text, query.alternatives, ctx.weights)
