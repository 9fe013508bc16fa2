"""Running the cross-encoder's forward pass fast: token batches in, logits out.

:class:`~detector.scoring.NLIScorer` owns what pairs mean; this module owns how fast they run.

- :class:`TorchRunner`: the transformers model under ``torch.inference_mode``, in fp32, bf16
  (CPUs with bf16 matrix units, AMX or AVX512-BF16, where it is about three times fp32's speed
  with the same labels) or fp16 (CUDA). :func:`resolve_precision` picks one for ``auto``.
- :class:`OnnxRunner`: ONNX Runtime on an int8 export (:func:`export_onnx`), for CPUs without
  bf16 units, where int8 matrix products are what is fast.
- :func:`length_batches`: pairs sorted by token length, so a batch pads to little.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
BACKENDS = ("torch", "onnx")
ONNX_FILE = Path("onnx") / "model_qint8.onnx"
"""Where a model folder keeps its int8 ONNX export (sentence-transformers' layout)."""
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


class BackendError(RuntimeError):
    """A backend or precision that cannot run here, or a missing export."""


def cpu_has_bf16_units() -> bool:
    """Whether this CPU multiplies bf16 matrices in hardware (Intel AMX or AVX512-BF16)."""
    checks = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


def resolve_precision(precision: str, device: str) -> str:
    """``auto``: fp16 on CUDA, bf16 on a CPU with bf16 units, else fp32. fp16 on a CPU is refused
    (it is emulated there, slower than fp32)."""
    if precision not in PRECISIONS:
        raise BackendError(f"unknown precision {precision!r}; use one of {', '.join(PRECISIONS)}")
    on_gpu = device.startswith("cuda")
    if precision == "auto":
        return "fp16" if on_gpu else "bf16" if device == "cpu" and cpu_has_bf16_units() else "fp32"
    if precision == "fp16" and not on_gpu:
        raise BackendError("fp16 is for CUDA GPUs; on a CPU use bf16 (fast where the CPU has bf16 units) or fp32")
    return precision


TOKENS_PER_PAIR = 64
"""``batch_size`` counts pairs of this many tokens: a batch holds ``batch_size * 64`` padded tokens."""


def length_batches(lengths: Sequence[int], batch_size: int, max_length: int | None = None) -> list[list[int]]:
    """Indices in batches of similar token length (shortest first), each within one token budget.

    The budget is ``batch_size`` pairs of :data:`TOKENS_PER_PAIR` tokens, counted after padding,
    so batches of short claims hold more pairs (less per-call overhead) and batches of long ones
    fewer (bounded memory). Lengths above ``max_length`` count as ``max_length`` (truncated).
    """
    budget = batch_size * TOKENS_PER_PAIR
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    for index in order:
        length = min(lengths[index], max_length or lengths[index])
        if batches and (len(batches[-1]) + 1) * length <= budget:
            batches[-1].append(index)
        else:
            batches.append([index])
    return batches


SHAPE_STEP = 8
"""Batches are padded to a multiple of this many rows and tokens: CPU kernel libraries build and
keep a kernel per input shape, so fewer distinct shapes mean less memory and less warm-up."""


ONEDNN_KERNEL_CACHE = 16


def _pad_rows(values: np.ndarray, step: int) -> np.ndarray:
    """``values`` with its last row repeated up to a multiple of ``step`` rows."""
    missing = -len(values) % step
    return np.concatenate([values, np.repeat(values[-1:], missing, axis=0)]) if missing else values


class TorchRunner:
    """A transformers sequence-classification model at a precision, on a device."""

    def __init__(self, model: torch.nn.Module, device: str, precision: str, threads: int | None = None):
        if threads:
            torch.set_num_threads(threads)
        # oneDNN (bf16 on CPUs) keeps up to 1,024 kernels by default, one per input shape: over a
        # long run that is hundreds of MB. Read when the first kernel is built; a user's setting wins.
        os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(ONEDNN_KERNEL_CACHE))
        self.precision = precision
        self.model = model.to(device=device, dtype=_DTYPES[precision]).eval()
        self.device = device

    def __call__(self, features: dict[str, np.ndarray]) -> np.ndarray:
        rows = len(features["input_ids"])
        with torch.inference_mode():
            inputs = {name: torch.from_numpy(_pad_rows(values, SHAPE_STEP)).to(self.device)
                      for name, values in features.items()}
            return self.model(**inputs).logits[:rows].float().cpu().numpy()


class OnnxRunner:
    """ONNX Runtime on the CPU over a model folder's int8 export."""

    precision = "int8"

    def __init__(self, model_folder: Path, threads: int | None = None):
        try:
            import onnxruntime
        except ImportError as error:
            raise BackendError("--backend onnx needs ONNX Runtime: pip install -e '.[onnx]'") from error
        path = model_folder / ONNX_FILE
        if not path.is_file():
            raise BackendError(f"{path} does not exist; make it with: detector export-onnx --model {model_folder}")
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads or 0  # 0: one per physical core
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input_names = [given.name for given in self.session.get_inputs()]

    def __call__(self, features: dict[str, np.ndarray]) -> np.ndarray:
        feed = {name: features[name].astype(np.int64) for name in self.input_names}
        return self.session.run(None, feed)[0].astype(np.float32)


def export_onnx(model_folder: Path, output: Path | None = None) -> Path:
    """Export a model folder to ONNX, fuse its BERT blocks and quantize it to int8.

    The export runs in fp32 with eager attention (the pattern ONNX Runtime's BERT fusions
    recognise). Weights of the matrix products and the embedding tables are quantized per
    channel, activations at run time (dynamic quantization), which keeps the file near a quarter
    of fp32's size. Writes ``<folder>/onnx/model_qint8.onnx`` unless ``output``.
    """
    import tempfile
    import warnings

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    output = output or model_folder / ONNX_FILE
    model = AutoModelForSequenceClassification.from_pretrained(
        model_folder, dtype=torch.float32, attn_implementation="eager", use_safetensors=True, trust_remote_code=False
    ).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_folder)
    example = tokenizer(["Troops took the city."], ["The city fell."], return_tensors="pt")
    names = [name for name in ONNX_INPUTS if name in example]
    with tempfile.TemporaryDirectory() as work:
        exported, fused = Path(work) / "model.onnx", Path(work) / "fused.onnx"
        axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"logits": {0: "batch"}}
        with warnings.catch_warnings():  # the tracer's notes on Python branches it froze, fine for inference
            warnings.simplefilter("ignore")
            torch.onnx.export(model, tuple(example[name] for name in names), str(exported), input_names=names,
                              output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
        config = model.config
        if config.model_type == "bert":
            optimize_model(str(exported), model_type="bert", num_heads=config.num_attention_heads,
                           hidden_size=config.hidden_size, opt_level=1).save_model_to_file(str(fused))
            exported = fused
        output.parent.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(exported), str(output), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Attention", "Gather", "EmbedLayerNormalization"],
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    return output
