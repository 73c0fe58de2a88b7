"""The bundled PP-OCRv4 networks with their arithmetic folded, for a third less CPU time.

The ONNX export of PaddleOCR's PP-LCNetV3 blocks spells out, after most convolutions, a scalar
affine step (``Mul`` by a constant, then ``Add`` of one: the "learnable affine block"), a hard-swish
as four nodes (``x * clip(x + 3, 0, 6) / 6``) and another affine step before the next
convolution. ONNX Runtime does not fold these: they run as separate passes over every feature map,
some 40 % of the recogniser's time and 35 % of the detector's. Written into the convolutions'
weights and biases and as ``x * HardSigmoid(x)``, the same networks take 35 % (recogniser) and
30 % (detector) less CPU time.

The rewrite is algebra, not an approximation: ``s·(W∗x + c) + b`` is a convolution with weights
``s·W`` and bias ``s·c + b``; an affine step before a convolution that pads nothing moves into it
the same way (``W∗(s·x + b) = (s·W)∗x + b·ΣW``); an affine step before a convolution that pads
with zeros stays where it is, since the padding would no longer be zero after it. What changes is
the rounding of float32 sums: on 3191 crops of generated scans every character the recogniser
chose was the same, and its probabilities moved by at most 0.0008 (``tests/test_ocr_fusion.py``
checks this on every install).

The rewrite needs the ``onnx`` package (part of the ``ocr`` extra). Without it, or if anything in
a model is not as expected, the engine uses the model as shipped: slower, never different.
``GOVREPORT_OCR_FUSE=0`` turns it off.
"""

from __future__ import annotations

import collections
import os
from typing import Any

__all__ = ["fold_model", "enabled"]


def enabled() -> bool:
    """Whether the engine should load the folded networks (``GOVREPORT_OCR_FUSE`` is not ``0``)."""
    return os.environ.get("GOVREPORT_OCR_FUSE", "1").strip() not in ("0", "false", "no", "off")


def fold_model(data: bytes) -> tuple[bytes, collections.Counter]:
    """The model serialised in ``data`` with its scalar affine steps folded into the convolutions
    and its hard-swishes as ``x * HardSigmoid(x)``; and what was changed, counted by kind.

    Raises ``ImportError`` without ``onnx`` and ``ValueError`` when the result does not pass
    ONNX's checker.
    """
    import onnx

    model = onnx.load_from_string(data)
    stats = _Folder(model.graph).run()
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as exc:
        raise ValueError(f"the folded model is not valid ONNX: {exc}") from None
    return model.SerializeToString(), stats


