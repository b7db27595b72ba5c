"""sentence-transformers on torch, in bfloat16 where the CPU computes it natively."""

from __future__ import annotations

import numpy as np

from qa.encoders.base import BUNDLED, BatchEncoder, bundled_model_dir, cpu_has_bf16, is_bundled


class TorchEncoder(BatchEncoder):
    def __init__(self, model: str = "", precision: str = "auto", threads: int = 0):
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        if threads:
            torch.set_num_threads(threads)
        path = str(bundled_model_dir()) if is_bundled(model) else model
        self.model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.precision = "bf16" if precision == "bf16" or (precision == "auto" and cpu_has_bf16()) else "fp32"
        if self.precision == "bf16":
            self.model = self.model.to(torch.bfloat16)
        self.name = BUNDLED if is_bundled(model) else model
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.backend = "torch"
        self._torch = torch

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._torch.inference_mode():
            emb = self.model.encode(texts, batch_size=len(texts), convert_to_tensor=True, show_progress_bar=False)
        return emb.float().cpu().numpy()
