"""Article assembly on small crafted pages: one recogniser per test."""

from __future__ import annotations

from cleanup import clean_page, clean_text
from cleanup.writers import render


def arts(text: str):
    return clean_page(text).articles


def test_headline_subtitle_byline_before_body():
    (a,) = arts(
        "同织安全网 共筑防火墙\n\n——吉林省网络安全宣传周活动综述\n\n本报记者 刘帅\n\n走进社区、走进农村。"
    )
    assert a.title == "同织安全网 共筑防火墙"
    assert a.subtitle == "——吉林省网络安全宣传周活动综述"
    assert a.byline == "本报记者 刘帅"
    assert [b.text for b in a.blocks] == ["走进社区、走进农村。"]


def test_two_headline_lines_are_title_and_subtitle():
    (a,) = arts(
        "抢抓机遇 蓄积动能\n\n吉林伊通经济开发区持续推动主导产业发展\n\n本报讯（通讯员 张寒寒）近年来，开发区发展。"
    )
    assert (a.title, a.subtitle) == ("抢抓机遇 蓄积动能", "吉林伊通经济开发区持续推动主导产业发展")
    assert a.blocks[0].text.startswith("本报讯（通讯员 张寒寒）")


def test_headline_printed_after_its_body():
    page = (
        "本报讯（通讯员 伊宣）为营\n造良好的人居环境，\n开展了清河行动。\n\n"
        "改善生态环境\n守护绿水清流\n\n伊通小孤山镇开展清河行动\n\n"
        "本报讯（通讯员 张晗）为进\n一步维护辖区环境卫生，\n开展活动。\n\n"
        "整治环境卫生\n共建美好家园\n\n伊通永宁街道开展环境卫生整治志愿服务活动"
    )
    a, b = arts(page)
    assert a.title == "改善生态环境 守护绿水清流"
    assert a.subtitle == "伊通小孤山镇开展清河行动"
    assert a.blocks[0].text == "本报讯（通讯员 伊宣）为营造良好的人居环境，开展了清河行动。"
    assert b.title == "整治环境卫生 共建美好家园"
    assert b.blocks[0].text.startswith("本报讯（通讯员 张晗）为进一步")


def test_photo_caption_and_credit():
    (p,) = arts("近日，伊通开展节能宣传周活动。\n\n本报通讯员\n李梦颖 摄")
    assert p.kind == "photo" and p.title is None
    assert p.byline == "本报通讯员 李梦颖 摄"
    assert [b.text for b in p.blocks] == ["近日，伊通开展节能宣传周活动。"]


def test_caption_and_credit_on_one_line():
    (p,) = arts("近日，伊通二道镇万德村开展路边杂草清理工作。 本报通讯员 陈雷 摄")
    assert p.kind == "photo"
    assert p.byline == "本报通讯员 陈雷 摄"
    assert p.blocks[0].text == "近日，伊通二道镇万德村开展路边杂草清理工作。"


def test_jump_line_goes_to_the_article_it_opens():
    a, b = arts("第一篇标题\n\n第一篇正文。\n\n(上接第一版)\n\n以评促建 推动小区建设\n\n正文继续。")
    assert a.jump is None
    assert b.jump == "上接第一版"
    assert b.title == "以评促建 推动小区建设"


def test_jump_to_another_page_ends_its_article():
    (a,) = arts("标题在此\n\n正文第一段。\n\n（下转第二版）")
    assert a.jump == "下转第二版"
    assert [x.text for x in a.blocks] == ["正文第一段。"]


def test_section_headings_inside_an_article():
    (a,) = arts(
        "党建引领促发展\n\n——伊通三个转变助推社区转型升级\n\n本报通讯员 林奥\n\n第一段正文。\n\n"
        "转变服务作风 提高工作效率\n\n第二段正文。"
    )
    assert [(b.type, b.text) for b in a.blocks] == [
        ("text", "第一段正文。"),
        ("heading", "转变服务作风 提高工作效率"),
        ("text", "第二段正文。"),
    ]


def test_run_in_lead_is_not_a_heading():
    (a,) = arts("标题\n\n“压实”防汛责任，筑牢安全防线。面对重要紧急的防汛工作，成立领导小组。")
    assert [b.type for b in a.blocks] == ["text"]


