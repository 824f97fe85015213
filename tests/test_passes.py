"""Each pass on small crafted inputs, including text that must not change.

Tables of (input, expected); an expected equal to the input is a negative:
text that looks broken but is what was printed.
"""

from __future__ import annotations

import pytest

from cleanup.passes.characters import normalize_characters
from cleanup.passes.confusions import repair_ocr_confusions
from cleanup.passes.dashes import repair_dashes
from cleanup.passes.duplicates import drop_doubled_heading_tails
from cleanup.passes.encoding import fix_mojibake
from cleanup.passes.punctuation import (
    pair_quotes,
    repair_mirrored_quotes,
    repair_misread_brackets,
    widen_punctuation,
)
from cleanup.passes.spaces import remove_artifact_spaces


def table(fn, cases):
    return pytest.mark.parametrize(("given", "expected"), cases, ids=[c[0][:20] for c in cases])


MOJIBAKE = [
    ("ä¸­å›½äººæ°‘", "中国人民"),  # UTF-8 read as cp1252
    ("鍩庡競鍏氬缓鏇村姞鏈夋晥", "城市党建更加有效"),  # UTF-8 read as GBK
    ("ÖÐ¹úÈËÃñ", "中国人民"),  # GBK read as Latin-1
    ("（记者）他说：“你好！”", "（记者）他说：“你好！”"),  # ftfy's defaults would narrow this
    ("café naïve résumé", "café naïve résumé"),
    ("中国人民", "中国人民"),
]


@table(fix_mojibake, MOJIBAKE)
def test_fix_mojibake(given, expected):
    assert fix_mojibake(given) == expected


def test_mojibake_on_a_page_re_encoded_in_slices(monkeypatch: pytest.MonkeyPatch):
    from cleanup.passes import encoding

    page = "\n".join(given for given, _ in MOJIBAKE * 3)
    want = "\n".join(expected for _, expected in MOJIBAKE * 3)
    assert fix_mojibake(page) == want
    monkeypatch.setattr(encoding, "ROUND_TRIP_LINES", 2)  # slices smaller than the page
    assert fix_mojibake(page) == want


CHARACTERS = [
    ("⾦额", "金额"),  # Kangxi radical U+2FA6
    ("⼈民", "人民"),
    ("２０２３年", "2023年"),
    ("ＩＳＯ９０００", "ISO9000"),
    ("５．６１万元", "5.61万元"),
    ("零\u200b宽", "零宽"),
    ("控\x07制", "控制"),
    ("行一\r\n行二\r行三", "行一\n行二\n行三"),
    ("\ufa10", "\u585a"),  # CJK compatibility ideograph -> unified (NFC)
    ("，。：；“”（）", "，。：；“”（）"),  # full-width punctuation stays
    ("ｅ", "e"),
]


@table(normalize_characters, CHARACTERS)
def test_normalize_characters(given, expected):
    assert normalize_characters(given) == expected


PUNCTUATION = [
    ("近日,伊通满族自治县", "近日，伊通满族自治县"),
    ("隐患排查;对水库", "隐患排查；对水库"),
    ("转变服务模式:提升服务品质", "转变服务模式：提升服务品质"),
    ("本报讯(通讯员 伊宣)为", "本报讯（通讯员 伊宣）为"),
    ("出动保洁员5400人(次),清理", "出动保洁员5400人（次），清理"),
    ("更融洽了!", "更融洽了！"),
    ("为什么?", "为什么？"),
    # negatives: ASCII that belongs
    ("价值5.61万元", "价值5.61万元"),
    ("会议9:00开始", "会议9:00开始"),
    ("共1,000人", "共1,000人"),
    ("Hello, world (again): yes; no!", "Hello, world (again): yes; no!"),
    ("访问https://example.com/a?b=1,2查看", "访问https://example.com/a?b=1,2查看"),
    ("增长了50%", "增长了50%"),
    ("党建+技术", "党建+技术"),
]


@table(widen_punctuation, PUNCTUATION)
def test_widen_punctuation(given, expected):
    assert widen_punctuation(given) == expected


