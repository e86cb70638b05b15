"""Everything a runner shares with the others in one output directory: models, data, SAEs, evals.

Artifacts (random-model checkpoint, SAE and transcoder checkpoints, cached held-out evals) live
under ``<out>/artifacts/<config-hash>/`` so that every runner with the same config reuses them:
``releasegate run ood`` after ``releasegate run random_model`` trains nothing. A cached eval or
checkpoint is only ever written whole (atomically), so a rerun after an interruption picks up
exactly what was finished.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from evidence_schema import config_sha256, sha256_file, write_json_atomic

from .config import RunnerConfig

Arm = Literal["trained", "random", "mlp_sae", "transcoder"]
REPO = Path(__file__).resolve().parent.parent


def recorded_path(p: Path | str, evidence_dir: Path) -> str:
    """How evidence records a file it names: never an absolute path of this machine.

    Files shipped with releasegate (the tiny LM) as ``releasegate:<path in the checkout>``;
    files of the Python standard library (the corpora) as ``stdlib:<path under it>``; anything
    else relative to ``evidence_dir``, the directory of the evidence file that records it
    (``../artifacts/…`` for a checkpoint under the same ``--out``), so a run directory can be
    moved or copied whole. The sha256 beside each path pins the content.
    """
    import os
    import sysconfig

    real = Path(p).resolve()
    for prefix, root in (("releasegate:", REPO / "runners"),
                         ("stdlib:", Path(sysconfig.get_paths()["stdlib"]).resolve())):
        try:
            rel = real.relative_to(root)
        except ValueError:
            continue
        return prefix + ("runners/" if prefix == "releasegate:" else "") + rel.as_posix()
    try:
        return Path(os.path.relpath(real, Path(evidence_dir).resolve())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return real.as_posix()


def resolve_recorded(recorded: str, evidence_dir: Path) -> Path:
    """The file a path written by ``recorded_path`` names, read from ``evidence_dir``."""
    import sysconfig

    if recorded.startswith("releasegate:"):
        return REPO / recorded.removeprefix("releasegate:")
    if recorded.startswith("stdlib:"):
        return Path(sysconfig.get_paths()["stdlib"]) / recorded.removeprefix("stdlib:")
    return Path(evidence_dir) / recorded


def display_path(p: Path) -> str:
    """For log messages only: repo-relative inside the checkout, else absolute. Evidence
    records paths with ``recorded_path``."""
    p = Path(p).resolve()
    try:
        return p.relative_to(REPO).as_posix()
    except ValueError:
        return str(p)


@dataclass
class RunContext:
    cfg: RunnerConfig
    out: Path
    device: str = "cpu"
    quiet: bool = False
    _memo: dict[str, Any] = field(default_factory=dict)

    # --- naming -------------------------------------------------------------------------

    @property
    def config_hash(self) -> str:
        return config_sha256(self.cfg.as_dict())

    @property
    def evidence_dir(self) -> Path:
        return self.out / "evidence"

    @property
    def artifacts(self) -> Path:
        return self.out / "artifacts" / self.config_hash[:12]

    def evidence_path(self, stem: str) -> Path:
        return self.evidence_dir / f"{stem}-{self.config_hash[:12]}.json"

    def log(self, msg: str) -> None:
        if not self.quiet:
            print(f"[releasegate run] {msg}", file=sys.stderr, flush=True)

    # --- models -------------------------------------------------------------------------

    def lm(self) -> Any:
        """The LoadedModel of the config's language model (loaded once)."""
        if "lm" not in self._memo:
            from . import models

            spec = self.cfg.model
            if spec.source == "tiny":
                loaded = models.load_local(models.TINY_LM_CONFIG, models.TINY_LM_CHECKPOINT,
                                           self.device)
            elif spec.source == "local":
                assert spec.config_path and spec.checkpoint
                loaded = models.load_local(Path(spec.config_path), Path(spec.checkpoint),
                                           self.device)
            else:  # pragma: no cover - needs network
                assert spec.name
                loaded = models.load_pretrained(spec.name, self.device)
            self._memo["lm"] = loaded
        return self._memo["lm"]

    def lm_input(self) -> dict[str, str]:
        ck = self.lm().checkpoint
        if ck is None:  # pragma: no cover - pretrained by name: no local file to hash
            return {}
        return {"path": self.recorded(ck), "sha256": self._sha(ck), "role": "lm_checkpoint"}

    def random_lm(self) -> tuple[Any, Path]:
        """The randomly re-initialised copy, saved so its sha256 can be recorded."""
        if "random_lm" not in self._memo:
            from . import models

            model = models.random_copy(self.lm().model, self.cfg.model.random_seed)
            path = self.artifacts / f"random_lm_seed{self.cfg.model.random_seed}.safetensors"
            if not path.exists():
                models.save_checkpoint(model, path, fp16=False)
            self._memo["random_lm"] = (model, path)
        memo: tuple[Any, Path] = self._memo["random_lm"]
        return memo

    def model_for(self, arm: Arm) -> tuple[Any, str]:
        if arm == "random":
            model, _ = self.random_lm()
            return model, f"{self.lm().name}-random{self.cfg.model.random_seed}"
        return self.lm().model, self.lm().name

    def _sha(self, path: Path) -> str:
        key = f"sha:{Path(path).resolve()}"
        if key not in self._memo:
            self._memo[key] = sha256_file(path)
        return str(self._memo[key])

    def file_input(self, path: Path, role: str, seed: int | None = None) -> dict[str, Any]:
        """An input reference; ``seed`` for a per-seed file (a checkpoint), so that `check` can
        refuse two seeds whose inputs share a sha256 (one run counted as several seeds)."""
        ref: dict[str, Any] = {"path": self.recorded(path), "sha256": self._sha(path),
                               "role": role}
        if seed is not None:
            ref["seed"] = seed
        return ref

    def recorded(self, path: Path | str) -> str:
        """``path`` as this run's evidence records it (``recorded_path``)."""
        return recorded_path(path, self.evidence_dir)

    # --- data ---------------------------------------------------------------------------

    def dataset(self, which: Literal["train", "val", "ood"]) -> tuple[Any, Any]:
        """(datasets.Dataset of input_ids, CorpusBytes) for one split."""
        if which not in self._memo:
            from .data import token_dataset

            d = self.cfg.data
            ctx = d.context_size
            if which == "train":
                self._memo[which] = token_dataset(d.corpus, "train", ctx, d.max_train_tokens)
            elif which == "val":
                self._memo[which] = token_dataset(d.corpus, "val", ctx,
                                                  self.cfg.eval.max_eval_tokens)
            else:
                self._memo[which] = token_dataset(d.ood_corpus, "val", ctx,
                                                  self.cfg.eval.max_eval_tokens)
        return self._memo[which]  # type: ignore[no-any-return]

    def corpus_input(self, which: Literal["train", "val", "ood"]) -> dict[str, str]:
        _, corpus = self.dataset(which)
        src = Path(corpus.source)
        if src.is_file():
            # One source file (pydoc topics): its own sha256, checkable by anyone.
            return self.file_input(src, f"corpus:{corpus.name}/{corpus.split}")
        # A directory tree (the stdlib): the sha256 of the exact bytes read, in order.
        return {"path": self.recorded(corpus.source), "sha256": corpus.sha256,
                "role": f"corpus_bytes:{corpus.name}/{corpus.split}"}

    # --- SAEs -----------------------------------------------------------------------------

    def sae_dirs(self, arm: Arm) -> dict[int, Path]:
        """Checkpoint directories per seed for an arm, training whatever is missing."""
        key = f"dirs:{arm}"
        if key in self._memo:
            return self._memo[key]  # type: ignore[no-any-return]
        from .sae_training import train_saes
        from .transcoder import mlp_hooks, train_transcoders

        spec = self.cfg.sae
        root = self.artifacts / "saes" / arm
        ds, _ = self.dataset("train")
        model, name = self.model_for(arm)
        self.log(f"SAEs [{arm}]: {len(spec.seeds)} seed(s) × {spec.training_tokens:,} tokens "
                 f"→ {display_path(root)}")
        if arm == "transcoder":
            dirs = train_transcoders(model, name, ds, spec, self.cfg.data,
                                     self.cfg.transcoder.layer, self.cfg.transcoder.lr, root,
                                     self.device, self.cfg.transcoder.architecture)
        elif arm == "mlp_sae":
            # The transcoder's comparison: an SAE on the MLP output with the same sparsity
            # mechanism (TopK with the same k, or ReLU + L1), width, tokens and learning rate.
            dirs = train_saes(model, name, ds, spec, self.cfg.data, root, self.device,
                              hook_point=mlp_hooks(self.cfg.transcoder.layer)[1],
                              architecture=self.cfg.transcoder.architecture)
        else:
            dirs = train_saes(model, name, ds, spec, self.cfg.data, root, self.device)
        self._memo[key] = dirs
        return dirs

    def sae(self, arm: Arm, seed: int) -> Any:
        key = f"sae:{arm}:{seed}"
        if key not in self._memo:
            from .sae_training import load_sae

            self._memo[key] = load_sae(self.sae_dirs(arm)[seed], self.device)
        return self._memo[key]

    def decoders(self, arm: Arm) -> dict[int, Any]:
        return {s: self.sae(arm, s).W_dec.detach() for s in self.cfg.sae.seeds}

    def checkpoint_file(self, arm: Arm, seed: int) -> Path:
        from .sae_training import SAE_WEIGHTS

        return self.sae_dirs(arm)[seed] / SAE_WEIGHTS

    def checkpoint_inputs(self, arms: tuple[Arm, ...]) -> list[dict[str, Any]]:
        return [self.file_input(self.checkpoint_file(a, s), f"sae_checkpoint:{a}", seed=s)
                for a in arms for s in self.cfg.sae.seeds]

    # --- cached evaluations ---------------------------------------------------------------

    def evaluation(self, arm: Arm, seed: int, split: Literal["val", "ood"]) -> dict[str, float]:
        """Held-out metrics of one SAE (sae-lens evals), cached on disk as JSON."""
        path = self.artifacts / "evals" / f"{arm}-seed{seed}-{split}.json"
        if path.exists():
            return json.loads(path.read_text())  # type: ignore[no-any-return]
        ds, _ = self.dataset(split)
        model, _ = self.model_for(arm)
        if arm in ("trained", "random"):
            from .evaluation import evaluate_sae

            result = evaluate_sae(model, self.sae(arm, seed), ds, self.cfg.data.context_size,
                                  self.cfg.eval).as_dict()
        else:
            from .transcoder import evaluate_pair_model, mlp_hooks

            hin, hout = mlp_hooks(self.cfg.transcoder.layer)
            hooks = (hin, hout) if arm == "transcoder" else (hout, hout)
            result = evaluate_pair_model(model, self.sae(arm, seed), ds, hooks, self.cfg.data,
                                         self.cfg.eval)
        write_json_atomic(path, result)
        return result
