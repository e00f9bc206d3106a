"""A starter knowledge base: a few policy articles and FAQs an office can edit or replace in the admin.

`knowledge_seed()` is idempotent (keyed by slug) and never overwrites an article an office has edited.
"""

from __future__ import annotations

from huiyin.cases.models import Category
from huiyin.portal.models import KnowledgeArticle, KnowledgeKind

ARTICLES: list[dict] = [
    {
        "slug": "how-we-handle-matters",
        "kind": KnowledgeKind.ARTICLE,
        "title": "信访事项怎么办理：受理、办理、答复的时限",
        "category": None,
        "sort": 10,
        "body": (
            "依照《信访工作条例》，信访工作机构收到信访事项后，应当在15日内分别按规定登记、转送、交办，"
            "或者告知信访人不予受理的理由。\n\n"
            "受理后，承办单位应当自受理之日起60日内办结并书面答复；情况复杂的，经批准可以适当延长，"
            "延长期限不超过30日，并告知信访人延期理由。\n\n"
            "对答复意见不服的，可以自收到书面答复之日起30日内请求复查；对复查意见不服的，"
            "可以自收到复查意见之日起30日内请求复核。复核意见为终结意见。"
        ),
    },
    {
        "slug": "anonymous-and-confidential",
        "kind": KnowledgeKind.ARTICLE,
        "title": "匿名反映与信息保密",
        "category": None,
        "sort": 20,
        "body": (
            "您可以实名反映，也可以匿名反映。匿名提交后，系统只给您一个受理回执码，"
            "我们不知道您是谁；请妥善保存回执码，它是查询进度、与承办人沟通、评价答复的唯一凭证。\n\n"
            "实名信息加密保存，只有经授权的工作人员在说明理由后才能查看，每次查看都有记录。"
            "检举控告材料不得透露或者转给被检举控告的人员和单位。"
            "任何组织和个人不得打击报复信访人。"
        ),
    },
    {
        "slug": "wage-arrears",
        "kind": KnowledgeKind.ARTICLE,
        "title": "工资、加班费未按时足额发放怎么办",
        "category": "wages",
        "sort": 30,
        "body": (
            "用人单位应当按照劳动合同约定和国家规定，及时足额支付劳动报酬。"
            "安排加班的，应当按规定支付加班工资。\n\n"
            "反映此类问题时，请写明所在单位、涉及月份、应发与实发金额，"
            "如有工资条、考勤记录等材料可一并上传。\n\n"
            "此类争议也可以依法申请劳动争议调解、仲裁。"
        ),
    },
    {
        "slug": "social-insurance",
        "kind": KnowledgeKind.ARTICLE,
        "title": "社会保险缴纳与查询",
        "category": "social_insurance",
        "sort": 40,
        "body": (
            "用人单位应当依法为职工缴纳基本养老、医疗、失业、工伤、生育保险。"
            "职工可以通过当地社保经办机构或官方渠道查询个人缴费记录。\n\n"
            "如发现漏缴、少缴，请写明时间段和核对结果。"
        ),
    },
    {
        "slug": "faq-receipt-lost",
        "kind": KnowledgeKind.FAQ,
        "title": "回执码丢了怎么办？",
        "category": None,
        "sort": 110,
        "body": (
            "回执码只显示一次，系统不保存明文，工作人员也无法查到。"
            "实名反映的，可以携带身份证明到信访办现场补办新的回执码（原回执码随即失效）；"
            "也可以用员工账号登录后在“我的事项”中查看。匿名反映的回执码无法补办。"
        ),
    },
    {
        "slug": "faq-how-long",
        "kind": KnowledgeKind.FAQ,
        "title": "多久能收到答复？",
        "category": None,
        "sort": 120,
        "body": "一般自受理之日起60日内书面答复；需要延期的，最多延长30日，并会告诉您理由。",
    },
    {
        "slug": "faq-not-satisfied",
        "kind": KnowledgeKind.FAQ,
        "title": "对答复不满意怎么办？",
        "category": None,
        "sort": 130,
        "body": "可以在收到答复之日起30日内，在本页面凭回执码请求复查；对复查意见不满意的，可在30日内请求复核。",
    },
    {
        "slug": "faq-which-type",
        "kind": KnowledgeKind.FAQ,
        "title": "“建议意见”“检举控告”“申诉求决”有什么区别？",
        "category": None,
        "sort": 140,
        "body": (
            "建议意见：对单位工作提出建议和意见。\n"
            "检举控告：反映工作人员的违纪违法行为，由纪检监察机构办理。\n"
            "申诉求决：维护自身合法权益的诉求，例如工资、社保、劳动合同。"
        ),
    },
]


def knowledge_seed() -> int:
    """Create the starter articles that do not exist yet; return how many were created."""
    created = 0
    for item in ARTICLES:
        category = Category.objects.filter(code=item["category"]).first() if item["category"] else None
        _article, was_created = KnowledgeArticle.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "kind": item["kind"],
                "title": item["title"],
                "body": item["body"],
                "category": category,
                "sort": item["sort"],
                "published": True,
            },
        )
        created += int(was_created)
    return created
