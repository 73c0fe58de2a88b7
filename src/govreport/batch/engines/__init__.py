"""Where a batch runs: :mod:`.local` worker processes, or a :mod:`.dask` cluster. Each engine's
``write(paths, out, fmt, options, progress)`` fills one output and returns its
:class:`~govreport.batch.summary.Summary`."""
