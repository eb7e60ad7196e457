"""fold: traditional and variant characters meet the simplified ones the records use."""

import re

from kb.search.fold import HAN, Folder, normalize, opencc_chars

VARIANTS = [{"standard": "身份证", "variants": ["身分证"]}, {"standard": "户口簿", "variants": ["户口薄"]}]


def test_traditional_text_folds_to_the_records_simplified_text():
    fold = Folder().fold
    assert fold("臨時身份證") == "临时身份证"
    assert fold("營業執照") == "营业执照"
    assert fold("房產證") == "房产证"
    assert fold("不動產權證書") == "不动产权证书"
    # Hong Kong and Taiwan variant forms go through OpenCC's variant tables first
    assert fold("綫上") == "线上" and fold("衞生") == "卫生" and fold("裡面") == "里面"
    # compatibility ideographs and full-width letters: NFKC first
    assert fold("\uf900") == "岂" and fold("ＡＢＣ") == "abc"


def test_simplified_text_stays_as_it_is():
    fold = Folder(VARIANTS).fold
    for text in ("临时居民身份证", "线上办理", "互动", "营业期限届满", "𫖯𠀀"):
        assert fold(text) == normalize(text)


def test_variant_table_applies_on_every_text_and_keeps_the_length():
    folder = Folder(VARIANTS)
    assert folder.fold("老人换身分证") == "老人换身份证"
    assert folder.fold("身分證丟了") == "身份证丢了"  # traditional and variant at once
    assert folder.fold("居民户口薄") == "居民户口簿"
    assert all(len(k) == len(v) for k, v in folder.rules.items())


def test_regional_words_only_where_typed_in_traditional_characters():
    folder = Folder(VARIANTS)
    # 簡訊 (Taiwan) is 短信; 线上 typed in simplified characters is an ordinary mainland word
    assert folder.regional["简讯"] == "短信"
    assert "线上" in folder.regional  # only applied by the worker when the characters changed
    assert folder.fold("线上办理") == "线上办理"  # never applied to the records


def test_the_worker_gets_only_what_the_index_needs():
    folder = Folder(VARIANTS)
    chars = set("临时身份证短信")
    table = folder.table_for(chars, {"身份", "份证", "短信"})
    assert table["chars"]["臨"] == "临" and table["chars"]["證"] == "证"
    assert all(value in chars or any(value in key for key in [*table["variants"], *table["regional"]])
               for value in table["chars"].values())
    assert "營" not in table["chars"]  # 营 is not in this index
    assert table["variants"] == {"身分证": "身份证"}  # 户口簿's bigrams are not in the index
    assert table["regional"]["简讯"] == "短信"
    assert len(table["chars"]) < len(opencc_chars()) / 10


def test_han_covers_every_cjk_block_by_code_point():
    samples = {
        "\u3007": "〇", "\u3400": "Extension A", "\u4e00": "URO", "\u9fff": "URO end", "\uf900": "compatibility",
        "\U00020000": "Extension B", "\U0002a700": "Extension C", "\U0002b5af": "Extension C (通用规范汉字表 𫖯)",
        "\U0002b740": "Extension D", "\U0002b820": "Extension E", "\U0002c317": "Extension E (通用规范汉字表 𬌗)",
        "\U0002ceb0": "Extension F", "\U0002ebf0": "Extension I", "\U0002f800": "compatibility supplement",
        "\U00030000": "Extension G", "\U00031350": "Extension H", "\U000323b0": "Extension J",
    }
    for char, block in samples.items():
        assert HAN.fullmatch(char), block
    assert HAN.findall("a𠀀b中c") == ["𠀀", "中"]
    assert not HAN.search("abc，。、１２３ｘ")
    assert re.fullmatch(HAN, "𫖯𠀀") and len("𫖯𠀀") == 2  # two code points, one run
