"""The glossary as a package: one module per job, old import paths kept, folding and matching without jieba,
and every reader of glossary/*.tsv going through the one loader."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bilingual_registry.glossary.tables import data_table, read_table, split_cell


def test_folding_matching_and_vocabularies_do_not_import_jieba():
    code = ("import sys; from bilingual_registry.glossary import Glossary, fold; "
            "from bilingual_registry.glossary.files import default_vocab; "
            "g = Glossary.default(); assert g.find('中位无进展生存期'); assert default_vocab(); "
            "assert fold('ＰＤ－１', 'zh').text == 'pd-1'; print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_segmenting_loads_jieba_late():
    code = ("import sys; from bilingual_registry.glossary import Glossary; "
            "print(Glossary.default().segment('客观缓解率为30%')[0], 'jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["客观缓解率", "True"]


def test_old_import_paths_still_work():
    from bilingual_registry import glossary_learn, tbx
    from bilingual_registry.glossary import learn as new_learn
    from bilingual_registry.glossary import tbx as new_tbx

    assert tbx.from_tbx is new_tbx.from_tbx and tbx.TBXError is new_tbx.TBXError
    assert glossary_learn.learn is new_learn.learn


def test_every_reader_of_vocab_tsv_sees_the_same_rows():
    from bilingual_registry.glossary import Glossary
    from bilingual_registry.repair.knowledge import default_knowledge
    from bilingual_registry.sources.itmctr_api import _codes
    from bilingual_registry.synth.records import Generator

    rows = data_table("vocab.tsv")
    assert data_table("vocab.tsv") is rows  # read once
    assert [v.zh for v in Glossary.default().vocab] == [r["zh"].strip() for r in rows]
    coded = {(r["field"], c) for r in rows for c in split_cell(r["registry_id"])}
    assert set(_codes()) == coded
    assert sum(map(len, Generator(0).vocab.values())) == sum(1 for r in rows if r["zh"] and r["en"])
    assert default_knowledge().controlled


def test_a_missing_file_of_ours_has_no_rows_and_a_missing_column_is_named(tmp_path):
    assert data_table("no-such-file.tsv") == ()
    bad = tmp_path / "mine.tsv"
    bad.write_text("zh\ten\n随访\tfollow-up\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mine.tsv: missing column\(s\) field"):
        read_table(bad, ("field", "zh"))
