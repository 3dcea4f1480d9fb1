"""The HTML report: one self-contained page a reviewer opens in a browser, nothing fetched.

Each record's fields are shown side by side (label | 中文 | English | findings), each finding highlighted in
place at its spans; filters by check and severity and a "fields with findings only" switch act at once, and
the totals sit at the top. Every text from a record or a finding is escaped (a value holding `<script>` or
`<img onerror=…>` is shown as those characters), and the page's Content-Security-Policy lets nothing load and
no script run but the page's own (named by its hash), so even a slip in escaping could not run anything.
"""
from __future__ import annotations

import base64
import hashlib
from collections import Counter
from html import escape
from typing import Optional

from ...model import GROUPS, Field, Finding, Record, Span
from .owners import by_record
from .table import SEVERITIES, severity_rank, totals

_ELLIPSES = ("…", "...")
_FULL_RECORDS = 20  # a longer batch shows only the fields with findings (a whole page of 300 records is 10 MB)

_CSS = """
:root{--err:#f4b6b6;--err-line:#b00020;--warn:#ffe08a;--warn-line:#9a6700;--info:#cfe6fb;--info-line:#0b5cad;
--ink:#1f2328;--dim:#656d76;--rule:#d0d7de;--head:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:var(--ink)}
[hidden]{display:none!important}
header.bar{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--rule);padding:8px 16px;
box-shadow:0 1px 3px rgba(0,0,0,.06)}
h1{font-size:18px;margin:0 0 4px}
h2{font-size:16px;margin:0}
.filters{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
.filters legend{float:left;font-weight:600;margin-right:6px}
.filters label{white-space:nowrap;cursor:pointer}
.filters button{font:inherit;font-size:12px;padding:0 6px;border:1px solid var(--rule);border-radius:4px;background:var(--head);cursor:pointer}
.filters .only{margin-left:2px}
.count{color:var(--dim);font-variant-numeric:tabular-nums}
main{padding:12px 16px 40px}
table{border-collapse:collapse;width:100%}
table.totals{width:auto;margin:8px 0 16px;font-variant-numeric:tabular-nums}
table.totals th,table.totals td{border:1px solid var(--rule);padding:2px 10px;text-align:right}
table.totals th:first-child,table.totals td:first-child{text-align:left}
table.totals thead th{background:var(--head)}
section.record{margin:0 0 24px;border:1px solid var(--rule);border-radius:6px}
section.record>.head{padding:8px 12px;background:var(--head);border-radius:6px 6px 0 0}
.title{color:var(--dim);font-size:13px}
table.fields{table-layout:fixed}
table.fields col.label{width:14%}table.fields col.zh{width:28%}table.fields col.en{width:32%}table.fields col.notes{width:26%}
table.fields th,table.fields td{border-top:1px solid var(--rule);padding:6px 8px;vertical-align:top;text-align:left}
table.fields thead th{background:#fff;position:sticky;top:var(--bar,0px);z-index:1;border-bottom:2px solid var(--rule)}
td.text{white-space:pre-wrap;overflow-wrap:anywhere}
td.shared{color:var(--dim)}
.label .zh-label{display:block;font-weight:600}
.label .en-label{display:block;color:var(--dim);font-size:12px}
.member{font-weight:400;font-size:11px;color:var(--dim);border:1px solid var(--rule);border-radius:8px;padding:0 5px}
tr.group th{background:#fafbfc;font-weight:600;border-top:2px solid var(--rule)}
tr.empty td.text,tr.empty th,tr.empty .en-label{color:#afb8c1}
tr.empty th,tr.empty td{padding-top:1px;padding-bottom:1px;font-size:12px}
tr.empty .zh-label,tr.empty .en-label{display:inline;margin-right:6px;font-weight:400}
.badge{display:inline-block;border-radius:3px;padding:0 5px;font-size:11px;font-weight:600;text-transform:uppercase;vertical-align:1px}
.badge.error{background:var(--err);color:var(--err-line)}.badge.warning{background:var(--warn);color:var(--warn-line)}
.badge.info{background:var(--info);color:var(--info-line)}
mark{background:none;color:inherit;border-radius:2px}
mark[data-live=error]{background:var(--err);box-shadow:0 2px 0 var(--err-line)}
mark[data-live=warning]{background:var(--warn);box-shadow:0 2px 0 var(--warn-line)}
mark[data-live=info]{background:var(--info);box-shadow:0 2px 0 var(--info-line)}
mark.point[data-live]:not([data-live=""])::after{content:"\\2038";font-weight:700;color:var(--err-line)}
mark.focus{outline:2px solid var(--ink)}
td[data-live=error]{box-shadow:inset 4px 0 var(--err-line)}td[data-live=warning]{box-shadow:inset 4px 0 var(--warn-line)}
td[data-live=info]{box-shadow:inset 4px 0 var(--info-line)}
ul.findings{list-style:none;margin:0;padding:0}
ul.findings li{margin:0 0 6px;padding:2px 4px;border-radius:4px}
ul.findings li:hover{background:var(--head)}
ul.findings li.current{background:#fff8c5;outline:2px solid var(--warn-line)}
.check{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;color:var(--dim)}
.suggestion{display:block;font-size:12px}
.suggestion::before{content:"\\2192  "}
.excerpt{display:block;font-size:12px;color:var(--dim);white-space:pre-wrap;overflow-wrap:anywhere}
.record-findings{padding:6px 12px;border-top:1px solid var(--rule)}
.none{color:var(--dim);padding:8px 12px}
"""

