"""The OCR engine behind the ``ocr`` reader: a small interface, and RapidOCR on ONNX Runtime.

The reader needs one thing from an engine: the text lines it sees on a page image, each with its
place (a quadrilateral in pixels), its text and how sure the engine is. Anything that satisfies
:class:`OcrEngine` can be plugged in (Tesseract, PaddleOCR, a cloud service), without touching the
page handling or the table logic; see ``docs/ocr.md``.

The default engine is RapidOCR (``rapidocr_onnxruntime``): PaddleOCR's Chinese detection and
recognition models exported to ONNX, shipped inside the wheel, so nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import os
import threading
from typing import Protocol, Sequence, runtime_checkable

import attrs

from ...errors import OcrUnavailable

# ONNX Runtime (1.29 on) sends usage telemetry to Microsoft from a background thread and keeps a
# device id and queued events under the user's cache. govreport makes no network request, ever:
# the switch is read once, when ONNX Runtime starts its environment, so it is set before any
# import of it (a caller who imported onnxruntime first has started it already; see
# docs/untrusted-input.md). setdefault: a user who opts in on purpose keeps the choice.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

__all__ = ["TextBox", "OcrEngine", "RapidOcrEngine", "default_engine", "INSTALL_HINT", "require_extra"]

#: What a user without the ``ocr`` extra is told to run.
INSTALL_HINT = 'pip install "govreport[ocr]"'


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
    recognition only, one text and confidence per image, each image a crop holding one line (or one
    word). The reader uses it to re-read small pieces of ink the detector missed (lone digits in
    wide tables) and to test whether a page is upside down; without it, it calls ``__call__`` on
    each crop instead.
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
        kw = dict(intra_op_num_threads=threads, inter_op_num_threads=1)
        # the reader scales pages itself; RapidOCR's default would shrink anything over 2000 px
        self._ocr = RapidOCR(use_cls=False, max_side_len=5000, text_score=0.3, **kw)
        self._lock = threading.Lock()

    def __call__(self, image) -> list[TextBox]:
        import numpy as np

        img = _bgr(image)
        require_headroom(img.shape[0] * img.shape[1])
        with self._lock:  # RapidOCR keeps per-call settings on the object
            result, _ = self._ocr(img, return_word_box=True)
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
        img = _bgr(img)
        require_headroom(img.shape[0] * img.shape[1])
        with self._lock:
            boxes, _ = self._ocr.text_det(img)
        if boxes is None or not len(boxes):
            return []
        return [tuple((float(x) / f, float(y) / f) for x, y in np.asarray(q).reshape(-1, 2)) for q in boxes]

    def read_lines(self, images: Sequence) -> list[tuple[str, float]]:
        if not images:
            return []
        crops = [_bgr(im) for im in images]
        require_headroom(sum(c.shape[0] * c.shape[1] for c in crops))
        with self._lock:
            res, _ = self._ocr.text_rec(crops)
        return [(str(t), float(s)) for t, s in res]


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