def test_kicker_printed_after_the_byline():
    (a,) = arts(
        "小身躯释放“大能量”\n\n——记十委社区党委书记林静\n\n本报记者 孙红丽\n\n做人民满意的公务员\n\n提起林静，居民都会竖起大拇指。"
    )
    assert a.kicker == "做人民满意的公务员"
    assert a.title == "小身躯释放“大能量”"


def test_text_before_any_headline_is_a_fragment():
    a, b = arts("建设水平整体提升，群众满意。\n\n新的标题\n\n本报讯 新的正文。")
    assert a.kind == "fragment" and a.title is None
    assert b.kind == "article" and b.title == "新的标题"


def test_markdown_marks_are_hints():
    a, b = arts(
        "# 第一篇标题\n\n正文。\n\n## 小节标题\n\n正文二。\n\n## 第二篇标题\n\n第二篇副题\n\n本报讯 正文三。"
    )
    assert a.title == "第一篇标题"
    assert ("heading", "小节标题") in [(x.type, x.text) for x in a.blocks]
    assert (b.title, b.subtitle) == ("第二篇标题", "第二篇副题")


def test_short_paragraph_is_not_a_headline():
    (a,) = arts("标题一\n\n正文第一段。\n\n好。\n\n正文第三段。")
    assert [x.text for x in a.blocks] == ["正文第一段。", "好。", "正文第三段。"]


def test_slogan_line_inside_body_keeps_its_space():
    (a,) = arts("标题一\n\n活动以“节能降碳 你我同行”为主题。")
    assert a.blocks[0].text == "活动以“节能降碳 你我同行”为主题。"


def test_one_line_article():
    (a,) = arts("本报讯（通讯员 伊宣）今天开会。")
    assert a.kind == "article" and a.title is None
    assert a.blocks[0].text == "本报讯（通讯员 伊宣）今天开会。"


def test_stranded_continuation_is_moved_back():
    page = (
        "标题一\n\n本报讯共检查场所2.8万余个，排查整改各类安全隐患\n\n标题二\n\n本报讯 第二篇正文。\n\n"
        "3891处。严查重点路段通道。\n\n除此之外，开展宣传。"
    )
    arts_ = arts(page)
    first = arts_[0]
    assert first.blocks[0].text == "本报讯共检查场所2.8万余个，排查整改各类安全隐患3891处。严查重点路段通道。"
    assert first.blocks[1].text == "除此之外，开展宣传。"


def test_a_stranded_continuation_spaced_out_by_justification_is_moved_back_too():
    # spaces between its characters are removed later: the count is read through them
    page = (
        "标题一\n\n本报讯共检查场所2.8万余个，排查整改各类安全隐患\n\n标题二\n\n本报讯 第二篇正文。\n\n"
        "3891 处 。 严 查 重 点 路 段 通 道 。\n\n除此之外，开展宣传。"
    )
    first = arts(page)[0]
    assert first.blocks[0].text == "本报讯共检查场所2.8万余个，排查整改各类安全隐患3891处。严查重点路段通道。"


def test_a_stranded_continuation_two_paragraphs_could_take_stays_where_it_is():
    # two paragraphs stop mid-sentence before a headline: a block that starts
    # with a count could go on with either, and nothing says which
    page = (
        "标题一\n\n本报讯共检查场所2.8万余个，排查整改各类安全隐患\n\n标题二\n\n"
        "本报讯 第二篇正文，全市今年新建成了一批城市口袋公园\n\n标题三\n\n本报讯 第三篇正文。\n\n"
        "3891处。严查重点路段通道。\n\n除此之外，开展宣传。"
    )
    arts_ = arts(page)
    assert arts_[0].blocks[0].text == "本报讯共检查场所2.8万余个，排查整改各类安全隐患"
    assert any(b.text.startswith("3891处。") for a in arts_ for b in a.blocks)


def test_a_stranded_item_of_an_open_enumeration_goes_on_with_it_despite_other_cut_paragraphs():
    page = (
        "标题一\n\n本报讯 全面整治村屯环境，彻底解决垃圾、粪污、柴草堆、\n\n标题二\n\n"
        "本报讯 第二篇正文，全市今年新建成了一批城市口袋公园\n\n标题三\n\n本报讯 第三篇正文。\n\n"
        "建筑垃圾、杂物放置等问题，推动乡村振兴。\n\n除此之外，开展宣传。"
    )
    first = arts(page)[0]
    assert first.blocks[0].text.endswith("柴草堆、建筑垃圾、杂物放置等问题，推动乡村振兴。")


