from huiyin.nlp.keyword_rules import DEFAULT_CATEGORIES, OTHER, category_names, keyword_predict


def test_default_categories_are_complete_data():
    codes = [c["code"] for c in DEFAULT_CATEGORIES]
    assert codes == [
        "wages",
        "social_insurance",
        "restructuring",
        "housing",
        "work_injury",
        "discipline",
        "labour_contract",
        "safety",
        "canteen_welfare",
        "management",
        "retirees",
        "other",
    ]
    for c in DEFAULT_CATEGORIES:
        assert c["name_zh"] and c["name_en"]
        assert c["code"] == OTHER or len(c["keywords"]) >= 10
    assert category_names()["wages"] == "工资薪酬/欠薪"


def test_keyword_predict_reasons_are_matched_keywords():
    p = keyword_predict("公司拖欠工资三个月", "车间职工多次讨薪未果")
    assert p.label == "wages" and p.source == "keywords"
    terms = [t for t, _ in p.reasons]
    assert "拖欠工资" in terms and "讨薪" in terms
    assert 0 < p.confidence <= 1


def test_keyword_predict_other_without_hits_and_custom_list():
    assert keyword_predict("", "今天天气不错").label == OTHER
    cats = [{"code": "a", "keywords": ["苹果"]}, {"code": "b", "keywords": ["香蕉"]}]
    assert keyword_predict("香蕉", "", categories=cats).label == "b"


def test_each_category_has_a_typical_case():
    cases = {
        "social_insurance": "单位没有给我缴纳养老保险，社保断缴",
        "restructuring": "企业改制时买断工龄的经济补偿金没有给足",
        "housing": "住房公积金一直没有缴存，集资房产权证办不下来",
        "work_injury": "我在车间受伤，工伤认定一直没办",
        "discipline": "实名举报车间主任贪污受贿",
        "labour_contract": "劳务派遣工干了五年还不签劳动合同",
        "safety": "井下安全隐患严重，违章指挥",
        "canteen_welfare": "食堂饭菜又贵又难吃",
        "retirees": "退休人员的养老金调整没有落实",
    }
    for code, text in cases.items():
        assert keyword_predict(text, "").label == code, text
