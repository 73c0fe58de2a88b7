"""The OCR engine behind the ``ocr`` reader: a small interface, and RapidOCR on ONNX Runtime.

The reader needs one thing from an engine: the text lines it sees on a page image, each with its
place (a quadrilateral in pixels), its text and how sure the engine is. Anything that satisfies
:class:`OcrEngine` can be plugged in (Tesseract, PaddleOCR, a cloud service), without touching the
page handling or the table logic; see ``docs/ocr.md``.

The default engine is RapidOCR (``rapidocr_onnxruntime``): PaddleOCR's Chinese detection and
recognition models exported to ONNX, shipped inside the wheel, so nothing is downloaded at run time.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import tempfile
import threading
from typing import Protocol, Sequence, runtime_checkable

import attrs

from ...errors import OcrUnavailable
from . import fusion

_log = logging.getLogger(__name__)

# ONNX Runtime (1.29 on) sends usage telemetry to Microsoft from a background thread and keeps a
# device id and queued events under the user's cache. govreport makes no network request, ever:
# the switch is read once, when ONNX Runtime starts its environment, so it is set before any
# import of it (a caller who imported onnxruntime first has started it already; see
# docs/untrusted-input.md). setdefault: a user who opts in on purpose keeps the choice.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

__all__ = ["TextBox", "OcrEngine", "RapidOcrEngine", "default_engine", "INSTALL_HINT", "require_extra"]

#: What a user without the ``ocr`` extra is told to run.
INSTALL_HINT = 'pip install "govreport[ocr]"'


#: Cells holding a digit read with a confidence below this are reported as doubtful.
LOW_CONFIDENCE = 0.8


@attrs.frozen(kw_only=True)
class TextBox:
    """One line of text found on an image.

    ``quad`` is the line's outline in pixels of the image it was found on, as four ``(x, y)``
    corners (x to the right, y downwards; any order). ``confidence`` is in [0, 1].
    ``char_confidences``, when the engine knows them, gives one confidence per character of
    ``text`` (the reader then rates each table cell by its own characters).
    """

    quad: tuple[tuple[float, float], ...]
    text: str
    confidence: float
    char_confidences: tuple[float, ...] | None = None

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of the quadrilateral."""
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return min(xs), min(ys), max(xs), max(ys)


@runtime_checkable
class OcrEngine(Protocol):
    """What the ``ocr`` reader needs from an OCR engine.

    ``__call__`` gets a page image as a ``numpy`` array of shape ``(height, width)`` (grey,
    ``uint8``, black text on white; already upright and deskewed) and returns every line of text it
    finds. It must be safe to call from several threads if the reader is (one engine serves every
    document of a process). ``name`` is shown in messages.

    Optionally an engine may also implement ``read_lines(images) -> list[tuple[str, float]]``:
    recognition only, one text and confidence (from 0 to 1) per image, each image a crop holding
    one line (or one word). The reader uses it to read the lines in the cells of ruled tables
    without detection, to re-read small pieces of ink the detector missed (lone digits in wide
    tables) and to test whether a page is upside down; without it, every page is read whole by
    ``__call__``, which is also called on each small crop instead. ``read_chars(images)`` may add each character's
    confidence: ``list[tuple[str, float, tuple[float, ...] | None]]``.
    """

    name: str

    def __call__(self, image) -> list[TextBox]:  # image: numpy.ndarray
        ...


def require_extra(what: str, *, pdf: bool = True) -> None:
    """Raise :class:`~govreport.errors.OcrUnavailable` (a NeedsOCR and a MissingDependency) naming the extra unless numpy and Pillow (and, for PDFs,
    pypdfium2) import."""
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401

        if pdf:
            import pypdfium2  # noqa: F401
    except ImportError as exc:
        raise OcrUnavailable(
            f"{what} needs OCR, which is an optional part of govreport: {INSTALL_HINT} "
            f"(missing: {exc.name or exc})"
        ) from None


#: Longest side, in pixels, of a page reduced for a quick look at where its text is (trying which
#: way up a page is); the detector reads whole pages at full size (reduced to 2000 px, it misplaced
#: a digit of a 300 dpi scan's table into the next cell's number).
PROBE_SIDE = 1024


