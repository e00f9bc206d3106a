from huiyin.nlp.replycheck import ELEMENTS, check_reply, extract_points

PETITION = "我是二车间职工。公司拖欠我们三个月夜班补贴，请求尽快补发夜班补贴。另外职工食堂饭菜涨价，能否恢复原价？"
COMPLETE = (
    "经核查，二车间夜班补贴因核算延误未按时发放，公司已于6月10日补发全部夜班补贴。"
    "职工食堂饭菜涨价系原材料上涨所致，经研究自7月1日起恢复原价。"
    "根据《公司薪酬管理办法》第十二条规定，夜班补贴按月发放。"
    "如对本答复意见不服，可自收到本意见之日起30日内向集团公司信访部门申请复查。"
)


def test_points_are_extracted():
    pts = extract_points(PETITION)
    assert len(pts) == 2
    assert any("夜班补贴" in p for p in pts) and any("原价" in p for p in pts)


def test_complete_reply_passes():
    r = check_reply(PETITION, COMPLETE)
    assert r.ok, r.as_dict()
    assert set(r.elements) == set(ELEMENTS)
    assert r.score == 1.0


def test_each_missing_element_is_flagged():
    no_point = COMPLETE.replace("职工食堂饭菜涨价系原材料上涨所致，经研究自7月1日起恢复原价。", "")
    r = check_reply(PETITION, no_point)
    assert r.missing == ["points"] and "原价" in r.elements["points"].detail

    no_basis = COMPLETE.replace("根据《公司薪酬管理办法》第十二条规定，夜班补贴按月发放。", "")
    assert check_reply(PETITION, no_basis).missing == ["basis"]

    no_deadline = COMPLETE.replace("自收到本意见之日起30日内", "")
    r = check_reply(PETITION, no_deadline)
    assert r.missing == ["next_step"] and "期限" in r.elements["next_step"].detail

    no_right = COMPLETE.replace("如对本答复意见不服，可自收到本意见之日起30日内向集团公司信访部门申请复查。", "")
    assert check_reply(PETITION, no_right).missing == ["next_step"]

    for blank in ("XXX", "××", "＿＿＿", "【单位名称】", "{date}", "此处填写"):
        r = check_reply(PETITION, COMPLETE + f"联系人：{blank}。")
        assert r.missing == ["blanks"], blank
        assert "模板" in r.elements["blanks"].detail


def test_empty_inputs():
    r = check_reply("", "")
    assert r.elements["points"].ok
    assert set(r.missing) == {"basis", "next_step"}


def test_a_quoted_basis_is_cited_whole_with_its_article():
    def cited(reply):
        return check_reply(PETITION, COMPLETE.replace("根据《公司薪酬管理办法》第十二条规定", reply)).elements["basis"]

    basis = cited("依据《中华人民共和国劳动法》第四十四条第一款规定")
    assert basis.ok and "“依据《中华人民共和国劳动法》第四十四条第一款”" in basis.detail
    assert "“依据《中华人民共和国劳动法》”" in cited("依据《中华人民共和国劳动法》的规定").detail
    assert "“根据国家《工资支付暂行规定》第十八条”" in cited("根据国家《工资支付暂行规定》第十八条").detail
    # The keyword form still ends at its keyword.
    assert "“按照公司考勤管理办法”" in cited("按照公司考勤管理办法").detail


def test_every_demand_of_a_sentence_is_a_point():
    # A second demand joined by 并 — after a comma or inside the clause — is a point of its own.
    for petition in ("要求补发7月至9月夜班补贴，并为我们补缴社保。", "要求补发夜班补贴并补缴社保。"):
        points = extract_points(petition)
        assert len(points) == 2, points
        assert "夜班补贴" in points[0] and "补缴社保" in points[1]
    # 合并 is a word, not a join.
    assert extract_points("公司合并后待遇下降，希望恢复原待遇。") == ["公司合并后待遇下降，希望恢复原待遇。"]


