"""Optional dependencies of the batch package, with errors that name the extra to install."""

from __future__ import annotations

from types import ModuleType

from ..errors import MissingDependency


def require_pyarrow() -> ModuleType:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise MissingDependency(
            f"this needs pyarrow ({exc}): install the extra with: pip install 'govreport[frames]'"
        ) from None
    return pyarrow


def require_pandas() -> ModuleType:
    try:
        import pandas
    except ImportError as exc:
        raise MissingDependency(
            f"data frames need pandas and pyarrow ({exc}): install the extra with: pip install 'govreport[frames]'"
        ) from None
    require_pyarrow()
    return pandas


def require_dask() -> ModuleType:
    try:
        import dask  # noqa: F401
        import distributed
    except ImportError as exc:
        raise MissingDependency(
            f"--engine dask needs dask.distributed ({exc}): install the extra with: pip install 'govreport[dask]'"
        ) from None
    require_pyarrow()
    return distributed
