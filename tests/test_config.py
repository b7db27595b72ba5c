"""Settings (qa.config): plain values whose defaults come from QA_* environment variables, read when Settings() is made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa.config import Settings, offline_env

ENV = {
    "QA_CORPUS": "/data/news", "QA_INDEX": "/data/index", "QA_MODEL": "/models/e5", "QA_PRECISION": "fp32", "QA_BACKEND": "fake",
    "QA_ONNX_CACHE": "/data/onnx", "QA_THREADS": "3", "QA_BATCH_SIZE": "8", "QA_K": "7", "QA_CHUNK_WORDS": "40",
    "QA_MAX_FILE_MB": "2.5", "QA_VECTOR_STORE": "faiss", "QA_FLAT_MAX": "1000", "QA_ANSWERER": "extractive",
    "QA_READ_MARGIN": "2.5",
}


def test_defaults(clean_env, tmp_path):
    clean_env.setenv("XDG_CACHE_HOME", str(tmp_path))
    s = Settings()
    assert (s.corpus, s.index, s.model, s.precision, s.backend) == (Path("seeds"), Path("index"), "", "auto", "auto")
    assert s.onnx_cache == tmp_path / "newsqa" / "models"  # one ONNX export shared by every index
    assert (s.threads, s.batch_size, s.k, s.chunk_words, s.max_file_mb) == (0, 16, 5, 60, 5.0)
    assert (s.vector_store, s.flat_max, s.answerer) == ("faiss", 200_000, "extractive")


def test_environment_variables_are_read_when_settings_are_made(clean_env):
    before = Settings()
    for key, value in ENV.items():
        clean_env.setenv(key, value)
    s = Settings()
    assert (s.corpus, s.index, s.model, s.precision, s.backend, s.onnx_cache) == (
        Path("/data/news"), Path("/data/index"), "/models/e5", "fp32", "fake", Path("/data/onnx"))
    assert (s.threads, s.batch_size, s.k, s.chunk_words, s.max_file_mb, s.flat_max, s.read_margin) == (3, 8, 7, 40, 2.5, 1000, 2.5)
    assert before.backend == "auto" and before.flat_max == 200_000  # made earlier: unchanged


def test_arguments_win_over_the_environment(clean_env):
    clean_env.setenv("QA_BACKEND", "onnx")
    clean_env.setenv("QA_K", "9")
    s = Settings(backend="fake", k=2)
    assert (s.backend, s.k) == ("fake", 2)


def test_a_bad_number_is_an_error_that_names_the_variable(clean_env):
    clean_env.setenv("QA_FLAT_MAX", "lots")
    with pytest.raises(ValueError, match="QA_FLAT_MAX='lots' is not a whole number"):
        Settings()
    clean_env.delenv("QA_FLAT_MAX")
    clean_env.setenv("QA_READ_MARGIN", "wide")
    with pytest.raises(ValueError, match="QA_READ_MARGIN='wide' is not a number"):
        Settings()
    clean_env.setenv("QA_READ_MARGIN", "inf")
    assert Settings().read_margin == float("inf")


def test_offline_env_sets_defaults_without_overriding(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "true")
    offline_env()
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert os.environ["TOKENIZERS_PARALLELISM"] == "true"


def test_the_assistant_takes_its_encoder_from_the_environment(clean_env, news_corpus, news_index, news):
    """QA_BACKEND=fake is how a process (the CLI, the web app) is told to use the test encoder."""
    from qa.api import Assistant
    from qa.encoders.fake import FakeEncoder

    clean_env.setenv("QA_BACKEND", "fake")
    a = Assistant(corpus=news_corpus, index=news_index)
    assert isinstance(a.encoder, FakeEncoder) and a.last_report.up_to_date
