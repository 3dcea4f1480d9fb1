"""Clean bilingual records from a seeded random source: the test bed for repair, convert and scale.

Records take the field layout of the template record (`data/template.txt`, shipped with the package)
and fill every text field with generated Chinese/English pairs built from the glossary (terms,
controlled values) and the kinds of text registry records hold: institution names, doses with units,
age limits, ranges, eponyms, abbreviations such as PD-1 that the Chinese side writes in Latin letters,
and text that must be left alone (real questions, URLs with query strings, e-mail addresses,
registration numbers). `varied=True` also varies what real records vary: how many groups a record has
(arms, outcomes, sites, samples, secondary sponsors), dates, and the length of its texts.
"""
from __future__ import annotations

import datetime
import random
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ..model import Record, Side
from ..glossary.tables import data_table
from ..repair.knowledge import could_be_lost


def template_path() -> Path:
    """The template record, a text export shipped as package data."""
    return Path(str(files(__package__) / "data" / "template.txt"))


@lru_cache(maxsize=1)
def _template() -> Record:
    from ..api import parse_file

    [record] = parse_file(template_path(), repair=False)
    return record

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
class Generator:
    """Clean records from a seeded random source; `clean(n)` gives n of them."""

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)
        self.template = _template()
        terms = data_table("terms.tsv")
        self.terms = [(r["zh"], r["en"]) for r in terms if r.get("zh") and r.get("en") and "?" not in r["en"]]
        self.hyphenated = [t for t in self.terms if any(could_be_lost(c) and c != " " for c in t[1])]
        self.vocab: dict[str, list[tuple[str, str]]] = {}
        for r in data_table("vocab.tsv"):
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
            tok, url = r.choice(TOKENS), f"https://example.org/study?id={r.randrange(100)}&lang=en"
            return f"{tok}是否有效？见 {url}。", f"Is {tok} effective? See {url}."
        (izh, ien), mail = self._institution(), f"trial{r.randrange(99)}@example.org"
        return f"由{izh}完成，联系 {mail}。", f"Done at {ien}; contact {mail}."

    def _text(self, lo: int, hi: int, lines: bool = False) -> tuple[str, str]:
        pairs = [self._sentence() for _ in range(self.rng.randint(lo, hi))]
        if lines:
            return ("\n".join(f"{n}. {p[0]}" for n, p in enumerate(pairs, 1)),
                    "\n".join(f"{n}. {p[1]}" for n, p in enumerate(pairs, 1)))
        return "".join(p[0] for p in pairs), " ".join(p[1] for p in pairs)

    def _clean(self, f, number: int) -> tuple[str, str]:
        """A field's generated values (the template's own for what is not generated)."""
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
        return zh, en

    @staticmethod
    def _with(f, zh: str, en: str, **update):
        return f.model_copy(update={"zh": Side(label=f.zh.label, value=zh), "en": Side(label=f.en.label, value=en),
                                    **update})

    def record(self, number: int) -> Record:
        self.dash = self.rng.choice("----–")  # a record writes its ranges one way
        fields = [self._with(f, *self._clean(f, number)) for f in self.template.fields]
        return self.template.model_copy(update={"fields": fields, "registration_number": f"ChiCTR26{number:08d}"})

    def clean(self, n: int) -> list[Record]:
        return [self.record(i) for i in range(n)]

    # What varies from record to record in real ones: how many members each group has (arms, outcomes,
    # sites, samples, secondary sponsors: the ranges seen on ChiCTR pages), and how long the texts are.
    GROUP_SIZES = {"secondary_sponsors": (0, 3), "interventions": (1, 4), "sites": (1, 6), "outcomes": (1, 9),
                   "samples": (0, 2)}

    def _coded(self, key: str) -> list[tuple[str, str]]:
        """The values a field's registry form offers (those with a registry code), else all the vocabulary's."""
        if not hasattr(self, "_coded_vocab"):
            self._coded_vocab: dict[str, list[tuple[str, str]]] = {}
            for r in data_table("vocab.tsv"):
                if r.get("zh") and r.get("en") and r.get("registry_id"):
                    self._coded_vocab.setdefault(r["field"], []).append((r["zh"], r["en"]))
        return self._coded_vocab.get(key) or self.vocab[key]

    def _when(self, start: datetime.date, days: int) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange(days))

    def varied(self, number: int, registry: str = "ChiCTR") -> Record:
        """A record shaped as real ones vary: group sizes, dates, text lengths, vocabulary values.

        `registry` "ITMCTR" gives an ITMCTR number; the values are drawn the same way.
        """
        r = self.rng
        base = self.template
        self.dash = r.choice("----–")
        registered = self._when(datetime.date(2010, 1, 1), 6000)
        start = self._when(registered, 120)
        dates = {"registration_date": f"{registered} 00:00:00",
                 "last_refreshed_on": f"{self._when(registered, 400)} {r.randrange(24):02d}:{r.randrange(60):02d}:"
                                      f"{r.randrange(60):02d}",
                 "ethics_approval_date": f"{registered - datetime.timedelta(days=r.randrange(1, 90))} 00:00:00",
                 "study_period": f"From {start} 00:00:00 To {self._when(start + datetime.timedelta(days=180), 900)} 00:00:00",
                 "recruitment_period": f"From {start} 00:00:00 To {self._when(start + datetime.timedelta(days=90), 600)} 00:00:00"}
        low = r.choice((0, 6, 16, 18, 18, 18, 40, 60))
        dates["age_range"] = f"最小 Min age {low} years\n最大 Max age {r.choice((45, 65, 70, 75, 80, 85, 100))} years"
        year = registered.year % 100
        reg = f"{registry}{year:02d}{number % 10**8:08d}" if registry == "ChiCTR" else f"ITMCTR{registered.year}{number % 10**6:06d}"
        fields, members = [], {}
        for f in base.fields:
            if f.group is not None:
                members.setdefault(f.group, {}).setdefault(f.index, []).append(f)
        for f in base.fields:
            if f.group is not None:
                if f.index == 0 and f is members[f.group][0][0]:
                    fields += self._group(f.group, members[f.group][0])
                continue
            if f.key in dates:
                zh = en = dates[f.key]
            elif f.key == "registration_number":
                zh = en = reg
            elif f.key in self.vocab and not f.shared:
                zh, en = r.choice(self._coded(f.key))
            elif f.key in ("inclusion_criteria", "exclusion_criteria"):
                zh, en = self._text(2, 12, lines=True)
            elif f.key in ("objectives", "treatment_description", "randomization_procedure", "ipd_sharing_plan"):
                zh, en = self._text(1, 6)
            else:
                zh, en = self._clean(f, number)
            fields.append(self._with(f, zh, en))
        preamble = [p.model_copy(update={"text": p.text.replace(base.registration_number, reg)})
                    for p in base.header.preamble]
        return base.model_copy(update={"fields": fields, "registration_number": reg, "registry": registry,
                                       "header": base.header.model_copy(update={"preamble": preamble})})

    def _group(self, group: str, prototype: list) -> list:
        """`n` members of a group, each a copy of the template's first member with fresh values."""
        lo, hi = self.GROUP_SIZES.get(group, (1, 1))
        out = []
        n = self.rng.randint(lo, hi)
        for index in range(n):
            for f in prototype:
                zh, en = self._member_value(group, f.key, index)
                if f.shared:
                    zh = en = zh or en
                out.append(self._with(f, zh, en, index=index))
        return out

    def _member_value(self, group: str, key: str, index: int) -> tuple[str, str]:
        r = self.rng
        if key == "sample_size":
            size = str(r.choice((10, 20, 30, 40, 50, 60, 80, 100, 120, 150, 200, 300, 500)))
            return size, size
        if key == "group_name":
            return r.choice((("试验组", "Experimental group"), ("对照组", "Control group"), ("安慰剂组", "Placebo group"),
                             ("高剂量组", "High-dose group"), ("低剂量组", "Low-dose group")))
        if key == "outcome_type":
            return ("主要指标", "Primary indicator") if index == 0 else self.rng.choice(self._coded(key) or [("次要指标", "Secondary indicator")])
        if key in ("institution",):
            return self._institution()
        if key == "country":
            return "中国", "China"
        if key in ("province", "city", "institution_level", "tissue", "fate") and key in self.vocab:
            return r.choice(self.vocab[key])
        if key in ("intervention", "outcome_name", "sample_name"):
            return self._text(1, 1)
        if key in ("method", "time_point"):
            return self._text(1, 2)
        if key in ("intervention_code", "note", "address"):
            return "", ""
        return "", ""