_JS = """
"use strict";
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var only = document.getElementById("only-flagged");
  var items = Array.prototype.slice.call(document.querySelectorAll("li[data-finding]"));
  var flagged = Array.prototype.slice.call(document.querySelectorAll("[data-ids]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.field, tr.group"));
  var records = Array.prototype.slice.call(document.querySelectorAll("section.record"));
  var rank = {error: 0, warning: 1, info: 2};
  var byId = {};
  items.forEach(function (li) { byId[li.id] = li; });
  function live(el) {
    return !el.querySelector || el.querySelector("li[data-finding]:not([hidden])") !== null;
  }
  function apply() {
    var on = {check: {}, severity: {}};
    boxes.forEach(function (b) { if (b.checked) { on[b.getAttribute("data-filter")][b.value] = true; } });
    var shown = 0;
    items.forEach(function (li) {
      var visible = !!(on.check[li.getAttribute("data-check")] && on.severity[li.getAttribute("data-severity")]);
      li.hidden = !visible;
      if (visible) { shown += 1; }
    });
    flagged.forEach(function (el) {
      var best = "";
      el.getAttribute("data-ids").split(" ").forEach(function (id) {
        var li = byId[id];
        if (li && !li.hidden && (best === "" || rank[li.getAttribute("data-severity")] < rank[best])) {
          best = li.getAttribute("data-severity");
        }
      });
      el.setAttribute("data-live", best);
    });
    var head = null;  // a group's heading row shows when one of its members does
    rows.forEach(function (tr) {
      if (tr.classList.contains("group")) { head = tr; tr.hidden = only.checked; return; }
      tr.hidden = only.checked && !live(tr);
      if (!tr.hasAttribute("data-member")) { head = null; } else if (head && !tr.hidden) { head.hidden = false; }
    });
    records.forEach(function (sec) { sec.hidden = only.checked && !live(sec); });
    document.getElementById("shown").textContent = String(shown);
    document.getElementById("nothing").hidden = shown > 0 || items.length === 0;
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  only.addEventListener("change", apply);
  Array.prototype.slice.call(document.querySelectorAll("button[data-set]")).forEach(function (btn) {
    btn.addEventListener("click", function () {
      var kind = btn.getAttribute("data-set"), value = btn.getAttribute("data-value");
      boxes.forEach(function (b) {
        if (b.getAttribute("data-filter") === kind) { b.checked = value === "*" || (value !== "" && b.value === value); }
      });
      apply();
    });
  });
  items.forEach(function (li) {
    function focus(on) {
      flagged.forEach(function (el) {
        if (el.tagName === "MARK" && (" " + el.getAttribute("data-ids") + " ").indexOf(" " + li.id + " ") >= 0) {
          el.classList.toggle("focus", on);
        }
      });
    }
    li.addEventListener("mouseenter", function () { focus(true); });
    li.addEventListener("mouseleave", function () { focus(false); });
  });
  var at = -1;
  function step(by) {  // the next (or previous) finding shown, brought under the bar with its marks outlined
    var shown = items.filter(function (li) { return !li.hidden && li.offsetParent !== null; });
    if (!shown.length) { return; }
    at = (at + by + shown.length) % shown.length;
    items.forEach(function (li) { li.classList.remove("current"); });
    shown[at].classList.add("current");
    shown[at].scrollIntoView({block: "center"});
    document.getElementById("at").textContent = String(at + 1);
  }
  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });
  document.addEventListener("keydown", function (e) {
    if (e.target.tagName === "INPUT" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "j" || e.key === "n") { step(1); } else if (e.key === "k" || e.key === "p") { step(-1); }
  });
  var bar = document.querySelector("header.bar");
  document.documentElement.style.setProperty("--bar", bar.offsetHeight + "px");
  apply();
})();
"""

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
        "script-src 'sha256-" + base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode() + "'")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _offset(excerpt: str, value: str) -> Optional[int]:
    """Where a finding's text (the value, or an excerpt of it with `…` at a cut end) starts in the value.

    >>> value = "the best overall response at the last follow-up was used as the"
    >>> at = _offset("…follow-up was used as the", value); value[at + 1:]
    'follow-up was used as the'
    >>> _offset("Hu Xiaoyun", "XiaoYun Hu") is None
    True
    """
    if excerpt == value:
        return 0
    core, lead = excerpt, 0
    for mark in _ELLIPSES:
        if core.startswith(mark):
            core, lead = core[len(mark):], len(mark)
            break
    for mark in _ELLIPSES:
        if core.endswith(mark):
            core = core[:-len(mark)]
            break
    at = value.find(core) if core else -1
    return None if at < 0 else at - lead


