"""Numbered list items, `；`-separated lists and group member counts that differ between the sides."""
from __future__ import annotations

from collections import defaultdict

import re

from .text import matches
from ..registry import Hit, batch_check, demo, demo_batch, field_check  # noqa: F401  (demo*: for the doctests)

# An item number opening a line: `1.` `2、` `3）` `(4)` `5 ` (the 2024 pages write `1 经组织…`), or
# inside a line after a sentence (`…eligible. 25. Have had`).
_SEMICOLONS = re.compile(r"[；;]")
_ITEM = re.compile(r"^[ \t]*[(（]?(\d{1,2})(?:[.．、)）]|[ \t]+(?=\D))(?!\d)|(?<=[.。;；])\s*(\d{1,2})[.．、](?=\s*\D)", re.M)
_ITEM_HINT = re.compile(r"\d[.．、)） \t]")  # what every item number ends on: a search that skips to the digits


def items(text: str) -> list[tuple[int, tuple[int, int]]]:
    """The item numbers of a numbered list, in order, with their spans; [] when the text is no list.

    >>> [n for n, _ in items("1.本研究纳入\\n2.年龄≥18岁\\n3.签署知情同意")]
    [1, 2, 3]
    >>> items("2024年6月起纳入患者"), items("18 years or older")
    ([], [])
    """
    run: list[tuple[int, tuple[int, int]]] = []
    if not _ITEM_HINT.search(text):  # `_ITEM` is tried at every character: most texts are no list
        return run
    for m in matches(_ITEM, text):  # numbers counting up by one; a stray number is no item
        g = 1 if m.group(1) else 2
        n = int(m.group(g))
        if (run and n == run[-1][0] + 1) or (not run and g == 1 and m.start() == len(text) - len(text.lstrip())):
            run.append((n, m.span(g)))
    return run if len(run) >= 2 else []


def _semicolon_items(text: str) -> int:
    return len([part for part in _SEMICOLONS.split(text) if part.strip()])


@field_check("list-items", "warning")
def list_items(p, ctx):
    """A numbered list (or `；` list) with items on one side that the other side lacks: a list partly translated.

    >>> demo("list-items", "1.年龄≥18岁；\\n2.签署知情同意；\\n3.ECOG 0-1", "1.Aged ≥18 years;\\n2.Signed informed consent;", key="inclusion_criteria")
    ['en: the Chinese has items 1-3, the English 1-2: item 3 is not translated']
    >>> demo("list-items", "1.年龄≥18岁；\\n2.签署知情同意", "1. Aged ≥18 years\\n2. Signed informed consent", key="inclusion_criteria")
    []
    >>> demo("list-items", "实体瘤；非小细胞肺癌；乳腺癌", "Solid tumors; non-small cell lung cancer", key="target_disease")
    ['en: the Chinese lists 3 items separated by ；, the English 2']
    """
    if not p.en.strip() or p.value_kind == "vocab":
        return
    zh = ctx.once(items, p.zh)
    if not zh and "；" not in p.zh:
        return
    en = ctx.once(items, p.en)
    if zh and en:
        zn, en_n = [n for n, _ in zh], [n for n, _ in en]
        if zn != en_n:
            missing = [n for n in zn if n not in en_n]
            extra = [n for n in en_n if n not in zn]
            what = (f"item{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))} "
                    f"{'are' if len(missing) > 1 else 'is'} not translated") if missing else (
                f"the English has item{'s' if len(extra) > 1 else ''} {', '.join(map(str, extra))} more" if extra else
                "the items are in another order")
            yield Hit(f"the Chinese has items {_range(zn)}, the English {_range(en_n)}: {what}", "en",
                      zh_spans=[s for n, s in zh if n in missing] or [zh[0][1]], en_spans=[en[-1][1]])
        return
    if zh and not en and len(zh) >= 3 and len(p.en) < len(p.zh):
        yield Hit(f"the Chinese is a list of {len(zh)} numbered items, the English is not numbered and shorter", "en",
                  zh_spans=[s for _, s in zh], severity="info")
        return
    if "\n" in p.zh or zh:
        return
    nz, ne = _semicolon_items(p.zh), _semicolon_items(p.en)
    if nz >= 3 and "；" in p.zh and ne < nz and (";" in p.en or ne == 1) and ne >= 2:
        yield Hit(f"the Chinese lists {nz} items separated by ；, the English {ne}", "en")


def _range(ns: list[int]) -> str:
    return f"{ns[0]}-{ns[-1]}" if ns == list(range(ns[0], ns[-1] + 1)) and len(ns) > 1 else ", ".join(map(str, ns))


@batch_check("group-members", "error")
def group_members(pairs, ctx):
    """A repeated group (interventions, sites, outcomes…) with members on one side that the other side lacks.

    >>> demo_batch("group-members", [("group_name", "试验组", "Experimental group", "R1", "interventions", 0),
    ...     ("intervention", "培美曲塞", "pemetrexed", "R1", "interventions", 0), ("group_name", "对照组", "", "R1", "interventions", 1)])
    ['interventions[1].group_name: interventions: 2 members in Chinese, 1 in English; member 2 has no English']
    >>> demo_batch("group-members", [("group_name", "试验组", "Experimental group", "R1", "interventions", 0),
    ...     ("group_name", "对照组", "Control group", "R1", "interventions", 1), ("intervention", "安慰剂", "", "R1", "interventions", 1)])
    []
    """
    members: dict[tuple, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for p in pairs:
        if p.group is not None and p.index is not None:
            members[(p.record, p.group)][p.index].append(p)
    for (record, group), by_index in members.items():
        zh_count = sum(1 for ps in by_index.values() if any(q.zh.strip() for q in ps))
        en_count = sum(1 for ps in by_index.values() if any(q.en.strip() for q in ps))
        if zh_count == en_count:
            continue
        for index, ps in sorted(by_index.items()):
            has_zh, has_en = any(q.zh.strip() for q in ps), any(q.en.strip() for q in ps)
            if has_zh != has_en:
                side = "en" if has_zh else "zh"
                yield Hit(f"{group}: {zh_count} members in Chinese, {en_count} in English; member {index + 1} has "
                          f"no {'English' if side == 'en' else 'Chinese'}", side, pair=ps[0])