class _Folder:
    def __init__(self, graph: Any) -> None:
        from onnx import numpy_helper

        self.g = graph
        self._to_array = numpy_helper.to_array
        self._from_array = numpy_helper.from_array
        self.consts: dict[str, Any] = {}
        for n in graph.node:
            if n.op_type == "Constant" and len(n.attribute) == 1 and n.attribute[0].name == "value":
                self.consts[n.output[0]] = self._to_array(n.attribute[0].t)
        for init in graph.initializer:
            self.consts[init.name] = self._to_array(init)
        self.outputs = {o.name for o in graph.output}
        self.nodes = list(graph.node)
        self.stats: collections.Counter = collections.Counter()
        self._fresh = 0

    def run(self) -> collections.Counter:
        self.producer, self.consumers = self._index()
        # passes until nothing folds: a convolution may take a step after it and one before it,
        # and a step freed by one fold may be the next one's
        while self._fold_pass():
            pass
        self._hard_swish()
        self._store()
        return self.stats

    # -- helpers -------------------------------------------------------------------------------

    def _index(self) -> tuple[dict, dict]:
        producer = {o: n for n in self.nodes for o in n.output}
        consumers: dict[str, list] = collections.defaultdict(list)
        for n in self.nodes:
            for i in n.input:
                consumers[i].append(n)
        return producer, consumers

    def _drop(self, node: Any) -> None:
        """Take ``node`` out of the graph and of its index."""
        self.nodes.remove(node)
        for i in node.input:
            self.consumers[i].remove(node)
        for o in node.output:
            self.producer.pop(o, None)

    def _scalar(self, name: str) -> float | None:
        import numpy as np

        v = self.consts.get(name)
        if v is None or v.size != 1 or v.dtype != np.float32:
            return None
        return float(v.ravel()[0])

    def _only_use(self, name: str) -> bool:
        return len(self.consumers[name]) == 1 and name not in self.outputs

    def _weights(self, conv: Any):
        import numpy as np

        if len(conv.input) < 2 or conv.input[1] not in self.consts:
            return None, None
        w = self.consts[conv.input[1]]
        if w.dtype != np.float32 or w.ndim != 4:
            return None, None
        b = self.consts.get(conv.input[2]) if len(conv.input) > 2 else np.zeros(w.shape[0], np.float32)
        if b is None or b.shape != (w.shape[0],):
            return None, None
        return w, b

    def _set_inputs(self, conv: Any, x: str, w, b) -> None:
        """``conv`` reads ``x`` with new weights ``w`` and bias ``b`` (new initialisers)."""
        self._fresh += 1
        wn, bn = f"govreport_fold_w{self._fresh}", f"govreport_fold_b{self._fresh}"
        self.consts[wn], self.consts[bn] = w.astype("float32"), b.astype("float32")
        for i in conv.input:
            self.consumers[i].remove(conv)
        del conv.input[:]
        conv.input.extend([x, wn, bn])
        for i in conv.input:
            self.consumers[i].append(conv)

    # -- folds ---------------------------------------------------------------------------------

    def _fold_pass(self) -> bool:
        folded = False
        for conv in [n for n in self.nodes if n.op_type == "Conv"]:
            while self._fold_after(conv) or self._fold_before(conv):
                folded = True
        return folded

    def _fold_after(self, conv: Any) -> bool:
        """Conv -> Mul/Add by a scalar: s·(W∗x + c) + b."""
        w, b = self._weights(conv)
        out = conv.output[0]
        if w is None or not self._only_use(out):
            return False
        nxt = self.consumers[out][0]
        if nxt.op_type not in ("Mul", "Add") or len(nxt.input) != 2:
            return False
        s = self._scalar(nxt.input[1] if nxt.input[0] == out else nxt.input[0])
        if s is None:
            return False
        if nxt.op_type == "Mul":
            w, b = w * s, b * s
        else:
            b = b + s
        new_out = nxt.output[0]
        self._drop(nxt)
        self._set_inputs(conv, conv.input[0], w, b)
        conv.output[0] = new_out
        self.producer.pop(out, None)
        self.producer[new_out] = conv
        self.stats[f"{nxt.op_type.lower()} after conv"] += 1
        return True

    def _fold_before(self, conv: Any) -> bool:
        """Mul/Add by a scalar -> Conv that pads nothing: W∗(s·x + b) = (s·W)∗x + b·ΣW."""
        w, b = self._weights(conv)
        if w is None or _pads(conv):
            return False
        prev = self.producer.get(conv.input[0])
        if prev is None or prev.op_type not in ("Mul", "Add") or len(prev.input) != 2:
            return False
        if not self._only_use(prev.output[0]):
            return False
        scalars = [i for i in prev.input if self._scalar(i) is not None]
        others = [i for i in prev.input if self._scalar(i) is None]
        if len(scalars) != 1 or len(others) != 1:
            return False
        s = self._scalar(scalars[0])
        assert s is not None
        if prev.op_type == "Mul":
            w = w * s
        else:
            b = b + s * w.sum(axis=(1, 2, 3))
        self._drop(prev)
        self._set_inputs(conv, others[0], w, b)
        self.stats[f"{prev.op_type.lower()} before conv"] += 1
        return True

    def _hard_swish(self) -> None:
        """``x * clip(x + 3, 0, 6) / 6`` -> ``x * HardSigmoid(x; 1/6, 1/2)``: the same function,
        in two passes over the map instead of four (``HardSwish`` itself needs opset 14)."""
        from onnx import helper

        producer, consumers = self.producer, self.consumers  # kept up to date by the folds
        replace: dict[int, list] = {}
        drop: set[int] = set()
        for clip in self.nodes:
            if clip.op_type != "Clip" or len(clip.input) != 3:
                continue
            if self._scalar(clip.input[1]) != 0.0 or self._scalar(clip.input[2]) != 6.0:
                continue
            add = producer.get(clip.input[0])
            if add is None or add.op_type != "Add" or len(add.input) != 2 or self._scalar(add.input[1]) != 3.0:
                continue
            x = add.input[0]
            if not (self._only_use(add.output[0]) and self._only_use(clip.output[0])):
                continue
            mul = consumers[clip.output[0]][0]
            if mul.op_type != "Mul" or sorted(mul.input) != sorted([x, clip.output[0]]):
                continue
            if not self._only_use(mul.output[0]):
                continue
            div = consumers[mul.output[0]][0]
            if div.op_type != "Div" or div.input[0] != mul.output[0] or self._scalar(div.input[1]) != 6.0:
                continue
            self._fresh += 1
            gate = f"govreport_hsig{self._fresh}"
            replace[id(add)] = [
                helper.make_node("HardSigmoid", [x], [gate], alpha=1.0 / 6.0, beta=0.5, name=gate),
                helper.make_node("Mul", [x, gate], [div.output[0]], name=f"{gate}_mul"),
            ]
            drop.update((id(clip), id(mul), id(div)))
            self.stats["hard-swish"] += 1
        out: list = []
        for n in self.nodes:
            if id(n) in replace:
                out.extend(replace[id(n)])
            elif id(n) not in drop:
                out.append(n)
        self.nodes = out

    def _store(self) -> None:
        g = self.g
        used = {i for n in self.nodes for i in n.input}
        kept = [n for n in self.nodes if n.op_type != "Constant" or n.output[0] in used]
        del g.node[:]
        g.node.extend(kept)
        have = {init.name for init in g.initializer}
        keep = [init for init in g.initializer if init.name in used]
        del g.initializer[:]
        g.initializer.extend(keep)
        for name in sorted(used):
            if name.startswith("govreport_fold_") and name not in have:
                g.initializer.append(self._from_array(self.consts[name], name))


def _pads(conv: Any) -> bool:
    """Whether a convolution pads its input (with zeros) on any side."""
    for a in conv.attribute:
        if a.name == "pads" and any(a.ints):
            return True
        if a.name == "auto_pad" and a.s not in (b"NOTSET", b"VALID", b""):
            return True
    return False
