"""The HTML page ``govreport show`` writes: one self-contained file, no network, images inline.

Left, the document as read: page images with every table outlined and every value's cell boxed
(PDF), or the reader's paragraphs and tables (text, Word, web pages) with the same marks, and for
text inputs the source lines. Right, the three tables as the library read them, and the findings.
Every mark carries ``data-cells`` (the ids of the values read from it); the values' details are
embedded once as JSON and shown on hover or click.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

from ..document import Document, Grid, Paragraph
from ..model import TABLES, Report
from .marks import STATUSES, Mark, by_location, strongest
from .pages import PageImage, Placed

_COLOURS = {
    "rule": "#d62728", "low": "#ff7f0e", "ruled": "#9467bd", "doubt": "#bcbd22", "blank": "#9e9e9e", "read": "#2ca02c",
}
_LINE = re.compile(r"\bline (\d+)\b")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _ids(ms: Iterable[Mark]) -> str:
    return " ".join(m.id for m in ms)


def _css() -> str:
    rules = "\n".join(
        f".s-{k}{{--c:{v}}} .legend .s-{k}::before{{background:{v}}}" for k, v in _COLOURS.items())
    return """
*{box-sizing:border-box}body{font:14px/1.4 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222}
header{padding:10px 16px;border-bottom:1px solid #ddd;background:#fafafa;position:sticky;top:0;z-index:5}
header h1{font-size:16px;margin:0 0 4px}.legend span{margin-right:14px;white-space:nowrap}
.legend span::before{content:"";display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border-radius:2px}
main{display:flex;gap:16px;padding:12px 16px;align-items:flex-start}
#doc{flex:1 1 55%;min-width:0}#side{flex:1 1 45%;min-width:0;position:sticky;top:70px;max-height:calc(100vh - 80px);overflow:auto}
.page{position:relative;margin:0 0 16px;border:1px solid #ccc;box-shadow:0 1px 3px #0002}
.page img{display:block;width:100%;height:auto}.page .no{position:absolute;right:4px;top:2px;font-size:12px;color:#555}
.tbl{position:absolute;border:2px dashed #1f77b4;pointer-events:none}
.box{position:absolute;border:2px solid var(--c);background:color-mix(in srgb,var(--c) 18%,transparent);cursor:pointer}
.box.blank-box{border-style:dotted;background:none}
table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}td,th{border:1px solid #ccc;padding:2px 5px;vertical-align:top}
th{background:#f3f3f3;font-weight:600;text-align:left}
td.v{min-width:2.2em;text-align:right;cursor:pointer;border-left:4px solid var(--c)}
td.v.s-blank{color:#999}.mk{cursor:pointer;outline:2px solid var(--c);background:color-mix(in srgb,var(--c) 15%,transparent)}
.flash{animation:fl 1.2s 2}@keyframes fl{50%{box-shadow:0 0 0 4px #1f77b4}}
.src{font:12px/1.45 ui-monospace,monospace;white-space:pre-wrap;border:1px solid #ddd;padding:6px;max-height:70vh;overflow:auto}
.src .ln{color:#999;user-select:none;display:inline-block;width:4em}
#tip{position:fixed;z-index:10;max-width:460px;background:#fffef5;border:1px solid #aaa;padding:6px 8px;font-size:12px;
 box-shadow:0 2px 6px #0003;display:none;white-space:pre-wrap}
.findings li{margin:3px 0;cursor:pointer}.note{color:#666;font-size:12px}
h2{font-size:15px;margin:14px 0 4px}h3{font-size:13px;margin:10px 0 2px}
""" + rules


_JS = r"""
(function(){
  window.addEventListener('error', function(e){ document.body.dataset.errors = (document.body.dataset.errors||'') + e.message + ';'; });
  var cells = JSON.parse(document.getElementById('cells').textContent);
  var tip = document.getElementById('tip');
  function describe(ids){
    return ids.split(' ').filter(Boolean).map(function(id){
      var c = cells[id]; if(!c) return id;
      var lines = [id + ' = ' + (c.shown === '' ? '(blank)' : c.shown) + '   [' + c.status + ']'];
      if (c.raw !== null) lines.push('raw: ' + JSON.stringify(c.raw));
      if (c.location) lines.push('read by ' + c.reader + ' at ' + c.location + (c.confidence !== null ? ', confidence ' + c.confidence : ''));
      if (c.note) lines.push('note: ' + c.note);
      c.findings.forEach(function(f){ lines.push(f); });
      return lines.join('\n');
    }).join('\n\n');
  }
  function targets(ids){
    var out = [];
    ids.split(' ').forEach(function(id){
      if(!id) return;
      document.querySelectorAll('[data-cells~="' + CSS.escape(id) + '"]').forEach(function(el){ out.push(el); });
    });
    return out;
  }
  document.addEventListener('mouseover', function(e){
    var el = e.target.closest('[data-cells]');
    if(!el){ tip.style.display='none'; return; }
    tip.textContent = describe(el.dataset.cells);
    tip.style.display = 'block';
  });
  document.addEventListener('mousemove', function(e){
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - 470) + 'px';
    tip.style.top = Math.min(e.clientY + 14, window.innerHeight - tip.offsetHeight - 8) + 'px';
  });
  document.addEventListener('click', function(e){
    var el = e.target.closest('[data-cells]');
    if(!el) return;
    var inDoc = !!el.closest('#doc');
    var all = targets(el.dataset.cells).filter(function(t){ return t !== el && (!!t.closest('#doc')) !== inDoc; });
    if(!all.length) all = targets(el.dataset.cells).filter(function(t){ return t !== el; });
    all.forEach(function(t){ t.classList.remove('flash'); void t.offsetWidth; t.classList.add('flash'); });
    if(all.length) all[0].scrollIntoView({block:'center', behavior:'smooth'});
  });
  document.body.dataset.ready = 'ok';
})();
"""


def render(report: Report, report_marks: list[Mark], *, document: Document | None,
           pages: list[PageImage], placed: list[Placed], source_text: str | None, notes: list[str]) -> str:
    """The whole page as a string."""
    at = by_location(report_marks)
    body = [_header(report, report_marks, notes), "<main>", '<section id="doc">']
    if pages:
        body.append(_pages(pages, placed, document, at))
    if document is not None and not pages:
        body.append("<h2>The document as read</h2>")
        body.append(_document(document, at))
    if source_text is not None:
        body.append(_source(source_text, report_marks))
    body.append("</section>")
    body.append('<section id="side">' + _tables(report, report_marks) + _findings(report) + "</section>")
    body.append("</main>")
    data = {m.id: {"shown": m.shown, "status": m.status, "raw": m.raw, "location": m.location, "reader": m.reader,
                   "confidence": m.confidence, "note": m.note, "findings": list(m.findings)} for m in report_marks}
    blob = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    title = f"govreport show: {report.source or 'report'}"
    return ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
            f"<title>{_e(title)}</title><style>{_css()}</style></head><body>"
            + "".join(body)
            + '<div id="tip"></div>'
            + f'<script type="application/json" id="cells">{blob}</script>'
            + f"<script>{_JS}</script></body></html>\n")


def _header(report: Report, report_marks: list[Mark], notes: list[str]) -> str:
    counts = {k: 0 for k in STATUSES}
    for m in report_marks:
        counts[m.status] += 1
    legend = "".join(f'<span class="s-{k}" title="{_e(v)}">{_e(v)}: {counts[k]}</span>' for k, v in STATUSES.items())
    meta = report.meta
    facts = (f"format {report.format} · {meta.agency or '(agency unknown)'} · {meta.year or '?'} · reader {report.reader}"
             + (f" · {report.pages} page(s)" if report.pages else ""))
    extra = "".join(f'<div class="note">{_e(n)}</div>' for n in notes)
    return (f"<header><h1>{_e(report.source or 'report')}</h1><div>{_e(facts)}</div>"
            f'<div class="legend">{legend}</div>{extra}</header>')


def _pct(v: float, whole: float) -> str:
    return f"{100.0 * v / whole:.3f}%"


def _pages(pages: list[PageImage], placed: list[Placed], document: Document | None, at: dict[str, list[Mark]]) -> str:
    cell_locs = _cell_locations(document) if document is not None else {}
    out = []
    for pg in pages:
        parts = [f'<div class="page" id="page-{pg.number}"><img alt="page {pg.number}" src="{pg.data_uri}">'
                 f'<span class="no">page {pg.number}</span>']
        for pl in (p for p in placed if p.page == pg.number):
            x0, y0, x1, y1 = pl.outline
            parts.append(f'<div class="tbl" title="table {pl.grid + 1}" style="{_style(pg, x0 - 3, y0 - 3, x1 + 3, y1 + 3)}"></div>')
            for (r, c), (bx0, by0, bx1, by1) in pl.cells.items():
                ms = at.get(cell_locs.get((pl.grid, r, c), ""), [])
                if not ms:
                    continue
                status = strongest(ms)
                blank = " blank-box" if status == "blank" else ""
                parts.append(f'<div class="box s-{status}{blank}" data-cells="{_e(_ids(ms))}" '
                             f'style="{_style(pg, bx0 - 1, by0 - 1, bx1 + 1, by1 + 1)}"></div>')
        parts.append("</div>")
        out.append("".join(parts))
    return "".join(out)


def _style(pg: PageImage, x0: float, y0: float, x1: float, y1: float) -> str:
    return (f"left:{_pct(x0, pg.width)};top:{_pct(y0, pg.height)};"
            f"width:{_pct(x1 - x0, pg.width)};height:{_pct(y1 - y0, pg.height)}")


def _cell_locations(doc: Document) -> dict[tuple[int, int, int], str]:
    out = {}
    n = 0
    for block in doc.blocks:
        if isinstance(block, Grid):
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    out[(n, r, c)] = str(cell.loc)
            n += 1
    return out


def _document(doc: Document, at: dict[str, list[Mark]]) -> str:
    out = []
    n = 0
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{_e(block.text)}</p>")
            continue
        if not isinstance(block, Grid):
            continue
        rows = []
        for row in block.rows:
            tds = []
            for cell in row:
                if cell.merged:
                    continue
                ms = at.get(str(cell.loc), [])
                if ms:
                    tds.append(f'<td class="mk s-{strongest(ms)}" data-cells="{_e(_ids(ms))}">{_e(cell.text)}</td>')
                else:
                    tds.append(f"<td>{_e(cell.text)}</td>")
            rows.append("<tr>" + "".join(tds) + "</tr>")
        out.append(f'<h3>table {n + 1}</h3><table class="grid">' + "".join(rows) + "</table>")
        n += 1
    return "".join(out)


def _source(text: str, report_marks: list[Mark]) -> str:
    by_line: dict[int, list[Mark]] = {}
    for m in report_marks:
        hit = _LINE.search(m.location or "")
        if hit:
            by_line.setdefault(int(hit.group(1)), []).append(m)
    lines = []
    for i, line in enumerate(text.split("\n"), start=1):
        ms = by_line.get(i)
        body = _e(line) or " "
        if ms:
            body = f'<span class="mk s-{strongest(ms)}" data-cells="{_e(_ids(ms))}">{body}</span>'
        lines.append(f'<span class="ln">{i}</span>{body}')
    return "<h2>Source text</h2><div class=\"src\">" + "\n".join(lines) + "</div>"


def _tables(report: Report, report_marks: list[Mark]) -> str:
    by_table: dict[str, list[Mark]] = {}
    for m in report_marks:
        by_table.setdefault(m.table, []).append(m)
    out = ["<h2>The tables as read</h2>"]
    for t in (*TABLES, "legacy_statistics"):
        ms = by_table.get(t)
        if not ms:
            continue
        cols = list(dict.fromkeys(m.column for m in ms))
        rows: dict[str, dict[str, Mark]] = {}
        for m in ms:
            rows.setdefault(m.row, {})[m.column] = m
        head = "<tr><th>row</th>" + "".join(f"<th>{_e(c or 'value')}</th>" for c in cols) + "</tr>"
        trs = []
        for r, by_col in rows.items():
            tds = []
            for c in cols:
                mark = by_col.get(c)
                if mark is None:
                    tds.append("<td></td>")
                else:
                    tds.append(f'<td class="v s-{mark.status}" data-cells="{_e(mark.id)}" data-cell="{_e(mark.id)}">'
                               f"{_e(mark.shown)}</td>")
            trs.append(f"<tr><th>{_e(r)}</th>" + "".join(tds) + "</tr>")
        out.append(f'<h3>{_e(t)}</h3><table class="read" id="t-{_e(t)}">{head}{"".join(trs)}</table>')
    return "".join(out)


def _findings(report: Report) -> str:
    if not report.findings:
        return "<h2>Findings</h2><p class=\"note\">none</p>"
    items = []
    for f in report.findings:
        cells = " ".join(f.cells)
        attr = f' data-cells="{_e(cells)}"' if cells else ""
        items.append(f'<li class="s-{"rule" if f.rule.startswith("R") and not f.proposal else "doubt"}"{attr}>'
                     f"<b>{_e(f.severity)} {_e(f.rule)}</b>: {_e(f.message)}</li>")
    return "<h2>Findings</h2><ul class=\"findings\">" + "".join(items) + "</ul>"