def test_a_section_heading_whose_rest_stands_on_a_line_of_its_own_stays_in_its_article():
    page = (
        "优化发展环境 增强内生动力\n\n本报讯 近年来，开发区积极融入经济发展新常态。\n\n"
        "科学制定规划 明确产业发\n\n展方向\n\n坚持规划先行，以全县三大产业为主导产业。"
    )
    arts_ = arts(page)
    assert len(arts_) == 1
    assert [(b.type, b.text) for b in arts_[0].blocks] == [
        ("text", "本报讯近年来，开发区积极融入经济发展新常态。"),
        ("heading", "科学制定规划 明确产业发展方向"),
        ("text", "坚持规划先行，以全县三大产业为主导产业。"),
    ]


def test_decisions_are_in_the_change_report():
    page = clean_page("标题一\n\n本报通讯员 伊宣\n\n正文。")
    notes = {c.note for c in page.changes if c.pass_name == "assemble_articles"}
    assert "headline" in notes and "byline" in notes


def test_a_rubric_is_the_kicker_not_a_byline():
    # 记者观察 reads like a byline (记者 and a two-character "name")
    (a,) = arts("记者观察\n本报记者 王明\n\n近日，某某县开展活动。")
    assert (a.kicker, a.title, a.byline) == ("记者观察", None, "本报记者 王明")
    (a,) = arts("记者观察\n让便民服务更有温度\n本报记者 王明\n\n近日，某某县开展活动。")
    assert (a.kicker, a.title, a.byline) == ("记者观察", "让便民服务更有温度", "本报记者 王明")


def test_parallel_title_over_a_wrapped_subtitle():
    for sep in ("\n", "\n\n"):
        raw = sep.join(
            [
                "春风送暖",
                "万家团圆",
                "某某县开展走访慰问困难群众",
                "活动",
                "本报讯（通讯员 王明）近日，某某县开展活动。",
            ]
        )
        (a,) = arts(raw)
        assert (a.title, a.subtitle) == ("春风送暖 万家团圆", "某某县开展走访慰问困难群众活动"), sep


def test_a_line_after_the_byline_that_would_read_as_a_title_half_is_a_heading():
    (a,) = arts(
        "党建引领促发展\n——某某县推进社区转型升级\n本报通讯员 王明\n为满足群众需\n\n求的多样性，破解难题。"
    )
    assert a.kicker is None and a.title == "党建引领促发展"
    assert a.blocks[0].type == "heading" and a.blocks[0].text == "为满足群众需"


def test_a_name_alone_under_the_headline_is_the_byline():
    (a,) = arts("守护绿水青山\n何海燕\n\n近日，某某县开展了保护生态环境的活动。")
    assert (a.title, a.subtitle, a.byline) == ("守护绿水青山", None, "何海燕")
    (a,) = arts("守护绿水青山\n何海燕 吴晓岚\n\n近日，某某县开展了保护生态环境的活动。")
    assert a.byline == "何海燕 吴晓岚"


def test_a_short_subtitle_that_is_a_word_is_no_name():
    (a,) = arts("守护绿水青山\n安全生产\n\n近日，某某县开展了保护生态环境的活动。")
    assert (a.subtitle, a.byline) == ("安全生产", None)


def test_a_headline_line_cut_inside_a_quote_is_joined_to_its_rest():
    (a,) = arts("建设美丽家园 山村“颜\n值”再提升\n某某县开展农村人居环境整治\n\n近日，某某县开展了整治活动。")
    assert (a.title, a.subtitle) == ("建设美丽家园 山村“颜值”再提升", "某某县开展农村人居环境整治")


def test_a_headline_line_cut_inside_a_word_is_joined_to_its_short_rest():
    (a,) = arts("乡村面貌焕新颜\n某某县开展农村人居环境整\n治工作\n\n近日，某某县开展了整治活动。")
    assert (a.title, a.subtitle) == ("乡村面貌焕新颜", "某某县开展农村人居环境整治工作")


