"""The OCR networks with their arithmetic folded (readers/ocr/fusion.py) compute what the shipped
ones compute: on a small graph of every pattern, exactly; on the bundled PP-OCRv4 networks and a
real scanned page, the same characters and the same text map up to float32 rounding."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
onnx = pytest.importorskip("onnx", reason='onnx is part of the OCR extra (pip install "govreport[ocr]")')
ort = pytest.importorskip("onnxruntime", reason='the OCR engine is not installed (pip install "govreport[ocr]")')

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from govreport.readers.ocr import fusion  # noqa: E402

SCAN = Path(__file__).parent / "data" / "scans" / "qingquan-2019-ocr.pdf"


def _session(data: bytes):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 4
    return ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])


def _const(name: str, value: float):
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.array([value], np.float32), name + "_v"))


def _block_model(*, pad_mid: bool) -> bytes:
    """Two of PP-LCNetV3's blocks: conv -> ·s+b -> hard-swish -> ·s+b -> the next conv; the
    middle conv depthwise 3x3 (padded or not), the last 1x1."""
    rng = np.random.default_rng(7)
    inits = [numpy_helper.from_array(rng.normal(size=shape).astype(np.float32), name) for name, shape in (
        ("w1", (4, 3, 3, 3)), ("b1", (4,)), ("w2", (4, 1, 3, 3)), ("w3", (6, 4, 1, 1)), ("b3", (6,)))]
    nodes = [_const("three", 3.0), _const("zero", 0.0), _const("six", 6.0)]

    def block(x: str, k: int, s1: float, t1: float, s2: float, t2: float) -> str:
        nodes.extend([
            _const(f"s1_{k}", s1), _const(f"t1_{k}", t1), _const(f"s2_{k}", s2), _const(f"t2_{k}", t2),
            helper.make_node("Mul", [f"s1_{k}", x], [f"m1_{k}"]),
            helper.make_node("Add", [f"m1_{k}", f"t1_{k}"], [f"a1_{k}"]),
            helper.make_node("Add", [f"a1_{k}", "three"], [f"h1_{k}"]),
            helper.make_node("Clip", [f"h1_{k}", "zero", "six"], [f"h2_{k}"]),
            helper.make_node("Mul", [f"a1_{k}", f"h2_{k}"], [f"h3_{k}"]),
            helper.make_node("Div", [f"h3_{k}", "six"], [f"h4_{k}"]),
            helper.make_node("Mul", [f"h4_{k}", f"s2_{k}"], [f"m2_{k}"]),
            helper.make_node("Add", [f"m2_{k}", f"t2_{k}"], [f"a2_{k}"]),
        ])
        return f"a2_{k}"

    nodes.append(helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("Conv", [block("c1", 1, 1.7, -0.3, 0.6, 0.9), "w2"], ["c2"], group=4,
                                  pads=[1, 1, 1, 1] if pad_mid else [0, 0, 0, 0]))
    nodes.append(helper.make_node("Conv", [block("c2", 2, -1.2, 0.25, 1.1, -0.4), "w3", "b3"], ["y"]))
    size = [1, 6, 9, 11] if pad_mid else [1, 6, 7, 9]
    graph = helper.make_graph(nodes, "blocks", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 9, 11])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, size)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    model.ir_version = 8
    return model.SerializeToString()


@pytest.mark.parametrize("pad_mid", [False, True])
def test_every_fold_computes_what_the_graph_computed(pad_mid):
    data = _block_model(pad_mid=pad_mid)
    folded, stats = fusion.fold_model(data)
    x = np.random.default_rng(3).normal(size=(1, 3, 9, 11)).astype(np.float32) * 3
    want = _session(data).run(None, {"x": x})[0]
    got = _session(folded).run(None, {"x": x})[0]
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    assert stats["mul after conv"] == 2 and stats["add after conv"] == 2 and stats["hard-swish"] == 2
    # before the 1x1 conv always; before the padded 3x3 never (its zero padding would move)
    assert stats["mul before conv"] == stats["add before conv"] == (1 if pad_mid else 2)
    ops = [n.op_type for n in onnx.load_from_string(folded).graph.node]
    assert ops.count("Mul") == (3 if pad_mid else 2) and ops.count("Add") == (1 if pad_mid else 0)
    assert "Clip" not in ops and "Div" not in ops


def test_a_graph_without_the_patterns_is_left_as_it_was():
    nodes = [helper.make_node("Relu", ["x"], ["y"])]
    graph = helper.make_graph(nodes, "plain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])
    data = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)]).SerializeToString()
    folded, stats = fusion.fold_model(data)
    assert not stats
    assert [n.op_type for n in onnx.load_from_string(folded).graph.node] == ["Relu"]


def _bundled() -> dict[str, Path]:
    pytest.importorskip("rapidocr_onnxruntime", reason='the OCR engine is not installed (pip install "govreport[ocr]")')
    from govreport.readers.ocr.engine import _bundled_models

    return {name: Path(path) for name, path in _bundled_models().items()}


def _page() -> "np.ndarray":
    pdfium = pytest.importorskip("pypdfium2")
    from govreport.pdftext.pdfium import pdfium_lock

    # PDFium is not thread-safe: held, and every object closed here, not left to a finaliser that
    # would call PDFium from whichever thread collects it (a later test's parse may be using it)
    with pdfium_lock():
        doc = pdfium.PdfDocument(str(SCAN))
        try:
            page = doc[0]
            try:
                bitmap = page.render(scale=200 / 72, grayscale=True)
                try:
                    img = np.array(bitmap.to_numpy(), copy=True)
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            doc.close()
    return np.ascontiguousarray(img[:, :, 0] if img.ndim == 3 else img)


def test_the_folded_recogniser_reads_the_same_characters_on_a_scanned_page():
    models = _bundled()
    shipped = models["rec"].read_bytes()
    folded, stats = fusion.fold_model(shipped)
    assert stats["hard-swish"] > 0 and stats["mul after conv"] > 0 and stats["add before conv"] > 0
    a, b = _session(shipped), _session(folded)
    page = _page()
    ink_rows = np.flatnonzero((page < 128).sum(axis=1) > 3)
    assert len(ink_rows) > 100
    # bands of the page's inked rows, read as text lines of 48 px, as the engine hands crops over
    checked = 0
    for top in range(int(ink_rows[0]), int(ink_rows[-1]) - 24, 24):
        band = page[top:top + 24, :]
        if (band < 128).sum() < 50:
            continue
        w = int(math.ceil(48 * band.shape[1] / band.shape[0]))
        from PIL import Image

        line = np.asarray(Image.fromarray(band).resize((w, 48), Image.Resampling.BILINEAR), np.float32)
        x = np.repeat(((line / 255 - 0.5) / 0.5)[None, None], 3, axis=1)
        pa, pb = a.run(None, {"x": x})[0], b.run(None, {"x": x})[0]
        assert (pa.argmax(axis=2) == pb.argmax(axis=2)).all()
        assert np.abs(pa - pb).max() < 5e-3
        checked += 1
    assert checked >= 10


def test_the_folded_detector_draws_the_same_text_map_on_a_scanned_page():
    models = _bundled()
    shipped = models["det"].read_bytes()
    folded, stats = fusion.fold_model(shipped)
    assert stats["hard-swish"] > 0 and stats["mul after conv"] > 0
    page = _page()[320:960, 160:960]
    x = np.repeat(((page.astype(np.float32) / 255 - 0.5) / 0.5)[None, None], 3, axis=1)
    pa = _session(shipped).run(None, {"x": x})[0]
    pb = _session(folded).run(None, {"x": x})[0]
    assert pa.shape == pb.shape and (pa > 0.3).sum() > 1000
    assert np.abs(pa - pb).max() < 2e-3
    assert ((pa > 0.3) != (pb > 0.3)).mean() < 1e-4  # the text/no-text split the boxes come from


def test_the_engine_loads_the_folded_networks_unless_told_not_to(monkeypatch):
    _bundled()
    from govreport.readers.ocr.engine import RapidOcrEngine

    assert RapidOcrEngine(threads=1).folded == ("det", "rec")
    monkeypatch.setenv("GOVREPORT_OCR_FUSE", "0")
    assert RapidOcrEngine(threads=1).folded == ()


def test_the_engine_loads_the_networks_as_shipped_when_folding_fails(monkeypatch):
    _bundled()
    from govreport.readers.ocr import engine

    def broken(data):
        raise ImportError("No module named 'onnx'")

    monkeypatch.setattr(engine.fusion, "fold_model", broken)
    e = engine.RapidOcrEngine(threads=1)
    assert e.folded == ()
    blank = np.full((48, 200), 255, np.uint8)
    (text, _), = e.read_lines([blank])
    assert text.strip() == ""


def test_the_detector_input_from_lookup_tables_is_rapidocrs_bit_for_bit():
    _bundled()
    from govreport.readers.ocr.engine import RapidOcrEngine, _normalising_tables

    pre = RapidOcrEngine(threads=1)._ocr.text_det.get_preprocess(2000)
    tables = _normalising_tables(pre)
    assert tables is not None
    part = np.random.default_rng(5).integers(0, 256, size=(64, 96, 3), dtype=np.uint8)
    part[0, :3] = [[0, 0, 0], [255, 255, 255], [1, 128, 254]]
    want = np.expand_dims(pre.permute(pre.normalize(part)), axis=0).astype(np.float32)
    got = np.stack([np.take(t, part[:, :, c]) for c, t in enumerate(tables)])[None]
    assert got.dtype == want.dtype and np.array_equal(got, want)


def test_the_engine_loads_the_networks_as_shipped_without_a_temporary_folder(monkeypatch, tmp_path):
    _bundled()
    import tempfile

    from govreport.readers.ocr import engine

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "TemporaryDirectory", refused)
    e = engine.RapidOcrEngine(threads=1)
    assert e.folded == ()
    (text, _), = e.read_lines([np.full((48, 120), 255, np.uint8)])
    assert text.strip() == ""