QUOTES = [
    ('开展"清河行动"工作', "开展“清河行动”工作"),
    ('"日走访""周座谈"', "“日走访”“周座谈”"),
    ("他说'好'", "他说‘好’"),
    ('只有一个"引号', '只有一个"引号'),  # odd count: not certain, unchanged
    ('He said "yes"', 'He said "yes"'),  # no Chinese on the line
    ("don't 中文", "don't 中文"),
    # among curly quotes, a straight one takes its turn in the line
    ('“一村一品”的"小产业"', "“一村一品”的“小产业”"),
    ('开展“清河行动"工作', "开展“清河行动”工作"),
    ('“一村一品”的"小产业', '“一村一品”的"小产业'),  # an odd count: not certain, unchanged
]


@table(pair_quotes, QUOTES)
def test_pair_quotes(given, expected):
    assert pair_quotes(given) == expected


MIRRORED_QUOTES = [
    ("为破解“种得出、卖不出“难题", "为破解“种得出、卖不出”难题"),
    ("”小手拉大手”活动", "“小手拉大手”活动"),
    ("开展“清河行动”和“护河行动“两项工作", "开展“清河行动”和“护河行动”两项工作"),
    ("这些“口袋公园'面积不等", "这些“口袋公园”面积不等"),
    # left: quotes that alternate, two out of turn, an odd count, a single
    # quote beside other single quotes, a line with straight quotes
    ("开展“清河行动”工作", "开展“清河行动”工作"),
    ("““一村一品””", "““一村一品””"),
    ("“一村“二村”", "“一村“二村”"),
    ("这些“口袋公园'和‘小’公园", "这些“口袋公园'和‘小’公园"),
    ('“一村“二村"', '“一村“二村"'),
]


BRACKETS = [
    ("本报讯〈记者 周敏）近日", "本报讯（记者 周敏）近日"),
    ("《下转第四版）", "（下转第四版）"),
    ("《下转第四版)", "（下转第四版)"),  # the ASCII one is widen_punctuation's
    ("本报讯（记者 周敏》近日", "本报讯（记者 周敏）近日"),
    ("本报讯（记者 周敏〉近日", "本报讯（记者 周敏）近日"),
    # left: titles and angle brackets that pair, a title inside parentheses
    ("学习《条例》精神", "学习《条例》精神"),
    ("（详见《条例》）", "（详见《条例》）"),
    ("〈一〉总则", "〈一〉总则"),
    ("《条例", "《条例"),
]


@table(repair_misread_brackets, BRACKETS)
def test_repair_misread_brackets(given, expected):
    assert repair_misread_brackets(given) == expected


@table(repair_mirrored_quotes, MIRRORED_QUOTES)
def test_repair_mirrored_quotes(given, expected):
    assert repair_mirrored_quotes(given) == expected


DASHES = [
    ("一伊通“三个转变”助推社区转型升级", "——伊通“三个转变”助推社区转型升级"),
    ("转变服务思路一夯实治理根基", "转变服务思路——夯实治理根基"),
    ("——记长春市林静", "——记长春市林静"),
    ("—记长春市林静", "——记长春市林静"),  # a lone — at a subtitle's start
    ("中国—东盟博览会", "中国—东盟博览会"),  # between two terms: the connector stays
    ("2016—2020年", "2016—2020年"),
    ("歼—15", "歼—15"),
    ("――记林静", "——记林静"),
    ("──记林静", "——记林静"),
    ("转变思路--夯实根基", "转变思路——夯实根基"),
    ("转变思路一一夯实根基", "转变思路——夯实根基"),
    # negatives: 一 meaning "one"
    ("一社区一品牌", "一社区一品牌"),
    ("第一版", "第一版"),
    ("统一思想认识", "统一思想认识"),
    ("一是加强领导，二是落实责任。", "一是加强领导，二是落实责任。"),
    ("高速公路伊通分局一线民警", "高速公路伊通分局一线民警"),
    ("逐一列举问题", "逐一列举问题"),
    ("一一列举问题清单", "一一列举问题清单"),
    ("well-known", "well-known"),
    ("2020-2023", "2020-2023"),
]


@table(repair_dashes, DASHES)
def test_repair_dashes(given, expected):
    assert repair_dashes(given) == expected