class RapidOcrEngine:
    """RapidOCR with its bundled Chinese PP-OCRv4 models on ONNX Runtime, on the CPU.

    ``threads`` is the number of threads ONNX Runtime may use per call (``None``: the
    environment variable ``GOVREPORT_OCR_THREADS``, else every core the process may run on). Text-line
    direction classification is off: the reader decides the orientation of the whole page itself,
    which also keeps lone digits (``6``/``9``) from being flipped one by one.
    """

    name = "rapidocr"

    def __init__(self, *, threads: int | None = None) -> None:
        try:
            os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
            from rapidocr_onnxruntime import RapidOCR

            _telemetry_off()
        except ImportError as exc:
            raise OcrUnavailable(
                f"OCR needs rapidocr_onnxruntime, an optional part of govreport: {INSTALL_HINT} "
                f"(missing: {exc.name or exc})"
            ) from None
        if threads is None and os.environ.get("GOVREPORT_OCR_THREADS", "").strip().isdigit():
            threads = int(os.environ["GOVREPORT_OCR_THREADS"])
        if not threads:
            # ONNX Runtime's own default is every core of the machine, also in a process (a batch
            # worker, a container) allowed onto fewer of them, whose threads then contend
            threads = _usable_cores()
        kw: dict = dict(intra_op_num_threads=threads, inter_op_num_threads=1)
        #: the networks loaded with their arithmetic folded (:mod:`.fusion`), by name
        self.folded: tuple[str, ...] = ()
        with contextlib.ExitStack() as stack:
            if fusion.enabled():
                try:
                    # RapidOCR loads its networks from files: the folded ones live here until then
                    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="govreport-ocr-",
                                                                          ignore_cleanup_errors=True))
                except OSError as exc:  # no writable temporary folder: the networks as shipped
                    _log.debug("OCR models not folded: %s", exc)
                else:
                    paths = _folded_models(tmp)
                    kw.update(paths)
                    self.folded = tuple(sorted(k.split("_")[0] for k in paths))
            # the reader scales pages itself; RapidOCR's default would shrink anything over 2000 px
            self._ocr = RapidOCR(use_cls=False, max_side_len=5000, text_score=0.3, **kw)
        # one crop per recogniser run, not six: a fifth less CPU time on one core (the batch's
        # tensors stay in cache), and a crop no wider than the 48 × 320 input reads exactly as
        # before; a wider one is no longer padded to the widest of its batch (confidences moved
        # by under 0.01, a space appeared in one long line, on the benchmark's pages)
        if hasattr(self._ocr, "text_rec") and hasattr(self._ocr.text_rec, "rec_batch_num"):
            self._ocr.text_rec.rec_batch_num = 1
        self._lock = threading.Lock()

    def __call__(self, image) -> list[TextBox]:
        import numpy as np

        # a grey page stays grey up to the crops the recogniser reads: the detector's input is
        # made from it by table (``_normalising_tables``), with no three-channel copy of the page
        img = _grey_or_bgr(image)
        require_headroom(img.shape[0] * img.shape[1])
        with self._lock:  # RapidOCR keeps per-call settings on the object
            result = self._read_page(img)
        _release_freed_memory()
        out: list[TextBox] = []
        for item in result or ():
            quad, text, score = item[0], item[1], float(item[2])
            if not text or not text.strip():
                continue
            confs = None
            if len(item) >= 6 and isinstance(item[5], (list, tuple)) and len(item[5]) == len(text):
                confs = tuple(float(c) for c in item[5])
            out.append(TextBox(quad=tuple((float(x), float(y)) for x, y in np.asarray(quad).reshape(-1, 2)),
                               text=text, confidence=score, char_confidences=confs))
        return out

    def detect(self, image, *, side: int = PROBE_SIDE) -> list[tuple[tuple[float, float], ...]]:
        """Where the lines of text are (quadrilaterals in pixels of ``image``), without reading
        them, from the page reduced to ``side`` px: enough to try which way a page is up."""
        import numpy as np

        from PIL import Image

        img = np.asarray(image)
        f = min(1.0, side / max(img.shape[:2]))
        if f < 1:
            size = (max(1, round(img.shape[1] * f)), max(1, round(img.shape[0] * f)))
            img = np.asarray(Image.fromarray(img).resize(size, Image.Resampling.BILINEAR))
        img = _grey_or_bgr(img)
        require_headroom(img.shape[0] * img.shape[1])
        with self._lock:
            boxes = self._detect(img)
        _release_freed_memory()
        if boxes is None or not len(boxes):
            return []
        return [tuple((float(x) / f, float(y) / f) for x, y in np.asarray(q).reshape(-1, 2)) for q in boxes]

    def _read_page(self, img):
        """What ``RapidOCR.__call__(img, return_word_box=True)`` returns, with the detector run
        over strips of the page (:mod:`.strips`) instead of the whole page at once.

        The steps after detection are RapidOCR's own, in its order. An image RapidOCR would
        rescale or letterbox first (a side over ``max_side_len`` or under ``min_side_len``, a
        strip wider than ``width_height_ratio``), or a RapidOCR without the parts this relies on,
        goes through its own call unchanged.
        """
        ocr = self._ocr
        h, w = img.shape[:2]
        usual = (min(h, w) >= getattr(ocr, "min_side_len", 1 << 30) and max(h, w) <= getattr(ocr, "max_side_len", 0)
                 and h > getattr(ocr, "min_height", 1 << 30) and w / h <= getattr(ocr, "width_height_ratio", 0))
        if not usual or not all(hasattr(ocr, a) for a in _RAPIDOCR_PARTS):
            result, _ = ocr(_bgr(img), return_word_box=True)
            return result
        boxes = self._detect(img, upscale=False)
        if boxes is None or len(boxes) < 1:
            return None
        boxes = ocr.sorted_boxes(boxes)
        crops = [_bgr(c) for c in ocr.get_crop_img_list(img, boxes)]
        rec, _ = ocr.text_rec(crops, True)
        rec = ocr.cal_rec_boxes(crops, boxes, rec)
        record = {"preprocess": {"ratio_h": 1.0, "ratio_w": 1.0}, "padding_1": {"top": 0, "left": 0}}
        for r in rec:
            if r[2]:
                r[2] = ocr._get_origin_points(r[2], record, h, w).astype("int32").tolist()
        boxes = ocr._get_origin_points(boxes, record, h, w)
        result, _ = ocr.get_final_res(boxes, None, rec, 0.0, 0.0, 0.0)
        return result

    def _detect(self, img, *, upscale: bool = True):
        """``RapidOCR.text_det(img)[0]``, the network run over strips of the page (:mod:`.strips`).

        Without ``upscale``, an image whose shorter side is under the detector's
        ``limit_side_len`` (736 px) is not enlarged to it: the reader hands over pages and bands
        of pages at its working resolution, where text has the size the detector reads well, and
        a band 200 px high would otherwise be read at 3.5 times its size.
        """
        import numpy as np

        from .image import lookup
        from .strips import strip_map

        det = self._ocr.text_det
        if not all(hasattr(det, a) for a in ("get_preprocess", "infer", "postprocess_op", "filter_tag_det_res")):
            return det(_bgr(img))[0]
        full = img.shape[:2]
        # a probe's image, enlarged to the detector's least side, keeps its margins: cut, it
        # would be enlarged more
        top, left, img = _inked_part(img) if not upscale else (0, 0, img)
        pre = det.get_preprocess(max(full))
        if not upscale and getattr(pre, "limit_type", None) == "min":
            pre.limit_type, pre.limit_side_len = "max", 1 << 30  # only rounded to multiples of 32
        resized = pre.resize(img)
        if resized is None:
            return None

        luts = _normalising_tables(pre)
        # a grey page's three channels are one where the three tables are one
        alike = luts is not None and all(np.array_equal(lut, luts[0]) for lut in luts)

        def run(part):
            if luts is None or part.dtype != np.uint8 or (part.ndim == 3 and part.shape[2] != len(luts)):
                return det.infer(np.expand_dims(pre.permute(pre.normalize(_bgr(part))), axis=0).astype(np.float32))[0]
            x = np.empty((1, len(luts)) + part.shape[:2], np.float32)
            for c, lut in enumerate(luts):
                if part.ndim == 2 and c and alike:
                    x[0, c] = x[0, 0]
                else:
                    x[0, c] = lookup(lut, part if part.ndim == 2 else part[:, :, c])
            out = det.infer(x)[0]
            # the strip's feature maps, freed, go back to the system before the next strip's
            # are made: left in the C library's heap they add to the next strip's peak
            _release_freed_memory()
            return out

        boxes, _ = det.postprocess_op(strip_map(resized, run), img.shape[:2])
        if len(boxes) and (top or left):
            boxes = np.asarray(boxes)
            boxes[..., 0] += left
            boxes[..., 1] += top
        return det.filter_tag_det_res(boxes, full)

    def read_lines(self, images: Sequence) -> list[tuple[str, float]]:
        if not images:
            return []
        crops = [_bgr(im) for im in images]
        require_headroom(sum(c.shape[0] * c.shape[1] for c in crops))
        with self._lock:
            res, _ = self._ocr.text_rec(crops)
        _release_freed_memory()
        return [(str(t), float(s)) for t, s in res]

    def read_chars(self, images: Sequence) -> list[tuple[str, float, tuple[float, ...] | None]]:
        """:meth:`read_lines` with the confidence of each character (``None`` where the
        recogniser does not give one per character), as the page's text boxes have them."""
        if not images:
            return []
        crops = [_bgr(im) for im in images]
        require_headroom(sum(c.shape[0] * c.shape[1] for c in crops))
        with self._lock:
            res, _ = self._ocr.text_rec(crops, True)
        _release_freed_memory()
        out: list[tuple[str, float, tuple[float, ...] | None]] = []
        for item in res:
            text, score = str(item[0]), float(item[1])
            confs = None
            info = item[2] if len(item) > 2 else None
            if isinstance(info, (list, tuple)) and len(info) >= 5 and len(info[4]) == len(text):
                confs = tuple(float(c) for c in info[4])
            out.append((text, score, confs))
        return out