def test_headline_lines_that_each_close_their_marks_stay_apart():
    # a closed quote, a rest that is no word across the joint, a long rest: not cut at the box edge
    (a,) = arts("小身躯释放“大能量”\n做人民满意的公务员\n\n近日，某某县开展了整治活动。")
    assert (a.title, a.subtitle) == ("小身躯释放“大能量”", "做人民满意的公务员")
    (a,) = arts("守护绿水青山\n何海燕\n\n近日，某某县开展了保护生态环境的活动。")
    assert (a.title, a.byline) == ("守护绿水青山", "何海燕")


def test_a_parallel_title_whose_second_half_was_cut_gets_its_rest_back():
    # the rest makes the second phrase as long as the first: no word needed across the cut
    (a,) = arts("非遗进校园 传承有\n新人\n某某县剪纸传承人走进中学\n\n近日，某某县开展了非遗活动。")
    assert (a.title, a.subtitle) == ("非遗进校园 传承有新人", "某某县剪纸传承人走进中学")
    (a,) = arts("责任压实到位 压力传导到\n位\n某某县召开秸秆禁烧工作会议\n\n近日，某某县召开了会议。")
    assert (a.title, a.subtitle) == ("责任压实到位 压力传导到位", "某某县召开秸秆禁烧工作会议")
    # however long the rest: a second phrase of two characters after one of eleven was cut
    (a,) = arts(
        "打造专业化年轻干部队伍 提高\n新引进硕博人才能力\n铁西区举办新引进硕博人才培训班\n\n近日，铁西区举办了培训班。"
    )
    assert (a.kicker, a.title) == (None, "打造专业化年轻干部队伍 提高新引进硕博人才能力")


def test_two_characters_under_a_long_headline_line_are_its_last_word():
    (a,) = arts(
        "守护候鸟迁徙 共建美丽湿地\n青禾市开展“爱鸟周”宣传暨候鸟保护专项\n行动\n\n本报讯 4月10日，青禾市启动了宣传活动。"
    )
    assert (a.title, a.subtitle) == ("守护候鸟迁徙 共建美丽湿地", "青禾市开展“爱鸟周”宣传暨候鸟保护专项行动")


def test_a_headline_joined_on_an_ocr_page_gets_the_repair_its_joint_shows():
    # OCR read 喜 as 嘉; only the joined line shows 喜获丰收, and cleaning the
    # output again (the line whole) would repair it: assembly repairs it now
    from cleanup import clean_page, clean_text

    page = (
        "小茶叶做成大产业\n桐岭县杏坡乡高山云雾茶嘉获\n丰收\n\n"
        "本报讯 (通讯员 彭思远) 清明前后， 正是采摘春茶的好时节。 茶农们背着竹篓穿梭其间。\n"
    )
    cleaned = clean_page(page, ocr=True)
    assert cleaned.articles[0].subtitle == "桐岭县杏坡乡高山云雾茶喜获丰收"
    assert any(c.pass_name == "repair_ocr_characters" and c.after == "喜" for c in cleaned.changes)
    once = clean_text(page, ocr=True)
    assert clean_text(once, ocr=True) == once
    # without the OCR passes nothing is repaired
    assert clean_page(page).articles[0].subtitle == "桐岭县杏坡乡高山云雾茶嘉获丰收"


def test_a_headline_cut_right_after_a_closing_quote_is_joined_when_a_word_spans_the_cut():
    (a,) = arts("数字政务惠民生\n松屿县政务服务“一网通办”实\n现全覆盖\n\n本报讯 近日，松屿县召开了会议。")
    assert (a.title, a.subtitle) == ("数字政务惠民生", "松屿县政务服务“一网通办”实现全覆盖")


def test_headline_lines_as_wide_as_the_column_above_a_lead_are_not_wrapped_into_one():
    # a box read box by box: a paragraph's end, its next box's title and subtitle
    # filling the narrow column, and the lead under them
    page = (
        "为落实总工会的部署要求，全\n面做好防暑降温工作，降低高\n温天气对职工的影响。\n"
        "高温送清凉关爱暖人心啊\n伊通总工会慰问一线职工\n"
        "本报讯（通讯员 史雨欣）\n为落实省总工会的部署要求，\n全面做好预防和控制工作。\n"
    )
    titles = [(a.title, a.subtitle) for a in arts(page)]
    assert ("高温送清凉关爱暖人心啊", "伊通总工会慰问一线职工") in titles