def test_a_numbered_list_of_demands_gives_one_point_per_item():
    listed = "我们的诉求如下：1、补发拖欠的工资；2、补缴社保；3、公开考核结果。此事影响很大。"
    assert [p[:2] for p in extract_points(listed)] == ["1、", "2、", "3、"]
    assert len(extract_points("一是补发工资，二是补缴社保。三是公开考核。")) == 3
    # Numbers inside text are not items.
    assert len(extract_points("工资3.5万元未发，请求补发。2023年1月起未缴社保。")) == 1


def test_a_reply_that_answers_only_the_first_demand_is_flagged():
    petition = "要求补发7月至9月夜班补贴，并为我们补缴社保。"
    base = "根据《公司薪酬管理办法》第十二条规定，夜班补贴已于10月补发。如不服，可自收到本意见之日起30日内申请复查。"
    r = check_reply(petition, base)
    assert r.missing == ["points"] and "补缴社保" in r.elements["points"].detail
    assert r.elements["points"].score == 0.5
    assert check_reply(petition, base + "社保已按规定补缴。").ok


def test_a_bare_verb_after_and_carries_on_the_demand_before_it():
    # "核实并补发": one demand (verify, and pay what is found owing), not a second point "补发".
    petition = "检修车间夜班补贴未发放，请公司核实并补发。"
    assert extract_points(petition) == ["请公司核实并补发。"]
    reply = "经核实，依据公司《薪酬管理办法》第十二条，夜班补贴已补发。如不服，可自收到之日起30日内申请复核。"
    assert check_reply(petition, reply).ok
    # What the demand is about is the payment, not the verifying: a reply that only verified misses it.
    r = check_reply(petition, reply.replace("夜班补贴已补发", "维持原答复"))
    assert r.missing == ["points"] and "补发" in r.elements["points"].detail


def test_asking_for_a_reply_is_not_a_point_and_handling_words_are_not_required():
    petition = "食堂饭菜涨价三成。恳请公司督促后勤降价。我也愿意配合调查核实，希望能尽快得到答复。"
    assert extract_points(petition) == ["恳请公司督促后勤降价。"]
    reply = "后勤服务中心自12月起降价。依据《食堂管理办法》第三条。如不服，可自收到之日起30日内申请复查。"
    r = check_reply(petition, reply)
    assert r.ok, r.as_dict()  # 恳请, 公司 and 督促 are not words the reply must repeat


def test_courtesy_is_not_a_point_to_answer():
    """Found in a walk-through: "这次通过匿名方式反映问题，请多包涵" and "恳请领导在百忙之中予以关注" were listed
    as points the reply left unanswered."""
    petition = "这次通过匿名方式反映问题，请多包涵。恳请领导在百忙之中予以关注。要求补发夜班补贴。"
    assert extract_points(petition) == ["要求补发夜班补贴。"]


def test_a_template_blank_is_named_as_it_stands_in_the_text():
    """Found in a walk-through: the message read "XXX/××“XX”，【】占位“【】”", the checker's own pattern names."""
    detail = check_reply("要求补发夜班补贴。", "经核实，夜班补贴已于XX月补发。联系人：【】").elements["blanks"].detail
    assert detail == "答复中留有未填写的模板内容：“XX”、“【】”，请填写。"


def test_a_placeholder_name_or_unit_is_a_blank():
    """Found in a walk-through: "某某同志", "某某部门" were not reported as blanks, nor a salutation whose name is
    a placeholder ("贾某某同志：", "贾ＸＸ同志：" typed in full width)."""
    for reply, blank in (
        ("某某同志：\n经核实，夜班补贴已补发。", "某某同志"),
        ("贾某某同志：\n经核实，夜班补贴已补发。", "贾某某同志"),
        ("尊敬的贾XX同志：\n经核实，夜班补贴已补发。", "贾XX同志"),
        ("贾ＸＸ同志：\n经核实，夜班补贴已补发。", "贾ＸＸ同志"),
        ("经核实，夜班补贴已由某某部门补发。", "某某部门"),
        ("经核实，夜班补贴已补发，请某某同志签收。", "某某同志"),
        ("经核实，夜班补贴已补发。联系电话：0914-XXXXXXX。", "XXXXXXX"),
    ):
        detail = check_reply("要求补发夜班补贴。", reply).elements["blanks"].detail
        assert detail == f"答复中留有未填写的模板内容：“{blank}”，请填写。", reply


