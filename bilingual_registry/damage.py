"""A damage generator: clean bilingual records, and each kind of damage planted into them with its truth.

The test bed for the repair rules and their benchmark. Clean records take the field layout of the
example record (corpus/ChiCTR2699000001.txt) and fill every text field with generated Chinese/English
pairs built from the glossary (terms, controlled values) and the kinds of text registry records hold:
institution names, doses with units, age limits, ranges, eponyms, abbreviations such as PD-1 that the
Chinese side writes in Latin letters, and text that must be left alone (real questions, URLs with
query strings, e-mail addresses, registration numbers).

Planting mirrors what exports do: a character GBK/GB2312 cannot hold becomes `?` (a lost space only in
names, where the real pages lose a non-breaking space), a controlled value gets one look-alike
character, a value is mis-decoded (UTF-8 read as cp1252 or as GBK), or gets full-width letters, an
`&nbsp;`, a zero-width space or a U+2028.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import NamedTuple

import ftfy  # noqa: F401  (registers the sloppy-windows-1252 codec)

from .labels import glossary_dir
from .model import Field, Record, Side
from .repair.knowledge import could_be_lost, is_word, read_rows
from .repair.text import PROTECTED_KEYS

EXAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "ChiCTR2699000001.txt"

CITIES = [("上海", "Shanghai"), ("北京", "Beijing"), ("广州", "Guangzhou"), ("南京", "Nanjing"),
          ("无锡", "Wuxi"), ("杭州", "Hangzhou"), ("成都", "Chengdu"), ("武汉", "Wuhan"), ("南通", "Nantong"),
          ("苏州", "Suzhou"), ("天津", "Tianjin"), ("重庆", "Chongqing"), ("长沙", "Changsha"),
          ("郑州", "Zhengzhou"), ("济南", "Jinan"), ("沈阳", "Shenyang"), ("昆明", "Kunming"), ("厦门", "Xiamen")]
KINDS = [("胸科医院", "Chest Hospital"), ("肿瘤医院", "Tumor Hospital"), ("人民医院", "People's Hospital"),
         ("中医医院", "Hospital of Traditional Chinese Medicine"), ("儿童医院", "Children's Hospital"),
         ("第一人民医院", "First People's Hospital"), ("口腔医院", "Stomatological Hospital"),
         ("中心医院", "Central Hospital"), ("妇幼保健院", "Maternal and Child Health Hospital"),
         ("医科大学附属第一医院", "The First Affiliated Hospital of {city} Medical University")]
DRUGS = [("培美曲塞", "pemetrexed"), ("卡铂", "carboplatin"), ("顺铂", "cisplatin"), ("多西他赛", "docetaxel"),
         ("紫杉醇", "paclitaxel"), ("吉西他滨", "gemcitabine"), ("奥沙利铂", "oxaliplatin")]
# Latin tokens the Chinese side writes as they are.
TOKENS = ["PD-1", "PD-L1", "CTLA-4", "IL-6", "HER-2", "COVID-19", "TNF-α", "Kaplan-Meier", "Child-Pugh",
          "D-dimer", "Mann-Whitney", "Fugl-Meyer", "EQ-5D", "SF-36", "HbA1c", "T-cell"]
# Compounds written with a hyphen whose Chinese has no Latin letters.
COMPOUNDS = [("良好耐受", "well-tolerated"), ("初治", "treatment-naive"),
             ("长期", "long-term"), ("自我报告的", "self-reported"), ("年龄匹配", "age-matched"),
             ("双盲", "double-blind"), ("开放标签", "open-label"), ("安慰剂对照", "placebo-controlled"),
             ("单臂", "single-arm"), ("真实世界", "real-world"), ("随访", "follow-up"),
             ("非劣效", "non-inferiority"), ("横断面", "cross-sectional"), ("一线", "first-line"),
             ("二线", "second-line"), ("无进展", "progression-free"), ("无病", "disease-free"),
             ("治疗相关", "treatment-related"), ("免疫相关", "immune-related")]
EPONYMS = [("干燥综合征", "Sjögren's syndrome"), ("白塞病", "Behçet's disease"), ("梅尼埃病", "Ménière's disease"),
           ("吉兰-巴雷综合征", "Guillain-Barré syndrome"), ("华氏巨球蛋白血症", "Waldenström macroglobulinemia")]
CONFUSABLE = {"O": "0", "o": "о", "l": "1", "I": "1", "a": "а", "e": "е", "c": "с", "p": "р", "B": "В",
              "H": "Н", "T": "Т", "P": "Р", "C": "С"}


class Plant(NamedTuple):
    """One planted damage: where, what was there (the truth) and what the export made of it."""

    field: int  # position in record.fields
    side: str
    at: int
    truth: str
    damaged: str
    kind: str


class Generator:
    """Clean records from a seeded random source; `clean(n)` gives n of them."""

    def __init__(self, seed: int = 0):
        from .api import parse_file

        self.rng = random.Random(seed)
        [self.template] = parse_file(EXAMPLE, repair=False)
        terms = read_rows(glossary_dir() / "terms.tsv")
        self.terms = [(r["zh"], r["en"]) for r in terms if r.get("zh") and r.get("en") and "?" not in r["en"]]
        self.hyphenated = [t for t in self.terms if any(could_be_lost(c) and c != " " for c in t[1])]
        self.vocab: dict[str, list[tuple[str, str]]] = {}
        for r in read_rows(glossary_dir() / "vocab.tsv"):
            if r.get("zh") and r.get("en"):
                self.vocab.setdefault(r["field"], []).append((r["zh"], r["en"]))

    def _institution(self) -> tuple[str, str]:
        (czh, cen), (kzh, ken) = self.rng.choice(CITIES), self.rng.choice(KINDS)
        en = ken.format(city=cen) if "{city}" in ken else f"{cen} {ken}"
        return czh + "市" + kzh, en

    def _sentence(self) -> tuple[str, str]:
        r = self.rng
        n = r.randrange(13)
        if n == 0:
            tok = r.choice(TOKENS)
            return f"检测{tok}水平的变化。", f"Changes in {tok} levels are measured."
        if n == 1:
            zh, en = r.choice(self.hyphenated or COMPOUNDS)
            return f"本研究关注{zh}。", f"This study focuses on {en}."
        if n == 2:
            zh, en = r.choice(COMPOUNDS)
            return f"采用{zh}设计。", f"A {en} design is used."
        if n == 3:
            (dzh, den), dose = r.choice(DRUGS), r.choice((75, 100, 135, 500, 1000))
            return f"{dzh}{dose} mg/m²静脉滴注，每3周一次。", f"{den.capitalize()} {dose} mg/m² intravenously every 3 weeks."
        if n == 4:
            a = r.choice((18, 16, 60, 65, 75))
            sign, word = r.choice((("≥", "以上"), ("≤", "以下")))
            return f"年龄{sign}{a}岁。", f"Aged {sign}{a} years."
        if n == 5:
            a, b = r.choice(((18, 75), (18, 80), (40, 70), (0, 1), (6, 12)))
            dash = self.dash
            return f"年龄{a}{dash}{b}岁。", f"Aged {a}{dash}{b} years."
        if n == 6:
            zh, en = r.choice(EPONYMS)
            return f"既往诊断为{zh}者。", f"Patients previously diagnosed with {en}."
        if n == 7:
            dose = r.choice((5, 10, 20, 50))
            return f"给予{dose} µg/kg，并于37 °C保存。", f"A dose of {dose} µg/kg is given and kept at 37 °C."
        if n == 8:
            zh, en = r.choice(self.terms) if self.terms else ("疗效", "efficacy")
            return f"主要观察{zh}。", f"The main observation is {en}."
        if n == 9:
            return "BMI 18.5-24 kg/m²。", "BMI 18.5-24 kg/m²."
        if n == 11:
            count = r.choice((75, 100, 125))
            return f"血小板≥{count}×10⁹/L。", f"Platelets ≥{count}×10⁹/L."
        if n == 10:
            tok = r.choice(TOKENS)
            return f"{tok}是否有效？", f"Is {tok} effective? See https://example.org/study?id={r.randrange(100)}&lang=en."
        izh, ien = self._institution()
        return f"由{izh}完成，联系 trial{r.randrange(99)}@example.org。", f"Done at {ien}; contact trial{r.randrange(99)}@example.org."

    def _text(self, lo: int, hi: int, lines: bool = False) -> tuple[str, str]:
        pairs = [self._sentence() for _ in range(self.rng.randint(lo, hi))]
        if lines:
            return ("\n".join(f"{n}. {p[0]}" for n, p in enumerate(pairs, 1)),
                    "\n".join(f"{n}. {p[1]}" for n, p in enumerate(pairs, 1)))
        return "".join(p[0] for p in pairs), " ".join(p[1] for p in pairs)

    def record(self, number: int) -> Record:
        self.dash = self.rng.choice("----–")  # a record writes its ranges one way
        fields = []
        for f in self.template.fields:
            zh, en = f.zh.value, f.en.value
            if f.key in self.vocab and not f.shared:
                zh, en = self.rng.choice(self.vocab[f.key])
            elif f.key in ("applicant_institution", "study_leader_affiliation", "primary_sponsor", "institution"):
                zh, en = self._institution()
            elif f.key in ("public_title", "scientific_title", "outcome_name", "intervention", "group_name"):
                zh, en = self._text(1, 1)
            elif f.key in ("inclusion_criteria", "exclusion_criteria"):
                zh, en = self._text(2, 5, lines=True)
            elif f.key in ("objectives", "target_disease", "treatment_description", "method", "time_point",
                           "data_management"):
                zh, en = self._text(2, 5)
            elif f.key == "registration_number":
                zh = en = f"ChiCTR26{number:08d}"
            fields.append(f.model_copy(update={"zh": Side(label=f.zh.label, value=zh),
                                               "en": Side(label=f.en.label, value=en)}))
        return self.template.model_copy(update={"fields": fields, "registration_number": f"ChiCTR26{number:08d}"})

    def clean(self, n: int) -> list[Record]:
        return [self.record(i) for i in range(n)]


def _lost_sites(field: Field, side: str) -> list[int]:
    """Where an export could lose a character: any character GBK may not hold, a hyphen inside a word,
    and a space between two capitalised words of a name."""
    value = getattr(field, side).value
    name = field.key in ("applicant_institution", "study_leader_affiliation", "primary_sponsor", "institution")
    sites = []
    for i, ch in enumerate(value):
        if not could_be_lost(ch) or i == 0 or i == len(value) - 1:
            continue
        if ch == "-" and not (is_word(value[i - 1]) and is_word(value[i + 1])):
            continue
        if ch == " " and not (name and side == "en" and value[i - 1].isalpha() and value[i + 1].isupper()):
            continue
        if "http" in value[max(0, i - 40):i] and " " not in value[max(0, i - 40):i]:
            continue
        if ch in "“”‘’。，；：（）、" or ch.isspace() and ch != " ":
            continue
        sites.append(i)
    return sites


def _set(record: Record, n: int, side: str, value: str) -> Record:
    fields = list(record.fields)
    f = fields[n]
    fields[n] = f.model_copy(update={side: getattr(f, side).model_copy(update={"value": value})})
    return record.model_copy(update={"fields": fields})


def plant_lost(record: Record, rng: random.Random, count: int = 3) -> tuple[Record, list[Plant]]:
    """Turn up to `count` characters an export could not hold into `?`."""
    sites = [(n, side, i) for n, f in enumerate(record.fields) if f.key not in PROTECTED_KEYS
             for side in ("zh", "en") for i in _lost_sites(f, side)]
    plants = []
    for n, side, i in rng.sample(sites, min(count, len(sites))):
        value = getattr(record.fields[n], side).value
        plants.append(Plant(n, side, i, value[i], "?", "lost"))
        record = _set(record, n, side, value[:i] + "?" + value[i + 1:])
    return record, plants


def plant_other(record: Record, rng: random.Random, kind: str, vocab_keys: set[str]) -> tuple[Record, list[Plant]]:
    """One damage of another kind: lookalike, mojibake-latin1, mojibake-gbk, fullwidth, entity,
    zero-width or line-separator. The truth is the whole clean value."""
    cands = []
    for n, f in enumerate(record.fields):
        if f.key == "registration_number" or f.shared:
            continue
        zh, en = f.zh.value, f.en.value
        if kind == "lookalike" and f.key in vocab_keys and any(c in CONFUSABLE for c in en):
            cands.append((n, "en"))
        elif kind == "mojibake-latin1" and any(ord(c) > 127 for c in en) and "http" not in en:
            cands.append((n, "en"))
        elif kind == "mojibake-gbk" and len(zh) >= 4 and "http" not in zh:
            cands.append((n, "zh"))
        elif kind in ("fullwidth", "entity") and " " in en and len(en) > 20 and "@" not in en and "http" not in en:
            cands.append((n, "en"))
        elif kind == "zero-width" and len(en) > 20 and "@" not in en and "http" not in en:
            cands.append((n, "en"))
        elif kind == "line-separator" and "\n" in en:
            cands.append((n, "en"))
    rng.shuffle(cands)
    for n, side in cands:
        value = getattr(record.fields[n], side).value
        damaged = _damage(value, kind, rng)
        if damaged and damaged != value:
            return _set(record, n, side, damaged), [Plant(n, side, 0, value, damaged, kind)]
    return record, []


def _damage(value: str, kind: str, rng: random.Random) -> str | None:
    if kind == "lookalike":
        i = rng.choice([i for i, c in enumerate(value) if c in CONFUSABLE])
        return value[:i] + CONFUSABLE[value[i]] + value[i + 1:]
    if kind == "mojibake-latin1":
        return value.encode("utf-8").decode("sloppy-windows-1252")
    if kind == "mojibake-gbk":
        data = value.encode("utf-8")
        if len(data) % 2:
            return None
        try:
            return data.decode("gbk")
        except UnicodeDecodeError:
            return None
    words = [i for i, c in enumerate(value) if c == " "]
    i = rng.choice(words) if words else rng.randrange(1, len(value))
    if kind == "fullwidth":
        end = i + 1
        while end < len(value) and "!" <= value[end] <= "~":
            end += 1
        word = value[i + 1:end]
        if not word:
            return None
        return value[:i + 1] + "".join(chr(ord(c) + 0xFEE0) for c in word) + value[end:]
    if kind == "entity":
        return value[:i] + "&nbsp;" + value[i + 1:]
    if kind == "zero-width":
        return value[:i] + "\u200b" + value[i:]
    i = rng.choice([i for i, c in enumerate(value) if c == "\n"])
    return value[:i] + "\u2028" + value[i + 1:]


OTHER_KINDS = ("lookalike", "mojibake-latin1", "mojibake-gbk", "fullwidth", "entity", "zero-width", "line-separator")


class Tally(NamedTuple):
    """Per rule: planted sites, sites restored right, changes made, changes that were right."""

    planted: dict
    restored: dict
    made: dict
    right: dict


def score_lost(clean: Record, damaged: Record, repaired: Record, tally: Tally) -> None:
    """Count, per rule, planted `?` restored to the truth (recall) and restorations that were right
    (precision). Lost-character damage keeps lengths, so positions line up across the three records."""
    from .repair.lost import rule_for

    for c, d, r in zip(clean.fields, damaged.fields, repaired.fields):
        for side in ("zh", "en"):
            cv, dv, rv = getattr(c, side).value, getattr(d, side).value, getattr(r, side).value
            if "?" not in dv or len(rv) != len(dv):
                continue
            for i, ch in enumerate(dv):
                if ch != "?":
                    continue
                if cv[i] != "?":
                    truth = rule_for(cv[i])
                    tally.planted[truth] = tally.planted.get(truth, 0) + 1
                    if rv[i] == cv[i]:
                        tally.restored[truth] = tally.restored.get(truth, 0) + 1
                if rv[i] != "?":
                    made = rule_for(rv[i])
                    tally.made[made] = tally.made.get(made, 0) + 1
                    if rv[i] == cv[i]:
                        tally.right[made] = tally.right.get(made, 0) + 1