def test_straight_quotes_of_a_headline_joined_from_two_lines_are_paired():
    # one quote on each line: pair_quotes left them; joined, they are one pair
    (a,) = arts(
        '龙舟竞渡\n端午情浓\n某某县举办第五届"白\n沙江杯"龙舟邀请赛\n\n本报讯（通讯员 林小雨）近日，某某县举办了比赛。'
    )
    assert a.subtitle == "某某县举办第五届“白沙江杯”龙舟邀请赛"


def test_a_kicker_of_several_lines_that_starts_a_cut_title_is_part_of_it():
    # printed as one kicker line, 安全网 共火 over 墙 would read back as one cut title
    page = "安全网\n共火\n墙\n——某某县开展消防检查\n\n本报讯（通讯员 王明）近日，某某县开展了消防检查。"
    (a,) = arts(page)
    assert (a.kicker, a.title) == (None, "安全网 共火墙")
    assert clean_text(clean_text(page)) == clean_text(page)


def test_awaited_closer_names_the_innermost_open_mark():
    from cleanup.chars import awaited_closer

    assert awaited_closer("乡村“颜") == "”"
    assert awaited_closer("“读《论语") == "》"
    assert awaited_closer("“读《论语》") == "”"
    assert awaited_closer("《论语》“读书”") == ""


def test_headlines_of_boxes_side_by_side_above_a_kicker_stand_apart():
    """Headline lines above a title and —— subtitle become its kicker only as
    far as one headline line holds them; the lines above those are a headline
    of their own (a wider kicker would read back as a paragraph)."""
    page = (
        "做人民满意的公务员\n\n多维宣讲全覆盖\n政策宣传暖民心\n\n小身躯释放大能量\n\n"
        "伊通扎实推进年度医保工作\n全县百姓得实惠\n"
        "——记东站街道十委社区党委书记林静\n本报记者 孙红丽\n"
        "提起林静，社区的居民都会竖起大拇指。她总是激情满满，用初心使命书写青春最美芳华。\n"
    )
    first = clean_page(page)
    records = first.records()
    assert records[0]["title"] == "做人民满意的公务员"
    article = records[-1]
    assert article["title"] == "全县百姓得实惠"
    assert article["subtitle"] == "——记东站街道十委社区党委书记林静"
    assert article["kicker"] is not None and "做人民满意的公务员" not in article["kicker"]
    text = clean_text(page)
    for line in page.splitlines():
        for phrase in line.split():
            assert phrase in text
    assert clean_text(text) == text


def test_markdown_output_marks_title_and_headings_and_keeps_the_credit_after_the_caption():
    page = (
        "同织安全网 共筑防火墙\n——吉林省网络安全宣传周活动综述\n本报记者 刘帅\n\n"
        "走进社区、走进农村，宣传网络安全知识。\n\n"
        "多方联动\n\n各部门联合开展宣传活动，发放资料三千份。\n\n"
        "志愿者在社区向居民讲解网络安全知识。\n本报通讯员 李梦颖 摄\n"
    )
    first = clean_page(page)
    md = render(first, "markdown")
    lines = md.splitlines()
    assert lines[0] == "# 同织安全网 共筑防火墙  "
    assert "### 多方联动" in lines
    (photo,) = [a for a in first.articles if a.kind == "photo"]
    assert photo.byline is not None
    assert md.index(photo.blocks[0].text) < md.index(photo.byline)
    assert "---" in lines
    assert render(clean_page(md), "markdown") == md


def test_a_paragraph_whose_end_was_lost_is_marked_cut():
    """JSON Lines marks it "cut": true; the text format leaves a second blank
    line after it, so that cleaning the text again does not join it to the next."""
    page = "标题一\n\n本报讯 会议要求，全县各部门要切实\n\n\n另一段文字从这里开始。\n"
    first = clean_page(page)
    (article,) = first.articles
    records = first.records()
    cut, whole = records[0]["blocks"]
    assert cut == {"type": "text", "text": article.blocks[0].text, "cut": True}
    assert "cut" not in whole
    text = render(first, "text")
    assert f"{article.blocks[0].text}\n\n\n" in text
    assert clean_page(text).records() == records