SPACES = [
    ("发 现 、早 报 告 、早 反 应", "发现、早报告、早反应"),
    ("伊通满族自治 县不断转变服务思路，推动发展。", "伊通满族自治县不断转变服务思路，推动发展。"),
    ("研发中心 1 个，", "研发中心1个，"),
    ("通过了 ISO9000 质量管理体系认证", "通过了ISO9000质量管理体系认证"),
    ("达到 100%，保证", "达到100%，保证"),
    (
        "为落实 省总工会《关于开展 2023 年夏送清 凉慰问活动的通知》要求，",
        "为落实省总工会《关于开展2023年夏送清凉慰问活动的通知》要求，",
    ),
    ("形成了“日走访”“周座谈” “每月回访”等机制。", "形成了“日走访”“周座谈”“每月回访”等机制。"),
    ("  前导空格", "前导空格"),
    ("末尾空格  ", "末尾空格"),
    # negatives: spaces that were printed
    (
        "本报讯（记者 常欣月 通讯员 伊宣）为提升全民交通安全意识，",
        "本报讯（记者 常欣月 通讯员 伊宣）为提升全民交通安全意识，",
    ),
    ("本报通讯员 林奥 孙宇", "本报通讯员 林奥 孙宇"),
    ("本报通讯员 李梦颖 摄", "本报通讯员 李梦颖 摄"),
    ("抢抓机遇 蓄积动能", "抢抓机遇 蓄积动能"),
    ("筑牢“安全堤” 打好主动仗", "筑牢“安全堤” 打好主动仗"),
    ("开展了“节能降碳 你我同行”环保主题系列宣传活动。", "开展了“节能降碳 你我同行”环保主题系列宣传活动。"),
    (
        "紧扣“网络安全为人民 网络安全靠人民”主题，深入贯彻",
        "紧扣“网络安全为人民 网络安全靠人民”主题，深入贯彻",
    ),
    ("The quick brown fox", "The quick brown fox"),
    ("Hello   world", "Hello world"),
]


@table(remove_artifact_spaces, SPACES)
def test_remove_artifact_spaces(given, expected):
    assert remove_artifact_spaces(given) == expected


TAILS = [
    ("促进平安共建聚民力聚民力", "促进平安共建聚民力"),
    ("创新服务管理解民忧解民忧", "创新服务管理解民忧"),
    # negatives
    ("大家一起研究研究", "大家一起研究研究"),  # a reduplicated word
    ("疫情期间的的工作，林静记忆犹新。", "疫情期间的的工作，林静记忆犹新。"),  # running text
    ("谢谢谢谢", "谢谢谢谢"),
]


@table(drop_doubled_heading_tails, TAILS)
def test_drop_doubled_heading_tails(given, expected):
    assert drop_doubled_heading_tails(given) == expected


CONFUSIONS = [
    ("深入辖区卫生院进行检杳，重点", "深入辖区卫生院进行检查，重点"),
    ("这项工作早己完成。", "这项工作早已完成。"),
    # negatives: the character is right where it stands
    ("音讯杳无，杳无音信。", "音讯杳无，杳无音信。"),
    ("我们自己完成。", "我们自己完成。"),
    ("周末加班。", "周末加班。"),
]


@table(repair_ocr_confusions, CONFUSIONS)
def test_repair_ocr_confusions(given, expected):
    assert repair_ocr_confusions(given) == expected


@pytest.mark.parametrize(
    "line, open_",
    [
        ("农户写入“村", True),  # cut inside the quote
        ("“一村一品”写入“村", True),
        ("“不能让一个孩子掉队“", False),  # OCR turned the closing quote: no quote opens in a quote
        ("“不能让一个孩子掉队”", False),
        ("（维", True),
        ("全体（维修）", False),
    ],
)
def test_leaves_open(line, open_):
    from cleanup.chars import leaves_open

    assert leaves_open(line) is open_


def test_a_heading_whose_closing_quote_ocr_turned_is_printed_apart_from_its_paragraph():
    from cleanup import clean_text

    page = "标题\n\n本报讯 这样的清晨，她已经坚持了26年。\n“不能让一个孩子掉队“\n\n龙潭镇地处云塘县西部山区，学校里一多半是留守儿童。\n"
    assert "“不能让一个孩子掉队”\n\n龙潭镇" in clean_text(page)
