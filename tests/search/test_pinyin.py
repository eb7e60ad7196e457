"""pinyin: syllable bigrams and initials of the words people name a matter by."""

from kb.search import pinyin


def test_syllable_bigrams_follow_the_reading_in_context():
    assert pinyin.bigrams("临时身份证") == {"lin'shi", "shi'shen", "shen'fen", "fen'zheng"}
    assert "yin'hang" in pinyin.bigrams("银行")  # 行 read hang here, not xing
    assert pinyin.bigrams("绿色") == {"lv'se"}  # ü written v, as pinyin keyboards do


def test_initials_of_a_word():
    assert pinyin.initials("身份证") == "^sfz"
    assert pinyin.initials("营业执照") == "^yyzz"
    assert pinyin.initials("证") is None and pinyin.initials("身份") is None  # too short to stand for one word


def test_characters_beyond_the_bmp_have_readings_or_break_the_run():
    assert pinyin.run_syllables("𫖯𠀀") == ("fu", "he")
    assert pinyin.run_syllables("字\U00030000字") == ("zi", None, "zi")  # Extension G: no data, no term
    assert pinyin.bigrams("字\U00030000字") == frozenset()


def test_the_syllable_inventory_is_what_pypinyin_writes():
    inventory = set(pinyin.syllables())
    assert {"shen", "fen", "zheng", "lv", "er", "a", "zhuang"} <= inventory
    assert not inventory & {"m", "n", "ng", "hm", "sfz"}  # no vowel, no syllable
    assert 380 < len(inventory) < 450


def test_spans_of_words_give_the_initials_of_phrases():
    assert pinyin.spans(["骑手", "不定时", "工作制"]) == {"骑手不定时", "不定时工作制"}
    assert pinyin.initials("不定时工作制") == "^bdsgzz"