LATE_HEADLINE = (
    "清晨，天刚蒙蒙亮，教师陈立群早早来到教室，检查门窗、整理讲台，等待学生们的到来。\n\n"
    "有一年，班上的男孩小杰变得沉默寡言，陈立群每天放学后都留下来陪他写作业，周末还把他接到自己家里吃饭。一\n\n"
    "新时代好老师\n\n大山里的“点灯人”\n\n本报记者 范一鸣\n\n"
    "个学期后，小杰重新露出了笑容，成绩也赶了上来。"
)


def test_text_before_a_headline_read_late_goes_under_it_when_its_body_goes_on_with_it():
    page = clean_page(LATE_HEADLINE)
    assert len(page.articles) == 1
    a = page.articles[0]
    assert a.byline == "本报记者 范一鸣"
    assert a.blocks[0].text.startswith("清晨")
    assert "吃饭。一个学期后，小杰" in a.blocks[1].text
    assert any("headline was read late" in c.note for c in page.changes)


def test_a_lead_under_the_headline_opens_its_own_body():
    page = clean_page(LATE_HEADLINE.replace("个学期后，小杰", "本报讯（记者 范一鸣）个学期后，小杰"))
    assert len(page.articles) == 2
    assert page.articles[0].title is None


def test_a_paragraph_that_goes_on_under_a_late_headline_takes_no_stranded_comma_start():
    # a block that only starts with a comma (another article's sentence, or
    # a comma OCR read) is no continuation when the body under the headline
    # that follows goes on with the paragraph
    page = clean_page(
        LATE_HEADLINE + "\n\n从小作坊到链主企业\n\n本报通讯员 孔令杰\n\n"
        "1993年，创始人罗永康在县城开了一间农机修理铺。\n\n，修理铺逐渐发展成为专业生产农机零部件的企业。"
    )
    assert not any(c.pass_name == "restore_reading_order" for c in page.changes)
    assert "吃饭。一个学期后，小杰" in page.articles[0].blocks[1].text


def test_a_section_heading_wrapped_at_the_column_edge_stays_a_heading():
    page = clean_page(
        "优化发展环境\n\n本报通讯员 张寒寒\n\n近年来，开发区积极融入经济发展新常态，不断优化发展环境。\n\n"
        "科学制定规划 明确产业发\n展方向\n\n坚持规划先行，以全县医药健康产业为重点，编制产业发展规划。"
    )
    assert len(page.articles) == 1
    assert [b.type for b in page.articles[0].blocks] == ["text", "heading", "text"]
    assert page.articles[0].blocks[1].text == "科学制定规划 明确产业发展方向"


def test_two_boxes_headlines_read_as_one_run_are_two_headers():
    page = clean_page(
        "燃气安全无小事 排查整治不停歇\n槐川县城关街道开展燃气安全专项检查\n\n"
        "让数据多跑路 让群众少跑腿\n松屿县政务服务“一网通办”实现全覆盖\n\n"
        "本报讯（通讯员 罗子健）今年以来，松屿县推进政务服务改革。"
    )
    titles = [(a.title, a.subtitle) for a in page.articles]
    assert ("燃气安全无小事 排查整治不停歇", "槐川县城关街道开展燃气安全专项检查") in titles
    assert titles[-1][0] == "让数据多跑路 让群众少跑腿"
    assert all(a.kicker is None for a in page.articles)


def test_title_halves_less_alike_above_a_long_subtitle_are_one_title():
    page = clean_page(
        "巡河护水\n守护一江清流\n槐川县建立“河湖长+检察长”协作机制\n\n本报讯（记者 杜鹏飞）近日，开展巡河。"
    )
    a = page.articles[0]
    assert (a.kicker, a.title) == (None, "巡河护水 守护一江清流")


def test_a_kicker_above_a_title_and_its_dash_subtitle_stays_a_kicker():
    page = clean_page(
        "新时代好老师\n大山里的“点灯人”\n——记云塘县龙潭镇中心小学教师陈立群\n\n本报记者 范一鸣\n\n清晨，她来到教室。"
    )
    a = page.articles[0]
    assert (a.kicker, a.title) == ("新时代好老师", "大山里的“点灯人”")