def test_anonymised_names_and_codes_are_no_blanks():
    """A surname with 某某 masks a real person as published replies do ("王某某"), a single 某 is a word
    ("王某", "某公司"); x in a web address or a code, a cited form's own title and a document number in 【】
    are no blanks (all found in the Shangluo and taidi replies)."""
    for reply in (
        "经核实，王某某和马某某反映的夜班补贴已补发，某公司已整改，王某已签收。",
        "详见http://www.shangluo.gov.cn/zmhd/ldxxxx.jsp?urltype=1。",
        "该企业统一社会信用代码为91611021MA70XXCR7X。",
        "搬迁户应填写《商洛市XX县（区）跨区域安置移民搬迁申请审批表》。",
        "根据【楚发改价（2017）771号】文件规定执行。",
    ):
        assert check_reply("要求补发夜班补贴。", reply).elements["blanks"].ok, reply
    assert not check_reply("要求补发夜班补贴。", "根据【文号】文件规定执行。").elements["blanks"].ok


def test_how_the_letter_came_is_not_a_point_even_before_a_plea():
    """Found in a walk-through: "大家商量后联名写了这封信，恳请领导关注" was glued into one point, and the
    reply was told it left 商量、联名、封信 unanswered."""
    letter = (
        "我们50名职工都在一厂检修车间工作，多数人工龄在20年以上。大家商量后联名写了这封信，恳请领导关注。"
        "今年五月起夜班补贴停发，要求恢复夜班补贴。"
    )
    points = extract_points(letter)
    assert points == ["要求恢复夜班补贴。"]
    # A short demand still takes the clause before it when it names a matter of its own.
    assert extract_points("拖欠三个月工资，请尽快补发。") == ["拖欠三个月工资，请尽快补发。"]


def test_a_missing_element_is_explained_without_repeating_its_name():
    """Found in a walk-through: the form read "引用政策或制度依据：未引用政策或制度依据：请写明……", the element's
    name said twice; the explanation follows the name, so it says what to do."""
    r = check_reply(PETITION, "")
    assert r.elements["basis"].detail.startswith("答复未写明依据，请注明")
    assert not r.elements["next_step"].detail.startswith("未告知救济途径和期限")


def test_the_next_right_is_reported_in_plain_words():
    """Found in a walk-through: "已告知救济途径（复查）及期限（之日起30日）" (the matched fragments)."""

    def detail(sentence):
        return (
            check_reply(PETITION, COMPLETE.replace(COMPLETE.split("。")[-2] + "。", sentence))
            .elements["next_step"]
            .detail
        )

    assert (
        check_reply(PETITION, COMPLETE).elements["next_step"].detail == "已告知可申请复查及期限（收到之日起30日内）。"
    )
    assert (
        detail("如对本答复不服，可在收到之日起15日内向本单位申请复查。")
        == "已告知可申请复查及期限（收到之日起15日内）。"
    )
    assert detail("如不服，可在三十日内申请复核。") == "已告知可申请复核及期限（30日内）。"
    assert detail("如不服，可依法提起诉讼，期限为15个工作日。") == "已告知可提起诉讼及期限（15个工作日内）。"
    # The right the petitioner is told, not a review that took place.
    assert detail("你于10月3日申请复查。如不服，可申请复核。").startswith("已告知可申请复核，但未写明期限")