#: Pixels darker than this count as ink when the detector's input is cut to the inked part: light
#: enough for faint print (a pale page number, a washed-out header), which the cut must keep.
_INK_LEVEL = 200
#: A row or column with fewer dark pixels than this is paper (a speck of noise is not ink).
_INK_PIXELS = 3
#: Paper kept around the ink, in pixels of an input 2560 px on its longer side (an A4 page at
#: 220 dpi; in proportion for others, at least 32): four of the detector's 32 px strides, context
#: for the lines of text nearest the cut. The detector's boxes move by a pixel or two with the
#: paper around them (its squeeze-and-excitation blocks average each channel over the input);
#: with 96 px, a box cut a thin first digit off a number on one benchmark scan and a character's
#: edge off a title on another (``benchmarks/results/ocr.md``).
_INK_ROOM = 128


def _inked_part(img):
    """``(top, left, part)``: ``img`` cut to the rows and columns that hold ink, with room around
    them (:data:`_INK_ROOM`), when that leaves out a tenth of it or more. The detector's time and
    feature maps go with its input's area, and a page's margins, or most of a band of a table
    page (a title, the line before a table), are paper."""
    import numpy as np

    h, w = img.shape[:2]
    grey = img if img.ndim == 2 else img.min(axis=2)
    dark = grey < _INK_LEVEL
    rows = np.flatnonzero(np.count_nonzero(dark, axis=1) >= _INK_PIXELS)
    cols = np.flatnonzero(np.count_nonzero(dark, axis=0) >= _INK_PIXELS)
    if not len(rows) or not len(cols):
        return 0, 0, img
    room = max(32, _INK_ROOM * max(h, w) // 2560)
    y0, y1 = max(0, int(rows[0]) - room), min(h, int(rows[-1]) + 1 + room)
    x0, x1 = max(0, int(cols[0]) - room), min(w, int(cols[-1]) + 1 + room)
    # sides of whole multiples of the network's stride are taken as they are (a page's are
    # stretched to the nearest multiple): the part is grown to one, as the page allows
    y0, y1 = _stride_span(y0, y1, h)
    x0, x1 = _stride_span(x0, x1, w)
    if (y1 - y0) * (x1 - x0) > 0.9 * h * w:
        return 0, 0, img
    return y0, x0, np.ascontiguousarray(img[y0:y1, x0:x1])


def _stride_span(lo: int, hi: int, size: int, stride: int = 32) -> tuple[int, int]:
    """``lo:hi`` grown to a multiple of ``stride`` long inside ``0:size`` (down past ``lo``
    where ``hi`` reaches the edge); as it is when ``size`` is too short for that."""
    n = -(-(hi - lo) // stride) * stride
    if n > size:
        return lo, hi
    hi = min(lo + n, size)
    return hi - n, hi


def _normalising_tables(pre) -> list | None:
    """For each channel, the float32 the detector's pre-processing makes of each byte value.

    RapidOCR normalises a page as ``(img.astype(float32) / 255 - mean) / std`` in float64 over
    every pixel of three channels, then transposes and casts to float32: a quarter of a second a
    page. Each value depends on its byte alone, so the same computation over the 256 byte values
    gives a table whose lookup yields the same float32s, bit for bit, straight into the network's
    input layout. ``None`` when the pre-processing is not the one this reproduces."""
    import numpy as np

    mean, std, scale = getattr(pre, "mean", None), getattr(pre, "std", None), getattr(pre, "scale", None)
    if mean is None or std is None or not isinstance(scale, float):
        return None
    mean, std = np.asarray(mean), np.asarray(std)
    if mean.shape != (3,) or std.shape != (3,):
        return None
    values = np.arange(256, dtype=np.uint8)[:, None].repeat(3, axis=1)
    table = ((values.astype("float32") * scale - mean) / std).astype(np.float32)
    return [np.ascontiguousarray(table[:, c]) for c in range(3)]


def _bundled_models() -> dict[str, str]:
    """The files of RapidOCR's bundled detector and recogniser, as its default configuration
    names them: ``{"det": path, "rec": path}``."""
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import read_yaml, update_model_path

    config = update_model_path(read_yaml(DEFAULT_CFG_PATH))
    return {"det": config["Det"]["model_path"], "rec": config["Rec"]["model_path"]}


def _folded_models(tmp: str) -> dict[str, str]:
    """RapidOCR's keyword arguments that load its detector and recogniser folded
    (:func:`.fusion.fold_model`) from files written under ``tmp``; a network that cannot be
    folded (no ``onnx``, a model not as expected) is left out and loads as shipped."""
    try:
        shipped = _bundled_models()
    except Exception as exc:  # another RapidOCR layout: the models as shipped
        _log.debug("OCR models not folded: %s", exc)
        return {}
    out: dict[str, str] = {}
    for name, src in shipped.items():
        key = f"{name}_model_path"
        try:
            with open(src, "rb") as f:
                data, _ = fusion.fold_model(f.read())
            dst = os.path.join(tmp, os.path.basename(src))
            with open(dst, "wb") as f:
                f.write(data)
        except Exception as exc:  # no onnx, or a model not as expected: slower, never different
            _log.debug("OCR %s network not folded: %s", name, exc)
            continue
        out[key] = dst
    return out


#: What :meth:`RapidOcrEngine._read_page` calls on RapidOCR (1.4) besides its detector.
_RAPIDOCR_PARTS = ("sorted_boxes", "get_crop_img_list", "text_rec", "cal_rec_boxes", "_get_origin_points", "get_final_res")

#: Address space one OCR call needs: a base for the session's work, and bytes per image pixel
#: (float copies of the image in pre-processing, the detector's feature maps).
_OCR_BASE_BYTES = 256 * 2**20
_OCR_BYTES_PER_PIXEL = 40


def require_headroom(pixels: int) -> None:
    """Refuse to start OCR when the process's address-space limit leaves too little room for it.

    ONNX Runtime does not survive a refused allocation cleanly: under a tight ``RLIMIT_AS``, OCR
    that ran out of memory on one page and went on to the next left the heap corrupted, and the
    process died much later in unrelated code (SIGSEGV). So OCR is not started at all without
    room for it; the parse ends with :class:`~govreport.errors.ParseMemoryError` instead.
    """
    import resource

    from ...errors import ParseMemoryError

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    try:
        with open("/proc/self/statm", "rb") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    need = _OCR_BASE_BYTES + _OCR_BYTES_PER_PIXEL * pixels
    if used + need > soft:
        raise ParseMemoryError(
            f"not enough memory left to run OCR on {pixels / 1e6:.1f} million pixels: it needs about "
            f"{need / 2**20:.0f} MB and the process's address-space limit leaves {max(soft - used, 0) / 2**20:.0f} MB; "
            "OCR was not started", "memory")


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or ``None`` (another C library, another system)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def _release_freed_memory() -> None:
    """Hand the memory ONNX Runtime has just freed back to the system.

    RapidOCR runs its sessions without ONNX Runtime's memory arena, so each run allocates its
    feature maps (tens of MB each) and frees them into the C library's heap, which keeps most of
    them resident: a process that had read a page stayed some 300 MB above what it held, and the
    next page's maps came on top of that. Trimming after each call takes milliseconds.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _telemetry_off() -> None:
    """Turn ONNX Runtime's telemetry off for this process, before any session exists."""
    try:
        import onnxruntime
    except ImportError:  # pragma: no cover - another engine's runtime
        return
    off = getattr(onnxruntime, "disable_telemetry_events", None)
    if off is not None:
        off()


def _grey_or_bgr(image):
    """A grey page as it is (contiguous ``uint8``), anything else as :func:`_bgr` makes it."""
    import numpy as np

    img = np.asarray(image)
    if img.ndim == 2 and img.dtype == np.uint8:
        return np.ascontiguousarray(img)
    return _bgr(img)


def _bgr(image):
    import numpy as np

    img = np.asarray(image)
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    return np.ascontiguousarray(img)


_default_lock = threading.Lock()


@functools.cache
def _make_default() -> RapidOcrEngine:
    return RapidOcrEngine()


def default_engine() -> RapidOcrEngine:
    """The process-wide RapidOCR engine (its models load once, on first use)."""
    with _default_lock:
        return _make_default()
