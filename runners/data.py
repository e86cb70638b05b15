"""Token datasets from text every machine has: the CPython standard library.

In-distribution text is the standard library's Python source; out-of-distribution text is the
English prose of ``pydoc_data/topics.py`` (the documentation topics ``help()`` shows). Nothing is
downloaded and no corpus is copied into the repository: each machine reads its own copy, and
evidence records the corpus's sha256 so that two machines with different Pythons can be told
apart. Tokens are bytes (vocabulary 256), so no tokenizer file is needed either.
"""

from __future__ import annotations

import ast
import hashlib
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

Corpus = Literal["stdlib_python", "pydoc_prose"]
Split = Literal["train", "val"]

# Directories of the stdlib that are not the standard library's own source (third-party
# packages, huge generated test data) or that differ a lot between builds.
_EXCLUDED_PARTS = {"site-packages", "dist-packages", "__pycache__", "idlelib", "lib2to3"}
# One file in every _VAL_EVERY (by sorted relative path) is held out for validation/evaluation.
_VAL_EVERY = 10


def stdlib_dir() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def _python_files(root: Path) -> list[Path]:
    files = [
        p
        for p in root.rglob("*.py")
        if not (_EXCLUDED_PARTS & set(p.relative_to(root).parts)) and p.is_file()
    ]
    # Sorted by relative path so every machine visits files in the same order.
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _pydoc_prose() -> bytes:
    """The documentation topics as plain English text (the dict of strings in topics.py)."""
    src = (stdlib_dir() / "pydoc_data" / "topics.py").read_text(encoding="utf-8")
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            topics = ast.literal_eval(node.value)
            return "\n\n".join(topics[k] for k in sorted(topics)).encode("utf-8")
    raise RuntimeError("pydoc_data/topics.py has no topics dict; cannot build the OOD corpus")


@dataclass(frozen=True)
class CorpusBytes:
    name: Corpus
    split: Split
    data: bytes
    source: str  # where it came from, for evidence

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def load_corpus(name: Corpus, split: Split, max_bytes: int | None = None) -> CorpusBytes:
    """The bytes of one split of a corpus, deterministic for a given Python installation."""
    if name == "stdlib_python":
        root = stdlib_dir()
        files = _python_files(root)
        chosen = [
            f for i, f in enumerate(files) if (i % _VAL_EVERY == 0) == (split == "val")
        ]
        chunks: list[bytes] = []
        total = 0
        for f in chosen:
            b = f.read_bytes()
            chunks.append(b)
            total += len(b)
            if max_bytes is not None and total >= max_bytes:
                break
        data = b"\n".join(chunks)
        source = str(root)
    elif name == "pydoc_prose":
        text = _pydoc_prose()
        # Prose is only ever evaluated on, but keep a train/val split for symmetry.
        cut = int(len(text) * 0.8)
        data = text[:cut] if split == "train" else text[cut:]
        source = str(stdlib_dir() / "pydoc_data" / "topics.py")
    else:  # pragma: no cover - Literal guards this
        raise ValueError(f"unknown corpus {name!r}; choose stdlib_python or pydoc_prose")
    if max_bytes is not None:
        data = data[:max_bytes]
    return CorpusBytes(name=name, split=split, data=data, source=source)


def to_sequences(data: bytes, n_ctx: int) -> np.ndarray:
    """Non-overlapping rows of ``n_ctx`` byte tokens (int64), the tail dropped."""
    arr = np.frombuffer(data, dtype=np.uint8)
    n = len(arr) // n_ctx
    return arr[: n * n_ctx].reshape(n, n_ctx).astype(np.int64)


def iter_batches(
    seqs: np.ndarray, batch_size: int, seed: int
) -> Iterator[np.ndarray]:
    """Endless shuffled batches of rows (reshuffled each epoch, seeded)."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(len(seqs))
        for i in range(0, len(order) - batch_size + 1, batch_size):
            yield seqs[order[i : i + batch_size]]


def token_dataset(name: Corpus, split: Split, n_ctx: int, max_tokens: int) -> tuple[
    object, CorpusBytes
]:
    """A ``datasets.Dataset`` with an ``input_ids`` column, for sae-lens's ``override_dataset``."""
    from datasets import Dataset

    corpus = load_corpus(name, split, max_bytes=max_tokens)
    seqs = to_sequences(corpus.data, n_ctx)
    ds = Dataset.from_dict({"input_ids": seqs.tolist()})
    return ds, corpus
