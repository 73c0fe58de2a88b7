"""Random reports as PDF: their Word documents (:func:`~govreport.testing.office.render_docx`)
converted by LibreOffice (``soffice --headless --convert-to pdf``, a profile of its own in a
temporary folder, a timeout). :func:`convert_to_pdf` converts many documents in one run, as
:func:`govreport.testing.generate_corpus` does; without LibreOffice (``soffice`` or
``libreoffice`` on the PATH) both raise :class:`~govreport.errors.MissingDependency`.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import GovReportError, MissingDependency
from ..model import Report
from .office import render_docx

__all__ = ["convert_to_pdf", "render_pdf", "soffice"]


def soffice() -> str | None:
    """The LibreOffice program (``soffice`` or ``libreoffice`` on the PATH), or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(paths: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str], *,
                   timeout: float | None = None) -> list[Path]:
    """Convert documents to PDF with one LibreOffice run; returns the PDFs (``<stem>.pdf`` in ``out_dir``).

    LibreOffice runs headless with a profile of its own in a temporary folder (so it neither
    meets a running instance nor touches the user's profile) and is killed after ``timeout``
    seconds (default: 60 + 10 per document). Raises :class:`~govreport.errors.MissingDependency`
    when LibreOffice is not installed, and :class:`~govreport.errors.GovReportError` when it
    fails or leaves a document unconverted.
    """
    program = soffice()
    if program is None:
        raise MissingDependency("PDF rendering needs LibreOffice (soffice) on the PATH")
    sources = [Path(p).resolve() for p in paths]
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not sources:
        return []
    timeout = timeout if timeout is not None else 60 + 10 * len(sources)
    with tempfile.TemporaryDirectory(prefix="govreport-soffice-") as profile:
        cmd = [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out),
               *map(str, sources)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise GovReportError(f"LibreOffice did not convert {len(sources)} document(s) within {timeout:.0f} s") from None
        finally:
            if proc.poll() is None:  # pragma: no cover - communicate() returned, so it has exited
                os.killpg(proc.pid, signal.SIGKILL)
    pdfs = [out / (p.stem + ".pdf") for p in sources]
    missing = [p.name for p, pdf in zip(sources, pdfs) if not pdf.is_file()]
    if missing:
        detail = err.decode("utf-8", "replace").strip()[-500:]
        raise GovReportError(f"LibreOffice left {len(missing)} document(s) unconverted ({', '.join(missing[:3])}): "
                             f"exit {proc.returncode}; {detail}")
    return pdfs


def render_pdf(report: Report, *, rng: random.Random | None = None, timeout: float = 120) -> bytes:
    """The report as a PDF: :func:`render_docx` converted by LibreOffice.

    The same ``rng`` state gives the same Word document, hence the same pages (LibreOffice stamps
    each PDF with its time, so the bytes differ). Raises :class:`~govreport.errors.MissingDependency`
    when LibreOffice is not installed.
    """
    if soffice() is None:
        raise MissingDependency("render_pdf needs LibreOffice (soffice) on the PATH")
    data = render_docx(report, rng=rng)
    with tempfile.TemporaryDirectory(prefix="govreport-pdf-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(data)
        (pdf,) = convert_to_pdf([src], Path(tmp) / "out", timeout=timeout)
        return pdf.read_bytes()