def _placed(f: Finding, side: str, value: str) -> Optional[list[Span]]:
    """The finding's spans on one side moved into the field's value; None when its text is not in the value."""
    spans = f.zh_spans if side == "zh" else f.en_spans
    text = f.zh_text if side == "zh" else f.en_text
    if not spans:
        return []
    at = _offset(text, value)
    if at is None:
        return None
    n = len(value)
    return [Span(start=min(max(s.start + at, 0), n), end=min(max(s.end + at, 0), n)) for s in spans]


def _marked(value: str, spans: list[tuple[Span, str]]) -> str:
    """The value escaped, each stretch that findings point at wrapped in one <mark> naming them all.

    >>> _marked("a <b> c", [(Span(start=2, end=5), "f1")])
    'a <mark data-ids="f1">&lt;b&gt;</mark> c'
    >>> _marked("PD-1", [(Span(start=4, end=4), "f2")])
    'PD-1<mark class="point" data-ids="f2"></mark>'
    """
    cuts = {0, len(value)}
    for s, _ in spans:
        cuts.update((s.start, s.end))
    edges = sorted(cuts)
    out = []
    for i, start in enumerate(edges):
        points = [fid for s, fid in spans if s.start == s.end == start]
        if points:
            out.append(f'<mark class="point" data-ids="{_e(" ".join(points))}"></mark>')
        if i + 1 == len(edges):
            break
        end = edges[i + 1]
        piece = _e(value[start:end])
        ids = [fid for s, fid in spans if s.start <= start and end <= s.end and s.end > s.start]
        out.append(f'<mark data-ids="{_e(" ".join(ids))}">{piece}</mark>' if ids else piece)
    return "".join(out)