def test_a_section_heading_whose_rest_is_a_little_longer_stays_a_heading():
    page = clean_page(
        "优化发展环境\n\n本报通讯员 张寒寒\n\n近年来，开发区积极融入经济发展新常态，不断优化发展环境。\n\n"
        "搭建产业平台 做好新区基\n础设施建设\n\n结合各片区的产业规划，超前做好基础设施建设。"
    )
    assert len(page.articles) == 1
    assert page.articles[0].blocks[1] == ("heading", "搭建产业平台 做好新区基础设施建设")


def test_headlines_after_a_body_that_set_a_box_apart_lose_nothing():
    # a lead opened the body with no headline; the headline lines printed
    # after it (one of them GBK read as Latin-1) hold two boxes' headlines:
    # none of their text may be lost (found by bench/fuzz.py)
    page = clean_page(
        '本报讯(通讯员 韩熳儒)为贯 彻落实吉林省残疾人事业发展 "十四五"规划目标任务,提升伊 通满族自治县残疾人无障碍环境 建设水平,近日,\n伊通满族自治县 残疾人联合会全面开展村级无障 碍改造工作。\n\n守住绿水青山 凝聚保护合力\n守住绿水青山 Äý¾Û±£»¤ºÏÁ¦\n\nÒÁÍ¨·¨Ôº¿ªÕ¹"È«¹úÉúÌ¬ÈÕ "ÆÕ·¨Ðû´«\n'
    )
    text = "".join(
        (a.kicker or "") + (a.title or "") + (a.subtitle or "") + "".join(b.text for b in a.blocks)
        for a in page.articles
    )
    assert text.count("守住绿水青山") == 2 and "普法宣传" in text


# pdfminer prints the last line of each text box after all the boxes
CUT_BOXES = [
    "本报讯（记者 周敏）漫步在青禾市的街头巷尾，一个个\n精致小巧的口袋公园让人眼前一亮：昔日的垃圾堆放点变",
    "建起了儿童游乐设施和健身步道。今年以来，青禾市利用\n闲置地块新建改建口袋公园46个，新增绿地面积12.8万平",
    "这些口袋公园面积从几百平方米到几千平方米不等。以前\n这里是一片荒地，杂草丛生，现在建",
]
CUT_LINES = ["成了花团锦簇的休闲小广场，废弃的边角地", "方米。", "成了小公园，晚上来散散步。"]


def test_the_last_lines_of_boxes_printed_after_them_go_back_to_their_boxes():
    page = clean_page("青禾市口袋公园扮靓城市角落\n\n" + "\n\n".join(CUT_BOXES + CUT_LINES) + "\n")
    text = "".join(b.text for a in page.articles for b in a.blocks)
    assert "垃圾堆放点变成了花团锦簇的休闲小广场" in text
    assert "新增绿地面积12.8万平方米。" in text
    assert "杂草丛生，现在建成了小公园" in text
    moved = [c for c in page.changes if c.pass_name == "restore_displaced_lines" and c.before]
    assert [c.before for c in moved] == CUT_LINES


def test_lone_lines_that_no_word_joins_to_the_boxes_stay_where_they_are():
    lines = ["据悉，活动持续三天。", "市民纷纷点赞。", "现场气氛热烈。"]
    page = clean_page("青禾市口袋公园扮靓城市角落\n\n" + "\n\n".join(CUT_BOXES + lines) + "\n")
    assert not [c for c in page.changes if c.pass_name == "restore_displaced_lines"]


def test_a_line_end_between_a_byline_role_and_its_name_keeps_their_space():
    other = "本报讯（记者 周敏）近日，北河县开展活动。\n\n"
    cut = "本报讯（通讯员\n潘丽娟）2月20日，云塘县举办招聘会，吸引了很多求职者\n参加。\n"
    text = "".join(b.text for a in clean_page(other + cut).articles for b in a.blocks)
    assert "本报讯（通讯员 潘丽娟）2月20日" in text
    # the page sets no space between role and name anywhere: left as joined
    text = "".join(b.text for a in clean_page(cut).articles for b in a.blocks)
    assert "本报讯（通讯员潘丽娟）2月20日" in text
    # and a role and name printed together on one line stay together
    text = "".join(b.text for a in clean_page(other + "本报讯（记者刘巍）按照部署，开展行动。\n").articles for b in a.blocks)
    assert "本报讯（记者刘巍）按照部署" in text


