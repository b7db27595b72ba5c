"""News names someone in full once, then by surname: a passage that writes "Hasan" names "Nidal" where its article
writes "Nidal Malik Hasan" (qa/text/names.py `named_through`, the answer scorer's term coverage)."""

import corpora

TEXTS = {
    "base": "Shooting at the base\n\n"
            "Maj. Nidal Malik Hasan, an army psychiatrist, is accused of opening fire at the processing center of the "
            "Velmora base on Thursday, killing 13 people and wounding dozens more, officials said on Friday.\n\n"
            "A memo written two years ago by Hasan's supervisor at the Orlen medical center says Hasan showed a pattern "
            "of poor judgment and a lack of professionalism during his residency there.\n\n"
            "Investigators searched his apartment on Friday and took away computers, boxes of papers and a stack of "
            "books, a spokesman for the police said.\n",
    "plant": "Plant inspection\n\n"
             "A supervisor at the Keldland chemical plant said the night shift had ignored two safety warnings before "
             "the fire, and that the workers had not been trained to use the new valves.\n",
    "storm": "Storm season\n\nForecasters in Zarnovia warned of a severe storm season, with heavy rain expected in "
             "October and November, and asked residents to prepare.\n",
}


def _coverage(a, question: str) -> dict[tuple[str, int], tuple[float, float]]:
    """(doc_id, ordinal) -> the scorer's (term coverage, name coverage) of each candidate passage."""
    from qa.answer.features import PASSAGE_FEATURES

    query = a.query(question)
    qvec, hits = a.retrieve(query, k=20)
    found = a.answerer.gather(query, qvec, hits)
    rows = a.answerer.rows(found, read=False)
    cov, names = PASSAGE_FEATURES.index("coverage"), PASSAGE_FEATURES.index("name_coverage")
    return {(c.doc_id, c.ordinal): (float(r[cov]), float(r[names])) for c, r in zip(found.chunks, rows)}


def test_a_first_name_is_found_where_the_passage_writes_only_the_surname(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    got = _coverage(a, "What did Nidal's supervisor say about him?")
    memo = next(k for k in got if k[0] == "base" and k[1] > 0)  # "A memo written … by Hasan's supervisor"
    assert got[memo] == (1.0, 1.0)
    assert got[("plant", 0)][1] == 0.0  # another supervisor, of no Nidal: the name stays missing


def test_a_name_the_article_never_writes_in_full_is_not_implied(tmp_path):
    texts = dict(TEXTS, base=TEXTS["base"].replace("Maj. Nidal Malik Hasan", "Maj. Hasan"))
    a = corpora.small_assistant(tmp_path, texts)
    got = _coverage(a, "What did Nidal's supervisor say about him?")
    assert all(names == 0.0 for _, names in got.values())