class _Page:
    """Builds the page; finding ids (`f1`, `f2`, …) tie each mark to the findings it shows."""

    def __init__(self, findings: list[Finding], records: list[Record]):
        self.findings = findings
        self.records = records
        self.compact = len(records) > _FULL_RECORDS  # a long batch: only the fields with findings are on the page
        self.ids = {id(f): f"f{n}" for n, f in enumerate(findings, start=1)}
        self.by_record, self.unmatched = by_record(findings, records)

    def item(self, f: Finding, excerpt: bool) -> str:
        """One finding in a findings list; `excerpt` adds its own texts when they are not shown in place."""
        parts = [f'<li id="{self.ids[id(f)]}" data-finding="" data-check="{_e(f.check)}" data-severity="{_e(f.severity)}">',
                 f'<span class="badge {_e(f.severity)}">{_e(f.severity)}</span> <span class="check">{_e(f.check)}</span> ',
                 f'<span class="message">{_e(f.message)}</span>']
        if f.suggestion:
            parts.append(f'<span class="suggestion">{_e(f.suggestion)}</span>')
        if excerpt:
            fid = self.ids[id(f)]
            for side, text, spans in (("zh", f.zh_text, f.zh_spans), ("en", f.en_text, f.en_spans)):
                if text:
                    parts.append(f'<span class="excerpt" lang="{side}">{_marked(text, [(s, fid) for s in spans])}</span>')
        parts.append("</li>")
        return "".join(parts)

    def field_row(self, field: Field, findings: list[Finding]) -> str:
        fid = self.ids
        cells = {}
        shown_in_place: set[int] = set()
        for side in ("zh", "en"):
            value = getattr(field, side).value
            spans, whole = [], []
            for f in findings:
                placed = _placed(f, side, value)
                if placed is None:
                    continue
                if placed:
                    spans += [(s, fid[id(f)]) for s in placed]
                    shown_in_place.add(id(f))
                elif f.side in (side, "both"):
                    whole.append(fid[id(f)])
            flag = f' data-ids="{_e(" ".join(whole))}"' if whole else ""
            cells[side] = (flag, _marked(value, spans) if value else '<span class="none">—</span>')
        member = "" if field.index is None else f' <span class="member">#{field.index + 1}</span>'
        label = (f'<span class="zh-label" lang="zh">{_e(field.zh.label)}{member}</span>'
                 f'<span class="en-label">{_e(field.en.label)}</span>')
        notes = "".join(self.item(f, id(f) not in shown_in_place and bool(f.zh_spans or f.en_spans)) for f in findings)
        empty = not (field.zh.value or field.en.value)
        classes = "field" + (" empty" if empty and not findings else "")
        if field.shared:
            text = f'<td class="text shared" colspan="2"{cells["en"][0]}>{cells["en"][1]}</td>'
        else:
            text = (f'<td class="text" lang="zh"{cells["zh"][0]}>{cells["zh"][1]}</td>'
                    f'<td class="text" lang="en"{cells["en"][0]}>{cells["en"][1]}</td>')
        in_group = "" if field.group is None else " data-member"
        return (f'<tr class="{classes}"{in_group}><th class="label" title="{_e(field.key)}">{label}</th>{text}'
                f'<td>{"<ul class=findings>" + notes + "</ul>" if notes else ""}</td></tr>')

    def record(self, n: int, record: Record) -> str:
        findings = self.by_record.get(n, [])
        at_field: dict[tuple, list[Finding]] = {}
        keys = {(f.key, f.group, f.index) for f in record.fields}
        loose = []
        for f in findings:
            k = (f.field, f.group, f.index)
            (at_field.setdefault(k, []) if f.field and k in keys else loose).append(f)
        rows = []
        done: set[tuple] = set()
        flagged_groups = {g for _, g, _ in at_field}
        for field in record.fields:
            k = (field.key, field.group, field.index)
            if field.group is None and field.key in GROUPS and not (field.zh.value or field.en.value):
                if not self.compact or field.key in flagged_groups:
                    rows.append(f'<tr class="group"><th colspan="4"><span lang="zh">{_e(field.zh.label)}</span> · '
                                f'{_e(field.en.label)}</th></tr>')
                continue
            on_field = [] if k in done else at_field.get(k, [])
            done.add(k)
            if on_field or not self.compact:
                rows.append(self.field_row(field, on_field))
        counts = Counter(f.severity for f in findings)
        tally = " ".join(f'<span class="badge {s}">{counts[s]} {s}</span>' for s in SEVERITIES if counts[s]) or "no findings"
        title = record.get("public_title")
        title_html = (f'<div class="title">{_e(title.en.value or title.zh.value)}</div>'
                      if title and (title.en.value or title.zh.value) else "")
        loose_html = (f'<div class="record-findings"><strong>About the whole record</strong>'
                      f'<ul class="findings">{"".join(self.item(f, True) for f in loose)}</ul></div>' if loose else "")
        source = f' <span class="count">{_e(record.source.path)}</span>' if record.source.path else ""
        return (f'<section class="record" id="record-{n}">'
                f'<div class="head"><h2>{_e(record.registration_number or "(no registration number)")} {tally}{source}</h2>'
                f'{title_html}</div>{loose_html}'
                '<table class="fields"><colgroup><col class="label"><col class="zh"><col class="en"><col class="notes">'
                '</colgroup><thead><tr><th>Field</th><th>中文</th><th>English</th><th>Findings</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></section>')

    def totals(self) -> str:
        by_check = totals(self.findings)
        head = "".join(f"<th>{s}</th>" for s in SEVERITIES)
        body = "".join(f'<tr><td class="check">{_e(check)}</td>' + "".join(f"<td>{c[s] or ''}</td>" for s in SEVERITIES)
                       + f"<td>{sum(c.values())}</td></tr>" for check, c in sorted(by_check.items()))
        sums = "".join(f"<th>{sum(c[s] for c in by_check.values())}</th>" for s in SEVERITIES)
        return (f'<table class="totals"><thead><tr><th>check</th>{head}<th>total</th></tr></thead>'
                f'<tbody>{body}</tbody><tfoot><tr><th>all checks</th>{sums}<th>{len(self.findings)}</th></tr></tfoot></table>')

    def filters(self) -> str:
        by_check = totals(self.findings)
        sev = Counter(f.severity for f in self.findings)
        sev_boxes = "".join(f'<label><input type="checkbox" data-filter="severity" value="{s}" checked> '
                            f'<span class="badge {s}">{s}</span> <span class="count">{sev[s]}</span></label>'
                            for s in SEVERITIES)
        checks = sorted(by_check, key=lambda c: (min(severity_rank(s) for s in by_check[c]), c))
        check_boxes = "".join(
            f'<label><input type="checkbox" data-filter="check" value="{_e(c)}" checked> <span class="check">{_e(c)}</span> '
            f'<span class="count">{sum(by_check[c].values())}</span></label>'
            f'<button type="button" class="only" data-set="check" data-value="{_e(c)}" title="only this check">only</button>'
            for c in checks)
        only = (f'<label title="a batch of more than {_FULL_RECORDS} records shows only the fields with findings">'
                '<input type="checkbox" id="only-flagged" checked disabled> fields with findings only</label>'
                if self.compact else '<label><input type="checkbox" id="only-flagged"> fields with findings only</label>')
        return ('<div class="filters">'
                f'<fieldset><legend>Severity</legend>{sev_boxes}</fieldset>'
                f'<fieldset><legend>Checks</legend>{check_boxes}'
                '<button type="button" data-set="check" data-value="*">all</button>'
                '<button type="button" data-set="check" data-value="">none</button></fieldset>'
                f'{only}'
                f'<span class="count">showing <strong id="shown">{len(self.findings)}</strong> of {len(self.findings)} findings</span>'
                '<span class="nav"><button type="button" id="prev" title="previous finding (k)">◀ prev</button> '
                '<span class="count" id="at">–</span> '
                '<button type="button" id="next" title="next finding (j)">next ▶</button></span>'
                '</div>')

    def render(self) -> str:
        sections = "".join(self.record(n, r) for n, r in enumerate(self.records))
        if self.unmatched:
            sections += ('<section class="record"><h2 style="padding:8px 12px">Findings on records not shown</h2>'
                         f'<div class="record-findings"><ul class="findings">'
                         f'{"".join(self.item(f, True) for f in self.unmatched)}</ul></div></section>')
        n_rec = len(self.records)
        return ("<!DOCTYPE html>\n"
                '<html lang="en"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>Translation review: {n_rec} record{'s' if n_rec != 1 else ''}, {len(self.findings)} findings</title>"
                f"<style>{_CSS}</style></head><body>"
                f'<header class="bar"><h1>Translation review <span class="count">{n_rec} record{"s" if n_rec != 1 else ""} · '
                f'{len(self.findings)} findings</span></h1>{self.filters()}</header>'
                f'<main>{self.totals()}<p class="none" id="nothing" hidden>No finding matches these filters.</p>'
                f"{sections}</main>"
                f"<script>{_JS}</script></body></html>\n")


def render(findings: list[Finding], records: list[Record]) -> bytes:
    """The page for `findings` over `records` (findings of records not given are listed at the end)."""
    return _Page(findings, records).render().encode("utf-8")