def test_bylines_stacked_under_no_headline_read_back_the_same():
    # found by Hypothesis: a byline-like line then a byline, alone or apart
    for text in ("丁丁\n\n丁。\n\n通讯员\n\n本报通讯员 丁丁\n\n丁。", "丁丁\n\n丁。\n\n通讯员 丁丁\n\n本报通讯员 丁丁\n\n丁。"):
        page = clean_page(text)
        for fmt in ("text", "markdown"):
            once = render(page, fmt)
            assert render(clean_page(once), fmt) == once


def test_a_spaced_out_lead_keeps_the_space_between_role_and_name_where_the_page_sets_one():
    spaced = "本 报 讯 （ 通 讯 员 韩 冰 ） 近 日 ， 活 动 举 行 。\n"
    text = "".join(b.text for a in clean_page("本报讯（记者 周敏）近日。\n\n" + spaced).articles for b in a.blocks)
    assert "本报讯（通讯员 韩冰）近日，活动举行。" in text
    text = "".join(b.text for a in clean_page(spaced).articles for b in a.blocks)
    assert "本报讯（通讯员韩冰）近日，活动举行。" in text


FEATURE_AFTER_PHOTOS = (
    "共建绿色家园\n\n本报讯（记者 王强）近日，北河县开展植树活动，干部群众八百余人参加。\n\n"
    "志愿者在山坡上栽下树苗。\n\n本报通讯员 李梦颖 摄\n\n"
    "在社区里为老人理发、在路口劝导文明出行……在北河县的大街小巷，随处可见志愿者忙碌的身影。\n\n"
    "志愿红 暖全城\n\n——北河县志愿服务工作综述\n\n"
    "阵地建起来 服务沉下去\n\n北河县建成实践所六十八个，实现了四级全覆盖。"
)


def _article(articles, title):
    return next(a for a in articles if a.title == title)


def test_text_after_photos_is_the_lead_of_a_headline_whose_body_opens_with_a_heading():
    articles = arts(FEATURE_AFTER_PHOTOS)
    before, feature = _article(articles, "共建绿色家园"), _article(articles, "志愿红 暖全城")
    assert [b.text for b in before.blocks] == ["本报讯（记者 王强）近日，北河县开展植树活动，干部群众八百余人参加。"]
    assert feature.blocks[0].text.startswith("在社区里为老人理发")
    assert feature.blocks[1].type == "heading"


def test_text_after_photos_stays_where_the_next_body_opens_with_text():
    page = FEATURE_AFTER_PHOTOS.replace("阵地建起来 服务沉下去\n\n", "")
    articles = arts(page)
    before, feature = _article(articles, "共建绿色家园"), _article(articles, "志愿红 暖全城")
    assert before.blocks[-1].text.startswith("在社区里为老人理发")
    assert feature.blocks[0].text.startswith("北河县建成")


def test_a_narrow_boxs_title_wrapped_into_a_shorter_line_is_one_title():
    (a,) = arts("云塘县启用第三代\n社会保障卡\n\n本报讯（通讯员 李明）近日，云塘县开始发放第三代社会保障卡。")
    assert a.title == "云塘县启用第三代社会保障卡"
    assert a.subtitle is None


def test_a_longer_line_under_a_title_is_its_subtitle_not_its_rest():
    (a,) = arts("高温送清凉\n伊通总工会慰问一线职工\n\n本报讯（通讯员 李明）近日，伊通总工会慰问一线职工。")
    assert (a.title, a.subtitle) == ("高温送清凉", "伊通总工会慰问一线职工")


def test_text_after_photos_never_moves_past_other_text():
    # a separator and a fragment between: the text after the photos is not
    # the lead of the headline after them
    page = FEATURE_AFTER_PHOTOS.replace(
        "志愿红 暖全城", "=" * 40 + "\n\n县里各部门也纷纷行动起来。\n\n志愿红 暖全城"
    )
    articles = arts(page)
    feature = _article(articles, "志愿红 暖全城")
    assert feature.blocks[0].type == "heading"
    assert any(b.text.startswith("在社区里为老人理发") for a in articles if a is not feature for b in a.blocks)
