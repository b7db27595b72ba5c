"""The ONNX encoder's speed paths with the real model: batches side by side give the vectors one batch at a time gives,
and the opt-in int8 model stays close to fp32, is made once, silently, and is recorded under its own name."""

from __future__ import annotations

import numpy as np
import pytest

from qa.config import Settings
from qa.encoders import model_name
from qa.encoders.onnx import INT8, OnnxEncoder

pytestmark = pytest.mark.slow
TEXTS = [
    "Russia is alarmed by a refusal of Jabhat al-Nusra militants to leave Aleppo, Lavrov said on Friday. He spoke in Moscow.",
    "The first round of talks is due to open in Geneva on Feb. 6, a U.N. spokeswoman said.",
    "Keldland will finish the Orlen dam by 2019 whatever its neighbour says. The turbines will supply 400,000 homes.",
] * 7
SPANS = [[(0, t.index(".") + 1), (t.index(".") + 2, len(t))] for t in TEXTS]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("onnx")


def test_batches_side_by_side_equal_one_at_a_time(cache):
    parallel, serial = OnnxEncoder(cache=cache, threads=2), OnnxEncoder(cache=cache, threads=1)
    assert parallel.workers == 2 and serial.workers == 1
    (a, sa), (b, sb) = parallel.encode_spans(TEXTS, SPANS, batch_size=4), serial.encode_spans(TEXTS, SPANS, batch_size=4)
    assert np.array_equal(a, b) and all(np.array_equal(x, y) for x, y in zip(sa, sb))
    assert np.array_equal(parallel.encode(TEXTS, batch_size=4), serial.encode(TEXTS, batch_size=4))


def test_int8_is_close_made_once_and_silent(cache, capfd):
    fp32 = OnnxEncoder(cache=cache)
    capfd.readouterr()
    int8 = OnnxEncoder(precision="int8", cache=cache)
    out, err = capfd.readouterr()
    assert err == "" and out == "" and int8.precision == "int8"
    assert len(list(cache.glob(f"*{INT8}"))) == 1
    a, b = fp32.encode(TEXTS), int8.encode(TEXTS)
    cos = (a * b).sum(1)
    assert cos.min() > 0.97 and cos.mean() > 0.985
    assert model_name(Settings(model="minilm", precision="int8")) != model_name(Settings(model="minilm"))  # other vectors: other cache keys, other index