def test_stated_periods_are_read_from_sentences_that_ask_for_a_review():
    from huiyin.nlp.replycheck import StatedPeriod, stated_periods

    assert stated_periods("如对本答复不服，可在收到之日起15日内向本单位申请复查。") == [
        StatedPeriod(remedy="复查", days=15, unit="日", from_receipt=True)
    ]
    assert [p.text for p in stated_periods("如不服，可在三十日内提出复核申请。")] == ["30日"]
    assert [p.text for p in stated_periods("如不服，可于十个工作日内申请复查。")] == ["10个工作日"]
    assert [p.text for p in stated_periods("如不服，可在一个月内申请复查。")] == ["1个月"]
    # A review that took place, or a right without a time limit, states no period.
    assert stated_periods("你于2025年10月3日申请复查。如不服，可申请复核。") == []


def test_what_others_said_or_demanded_is_not_a_demand_of_the_petitioner():
    """Found in a walk-through: "项目部均称资金紧张，要求等待。" was taken as the petitioner's demand and reported
    unanswered. What someone else said (……称/说/回复说……) or demanded of the petitioner (对方要求我们……) is
    narrative; the petitioner's own demands around it stay."""
    petition = (
        "我们在三号项目部干了半年，工资至今未结清。多次找项目部讨要，项目部均称资金紧张，要求等待。"
        "要求公司补发拖欠的工资。"
    )
    assert extract_points(petition) == ["要求公司补发拖欠的工资。"]
    reply = "经核实，拖欠工资已于11月补发。依据《工资支付规定》第九条。如不服，可自收到之日起30日内申请复查。"
    assert check_reply(petition, reply).elements["points"].ok
    for text, demand in [
        ("对方要求我们签字放弃加班费，我们没有同意。请求公司补发加班费。", "请求公司补发加班费。"),
        ("单位要求我们自行承担体检费用。希望公司报销体检费用。", "希望公司报销体检费用。"),
        ("车间主任称这是公司规定，希望我们理解。要求恢复夜班补贴。", "要求恢复夜班补贴。"),
        ("人事部门回复说要等集团批复，尽快办理。要求尽快办理退休手续。", "要求尽快办理退休手续。"),
    ]:
        assert extract_points(text) == [demand], text


def test_the_petitioners_own_demands_around_a_report_are_kept():
    # The report ends where the petitioner turns back: a contrast, their own subject, a plea to an authority.
    assert extract_points("领导说会研究，但至今没有下文，希望尽快解决宿舍漏水问题。") == ["希望尽快解决宿舍漏水问题。"]
    # (A short plea keeps the clause before it, reported or not, as what it is about.)
    assert extract_points("保卫科说他们管不了，希望有关部门为我们做主。")[0].endswith("希望有关部门为我们做主。")
    assert extract_points("我们表示不同意，要求恢复原岗位。") == ["要求恢复原岗位。"]
    # A demand before the reporting word, and a request to be told, are the petitioner's.
    assert extract_points("要求公司答复说明扣款原因。") == ["要求公司答复说明扣款原因。"]
    assert extract_points("麻烦告知一下申请流程。") == ["麻烦告知一下申请流程。"]
    assert extract_points("要求我们车间的夜班补贴按时发放。") == ["要求我们车间的夜班补贴按时发放。"]


def test_a_negated_or_merging_and_joins_no_demand():
    # "并没有……" tells what did not happen, and 并入 is one word ("merge into"): neither adds a demand.
    assert extract_points("要求增设人行天桥，并没有任何回音。") == ["要求增设人行天桥"]
    assert extract_points("希望把宿舍楼并入改造计划。") == ["希望把宿舍楼并入改造计划。"]


def test_when_and_how_a_demand_asks_are_no_words_to_answer():
    """Found in a walk-through: the points left unanswered were listed with 早日, 今后, 书面, words that no reply
    needs to repeat; the list names the matter only."""
    reply = "经核实，食堂菜价已恢复原价。"
    for petition, missing in (
        ("恳请早日解决宿舍漏水。", "宿舍、漏水"),
        ("希望今后书面答复考核结果。", "考核"),
        ("要求今后以书面形式公示考核结果。", "公示、考核"),
        ("到底是否合法？", "合法"),
    ):
        detail = check_reply(petition, reply).elements["points"].detail
        assert detail.endswith(f"（未涉及：{missing}）。"), detail
