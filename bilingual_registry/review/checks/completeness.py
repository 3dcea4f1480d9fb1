"""Missing translations both ways, English identical to the Chinese, Chinese left in the English."""
from __future__ import annotations

import re

from ..context import is_placeholder
from .text import matches
from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff][\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20·]*")


@field_check("missing-translation", "error")
def missing_translation(p, ctx):
    """A Chinese value whose English is empty, or English with no Chinese (placeholders like NA aside).

    >>> demo("missing-translation", "观察性研究", "", key="study_type")
    ['en: the English is empty; the Chinese is 观察性研究']
    >>> demo("missing-translation", "", "Retrospective cohort")
    ['zh: the Chinese is empty; the English is Retrospective cohort']
    >>> demo("missing-translation", "血生化、血常规", "NA", key="sample_name")
    ["en: the English only says 'NA'; the Chinese is 血生化、血常规"]
    >>> demo("missing-translation", "无", ""), demo("missing-translation", "", "NA"), demo("missing-translation", "无", "NA")
    ([], [], [])
    """
    zh, en = p.zh.strip(), p.en.strip()
    if zh and not en and not is_placeholder(zh):
        yield Hit(f"the English is empty; the Chinese is {_short(zh)}", "en", zh_spans=[(0, len(p.zh))])
    elif en and is_placeholder(en) and not is_placeholder(zh) and p.value_kind != "vocab" and _HAN_RUN.search(zh):
        yield Hit(f"the English only says {en!r}; the Chinese is {_short(zh)}", "en", [(0, len(p.zh))], [(0, len(p.en))],
                  severity="warning")
    elif en and not zh and not is_placeholder(en):
        yield Hit(f"the Chinese is empty; the English is {_short(en)}", "zh", en_spans=[(0, len(p.en))],
                  severity="warning")


@field_check("identical", "error")
def identical(p, ctx):
    """English identical to the Chinese while the Chinese is Chinese text (copied, never translated).

    >>> demo("identical", "无进展生存期", "无进展生存期", key="outcome_name")
    ['en: the English is a copy of the Chinese']
    >>> demo("identical", "PD-1", "PD-1"), demo("identical", "250", "250")
    ([], [])
    """
    if p.en.strip() and p.en.strip() == p.zh.strip() and _HAN_RUN.search(p.zh):
        yield Hit("the English is a copy of the Chinese", "en", [(0, len(p.zh))], [(0, len(p.en))])


@field_check("chinese-in-english", "error")
def chinese_in_english(p, ctx):
    """Chinese characters left in the English side: untranslated or partly translated text.

    >>> demo("chinese-in-english", "非小细胞肺癌患者", "Patients with 非小细胞肺癌")
    ['en: Chinese left in the English: 非小细胞肺癌']
    >>> demo("chinese-in-english", "无锡市人民医院", "Wuxi People’s Hospital")
    []
    """
    if p.en.isascii() or p.en.strip() == p.zh.strip():
        return  # no Chinese (an ASCII text is told in no time), or `identical` says it
    runs = list(matches(_HAN_RUN, p.en))
    if runs:
        shown = "、".join(dict.fromkeys(m.group().strip() for m in runs))
        yield Hit(f"Chinese left in the English: {_short(shown)}", "en", en_spans=[m.span() for m in runs])


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
