"""Readers of plain text: a table's cells laid out on lines, one reader per layout.

Each module holds one reader (``tabbed``, ``vertical``, ``pipe``, ``ocr_text``, ``runon``,
``tab_rows``, ``markdown``); what they share — splitting a source into lines, cell-per-line and
row-per-line grids, the statistics their claims weigh — lives in :mod:`.lines`. A reader here never
imports another reader.
"""
