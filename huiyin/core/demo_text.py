"""Deterministic Chinese demo content for Huiyin: an organisation tree, staff accounts and petition matters.

Pure Python, no Django import. Every generator takes a ``random.Random`` instance, so the same seed always
yields the same output. All enterprises, units, people and numbers are fictional:

* the group, its companies and plants are invented names;
* person names are random surname + given-name combinations;
* ID numbers use the unassigned province code ``00`` (so they cannot belong to anyone) but are otherwise
  well formed, with a valid GB 11643 check digit;
* accusations name roles ("某副厂长"), never people.

Letters (``content``) and replies (``reply``) carry no petitioner identity (no name, phone or number), so a
pseudonymised case view stays pseudonymous; identity lives only in the ``petitioner`` dict.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "CATEGORIES",
    "GROUP_NAME",
    "ORG_TREE",
    "RATINGS",
    "ROLES",
    "STAFF",
    "TYPES",
    "id_number_checksum",
    "id_number_is_valid",
    "iter_units",
    "make_extension_reason",
    "make_forward_target",
    "make_forwarded_source",
    "make_id_number",
    "make_issue_group",
    "make_matter",
    "make_message_pair",
    "make_not_accepted_reason",
    "make_person_name",
    "make_petitioner",
    "make_plan",
    "make_rating_comment",
    "make_redirect_reason",
    "make_review_reason",
    "make_team",
    "unit_by_code",
]

# --------------------------------------------------------------------------------------------------
# Codes shared with the application
# --------------------------------------------------------------------------------------------------

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("wages", "工资薪酬"),
    ("social_insurance", "社会保险"),
    ("restructuring", "改制重组与经济补偿"),
    ("housing", "住房与公积金"),
    ("work_injury", "工伤与职业病"),
    ("discipline", "违纪违法检举"),
    ("labour_contract", "劳动合同与用工"),
    ("safety", "安全生产"),
    ("canteen_welfare", "食堂与职工福利"),
    ("retirees", "离退休待遇"),
    ("management", "经营管理建议"),
    ("other", "其他"),
)

TYPES: tuple[tuple[str, str], ...] = (
    ("suggestion", "建议意见"),
    ("accusation", "检举控告"),
    ("claim", "申诉求决"),
)

RATINGS: tuple[tuple[str, str], ...] = (
    ("satisfied", "满意"),
    ("basically_satisfied", "基本满意"),
    ("dissatisfied", "不满意"),
)

ROLES: tuple[tuple[str, str], ...] = (
    ("clerk", "登记员"),
    ("office", "信访办"),
    ("handler", "承办人"),
    ("leader", "包案领导"),
    ("discipline", "纪检监察"),
    ("custodian", "身份保管人"),
    ("executive", "领导层"),
    ("auditor", "审计员"),
)

_CATEGORY_CODES = tuple(code for code, _name in CATEGORIES)
_TYPE_CODES = tuple(code for code, _name in TYPES)

# --------------------------------------------------------------------------------------------------
# Organisation tree
# --------------------------------------------------------------------------------------------------

GROUP_NAME = "衡兴能源集团有限公司"
_GROUP_PETITION_OFFICE = "衡兴能源集团有限公司群众工作部"
_GROUP_DISCIPLINE = "衡兴能源集团有限公司纪委"


def _u(code: str, name: str, kind: str, *children: dict[str, Any], petition_office: bool = False) -> dict[str, Any]:
    return {"code": code, "name": name, "kind": kind, "petition_office": petition_office, "children": list(children)}


def _d(code: str, name: str, *, petition_office: bool = False) -> dict[str, Any]:
    return _u(code, name, "department", petition_office=petition_office)


def _company_departments(prefix: str, *, safety_name: str = "安全环保部") -> list[dict[str, Any]]:
    return [
        _d(f"{prefix}-HR", "人力资源部"),
        _d(f"{prefix}-FIN", "财务部"),
        _d(f"{prefix}-SAFE", safety_name),
        _d(f"{prefix}-UNION", "工会"),
        _d(f"{prefix}-DISC", "纪委办公室"),
        _d(f"{prefix}-PETN", "信访办公室", petition_office=True),
    ]


ORG_TREE: dict[str, Any] = _u(
    "HX",
    GROUP_NAME,
    "group",
    _d("HX-GO", "办公室"),
    _d("HX-HR", "人力资源部"),
    _d("HX-FIN", "财务部"),
    _d("HX-SAFE", "安全环保部"),
    _d("HX-AUDIT", "审计部"),
    _d("HX-UNION", "工会"),
    _d("HX-DISC", "纪委办公室"),
    _d("HX-PETN", "群众工作部（信访办公室）", petition_office=True),
    _u(
        "HX-PWR",
        "衡兴发电有限公司",
        "company",
        *_company_departments("HX-PWR"),
        _u(
            "HX-PWR-P1",
            "青石湾发电厂",
            "branch",
            _d("HX-PWR-P1-HR", "人力资源部"),
            _d("HX-PWR-P1-OPS", "运行部"),
            _d("HX-PWR-P1-MAINT", "设备检修部"),
            _d("HX-PWR-P1-FUEL", "燃料部"),
            _d("HX-PWR-P1-SAFE", "安全环保部"),
            _d("HX-PWR-P1-SVC", "后勤服务中心"),
        ),
        _u(
            "HX-PWR-P2",
            "北岭热电厂",
            "branch",
            _d("HX-PWR-P2-HR", "人力资源部"),
            _d("HX-PWR-P2-OPS", "运行部"),
            _d("HX-PWR-P2-MAINT", "设备检修部"),
            _d("HX-PWR-P2-HEAT", "供热车间"),
            _d("HX-PWR-P2-SVC", "后勤服务中心"),
        ),
        _u(
            "HX-PWR-NE",
            "新能源分公司",
            "branch",
            _d("HX-PWR-NE-MON", "集中监控中心"),
            _d("HX-PWR-NE-OM", "风电运维部"),
        ),
    ),
    _u(
        "HX-MINE",
        "衡兴煤业有限责任公司",
        "company",
        *_company_departments("HX-MINE", safety_name="安全监察部"),
        _u(
            "HX-MINE-M1",
            "黑石岭煤矿",
            "branch",
            _d("HX-MINE-M1-HR", "劳资科"),
            _d("HX-MINE-M1-FM", "综采一队"),
            _d("HX-MINE-M1-DEV", "掘进二队"),
            _d("HX-MINE-M1-MECH", "机电运输队"),
            _d("HX-MINE-M1-VENT", "通风区"),
            _d("HX-MINE-M1-SVC", "后勤服务中心"),
        ),
        _u(
            "HX-MINE-M2",
            "鹰嘴山煤矿",
            "branch",
            _d("HX-MINE-M2-HR", "劳资科"),
            _d("HX-MINE-M2-FM", "综采队"),
            _d("HX-MINE-M2-DEV", "掘进队"),
            _d("HX-MINE-M2-MECH", "机电运输队"),
            _d("HX-MINE-M2-SVC", "后勤服务中心"),
        ),
        _u(
            "HX-MINE-CP",
            "黑石岭选煤厂",
            "branch",
            _d("HX-MINE-CP-PROD", "生产车间"),
            _d("HX-MINE-CP-QC", "质量检验站"),
        ),
    ),
    _u(
        "HX-ENG",
        "衡兴建设工程有限公司",
        "company",
        *_company_departments("HX-ENG"),
        _u(
            "HX-ENG-PJ1",
            "南港储运基地项目部",
            "branch",
            _d("HX-ENG-PJ1-TECH", "工程技术部"),
            _d("HX-ENG-PJ1-SITE", "综合施工队"),
            _d("HX-ENG-PJ1-MAT", "物资设备部"),
        ),
        _u(
            "HX-ENG-PJ2",
            "东山光伏电站项目部",
            "branch",
            _d("HX-ENG-PJ2-TECH", "工程技术部"),
            _d("HX-ENG-PJ2-SITE", "综合施工队"),
        ),
        _u(
            "HX-ENG-MECH",
            "机械化施工分公司",
            "branch",
            _d("HX-ENG-MECH-HR", "综合管理部"),
            _d("HX-ENG-MECH-REPAIR", "设备维修车间"),
            _d("HX-ENG-MECH-HOIST", "吊装作业队"),
        ),
    ),
    _u(
        "HX-LOG",
        "衡兴物流有限公司",
        "company",
        *_company_departments("HX-LOG"),
        _u(
            "HX-LOG-RAIL",
            "铁路运输分公司",
            "branch",
            _d("HX-LOG-RAIL-LOAD", "装卸车间"),
            _d("HX-LOG-RAIL-DISP", "调度室"),
        ),
        _u(
            "HX-LOG-PORT",
            "港口储运分公司",
            "branch",
            _d("HX-LOG-PORT-YARD", "堆场作业区"),
            _d("HX-LOG-PORT-FORK", "叉车队"),
            _d("HX-LOG-PORT-SVC", "后勤服务中心"),
        ),
    ),
)


def iter_units(tree: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Yield every unit, parents before children, as a flat dict.

    Keys: ``code``, ``name``, ``kind``, ``petition_office``, ``parent`` (parent code or None), ``depth``.
    """

    def walk(node: dict[str, Any], parent: str | None, depth: int) -> Iterator[dict[str, Any]]:
        yield {
            "code": node["code"],
            "name": node["name"],
            "kind": node["kind"],
            "petition_office": node["petition_office"],
            "parent": parent,
            "depth": depth,
        }
        for child in node["children"]:
            yield from walk(child, node["code"], depth + 1)

    yield from walk(tree or ORG_TREE, None, 0)


_UNITS: dict[str, dict[str, Any]] = {unit["code"]: unit for unit in iter_units()}


def unit_by_code(code: str) -> dict[str, Any]:
    """The flat unit dict of ``iter_units`` for a code; KeyError if unknown."""
    return dict(_UNITS[code])


def _ancestors(code: str) -> list[str]:
    """Codes from the root down to ``code`` inclusive."""
    chain = []
    current: str | None = code
    while current is not None:
        chain.append(current)
        current = _UNITS[current]["parent"]
    return chain[::-1]


def _children(code: str, kind: str) -> list[str]:
    return [u["code"] for u in _UNITS.values() if u["parent"] == code and u["kind"] == kind]


# --------------------------------------------------------------------------------------------------
# Staff accounts
# --------------------------------------------------------------------------------------------------


def _staff(username: str, name: str, role: str, unit: str, department: str | None, title: str) -> dict[str, Any]:
    return {"username": username, "name": name, "role": role, "unit": unit, "department": department, "title": title}


# ``unit`` is the scope root (the user sees that unit's subtree); ``department`` is where the person sits.
STAFF: list[dict[str, Any]] = [
    # group level
    _staff("clerk", "周晓雯", "clerk", "HX", "HX-PETN", "群众工作部信访登记员"),
    _staff("office", "郑立群", "office", "HX", "HX-PETN", "群众工作部副主任"),
    # Two of the handlers, leaders and discipline officers: the group reviews its companies' decisions and
    # re-reviews their reviews, with people who took no part in an earlier stage (Arts. 35, 36).
    _staff("handler", "何嘉宁", "handler", "HX", "HX-HR", "人力资源部劳动关系主管"),
    _staff("handler2", "陆文博", "handler", "HX", "HX-HR", "人力资源部薪酬福利主管"),
    _staff("leader", "邵建国", "leader", "HX", None, "集团公司副总经理"),
    _staff("leader2", "冯立本", "leader", "HX", None, "集团公司总经理助理"),
    _staff("discipline", "韦思远", "discipline", "HX", "HX-DISC", "纪委办公室副主任"),
    _staff("discipline2", "严守正", "discipline", "HX", "HX-DISC", "纪委办公室审查调查室主任"),
    _staff("custodian", "钱慧敏", "custodian", "HX", "HX-GO", "办公室保密管理主管"),
    _staff("executive", "顾承志", "executive", "HX", None, "集团公司党委副书记、总经理"),
    _staff("auditor", "林书瑶", "auditor", "HX", "HX-AUDIT", "审计部高级审计师"),
    # 衡兴发电
    _staff("pwr_clerk", "陶雨桐", "clerk", "HX-PWR", "HX-PWR-PETN", "信访办公室信访专员"),
    _staff("pwr_office", "贺文涛", "office", "HX-PWR", "HX-PWR-PETN", "信访办公室主任"),
    _staff("pwr_handler", "苏敏", "handler", "HX-PWR", "HX-PWR-HR", "人力资源部劳动关系主管"),
    _staff("pwr_leader", "龚志刚", "leader", "HX-PWR", None, "副总经理"),
    _staff("pwr_discipline", "蓝秋实", "discipline", "HX-PWR", "HX-PWR-DISC", "纪委办公室主任"),
    _staff("pwr_executive", "欧阳振华", "executive", "HX-PWR", None, "党委书记、执行董事"),
    _staff("p1_handler", "包晓东", "handler", "HX-PWR-P1", "HX-PWR-P1-HR", "青石湾发电厂人力资源部主管"),
    _staff("p1_leader", "曹永和", "leader", "HX-PWR-P1", None, "青石湾发电厂副厂长"),
    # 衡兴煤业
    _staff("mine_clerk", "任春燕", "clerk", "HX-MINE", "HX-MINE-PETN", "信访办公室信访专员"),
    _staff("mine_office", "武国梁", "office", "HX-MINE", "HX-MINE-PETN", "信访办公室主任"),
    _staff("mine_handler", "葛瑞霖", "handler", "HX-MINE", "HX-MINE-HR", "人力资源部薪酬主管"),
    _staff("mine_leader", "常德胜", "leader", "HX-MINE", None, "副总经理"),
    _staff("mine_discipline", "邓静怡", "discipline", "HX-MINE", "HX-MINE-DISC", "纪委办公室副主任"),
    _staff("m1_handler", "石振宇", "handler", "HX-MINE-M1", "HX-MINE-M1-HR", "黑石岭煤矿劳资科科长"),
    _staff("m1_leader", "牛宝山", "leader", "HX-MINE-M1", None, "黑石岭煤矿副矿长"),
    # 衡兴建设
    _staff("eng_clerk", "孔佳琪", "clerk", "HX-ENG", "HX-ENG-PETN", "信访办公室信访专员"),
    _staff("eng_office", "袁晨阳", "office", "HX-ENG", "HX-ENG-PETN", "信访办公室主任"),
    _staff("eng_handler", "骆一鸣", "handler", "HX-ENG", "HX-ENG-HR", "人力资源部劳务管理主管"),
    _staff("eng_leader", "聂卫东", "leader", "HX-ENG", None, "副总经理"),
    _staff("eng_discipline", "白松涛", "discipline", "HX-ENG", "HX-ENG-DISC", "纪委办公室主任"),
    # 衡兴物流
    _staff("log_office", "宁海燕", "office", "HX-LOG", "HX-LOG-PETN", "信访办公室主任"),
    _staff("log_handler", "江恒远", "handler", "HX-LOG", "HX-LOG-HR", "人力资源部主管"),
    _staff("log_leader", "段国强", "leader", "HX-LOG", None, "副总经理"),
]

# --------------------------------------------------------------------------------------------------
# Industry profiles: the vocabulary that makes a letter sound like it comes from a plant, a mine, a site
# --------------------------------------------------------------------------------------------------

# Department suffix → work groups inside the department (not org units), each with the jobs found there.
_TeamJobs = tuple[tuple[str, tuple[str, ...]], ...]
_TEAMS: dict[str, dict[str, _TeamJobs]] = {
    "HX-PWR": {
        "OPS": (
            ("集控运行一值", ("集控值班员", "锅炉巡检员")),
            ("集控运行二值", ("集控值班员", "汽机巡检员")),
            ("集控运行三值", ("集控值班员", "电气巡检员")),
            ("集控运行四值", ("集控值班员", "锅炉巡检员")),
            ("辅控运行班", ("辅控值班员", "脱硫运行值班员")),
        ),
        "MAINT": (
            ("电气检修班", ("电气检修工",)),
            ("汽机检修班", ("汽机检修工",)),
            ("锅炉检修班", ("锅炉检修工", "焊工")),
            ("热控检修班", ("热工仪表检修工",)),
        ),
        "FUEL": (("输煤运行班", ("输煤值班员",)), ("卸煤作业班", ("卸车工",)), ("燃料采制样班", ("采制样工",))),
        "HEAT": (("热网运行班", ("热网值班员",)), ("换热站维护班", ("管道检修工",))),
        "SVC": (("职工食堂", ("炊事员",)), ("宿舍管理组", ("宿舍管理员",)), ("通勤车队", ("班车驾驶员",))),
        "MON": (("集中监控值班组", ("监控值班员",)),),
        "OM": (("风机运维一班", ("风机检修工",)), ("风机运维二班", ("风机检修工",)), ("光伏运维班", ("光伏运维工",))),
    },
    "HX-MINE": {
        "FM": (
            ("生产一班", ("采煤机司机", "支架工")),
            ("生产二班", ("采煤机司机", "支架工")),
            ("生产三班", ("支架工", "输送机司机")),
            ("检修班", ("综采维修电工", "综采钳工")),
        ),
        "DEV": (
            ("掘进一班", ("掘进机司机", "掘进工")),
            ("掘进二班", ("掘进机司机", "掘进工")),
            ("锚护班", ("锚杆支护工",)),
        ),
        "MECH": (("主运输皮带班", ("皮带司机",)), ("提升机班", ("提升机司机",)), ("井下电工班", ("井下电工",))),
        "VENT": (("测风班", ("测风工",)), ("瓦斯检查班", ("瓦斯检查工",)), ("防突班", ("防突工",))),
        "SVC": (("职工食堂", ("炊事员",)), ("矿灯房", ("矿灯管理工",)), ("浴室洗衣房", ("浴室服务员",))),
        "PROD": (("重介分选班", ("重介司机",)), ("浮选班", ("浮选司机",)), ("压滤班", ("压滤机司机",))),
        "QC": (("采制化班", ("煤质化验员",)),),
    },
    "HX-ENG": {
        "TECH": (("测量组", ("测量员",)), ("技术质量组", ("质检员", "施工员")), ("试验室", ("试验员",))),
        "SITE": (
            ("钢筋班组", ("钢筋工", "电焊工")),
            ("木工班组", ("木工",)),
            ("混凝土班组", ("混凝土工",)),
            ("架子工班组", ("架子工",)),
        ),
        "MAT": (("材料库", ("材料员",)), ("设备管理组", ("设备管理员",))),
        "REPAIR": (("工程机械维修班", ("机械修理工", "电焊工")), ("汽车修理班", ("汽车修理工",))),
        "HOIST": (("履带吊机组", ("起重机司机",)), ("汽车吊机组", ("起重机司机",)), ("信号司索班", ("司索信号工",))),
    },
    "HX-LOG": {
        "LOAD": (("装卸一班", ("装卸工",)), ("装卸二班", ("装卸工",)), ("机械装车班", ("装载机司机",))),
        "DISP": (("运输调度组", ("调度员",)), ("货运计划组", ("货运计划员",))),
        "YARD": (
            ("堆场作业一班", ("堆取料机司机", "理货员")),
            ("堆场作业二班", ("堆取料机司机", "理货员")),
            ("理货班", ("理货员",)),
        ),
        "FORK": (("叉车一班", ("叉车司机",)), ("叉车二班", ("叉车司机",))),
        "SVC": (("职工食堂", ("炊事员",)), ("倒班宿舍", ("宿舍管理员",))),
    },
}

# Departments where production work happens; injuries, hazards and site orders are set there when possible.
_FRONTLINE = frozenset(
    {
        "OPS",
        "MAINT",
        "FUEL",
        "HEAT",
        "OM",
        "FM",
        "DEV",
        "MECH",
        "VENT",
        "PROD",
        "SITE",
        "REPAIR",
        "HOIST",
        "LOAD",
        "YARD",
        "FORK",
    }
)

# Vocabulary per company. Entries of ``hazards``, ``injuries``, ``hazard_ops`` and ``diseases`` start with the
# department suffixes they fit ("*" = any); ``_GENERIC`` covers departments no company entry fits.
_PROFILES: dict[str, dict[str, Any]] = {
    "HX-PWR": {
        "short": "衡兴发电",
        "output": "发电量",
        "env": "高温、粉尘、噪声",
        "allowances": ("夜班津贴", "高温津贴", "倒班补贴", "检修专项奖", "安全生产奖", "技能津贴"),
        "shifts": (("五班三倒", "四班三倒"), ("四班三倒", "三班两倒")),
        "hazards": (
            ("FUEL", "输煤栈桥3号皮带机尾部防护罩缺失，滚筒转动部位裸露", "皮带机防护罩缺失"),
            ("OPS MAINT", "锅炉零米层多处地沟盖板破损，夜间照明不足", "地沟盖板破损"),
            ("OPS MAINT", "氨区喷淋装置长期不能正常投用，泄漏报警仪显示异常", "氨区喷淋装置失效"),
            ("OPS MAINT", "2号机组高压加热器疏水管道明显泄漏，周围没有隔离措施", "高加疏水管道泄漏"),
            ("MAINT FUEL", "检修现场脚手架搭设后未经验收就投入使用", "脚手架未经验收使用"),
            ("HEAT", "热网首站换热器法兰漏汽，周围没有隔离措施", "换热器法兰漏汽"),
            ("OM MON", "风机塔筒爬梯防坠落装置多处损坏", "塔筒防坠装置损坏"),
            ("OM MON", "箱式变压器周边围栏缺失，警示标识不全", "箱变围栏缺失"),
        ),
        "injuries": (
            ("FUEL", "在处理输煤皮带跑偏时左手被托辊卷入", "左手中指、无名指开放性骨折"),
            ("OPS", "在锅炉零米层巡检时踩空破损的地沟盖板摔倒", "右小腿胫骨骨折"),
            ("MAINT", "在更换磨煤机衬板时被起吊的衬板碰伤", "左侧锁骨骨折"),
            ("MAINT OPS HEAT", "在处理汽水管道泄漏时被蒸汽烫伤", "双下肢二度烫伤"),
            ("OM", "在风机机舱内检修时右手被偏航齿轮挤伤", "右手两指骨折"),
            ("OM", "在攀爬风机塔筒时防坠器失灵坠落", "左踝关节骨折"),
        ),
        "hazard_ops": (
            ("MAINT OPS", "检修2号炉引风机", "办理工作票并执行停电、验电、挂牌"),
            ("MAINT OPS", "进入脱硫吸收塔内检查", "先进行气体检测并办理受限空间作业票"),
            ("MAINT OPS", "在带电的6千伏开关柜附近作业", "办理工作票并设置安全围栏"),
            ("FUEL", "在皮带机运行中清理托辊积煤", "停机停电并挂牌后清理"),
            ("HEAT", "在热网管道未泄压的情况下更换阀门", "先隔离泄压并办理工作票"),
            ("OM MON", "在风速超过规定值时登塔作业", "风速超过规定值时禁止登塔"),
            ("OM", "在未锁定叶轮的情况下进入轮毂作业", "先停机并锁定叶轮"),
        ),
        "diseases": (("OPS MAINT FUEL HEAT OM", "职业性噪声聋", "高强度噪声", "耳鸣、听力下降"),),
        "closure": "老旧机组关停",
        "asset_item": "两台仍可正常使用的给煤机和一批除尘器备件",
        "proj_items": ("2号机组脱硫系统改造", "输煤栈桥防腐", "厂区道路硬化"),
        "supplies": ("输煤皮带", "阀门备件", "润滑油", "劳保用品"),
        "posts": ("集控运行值班员", "热工检修技术员"),
        "incidents": ("设备误操作导致机组降负荷", "阀门误关导致给水泵跳闸"),
        "ppe": "防尘口罩和降噪耳塞",
        "mgmt_topics": ("检修计划管理", "设备缺陷闭环管理", "运行交接班管理"),
        "old_unit": "地方国营电厂",
        "old_sites": ("老厂区机修车间", "原一期煤场"),
    },
    "HX-MINE": {
        "short": "衡兴煤业",
        "output": "原煤产量",
        "env": "井下潮湿、粉尘大",
        "allowances": ("井下津贴", "夜班津贴", "班中餐补贴", "安全生产奖", "区队超产奖"),
        "shifts": (("四六制", "三八制"), ("三八制", "两班倒")),
        "hazards": (
            ("FM VENT", "综采工作面上隅角瓦斯浓度多次接近报警值，局部通风不畅", "上隅角瓦斯浓度偏高"),
            ("MECH FM", "主运输皮带巷积煤长期未清理，多处托辊卡死发热", "皮带巷积煤未清理"),
            ("FM DEV MECH VENT", "井下部分自救器超过检验有效期仍在发放使用", "自救器超期使用"),
            ("DEV", "掘进工作面临时支护不到位，顶板出现离层", "临时支护不到位"),
            ("MECH", "副井提升机制动系统异响，闸瓦磨损严重", "提升机制动异常"),
            ("PROD QC", "压滤车间检修平台护栏松动，地面长期积水积泥", "检修平台护栏松动"),
            ("PROD", "带式输送机拉线急停开关多处失灵", "急停开关失灵"),
        ),
        "injuries": (
            ("FM", "在综采工作面处理片帮时被掉落的煤块砸伤", "腰椎压缩性骨折"),
            ("MECH", "在运输巷检修皮带机时右臂被卷入滚筒", "右前臂尺桡骨骨折"),
            ("DEV", "在掘进工作面打锚杆时被断裂的钻杆击伤", "右手掌挫裂伤、两指骨折"),
            ("FM DEV MECH VENT", "在井下搬运支架配件时被挤伤", "左足跟骨骨折"),
            ("PROD", "在清理压滤机滤板时右手被挤伤", "右手中指骨折"),
        ),
        "hazard_ops": (
            ("FM", "处理综采工作面局部冒顶", "先支护后作业，并由瓦斯检查员现场检查"),
            ("FM DEV VENT", "在瓦斯浓度超限的巷道内继续作业", "立即停止作业、撤出人员"),
            ("FM MECH", "在未停电闭锁的情况下检修刮板输送机", "停电闭锁并挂牌后方可检修"),
            ("PROD QC", "在设备运行中清理带式输送机", "停机停电并挂牌后清理"),
        ),
        "diseases": (("FM DEV MECH VENT PROD", "煤工尘肺", "煤尘", "咳嗽、胸闷、气短"),),
        "closure": "去产能关闭退出",
        "asset_item": "三台液压支架和一台刮板输送机",
        "proj_items": ("井下巷道修复", "矸石山治理", "工业广场排水"),
        "supplies": ("锚杆锚索", "液压支架配件", "矿用电缆", "劳保用品"),
        "posts": ("采矿工程技术员", "机电技术员"),
        "incidents": ("皮带机停机导致工作面停产两小时", "未及时汇报设备异常导致支架损坏"),
        "ppe": "防尘口罩和防护手套",
        "mgmt_topics": ("采掘接续计划", "井下设备点检", "交接班管理"),
        "old_unit": "县营煤矿",
        "old_sites": ("原坑木加工厂", "老材料库"),
    },
    "HX-ENG": {
        "short": "衡兴建设",
        "output": "施工产值",
        "env": "露天高温、高处作业",
        "allowances": ("野外施工津贴", "高温津贴", "项目绩效奖", "安全生产奖", "夜间施工补贴"),
        "shifts": (("单班作业", "两班连续作业"), ("做六休一", "连续作业不轮休")),
        "hazards": (
            ("SITE TECH", "基坑边坡没有按方案放坡，坑边堆载距离过近", "基坑边坡堆载过近"),
            ("HOIST SITE", "塔吊起重力矩限制器失灵，仍在带病作业", "塔吊限位失灵"),
            ("SITE", "高处作业临边防护栏杆多处缺失", "临边防护缺失"),
            ("SITE REPAIR MAT", "施工临时用电线路私拉乱接，部分配电箱没有漏电保护", "临时用电不规范"),
            ("SITE TECH", "模板支撑体系没有按专项方案搭设，立杆间距过大", "模板支撑不合规"),
            ("REPAIR", "维修车间行车钢丝绳断丝超标仍在使用", "行车钢丝绳断丝超标"),
            ("HOIST", "汽车吊支腿下方没有铺设垫板，地基松软", "吊车支腿未垫实"),
        ),
        "injuries": (
            ("SITE", "在脚手架上绑扎钢筋时踏板断裂坠落", "右侧三根肋骨骨折"),
            ("HOIST SITE", "在吊装钢构件时被摆动的构件撞伤", "左小腿胫腓骨骨折"),
            ("SITE TECH", "在基坑内作业时被滑落的土方掩埋至腰部", "骨盆骨折"),
            ("REPAIR SITE", "在切割钢板时被砂轮片碎片划伤", "左眼角膜损伤"),
            ("REPAIR", "在更换挖掘机斗齿时被滑落的铲斗砸伤", "右足第一跖骨骨折"),
        ),
        "hazard_ops": (
            ("HOIST SITE", "在六级大风天气进行大型构件吊装", "风力六级及以上时停止吊装作业"),
            ("SITE TECH", "在未经验收的高支模下浇筑混凝土", "模板支撑体系验收合格后方可浇筑"),
            ("SITE", "在没有临边防护的楼层边缘作业", "先设置防护栏杆并系挂安全带"),
            ("REPAIR MAT", "在未清洗置换的情况下切割旧油箱", "清洗置换后办理动火作业票"),
        ),
        "diseases": (
            ("SITE REPAIR", "电焊工尘肺", "电焊烟尘", "咳嗽、胸闷"),
            ("HOIST", "职业性噪声聋", "机械噪声", "耳鸣、听力下降"),
        ),
        "closure": "机构整合撤并",
        "asset_item": "一台八成新的汽车吊和两台挖掘机",
        "proj_items": ("土方开挖", "桩基", "钢结构安装"),
        "supplies": ("钢材", "商品混凝土", "模板", "劳保用品"),
        "posts": ("施工技术员", "专职安全员"),
        "incidents": ("模板支撑局部变形", "钢筋绑扎质量不合格被监理通报"),
        "ppe": "安全带和防砸鞋",
        "mgmt_topics": ("施工组织和工序衔接", "材料进场验收", "周转材料管理"),
        "old_unit": "市政工程队",
        "old_sites": ("原预制构件厂", "老机修车间"),
    },
    "HX-LOG": {
        "short": "衡兴物流",
        "output": "货运量",
        "env": "露天装卸、夜间作业",
        "allowances": ("夜班津贴", "装卸计件奖", "安全行车奖", "高温津贴", "倒班补贴"),
        "shifts": (("四班三倒", "三班两倒"), ("四班两运转", "三班两运转")),
        "hazards": (
            ("LOAD YARD", "装卸作业区夜间照明严重不足，人车混行", "作业区照明不足"),
            ("FORK YARD LOAD", "多台叉车带病作业，制动性能明显下降", "叉车带病作业"),
            ("YARD", "堆场货物堆码超高，部分货垛已经倾斜", "货垛堆码超高"),
            ("LOAD DISP", "铁路专用线道口无人看守，也没有声光报警装置", "专用线道口无防护"),
            ("YARD FORK", "危险货物存放区消防器材过期，应急通道被占用", "危货区消防器材过期"),
        ),
        "injuries": (
            ("LOAD YARD", "在装卸货物时被倒塌的货垛砸伤", "右侧肩胛骨骨折"),
            ("LOAD", "在摘挂车辆时左手被车钩挤伤", "左手三根手指骨折"),
            ("FORK YARD", "在驾驶叉车时因地面油污侧翻", "右踝关节骨折"),
            ("LOAD", "在篷布苫盖作业时从车顶摔落", "腰椎骨折"),
        ),
        "hazard_ops": (
            ("LOAD YARD", "在雨雪天气进行集装箱吊装", "降低作业速度并设专人地面指挥"),
            ("LOAD DISP", "对尚未停稳的车辆进行摘挂", "待车辆停稳并设置防护信号后作业"),
            ("YARD FORK", "在货垛倾斜的情况下继续取货", "先加固货垛并设置警戒区域"),
        ),
        "diseases": (("LOAD YARD FORK", "职业性噪声聋", "机械噪声", "耳鸣、听力下降"),),
        "closure": "业务收缩调整",
        "asset_item": "六台叉车和一台集装箱正面吊",
        "proj_items": ("堆场地面硬化", "专用线道床整修", "仓库屋面改造"),
        "supplies": ("叉车配件", "轮胎", "篷布", "劳保用品"),
        "posts": ("运输调度员", "物流信息专员"),
        "incidents": ("装车偏载导致列车晚点", "叉车刮碰货物造成货损"),
        "ppe": "防寒工作服和防滑手套",
        "mgmt_topics": ("装卸作业调度", "车辆维修保养", "仓储盘点"),
        "old_unit": "地方运输公司",
        "old_sites": ("原汽车队车库", "老货场仓库"),
    },
}

# Branches whose trade differs from their company's main one.
_BRANCH_OVERRIDES: dict[str, dict[str, Any]] = {
    "HX-PWR-NE": {
        "env": "高空、野外作业",
        "output": "上网电量",
        "asset_item": "三台退役风机的齿轮箱和一批旧叶片",
        "proj_items": ("风机基础加固", "集电线路改造", "场内道路修缮"),
        "supplies": ("风机备件", "电力电缆", "劳保用品"),
        "incidents": ("远程误复位导致风机故障扩大", "未执行定检项目导致变桨系统故障"),
        "mgmt_topics": ("风机定检计划", "设备缺陷闭环管理", "备品备件管理"),
        "old_sites": ("原施工营地", "老备件库"),
    },
    "HX-MINE-CP": {
        "output": "入洗原煤量",
        "env": "粉尘、噪声大",
        "allowances": ("夜班津贴", "班中餐补贴", "安全生产奖", "超产奖"),
        "asset_item": "两台旧压滤机和一批筛板",
        "proj_items": ("储煤场封闭改造", "浓缩池改造", "厂房屋面防腐"),
        "supplies": ("筛板", "压滤机滤布", "劳保用品"),
        "incidents": ("压滤机故障导致停产", "介质添加不当导致精煤灰分超标"),
        "mgmt_topics": ("设备点检", "生产调度", "交接班管理"),
    },
}

_GENERIC: dict[str, tuple[tuple[str, ...], ...]] = {
    "diseases": (("*", "职业性噪声聋", "生产性噪声", "耳鸣、听力下降"),),
    "hazards": (
        ("SVC", "后厨燃气管道软管老化，燃气泄漏报警器失灵", "燃气报警器失灵"),
        ("*", "作业区域消防通道被杂物堵塞，应急照明损坏", "消防通道堵塞"),
        ("*", "配电箱门锁损坏、线路裸露", "配电箱线路裸露"),
    ),
    "injuries": (
        ("SVC", "在后厨操作时被打翻的热油烫伤", "右前臂二度烫伤"),
        ("*", "在作业现场巡查时踩空台阶摔倒", "右侧桡骨远端骨折"),
        ("*", "在搬运物料时被滑落的货物砸伤", "左足跖骨骨折"),
    ),
    "hazard_ops": (
        ("*", "在未办理动火作业票的情况下进行电焊作业", "先办理动火作业票并落实监护措施"),
        ("*", "在未断电的情况下检修配电箱", "停电、验电、挂牌后方可作业"),
    ),
}


def _fitting(prof: dict[str, Any], key: str, suffix: str) -> list[tuple[str, ...]]:
    """The entries of ``prof[key]`` that fit a department suffix (tags stripped), else the generic ones."""
    found = [entry[1:] for entry in prof[key] if suffix in entry[0].split()]
    if not found:
        found = [entry[1:] for entry in _GENERIC[key] if entry[0] == "*" or suffix in entry[0].split()]
    return found


_COMPANIES: tuple[str, ...] = tuple(_PROFILES)

# Every department where a petitioner can work: (company, branch, department, teams with their jobs).
_WORKPLACES: list[tuple[str, str, str, _TeamJobs]] = []
for _company in _COMPANIES:
    for _branch in _children(_company, "branch"):
        for _dept in _children(_branch, "department"):
            _suffix = _dept.rsplit("-", 1)[1]
            if _suffix in _TEAMS[_company]:
                _WORKPLACES.append((_company, _branch, _dept, _TEAMS[_company][_suffix]))


def _branch_head(branch_name: str) -> str:
    if branch_name.endswith("厂"):
        return "厂长"
    if branch_name.endswith("矿"):
        return "矿长"
    if branch_name.endswith("项目部"):
        return "项目经理"
    return "经理"


# --------------------------------------------------------------------------------------------------
# Small helpers: numbers, money, names, ID numbers
# --------------------------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """Chinese numeral for 0..99 (十二, 二十, 三十五)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def _cn_count(n: int) -> str:
    """Chinese numeral used before a measure word: 两个月, 三个月."""
    return "两" if n == 2 else _cn(n)


def _yuan(amount: int) -> str:
    if amount >= 10000:
        text = f"{amount / 10000:.2f}".rstrip("0").rstrip(".")
        return f"{text}万元"
    return f"{amount}元"


def _money(rng: random.Random, low: int, high: int, step: int = 10) -> int:
    return rng.randrange(low, high + 1, step)


_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN_MALE = "建国伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波峰志海东浩宇凯俊博振兴卫庆晖柏岩松川"
_GIVEN_FEMALE = "丽芳娟敏静燕艳娜霞玲婷雪琳洁萍红颖倩慧梅莉琴蕾悦瑶薇璐岚露"
_GIVEN_NEUTRAL = "晓子一嘉欣思雨安文清言君秋林宁心逸然可凡远希若佳乐云"


def make_person_name(rng: random.Random, gender: str | None = None) -> str:
    """A fictional Chinese full name. ``gender`` is "男", "女" or None (random)."""
    if gender is None:
        gender = rng.choice(("男", "女"))
    pool = _GIVEN_MALE if gender == "男" else _GIVEN_FEMALE
    surname = rng.choice(_SURNAMES)
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    first = rng.choice(pool + _GIVEN_NEUTRAL)
    second = rng.choice(pool)
    while second == first:
        second = rng.choice(pool)
    return surname + first + second


def _distinct_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = make_person_name(rng)
        if name not in names:
            names.append(name)
    return names


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_checksum(body17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of a resident ID number."""
    if len(body17) != 17 or not body17.isdigit():
        raise ValueError("expected 17 digits")
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_is_valid(value: str) -> bool:
    """True for a well-formed 18-character ID number: digits, a real birth date and a correct check character."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return id_number_checksum(value[:17]) == value[17].upper()


def make_id_number(rng: random.Random, *, birth: datetime.date | None = None, gender: str | None = None) -> str:
    """A well-formed but fictional ID number: province code 00 is not assigned, so it belongs to nobody."""
    if birth is None:
        birth = datetime.date(rng.randint(1965, 2002), rng.randint(1, 12), rng.randint(1, 28))
    if gender is None:
        gender = rng.choice(("男", "女"))
    region = f"00{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
    seq = rng.randint(0, 49) * 2 + (1 if gender == "男" else 0)
    body = f"{region}{birth:%Y%m%d}{rng.randint(0, 9)}{seq:02d}"
    return body + id_number_checksum(body)


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "137", "135", "150", "186", "188")) + f"{rng.randint(0, 99_999_999):08d}"


# --------------------------------------------------------------------------------------------------
# Letter scenarios
#
# Each scenario is one kind of matter. Its templates use ``{slot}`` fields filled from the context built
# by ``_context``: place (corp, branch, dept, team, job), voice (wo = 我/我们, nin = 您/你们, involved …),
# dates (y = the year before the receipt year, m1 < m2 < m3, d1) and numbers (amounts, headcounts …).
#
# level:  who handles it: "branch", "company" or "discipline" (the company's discipline office).
# group:  0 = one person's matter, 1 = sometimes collective, 2 = often collective.
# --------------------------------------------------------------------------------------------------

_SCENARIOS: dict[tuple[str, str], list[dict[str, Any]]] = {}


def _sc(
    category: str,
    type_: str,
    key: str,
    *,
    level: str,
    group: int,
    topic: str,
    subjects: tuple[str, ...],
    facts: tuple[str, ...],
    asks: tuple[str, ...],
    outcomes: tuple[tuple[str, str], ...],
    basis: tuple[str, ...],
    accused: tuple[str, ...] = (),
    tried: tuple[str, ...] | None = None,
    opening: tuple[str, ...] | None = None,
    opening_group: tuple[str, ...] | None = None,
    retiree: bool = False,
    frontline: bool = False,
) -> None:
    _SCENARIOS.setdefault((category, type_), []).append(
        {
            "key": key,
            "category": category,
            "type": type_,
            "level": level,
            "group": group,
            "topic": topic,
            "subjects": subjects,
            "facts": facts,
            "asks": asks,
            "outcomes": outcomes,
            "basis": basis,
            "accused": accused,
            "tried": tried,
            "opening": opening,
            "opening_group": opening_group,
            "retiree": retiree,
            "frontline": frontline,
        }
    )


_PARTY_RULES = "《中国共产党纪律处分条例》《国有企业领导人员廉洁从业若干规定》"

# ---------------------------------------------------------------------------------------------- wages
_sc(
    "wages",
    "claim",
    "wages_allowance_arrears",
    level="branch",
    group=2,
    topic="{team}{allowance}拖欠",
    subjects=(
        "关于{branch}{team}{y}年{m1}至{m2}月{allowance}未发放的反映",
        "{branch}{dept}拖欠{allowance}{n_months}个月，恳请协调补发",
        "请求督促{branch}补发{team}职工{y}年{allowance}",
    ),
    facts=(
        "从{y}年{m1}月开始，{team}的{allowance}就一直没有发，到{m2}月已经整整{n_months}个月。按原来的标准，"
        "这项钱每人每月{monthly}元，{involved}每人累计被拖欠{arrears}元。车间的解释是“公司考核结果还没下来，"
        "等统一发”，可同一个单位的机关管理人员却是按月足额领取的，大家心里很不平衡。",
        "{y}年{m1}月起，{branch}以“经营压力大、资金紧张”为由暂停发放{allowance}，说好三个月后恢复，可到现在也没有"
        "下文。{allowance}是一线倒班岗位收入的重要组成部分，每月{monthly}元，{n_months}个月下来{involved}每人少拿了"
        "{arrears}元。不少同事家里有老人要赡养、孩子要上学，还要还房贷，日子过得很紧。",
    ),
    asks=(
        "恳请公司督促{branch}按规定尽快补发拖欠的{allowance}，并明确今后的发放时间和标准。",
        "希望领导过问此事，把拖欠的钱一次性补发到位，同时公开{allowance}的发放办法，不要再让一线职工等。",
    ),
    outcomes=(
        (
            "{y}年{m1}月至{m2}月{team}{allowance}未按时发放的情况属实，涉及{r_involved}，合计{total}。原因是{branch}"
            "在调整考核办法期间暂停了该项津贴的核发，且未及时向职工说明。",
            "{branch}已将拖欠的{allowance}全部补发到位，并修订了发放办法，明确自次月起随当月工资同步发放；"
            "同时责成{dept}负责人向职工作出说明，对相关管理人员进行了批评教育。",
        ),
        (
            "反映的{allowance}延迟发放问题基本属实。经核对工资台账，{m1}月至{m2}月该项津贴已计提但未发放，"
            "{r_involved}应补发金额合计{total}。",
            "经{branch}党政联席会研究，拖欠款项分两批在一个月内发放完毕，第一批已于本答复送达前到账；"
            "{branch}已将津贴发放纳入月度工资审核清单，防止类似情况再次发生。",
        ),
    ),
    basis=(
        "《中华人民共和国劳动合同法》第三十条规定，用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付"
        "劳动报酬；{allowance}属于工资组成部分，不得无故拖欠。",
        "《中华人民共和国劳动合同法》第三十条、《工资支付暂行规定》第七条以及{corp}《薪酬管理办法》的相关规定。",
    ),
)
_sc(
    "wages",
    "claim",
    "wages_overtime",
    frontline=True,
    level="branch",
    group=1,
    topic="{team}加班费计算标准",
    subjects=(
        "请求核查{branch}{team}加班费计算标准并补发差额",
        "关于{branch}{dept}{y}年{m1}月以来加班费未按法定标准支付的反映",
    ),
    facts=(
        "{y}年{m1}月以来，{dept}生产任务重，{team}的排班由“{shift_old}”改成了“{shift_new}”，休息日也经常顶班，"
        "大家每月加班普遍在{ot_hours}小时以上。但发工资时，加班费只按每小时{ot_rate}元的固定标准计算，既没有按"
        "工资基数的150%计发，国庆、春节期间值班也没有按300%支付。以{example}为例，{m2}月实际加班{ot_hours}小时，"
        "只拿到加班费{amount_small}元。",
    ),
    asks=(
        "希望领导核实情况，按照法律规定补发加班费差额，并把加班费的计算办法向职工公开。",
        "请求公司按《劳动法》规定的标准重新核算{y}年以来的加班费，补发差额；同时合理配置人员，不要让大家长期超时劳动。",
    ),
    outcomes=(
        (
            "{team}{y}年{m1}月以来存在延长工作时间的情况属实。经逐月核对考勤和工资台账，{branch}按固定标准计发"
            "加班费，低于法定标准，差额合计{total}，涉及{r_involved}。",
            "{branch}已按法定标准补发差额，并修订《加班管理规定》，加班须事前审批、按月公示；同时通过内部调剂增加"
            "{team}定员，逐步恢复“{shift_old}”排班。",
        ),
        (
            "{team}部分月份加班时间偏长的情况属实。其中休息日加班已在当月或次月安排同等时间补休，依照规定不再支付"
            "加班工资；工作日延长工作时间和法定节假日值班的加班费存在计算基数偏低的问题，差额合计{total}。",
            "{branch}已补发上述差额，并就休息日补休安排逐人作了说明；今后加班费在工资条中单列，计发标准向职工公开。",
        ),
    ),
    basis=(
        "《中华人民共和国劳动法》第四十四条规定，安排劳动者延长工作时间的，支付不低于工资的百分之一百五十的工资报酬；"
        "休息日安排工作又不能安排补休的，支付不低于工资的百分之二百的工资报酬；法定休假日安排工作的，支付不低于"
        "工资的百分之三百的工资报酬。",
        "《中华人民共和国劳动法》第四十四条和《中华人民共和国劳动合同法》第三十一条规定，用人单位安排加班的，"
        "应当按照国家有关规定向劳动者支付加班费。",
    ),
)
_sc(
    "wages",
    "claim",
    "wages_reform",
    level="branch",
    group=1,
    topic="岗位绩效工资套改",
    subjects=(
        "关于{branch}{team}岗位工资套改后收入下降的申诉",
        "对{branch}{y}年{job}岗位评价结果有异议，请求复核",
    ),
    facts=(
        "{y}年{m1}月{branch}推行岗位绩效工资制度改革，{team}的{job}岗位由原来的{grade_old}级调整为{grade_new}级。"
        "改革方案明确“套改后收入总体不降低”，可{wo}核对了近{n_months}个月的工资条，月均应发工资比改革前少了"
        "{monthly}元左右。{wo}向人力资源部要岗位评价的打分依据，对方只说“按方案执行”，一直拿不出书面材料。"
        "同样是一线操作岗位，相邻班组却定得比{wo}高。",
    ),
    asks=("请求公司对{team}岗位评价结果进行复核，公开评价打分情况，并按改革方案“收入不降低”的承诺予以调整。",),
    outcomes=(
        (
            "{branch}{y}年岗位绩效工资改革方案经职工代表大会审议通过。经复核，{team}{job}岗位评价中“劳动强度”"
            "“作业环境”两项要素打分偏低，与相邻班组同类岗位不一致，反映情况部分属实。",
            "{branch}岗位评价委员会已重新评价，将该岗位调整为{grade_old}级，自套改之月起补发差额；岗位评价结果和"
            "打分细则已在{branch}内网公示，接受职工监督。",
        ),
        (
            "经复核，{team}{job}岗位评价程序合规、打分依据充分，套改后岗位工资标准未降低。月均收入减少的主要原因是"
            "{y}年{branch}{output}下降导致绩效工资总额减少，并非岗位套改所致。",
            "{branch}人力资源部已向{nin}当面说明岗位评价打分情况并提供了书面材料，同时承诺在年度绩效兑现时向一线岗位倾斜。",
        ),
    ),
    basis=(
        "《中华人民共和国劳动合同法》第四条规定，用人单位在制定、修改直接涉及劳动者切身利益的劳动报酬等规章制度时，"
        "应当经职工代表大会或者全体职工讨论，并予以公示。",
        "{corp}《岗位绩效工资管理办法》和{branch}经职工代表大会审议通过的改革实施方案。",
    ),
)
_sc(
    "wages",
    "claim",
    "wages_deduction",
    level="branch",
    group=1,
    topic="{allowance}扣发",
    subjects=(
        "反映{branch}{dept}无故扣发{y}年度{allowance}{amount_fmt}的问题",
        "关于{branch}{team}考核扣款不合理的申诉",
    ),
    facts=(
        "{y}年{m2}月，{dept}以“{deduct_reason}”为由，扣发了{wo}当年的{allowance}，共计{amount_fmt}。事前没有任何"
        "书面通知，也没有让当事人陈述申辩，{wo}是在查看工资条时才发现的。据了解，{dept}的考核细则是车间自行制定的，"
        "从来没有拿到职代会上讨论过，条款也没有向职工公示。",
    ),
    asks=("请求撤销不合理的扣款决定，退还扣发的{amount_fmt}，并将考核细则提交职代会讨论后公示执行。",),
    outcomes=(
        (
            "{dept}自行制定的考核细则未履行民主程序、未向职工公示，以此为依据扣发{allowance}缺乏充分依据，反映情况属实。",
            "{branch}已撤销该扣款决定，扣发款项随下月工资全额退还；同时责成{dept}废止该考核细则，由{branch}统一"
            "修订考核办法，经职代会审议后公示执行。",
        ),
        (
            "{dept}因{deduct_reason}扣减{allowance}的事实存在，考核依据为{branch}经职代会通过的《安全生产奖惩办法》，"
            "但扣减比例超出办法规定的上限，且未履行告知程序。",
            "{branch}已按办法规定的比例重新核定，超扣部分予以退还，并补办了书面告知手续；要求各部门今后作出考核扣款"
            "前必须书面告知并听取职工陈述。",
        ),
    ),
    basis=(
        "《工资支付暂行规定》第十五条规定，用人单位不得克扣劳动者工资；《中华人民共和国劳动合同法》第四条规定，"
        "直接涉及劳动者切身利益的规章制度应当经民主程序制定并公示。",
    ),
)
_sc(
    "wages",
    "suggestion",
    "wages_transparency",
    level="branch",
    group=1,
    topic="绩效工资分配公开",
    subjects=(
        "关于{branch}{dept}绩效工资二次分配公开透明的建议",
        "对完善{branch}{dept}一线岗位薪酬激励的几点建议",
    ),
    facts=(
        "{wo}在{team}工作多年，感到这几年{branch}在薪酬分配上做了不少改进，但也存在一些问题：一是班组绩效二次"
        "分配基本由班长一人说了算，分配结果不公示，职工只能看到自己的数字；二是一线倒班岗位和机关岗位的绩效系数"
        "差距偏小，夜班和{env}等艰苦因素体现不够；三是技能等级津贴多年没有调整，年轻人考取高级工、技师的积极性不高。",
    ),
    asks=(
        "建议：一是班组二次分配方案经班组民主讨论后执行，结果每月在班组内公示；二是适当拉开一线与机关岗位的"
        "绩效系数；三是提高技师、高级技师技能津贴标准，并与岗位晋升挂钩。以上建议供领导参考。",
    ),
    outcomes=(
        (
            "{nin}提出的绩效二次分配公开、向一线倾斜等建议切合实际，{branch}已组织人力资源部、工会进行了研究。",
            "{branch}决定自下季度起推行班组二次分配“民主评议、班组公示、部门备案”制度；下一年度薪酬方案中将一线"
            "倒班岗位绩效系数上调0.1至0.2；技能津贴调整方案已列入职代会议题。",
        ),
        (
            "{nin}的建议已转{branch}人力资源部研究。",
            "关于二次分配公示的建议已采纳，将在{branch}薪酬管理细则中予以明确；关于调整绩效系数和技能津贴的建议，"
            "涉及{corp}统一的薪酬政策，已报{corp}人力资源部在年度薪酬方案修订时统筹考虑。",
        ),
    ),
    basis=("《中华人民共和国劳动合同法》第四条关于民主程序的规定和{corp}《薪酬管理办法》。",),
)
_sc(
    "wages",
    "accusation",
    "wages_bonus_skimming",
    level="discipline",
    group=1,
    topic="截留班组奖金",
    subjects=(
        "举报{branch}{dept}负责人截留一线职工奖金的问题",
        "关于{branch}{team}奖金发放中虚报冒领的检举",
    ),
    facts=(
        "{y}年{m1}月至{m2}月，{branch}下拨给{team}的{allowance}和专项奖励，有一部分并没有发到一线职工手里。{dept}"
        "某负责人以“班组统筹”为名，让班长把{n_fake}名已调离或长期病休的人员继续列在奖金发放表上，钱打到个人卡上"
        "后再以现金形式收回，据职工估算累计有{skim_total}左右。另外，{dept}还以“迎检费用”为名向每名职工收取"
        "{amount_small}元，没有任何票据。相关奖金发放表和银行流水可以印证，部分被列名的人员本人并不知情。",
    ),
    asks=("恳请纪委调查核实，追回被截留的资金，依规依纪严肃处理，并对举报人信息予以保密。",),
    outcomes=(
        (
            "经调取{y}年{m1}月至{m2}月奖金发放表和银行流水，并与相关人员谈话，{dept}存在将已调离人员列入奖金发放名单、"
            "套取奖金的问题，反映问题基本属实；以“迎检费用”名义收取职工费用的问题属实。",
            "{corp}纪委已对相关责任人立案审查，违规套取的资金已全部追回并重新分配；收取的费用已退还职工；{branch}"
            "奖金发放已实行“一人一卡、一月一公示”。",
        ),
        (
            "经核查，{team}奖金发放名单中列入调离人员系考核周期跨月所致，相关人员当期确在岗，未发现套取奖金的情况；"
            "以“迎检费用”名义收取费用的问题属实，系班组自行组织聚餐所收取。",
            "{corp}纪委已对{dept}相关负责人进行谈话提醒，责令将所收费用全部退还；对反映的其他问题将持续关注。",
        ),
    ),
    basis=("依据" + _PARTY_RULES + "和{corp}《奖金管理办法》的相关规定。",),
    accused=("{branch}{dept}某负责人", "{branch}{team}某班长", "{branch}某副{head}"),
)

# ----------------------------------------------------------------------------------- social insurance
_sc(
    "social_insurance",
    "claim",
    "si_base_too_low",
    level="branch",
    group=2,
    topic="社会保险缴费基数",
    subjects=(
        "关于{branch}{dept}社保缴费基数只按{base_declared}元申报的反映",
        "请求为{branch}{team}职工按实际工资足额缴纳社会保险",
    ),
    facts=(
        "{wo}最近在社保网站上查询个人权益记录，发现{branch}为{involved}申报的社保缴费基数一直是{base_declared}元，"
        "而{wo}上一年度的月平均工资在{base_actual}元以上。也就是说，单位一直只按实际工资的六成左右在缴费，这直接"
        "影响到将来的养老金和医保待遇。{wo}向人力资源部询问，对方说“是按{corp}统一口径申报的”，但说不出具体依据。",
    ),
    asks=("请求公司核查{branch}社保缴费基数申报情况，按实际工资足额补缴，并给职工一个书面说明。",),
    outcomes=(
        (
            "经{branch}人力资源部与社保经办机构逐人核对，{y}年度部分职工的缴费基数未包含{allowance}等工资项目，"
            "申报基数低于上年度月平均工资，反映情况属实，涉及{r_involved}。",
            "{branch}已向社保经办机构申请补缴差额，单位部分由{branch}承担，个人部分按规定分期扣缴；{branch}已建立"
            "缴费基数年度核定公示制度，每年核定后在各部门公示。",
        ),
        (
            "经核对，{branch}按职工本人上一年度月平均工资核定缴费基数。{nin}所说的{base_actual}元是{y}年下半年岗位"
            "调整后的月工资水平，按规定应从下一缴费年度起计入基数，申报口径符合规定。",
            "{branch}人力资源部已向{nin}当面解释缴费基数的构成和计算方法，并提供了逐月工资明细；今后每年核定基数后"
            "向职工公示。",
        ),
    ),
    basis=(
        "《中华人民共和国社会保险法》第六十条规定，用人单位应当自行申报、按时足额缴纳社会保险费；第六十三条规定，"
        "用人单位未按时足额缴纳的，由社会保险费征收机构责令其限期缴纳或者补足。",
    ),
)
_sc(
    "social_insurance",
    "claim",
    "si_transfer_gap",
    level="company",
    group=0,
    topic="调动期间社会保险断缴",
    subjects=(
        "反映本人{y}年{m1}月调入{branch}后社会保险断缴{n_months}个月的问题",
        "关于本人从{branch_other}调至{branch}后社保未接续的求助",
    ),
    facts=(
        "我于{y}年{m1}月由{branch_other}调入{branch}{dept}，办理调动手续时人力资源部说社保关系会随人转过来。"
        "可最近查询发现，{m1}月至{m2}月的养老保险和医疗保险都没有缴纳，中间断了{n_months}个月。{m3}月家里老人"
        "住院想用医保报销时才发现医保已经停用，只能先自费垫付了{amount_fmt}。两个单位互相推诿，都说应该由对方缴。",
    ),
    asks=("恳请公司协调两个单位尽快为我补缴断缴期间的社会保险，并帮助解决垫付医疗费的报销问题。",),
    outcomes=(
        (
            "{nin}调动期间因两单位社保减员、增员手续衔接不及时，导致{y}年{m1}月至{m2}月社会保险未缴纳，反映情况属实。",
            "经{corp}人力资源部协调，由{branch}为{nin}补缴断缴期间的社会保险费，补缴手续已办理完毕；垫付的医疗费已"
            "协助向医保经办机构申请补报销。{corp}已要求各单位人员调动时社保关系实行“当月减、当月增”。",
        ),
    ),
    basis=(
        "《中华人民共和国社会保险法》第五十八条、第六十条规定，用人单位应当为职工办理社会保险登记并按时足额缴纳"
        "社会保险费。",
    ),
)
_sc(
    "social_insurance",
    "claim",
    "si_annuity",
    level="branch",
    group=2,
    topic="企业年金",
    subjects=(
        "关于{branch}{job}岗位职工未纳入企业年金的反映",
        "请求将{branch}{dept}符合条件的职工纳入企业年金计划",
    ),
    facts=(
        "{corp}从{annuity_year}年开始建立企业年金，但{branch}{dept}{involved}至今没有被纳入。人力资源部的说法是"
        "年金方案规定“续签劳动合同后”才能加入，可{wo}都已经续签过劳动合同，在这里工作好几年了，还是没有办理。"
        "同一个班组里，有的人有年金、有的人没有，干一样的活，差别却越来越大。",
    ),
    asks=("请求公司按照年金方案的规定，核查{branch}职工参加企业年金的情况，为符合条件的职工补办加入手续并补缴。",),
    outcomes=(
        (
            "经核查，{branch}{r_involved}已符合{corp}企业年金方案规定的加入条件，但因人力资源部未及时报送名单而"
            "未办理加入，反映情况属实。",
            "{branch}已为上述职工补办加入手续，自符合条件的次月起补缴单位缴费；对负责此项工作的人员进行了通报批评，"
            "并建立年金加入条件季度核查机制。",
        ),
        (
            "经核查，{nin}于{y}年才与{branch}续签劳动合同，按照{corp}经职代会审议通过的企业年金方案，续签劳动合同"
            "次年1月起方可加入，目前尚未满足条件。",
            "{branch}人力资源部已向{nin}说明年金方案的具体条款，并将{nin}列入下一批次加入名单，届时将统一办理。",
        ),
    ),
    basis=(
        "《企业年金办法》（人力资源和社会保障部 财政部令第36号）和{corp}经职工代表大会审议通过的《企业年金方案》。",
    ),
)
_sc(
    "social_insurance",
    "suggestion",
    "si_statement",
    level="branch",
    group=1,
    topic="社保和公积金缴费信息公开",
    subjects=(
        "建议{branch}{dept}每年向职工公开社保和公积金缴费明细",
        "关于{branch}为{team}等一线班组提供“五险二金”查询服务的建议",
    ),
    facts=(
        "{wo}在{branch}工作{years}年，平时对社保、公积金、年金的缴费情况了解很少，大多数同事只有在办理贷款、"
        "报销或者临近退休时才去查询，发现问题时往往已经过去很久，处理起来很麻烦。现在社保、公积金都有网上"
        "查询渠道，但{team}不少老职工不会操作。",
    ),
    asks=(
        "建议：一是每年核定缴费基数后，在各部门公示并向职工发放个人缴费确认单；二是在人力资源部设立固定的咨询"
        "时间，帮助老职工查询；三是在职工手机端开通“五险二金”查询入口。",
    ),
    outcomes=(
        (
            "{nin}的建议很有针对性，{branch}已研究采纳。",
            "自下一缴费年度起，{branch}每年核定缴费基数后向职工逐人发放《社会保险和住房公积金缴费确认单》；"
            "人力资源部每周三下午设立咨询时间；手机端查询功能已列入{corp}信息化建设计划。",
        ),
    ),
    basis=("《中华人民共和国社会保险法》第四条规定，个人依法享受社会保险待遇，有权监督本单位为其缴费情况。",),
)
_sc(
    "social_insurance",
    "accusation",
    "si_ghost_staff",
    level="discipline",
    group=1,
    topic="虚列人员缴纳社保",
    subjects=(
        "举报{branch}为{n_fake}名非在岗人员违规缴纳社会保险的问题",
        "关于{branch}人力资源部虚列{n_fake}名人员、违规发放工资的检举",
    ),
    facts=(
        "据{wo}了解，{branch}人力资源部从{y_prev}年起，将{n_fake}名从未在本单位上班的人员挂在{dept}名下，由单位"
        "为其缴纳社会保险和住房公积金，其中有人是个别管理人员的亲属。这些人在班组考勤表上从来没有出现过，工资表上"
        "却有名字，每人每月还领取{monthly2}元的“岗位工资”。{wo}曾向班组长打听，班组长让不要多问。",
    ),
    asks=("请求纪委调查核实，清理违规挂靠人员，追回违规支出的资金，并依规依纪追究相关人员责任。",),
    outcomes=(
        (
            "经调取{branch}近三年劳动合同、考勤、工资和社保缴费记录，发现{n_fake_r}名人员存在“有合同无考勤”的情况，"
            "反映问题基本属实。",
            "{corp}纪委已对{branch}人力资源部相关负责人立案审查，违规挂靠人员已全部清理，违规支付的工资和单位缴纳的"
            "社保费用正在依法追缴；{corp}已在全公司开展“在册不在岗”专项清理。",
        ),
        (
            "经核查，反映的{n_fake}名人员中，有{n_fake_r}名系按规定内部退养或长期病休的人员，单位为其缴纳社会保险"
            "符合规定；其余人员已解除劳动合同但社保减员手续办理滞后，已于当月停缴，未发现违规发放工资的情况。",
            "{corp}纪委已责成{branch}人力资源部规范人员增减员管理，对手续滞后问题进行通报；反映的其他线索将持续关注。",
        ),
    ),
    basis=("依据" + _PARTY_RULES + "和《中华人民共和国社会保险法》的有关规定。",),
    accused=("{branch}人力资源部某负责人", "{branch}某副{head}"),
)

# ------------------------------------------------------------------------------------- restructuring
_sc(
    "restructuring",
    "claim",
    "restructuring_compensation",
    level="company",
    group=2,
    topic="{branch}{closure}中的经济补偿",
    subjects=(
        "关于{branch}{closure}中{dept}职工经济补偿金计算标准的诉求",
        "{branch}{dept}职工对解除劳动合同经济补偿方案的意见",
    ),
    facts=(
        "{y}年{m1}月，{corp}宣布{branch}实施{closure}，{dept}{involved}被列入分流名单。单位提出的方案是：愿意转岗的"
        "到{branch_other}，不愿意去的解除劳动合同，按工作年限每满一年支付一个月工资的经济补偿。{wo}有两点想不通："
        "一是计算经济补偿的“月工资”只按岗位工资计算，没有包含绩效和各项津贴，以{example}为例，工作{years}年，按方案"
        "只能拿到{comp_low}，按实际收入计算应该是{comp_high}；二是转岗地点离家{distance}公里，又不安排宿舍，"
        "实际上等于逼大家辞职。",
    ),
    asks=("恳请集团公司和{corp}按照法律规定重新核算经济补偿，同时提供就近的转岗安置岗位，给职工留一条出路。",),
    outcomes=(
        (
            "经{corp}人力资源部、法律事务部门复核，分流方案中经济补偿的计算基数仅包含岗位工资，不符合“劳动者在"
            "劳动合同解除前十二个月的平均工资”的规定，反映情况属实。",
            "{corp}已重新核算经济补偿，按解除前十二个月应发工资的平均数计算，对已解除合同的职工补发差额；转岗安置"
            "增加了就近岗位，并为异地转岗职工提供周转宿舍和每月交通补贴。调整后的方案已提交职工代表大会审议通过。",
        ),
        (
            "经复核，分流方案经{corp}职工代表大会审议通过，经济补偿按解除前十二个月平均工资计发，计算基数包含绩效"
            "工资和津贴补贴，“只按岗位工资计算”系对测算表的误解。关于转岗地点问题，{corp}已增加就近安置岗位。",
            "{corp}人力资源部已逐人送达经济补偿计算明细，并在{branch}设立政策咨询点；{nin}可在{n_days}日内重新选择"
            "安置方式。",
        ),
    ),
    basis=(
        "《中华人民共和国劳动合同法》第四十七条规定，经济补偿按劳动者在本单位工作的年限，每满一年支付一个月工资；"
        "月工资是指劳动者在劳动合同解除或者终止前十二个月的平均工资。",
        "《中华人民共和国劳动合同法》第四十条、第四十七条和《中华人民共和国企业国有资产法》第三十七条关于企业改制"
        "应当听取职工意见的规定。",
    ),
)
_sc(
    "restructuring",
    "claim",
    "restructuring_internal_retirement",
    level="company",
    group=2,
    topic="内部退养待遇",
    subjects=(
        "关于{branch}{dept}内部退养人员生活费多年未调整的反映",
        "{branch}内部退养人员请求落实协议约定的{pct}%生活费标准",
    ),
    facts=(
        "{y_prev}年机构改革时，{wo}按照{corp}的政策办理了内部退养，当时签订的协议约定：退养期间生活费按本人原岗位"
        "工资的{pct}%发放，并随在岗职工工资调整同步增长。可这几年在岗职工工资调整了两次，{wo}的生活费一分都没有涨，"
        "每月只有{monthly2}元，扣除社保个人缴费后所剩无几。另外，协议上说单位为退养人员正常缴纳企业年金，但{wo}"
        "查询发现从{y}年{m1}月起已经停缴了。",
    ),
    asks=("请求公司按照内部退养协议的约定调整退养生活费并补发差额，恢复企业年金缴费。",),
    outcomes=(
        (
            "经核查，{corp}内部退养协议确有“生活费随在岗职工工资调整同步调整”的约定，{branch}未予执行；企业年金"
            "停缴系{branch}误将退养人员按离岗人员处理，反映情况属实。",
            "{branch}已按协议约定调整内部退养人员生活费并补发差额，恢复企业年金缴费并补缴停缴期间的单位缴费；"
            "{corp}已对各单位执行内部退养政策的情况开展专项检查。",
        ),
        (
            "经核查，{corp}内部退养协议约定生活费“视企业经营状况适时调整”，并非与在岗职工同步调整；企业年金停缴系"
            "本人办理退养时签署了暂停缴费确认书。反映情况不属实。",
            "{branch}已将协议原文和确认书复印件提供给{nin}，并当面作了解释；{corp}将在年度工资总额安排时统筹研究"
            "内部退养人员生活费调整问题。",
        ),
    ),
    basis=("《国有企业富余职工安置规定》（国务院令第111号）关于职工内部退养的规定以及双方签订的《内部退养协议》。",),
)
_sc(
    "restructuring",
    "suggestion",
    "restructuring_openness",
    level="company",
    group=1,
    topic="{reform}方案公开征求意见",
    subjects=(
        "关于{branch}{reform}方案公开征求职工意见的建议",
        "对{branch}{dept}{reform}过程中做好职工思想工作的建议",
    ),
    facts=(
        "近来{branch}职工中流传着{reform}的各种说法，有人说要裁员三分之一，有人说要整体划转到其他单位，大家人心"
        "惶惶，{team}已经有几名年轻技术骨干在找下家。{wo}认为，改革是企业发展的需要，职工总体是理解和支持的，"
        "但方案迟迟不公开、消息只能靠“小道”，反而容易造成误解和不稳定。",
    ),
    asks=(
        "建议：一是尽快把改革方案的主要内容和人员安置原则向职工公开，正式征求意见；二是方案提交职代会审议前，"
        "先组织各班组讨论；三是设立政策咨询窗口，由人力资源部专人解答；四是对技术骨干出台留人措施。",
    ),
    outcomes=(
        (
            "{nin}的建议对稳妥推进改革很有帮助，{corp}已研究采纳。",
            "{corp}已在各单位召开{reform}政策宣讲会，方案征求意见稿在内网公开征求意见{n_days}天；人员安置原则明确"
            "“不裁员、不降薪、先培训后上岗”；{branch}已设立政策咨询窗口。方案已按程序提交职工代表大会审议。",
        ),
    ),
    basis=(
        "《中华人民共和国企业国有资产法》第三十七条、《中华人民共和国劳动合同法》第四条以及{corp}《职工代表大会实施细则》。",
    ),
)
_sc(
    "restructuring",
    "accusation",
    "restructuring_asset_disposal",
    level="discipline",
    group=1,
    topic="改革中闲置资产处置",
    subjects=(
        "举报{branch}{reform}中低价处置设备资产的问题",
        "关于{branch}{y}年{m1}月闲置资产处置未公开挂牌的检举",
    ),
    facts=(
        "{y}年{m1}月，{branch}在{reform}过程中处置了一批闲置设备和报废车辆，其中有{asset_item}。这些资产没有经过"
        "评估，也没有在产权交易机构公开挂牌，而是直接以{amount2_fmt}的价格卖给了一家私人公司，据懂行的老师傅估计，"
        "市场价至少是这个价格的两倍。该公司的实际控制人与{branch}某负责人关系密切，设备拉走时连出门单都是临时补的。",
    ),
    asks=("请纪委调查核实资产处置过程中是否存在利益输送，挽回国有资产损失，依法依规追究责任。",),
    outcomes=(
        (
            "经调阅资产处置审批、评估和交易资料，{branch}该批资产处置未履行评估和公开挂牌程序，违反国有资产交易"
            "管理规定，反映问题基本属实；是否存在利益输送正在进一步核查。",
            "{corp}纪委已对相关责任人立案审查，涉嫌违法的线索已按规定移送；{corp}已对下属单位近三年资产处置情况"
            "开展专项审计。",
        ),
        (
            "经核查，该批资产已委托具有资质的评估机构评估，经{corp}审批后在产权交易机构公开挂牌，成交价高于评估值；"
            "未发现受让方与{branch}人员存在利害关系，反映问题不属实。",
            "{corp}纪委已提醒{branch}在资产处置中做好信息公开，及时回应职工关切。",
        ),
    ),
    basis=(
        "依据《中华人民共和国企业国有资产法》《企业国有资产交易监督管理办法》（国务院国资委 财政部令第32号）和"
        "《中国共产党纪律处分条例》的相关规定。",
    ),
    accused=("{branch}某负责人", "{branch}资产管理部门某负责人"),
)

# -------------------------------------------------------------------------------------------- housing
_sc(
    "housing",
    "claim",
    "housing_fund",
    level="branch",
    group=2,
    topic="住房公积金缴存",
    subjects=(
        "关于{branch}{dept}住房公积金缴存比例仅为{fund_pct}%的反映",
        "请求为{branch}{team}职工足额缴存住房公积金",
    ),
    facts=(
        "{wo}在办理住房公积金贷款时发现，{branch}为{involved}缴存公积金的比例只有{fund_pct}%，而且缴存基数还是"
        "几年前的标准，一直没有调整过。{corp}其他单位的缴存比例都是12%，同样是一个公司的职工，差距很大。以{example}"
        "为例，每月公积金比其他单位同岗位的职工少{amount_small}元左右，贷款额度也因此受到影响。",
    ),
    asks=("请求公司统一缴存比例，按上年度月平均工资调整缴存基数，并补缴差额。",),
    outcomes=(
        (
            "经核查，{branch}住房公积金缴存基数多年未按规定调整，反映情况属实；缴存比例{fund_pct}%符合国家规定的"
            "下限，系{branch}成立初期经营困难时确定的标准。",
            "{branch}已按职工上年度月平均工资调整缴存基数并补缴差额；缴存比例问题已报{corp}研究，计划分两年逐步"
            "提高至12%。",
        ),
    ),
    basis=(
        "《住房公积金管理条例》第十八条规定，职工和单位住房公积金的缴存比例均不得低于职工上一年度月平均工资的5%；"
        "第二十条规定，单位应当按时、足额缴存住房公积金，不得逾期缴存或者少缴。",
    ),
)
_sc(
    "housing",
    "claim",
    "housing_dormitory",
    level="branch",
    group=2,
    topic="单身职工宿舍",
    subjects=(
        "关于{branch}{team}职工反映单身宿舍条件差、长期未维修的问题",
        "请求解决{branch}{team}新入职职工住宿问题",
    ),
    facts=(
        "{branch}的单身宿舍楼是上世纪八十年代建的，{dorm_problem}。现在四个人挤一间不到十五平方米的房间，倒班的"
        "同事作息不同，休息根本得不到保障。{y}年{m1}月{wo}就通过班组向后勤服务中心报修过，答复是“没有维修预算”。"
        "去年又新分来{peer}名大学生，有的只能在外面租房，每月房租{rent}元，对刚参加工作的年轻人来说是不小的负担。",
    ),
    asks=("恳请领导到宿舍实地看一看，尽快安排维修改造，并为外出租房的新职工发放住房补贴或协调周转房。",),
    outcomes=(
        (
            "经后勤服务中心现场查看，{branch}单身宿舍存在{dorm_problem}等问题，反映情况属实。",
            "{branch}已安排专项资金对宿舍楼进行维修，屋面防水和水电线路改造计划在三个月内完成；对暂时无法安排住宿"
            "的新入职职工，自入职之月起按每月{house_allowance}元发放租房补贴。",
        ),
    ),
    basis=("{corp}《职工宿舍管理办法》关于单身职工宿舍配置标准和维修责任的规定。",),
)
_sc(
    "housing",
    "claim",
    "housing_property_certificate",
    level="company",
    group=2,
    topic="{estate}房改房不动产登记",
    subjects=(
        "关于{branch}{estate}房改房多年办不下产权证的反映",
        "请求协调解决{branch}{estate}职工住房不动产登记问题",
    ),
    facts=(
        "{y_reform}年，{wo}按照当时的房改政策，以成本价购买了单位在{estate}的住房，房款和维修"
        "基金都已全部交清，单位也开了收据。可二十多年过去了，{estate}的{peer}户职工至今拿不到不动产权证书。据了解，"
        "原因是当年的土地是划拨地，单位一直没有办理相关手续。现在子女结婚、孩子上学都需要房产证明，房子也不能"
        "正常交易，大家非常着急。",
    ),
    asks=("恳请公司与当地政府有关部门沟通，尽快完善土地和规划手续，为职工办理不动产权证书。",),
    outcomes=(
        (
            "经核查，{estate}房改房因土地为划拨用地、规划验收手续不全，导致无法办理不动产登记，反映情况属实。",
            "{corp}已成立由分管领导牵头的工作专班，与当地自然资源和规划部门、不动产登记中心建立协调机制，按照当地"
            "解决不动产登记历史遗留问题的政策分批办理，第一批{n_batch}户资料已提交审核，办理进度每季度在{branch}公示。",
        ),
    ),
    basis=("《不动产登记暂行条例》及当地人民政府关于解决国有企业房改房不动产登记历史遗留问题的相关政策。",),
)
_sc(
    "housing",
    "suggestion",
    "housing_youth_apartments",
    level="branch",
    group=1,
    topic="青年职工周转公寓",
    subjects=(
        "关于{branch}利用闲置办公楼改建{n_rooms}间青年职工周转公寓的建议",
        "对{branch}{dept}单身宿舍管理实行职工自治的建议",
    ),
    facts=(
        "近几年{branch}每年新招大学生和技能人才{peer}人左右，大多来自外地，工作头几年收入不高，在附近租房开支大、"
        "通勤时间长，有的人干不满三年就离职了。{dept}就有两名业务骨干因为成家后没有合适的住处而调走。而厂区内"
        "还有一栋闲置多年的办公楼。",
    ),
    asks=(
        "建议将闲置办公楼改造为青年职工周转公寓，租金优惠，周转期限三到五年；宿舍管理可由工会牵头组织职工"
        "自我管理，减少后勤成本。",
    ),
    outcomes=(
        (
            "{nin}的建议有利于稳定青年人才队伍，{branch}已组织后勤服务中心、工会进行了研究论证。",
            "{branch}已将闲置办公楼改造项目列入下一年度投资计划，改造后可提供约{n_rooms}间周转公寓；宿舍自治管理"
            "已在两栋宿舍楼试点。",
        ),
    ),
    basis=("{corp}《职工宿舍管理办法》和关于加强青年人才队伍建设的有关规定。",),
)
_sc(
    "housing",
    "accusation",
    "housing_allocation",
    level="discipline",
    group=1,
    topic="周转房分配和出租",
    subjects=(
        "举报{branch}{n_rooms}套周转房分配暗箱操作的问题",
        "关于{branch}后勤服务中心违规出租周转房、月收租金{rent}元的检举",
    ),
    facts=(
        "{branch}去年腾出的{n_rooms}套周转房，按规定应当优先分配给双职工和住房困难职工，并公示分配结果。但实际上"
        "分配名单从未公示，有几套分给了已在市区购房的管理人员，还有两套被后勤服务中心某负责人出租给外单位人员，"
        "每月租金{rent}元左右，收入去向不明。而排队多年的一线困难职工却一直没有分到。",
    ),
    asks=("请纪委核查周转房分配和出租情况，公开分配结果，对违规行为严肃处理。",),
    outcomes=(
        (
            "经核查，{branch}周转房分配未按规定公示，其中{n_fake_r}套分配给不符合条件的人员，另有两套由后勤服务中心"
            "违规对外出租，租金未纳入单位账户，反映问题属实。",
            "{corp}纪委已对后勤服务中心相关负责人给予党纪处分，违规收取的租金已全部追缴入账；不符合条件的人员已限期"
            "腾退，周转房已按规定重新分配并公示。",
        ),
    ),
    basis=("依据《中国共产党纪律处分条例》和{corp}《职工宿舍管理办法》的相关规定。",),
    accused=("{branch}后勤服务中心某负责人", "{branch}某副{head}"),
)

# ---------------------------------------------------------------------------------------- work injury
_sc(
    "work_injury",
    "claim",
    "injury_recognition",
    frontline=True,
    level="branch",
    group=0,
    topic="工伤认定申报",
    subjects=(
        "请求{branch}为本人{y}年{m1}月{d1}日受伤申报工伤认定",
        "关于{branch}{team}职工受伤后单位未申报工伤的反映",
    ),
    facts=(
        "{y}年{m1}月{d1}日，我{injury_cause}，当即被送到医院，诊断为{injury}，住院治疗了{inj_days}天。"
        "事故发生后，班组长让我先按“自己不小心摔伤”处理，说报了工伤全车间的安全奖都要扣。出院后我多次要求单位"
        "申报工伤认定，{dept}一直拖着，现在已经过去{n_months}个月了。医药费自己垫付了{amount_fmt}，休养期间的工资"
        "也只发了基本生活费。",
    ),
    asks=("恳请领导督促单位依法为我申报工伤认定，补发停工留薪期间的工资，报销垫付的医疗费用。",),
    outcomes=(
        (
            "经调查核实，{nin}于{y}年{m1}月{d1}日在工作时间、工作场所内因工作原因受伤的事实清楚，{branch}未在规定"
            "时限内提出工伤认定申请，反映情况属实。",
            "{branch}已向当地人力资源和社会保障部门提交工伤认定申请并已受理；停工留薪期内的工资差额已全额补发，垫付的"
            "医疗费将在工伤认定后按规定由工伤保险基金和单位支付；对瞒报受伤情况的班组长和{dept}负责人已按规定问责。",
        ),
    ),
    basis=(
        "《工伤保险条例》第十四条规定，职工在工作时间和工作场所内，因工作原因受到事故伤害的，应当认定为工伤；"
        "第十七条规定，用人单位应当自事故伤害发生之日起30日内提出工伤认定申请；第三十三条规定，停工留薪期内"
        "原工资福利待遇不变，由所在单位按月支付。",
    ),
)
_sc(
    "work_injury",
    "claim",
    "injury_benefits",
    frontline=True,
    level="branch",
    group=0,
    topic="工伤停工留薪期待遇",
    subjects=(
        "请求{branch}落实本人工伤（{disability}级伤残）停工留薪期待遇",
        "关于本人工伤后{branch}{dept}未足额支付停工留薪期工资的反映",
    ),
    facts=(
        "{y_prev}年，我{injury_cause}，已被人力资源和社会保障部门认定为工伤，{y}年{m2}月经劳动能力"
        "鉴定委员会鉴定为{disability}级伤残。工伤保险基金支付的一次性伤残补助金已经到账，但应由单位支付的停工留薪期"
        "工资差额和护理费至今没有落实。{dept}让我等“领导签字”，人力资源部又说要等{corp}批复，来回跑了{n_tries}趟"
        "还是没有结果。",
    ),
    asks=("请求单位尽快补发停工留薪期工资差额和护理费，并书面告知今后工伤待遇的办理流程。",),
    outcomes=(
        (
            "经核查，{nin}的工伤认定和伤残等级鉴定结论明确，{branch}停工留薪期工资按基本工资计发，少发了绩效工资"
            "部分，护理费未支付，反映情况属实。",
            "{branch}已按原工资福利待遇标准补发停工留薪期工资差额，护理费按规定一次性支付；人力资源部已书面告知工伤"
            "待遇项目、标准和办理流程，并指定专人跟踪办理。",
        ),
    ),
    basis=(
        "《工伤保险条例》第三十三条规定，在停工留薪期内，原工资福利待遇不变，由所在单位按月支付；生活不能自理的"
        "工伤职工在停工留薪期需要护理的，由所在单位负责。",
    ),
)
_sc(
    "work_injury",
    "claim",
    "injury_occupational_disease",
    frontline=True,
    level="branch",
    group=2,
    topic="疑似{disease}的诊断和待遇",
    subjects=(
        "关于{branch}{team}职工疑似{disease}未安排诊断的反映",
        "请求为{branch}{team}等接触{hazard_factor}岗位职工安排职业病诊断",
    ),
    facts=(
        "{wo}在{team}从事{job}工作多年，长期接触{hazard_factor}。{y}年{m1}月单位组织的职业健康检查中，{involved}"
        "被提示“疑似{disease}”，需要到职业病诊断机构进一步诊断。可体检结果出来后，单位既没有书面告知，也没有安排"
        "诊断，有的同事是自己打电话问体检机构才知道的。这两年大家{symptom}越来越明显，心里很害怕。",
    ),
    asks=("恳请公司依法安排疑似职业病职工到有资质的机构进行诊断，落实相关待遇，并改善作业场所的防护条件。",),
    outcomes=(
        (
            "经核查，{y}年职业健康检查中{branch}{r_involved}被提示为疑似{disease}，{branch}未按规定及时告知并安排"
            "诊断，反映情况属实。",
            "{branch}已书面告知每位相关职工体检结果，并安排到有资质的职业病诊断机构进行诊断，诊断期间费用由单位承担、"
            "工资照发；确诊者将按规定申报工伤认定。{branch}已投入专项资金对{team}作业场所进行{hazard_factor}治理。",
        ),
    ),
    basis=(
        "《中华人民共和国职业病防治法》第三十五条规定，用人单位应当组织职业健康检查，并将检查结果书面告知劳动者；"
        "第五十五条规定，用人单位应当及时安排对疑似职业病病人进行诊断，诊断、医学观察期间的费用由用人单位承担。",
    ),
)
_sc(
    "work_injury",
    "suggestion",
    "injury_first_aid",
    frontline=True,
    level="branch",
    group=1,
    topic="现场急救和工伤报销流程",
    subjects=(
        "关于{branch}{dept}作业点配备现场急救设施的建议",
        "对{branch}{dept}简化工伤医疗费报销流程的建议",
    ),
    facts=(
        "{wo}所在的{team}作业点距离{branch}医务室有{distance_km}公里，{y}年{m1}月一名同事受伤后，现场没有急救箱和"
        "担架，大家只能用工作服临时包扎，耽误了十几分钟。另外，职工工伤后报销医疗费要在班组、{dept}、安全环保部、"
        "人力资源部之间来回签字，有时一个多月都报不下来。",
    ),
    asks=(
        "建议：一是在各主要作业点配备急救箱、担架和自动体外除颤器，每个班组培训两名兼职急救员；二是由人力资源部"
        "统一受理工伤报销，实行“一次提交、限时办结”。",
    ),
    outcomes=(
        (
            "{nin}的建议切实可行，{branch}已研究采纳。",
            "{branch}已在各主要作业点配备急救箱和担架，首批{n_aed}台自动体外除颤器已安装；兼职急救员培训已列入本年度"
            "培训计划。工伤医疗费报销改由人力资源部统一受理，承诺十五个工作日内办结。",
        ),
    ),
    basis=("《工伤保险条例》第四条关于用人单位做好工伤预防工作的规定和{corp}《职业健康管理办法》。",),
)
_sc(
    "work_injury",
    "accusation",
    "injury_concealed",
    frontline=True,
    level="discipline",
    group=1,
    topic="瞒报工伤事故",
    subjects=(
        "举报{branch}{dept}瞒报职工受伤事故的问题",
        "关于{branch}以“私了”方式隐瞒{y}年{m1}月工伤事故的检举",
    ),
    facts=(
        "{y}年{m1}月{d1}日，{branch}{team}一名{job}{injury_cause}，伤情较重。事后{dept}负责人没有按规定上报，"
        "而是让班组对外统一说法为“下班后在家摔伤”，并私下给伤者家属{amount_fmt}作为“补偿”，要求签字不再追究。"
        "据了解，{dept}这样做是为了保住全年“零事故”考核和安全奖。这不仅损害了受伤职工的合法权益，也掩盖了现场的"
        "安全隐患。",
    ),
    asks=("请求纪委和安全监督部门调查核实，追究瞒报责任，保障受伤职工依法享受工伤待遇。",),
    outcomes=(
        (
            "经调查，{y}年{m1}月{branch}{team}发生一起生产安全事故，造成一人受伤，{dept}未按规定报告，反映问题属实。",
            "{corp}已依规对{dept}负责人及相关人员给予处分，扣减{branch}年度安全考核分值；{branch}已为受伤职工申报"
            "工伤认定并落实待遇，私下签订的协议不影响其依法享受工伤保险待遇。",
        ),
    ),
    basis=(
        "《中华人民共和国安全生产法》第八十三条规定，生产经营单位发生生产安全事故后，单位负责人应当按照国家有关规定"
        "立即如实报告，不得隐瞒不报、谎报或者迟报。",
    ),
    accused=("{branch}{dept}某负责人", "{branch}某副{head}"),
)

# ----------------------------------------------------------------------------------------- discipline
_sc(
    "discipline",
    "accusation",
    "discipline_recruitment",
    level="discipline",
    group=1,
    topic="招聘中违规录用",
    subjects=(
        "举报{branch}{y}年招聘{n_posts}名{post}中违规录用关系人员的问题",
        "关于{branch}{y}年{post}招聘“内定”人选的检举",
    ),
    facts=(
        "{y}年{m1}月{branch}面向社会公开招聘{n_posts}名{post}，招聘公告要求全日制本科及以上学历、相关专业。但最终"
        "录用名单中，有{n_fake}人的学历、专业明显不符合条件，其中一人是函授专科学历。更让人疑惑的是，笔试成绩没有"
        "公布，面试评委全部是{branch}内部人员，录用名单也只在内网挂了半天就撤下了。职工中普遍议论，这几个人与"
        "{branch}个别领导存在亲属关系。",
    ),
    asks=("请纪委调查本次招聘的全过程，公开笔试面试成绩，对违规录用的人员依规处理，还求职者和职工一个公道。",),
    outcomes=(
        (
            "经调阅{branch}{y}年招聘全部资料并与相关人员谈话，发现{n_fake_r}名录用人员不符合招聘公告规定的专业条件，"
            "面试评委组成不符合{corp}《员工招聘管理办法》“外部评委不少于三分之一”的规定，反映问题基本属实；"
            "未发现录用人员与{branch}领导人员存在亲属关系。",
            "{corp}纪委已责成{branch}撤销不符合条件人员的录用决定，对负责招聘工作的人力资源部负责人给予诫勉处理；"
            "{corp}已修订招聘管理办法，笔试、面试成绩和拟录用名单一律公示不少于五个工作日。",
        ),
        (
            "经核查，{branch}本次招聘按程序报{corp}审批，录用人员学历、专业均符合公告条件，被反映的人员系以全日制"
            "本科学历报名；笔试成绩已在招聘系统中向考生个人公开。反映问题不属实。",
            "{corp}纪委已向{branch}提出改进建议：今后拟录用名单在内外网同时公示五个工作日，面试邀请外部评委参加，"
            "主动接受职工监督。",
        ),
    ),
    basis=("依据" + _PARTY_RULES + "和{corp}《员工招聘管理办法》的相关规定。",),
    accused=("{branch}某领导班子成员", "{branch}人力资源部某负责人"),
)
_sc(
    "discipline",
    "accusation",
    "discipline_inflated_quantities",
    level="discipline",
    group=1,
    topic="{proj_item}工程虚报工程量",
    subjects=(
        "举报{branch}{proj_item}工程虚报工程量套取工程款的问题",
        "关于{branch}{proj_item}工程结算工程量明显不实的检举",
    ),
    facts=(
        "{branch}的{proj_item}工程由外部施工队承包，{y}年{m1}月完成结算。{wo}在现场参与过施工管理，很清楚实际完成的"
        "工程量，但结算单上的工程量比现场实际多出{fake_pct}%左右，多结算金额约{amount2_fmt}。据了解，验收签字时"
        "监理人员并未到场，{branch}负责验收的人员与施工队老板来往密切，还多次一起外出吃饭。",
    ),
    asks=("请纪委会同审计部门对该工程进行核查和审计，追回多结算的资金，查处相关人员。",),
    outcomes=(
        (
            "经{corp}审计部门委托第三方造价机构现场复核，{proj_item}工程结算量较实际完成量多出{fake_pct_r}%，多结算"
            "金额{amount_r_fmt}，反映问题属实。",
            "多结算款项已从施工单位尾款中扣回；{corp}纪委已对负责现场验收签证的人员立案审查，施工单位已按合同约定"
            "处理并列入{corp}供应商黑名单；{branch}已实行隐蔽工程影像留存和“三方现场签证”制度。",
        ),
        (
            "经第三方造价机构现场复核，{proj_item}工程结算工程量与实际完成量基本一致，差异在合理误差范围内；举报中"
            "提到的部分工程量系设计变更增加，变更手续齐全。反映问题不属实。",
            "{corp}纪委已提醒{branch}加强工程签证管理，重要隐蔽工程实行影像留存。",
        ),
    ),
    basis=("依据《建设工程价款结算暂行办法》、{corp}《工程项目结算管理办法》和《中国共产党纪律处分条例》的相关规定。",),
    accused=("{branch}工程管理部门某负责人", "{branch}负责现场验收的某管理人员"),
)
_sc(
    "discipline",
    "accusation",
    "discipline_fund_misuse",
    level="discipline",
    group=1,
    topic="挪用{fund}",
    subjects=(
        "举报{branch}挪用{y}年{fund}{amount_big_fmt}的问题",
        "关于{branch}将{fund}用于非规定用途的检举",
    ),
    facts=(
        "{y}年{branch}安排{fund}约{amount2_fmt}，按规定应当专款专用。但据{wo}了解，其中有{amount_big_fmt}左右被用于"
        "{misuse}，财务上以“{cover}”的名义列支。与此同时，{team}申请了大半年的{need}却一直说没有钱。",
    ),
    asks=("请纪委查清资金使用情况，责令将挪用的资金归还原渠道，并追究相关人员责任。",),
    outcomes=(
        (
            "经{corp}审计部门专项审计，{branch}{y}年{fund}中有{amount_big_fmt}用于非规定用途，反映问题属实。",
            "挪用资金已全部归还原渠道；{corp}纪委已对{branch}主要负责人、财务负责人分别给予党纪处分和组织处理；"
            "{team}申请的{need}已落实。",
        ),
        (
            "经专项审计，{branch}{y}年{fund}支出凭证齐全、用途符合规定，举报中所称的支出均从其他科目列支，未占用"
            "专项资金。反映问题不属实。",
            "{branch}将每半年公开一次{fund}使用情况，接受职工监督；{team}申请的{need}已列入下季度计划。",
        ),
    ),
    basis=("依据国家关于专项资金管理的有关规定、{corp}《专项资金管理办法》和《中国共产党纪律处分条例》。",),
    accused=("{branch}某负责人", "{branch}财务部门某负责人"),
)
_sc(
    "discipline",
    "accusation",
    "discipline_kickbacks",
    level="discipline",
    group=1,
    topic="{supply}采购收受回扣",
    subjects=(
        "举报{branch}物资采购人员收受{supply}供应商回扣的问题",
        "关于{branch}{supply}采购价格明显偏高、疑有回扣的检举",
    ),
    facts=(
        "{branch}近两年采购的{supply}几乎都出自同一家供应商，采购单价比市场价高出{fake_pct}%左右，而且质量很差，"
        "{team}用不了多久就要更换。据{wo}了解，所谓的比价采购只是让供应商自己找两家公司“陪标”，采购人员逢年过节"
        "收受该供应商的购物卡，还按采购金额收取{kick_pct}%的“好处费”。",
    ),
    asks=("请求纪委调查核实，依法依纪查处收受回扣的人员，规范物资采购管理。",),
    outcomes=(
        (
            "经调取{branch}近两年{supply}采购合同、比价记录和付款凭证，并对供应商进行外调，发现比价过程存在供应商"
            "串通陪标的问题，采购单价明显高于同期市场价；收受购物卡和回扣问题正在进一步核查。反映问题部分属实。",
            "{corp}纪委已对相关采购人员立案审查，涉嫌违法的线索已按规定移送；该供应商已被暂停供货资格；{branch}"
            "{supply}改为通过{corp}电子采购平台公开采购。",
        ),
        (
            "经核查，{branch}{supply}通过{corp}电子采购平台公开招标采购，中标价格与同期市场价基本持平；质量问题系个别"
            "批次不合格，已按合同索赔。未发现采购人员收受回扣的证据。",
            "{corp}纪委已约谈采购人员进行廉洁提醒；{branch}已将{supply}质量验收改为使用部门共同参与。",
        ),
    ),
    basis=("依据《中华人民共和国招标投标法》、" + _PARTY_RULES + "的相关规定。",),
    accused=("{branch}物资部门某采购人员", "{branch}物资部门某负责人"),
)
_sc(
    "discipline",
    "claim",
    "discipline_sanction_appeal",
    frontline=True,
    level="company",
    group=0,
    topic="处分决定申诉",
    subjects=(
        "对{branch}给予本人{sanction}处分决定的申诉",
        "关于{branch}{y}年{m1}月{incident}事件中本人所受处分过重的申诉",
    ),
    facts=(
        "{y}年{m1}月{d1}日，{team}发生一起{incident}事件，当班的我被认定负主要责任，{m2}月{branch}作出给予我{sanction}"
        "处分、扣发{n_months}个月绩效工资的决定。我认为处理过重：一是事发时我是按照值班负责人的口头指令操作的，"
        "有对讲机录音可以证明；二是调查组没有听取我的陈述申辩，处分决定也没有书面送达，是同事告诉我的。",
    ),
    asks=("请求{corp}对事件责任重新调查认定，撤销或减轻对我的处分，并依规补办送达手续。",),
    outcomes=(
        (
            "经{corp}复核，事发时{nin}系执行值班负责人口头指令，认定主要责任依据不足；原处分程序中未听取本人陈述申辩、"
            "未书面送达，程序存在瑕疵。",
            "{corp}已责成{branch}撤销原处分决定，重新认定为次要责任，给予通报批评，扣发的绩效工资按新决定核算后补发"
            "差额。{branch}已规范员工处分程序，处分决定一律书面送达并告知申诉途径。",
        ),
        (
            "经{corp}复核，事件调查报告认定事实清楚，{nin}未按操作票执行操作是导致事件的直接原因，处分适当；但原处分"
            "决定未书面送达，程序存在瑕疵。",
            "{branch}已向{nin}补送处分决定书并说明认定依据，维持原处分决定。",
        ),
    ),
    basis=("{corp}《员工奖惩管理办法》和《安全生产事故（事件）调查处理规定》的相关规定。",),
)
_sc(
    "discipline",
    "suggestion",
    "discipline_integrity_monitors",
    level="discipline",
    group=1,
    topic="基层廉洁风险防控",
    subjects=(
        "关于{branch}{dept}物资采购和工程结算廉洁风险防控的建议",
        "对{corp}在{branch}设立职工廉洁监督员的建议",
    ),
    facts=(
        "{wo}在{branch}{dept}工作{years}年，感到物资采购、工程结算、招聘录用这些环节，职工关注度高、议论也多。"
        "有的事情本身是合规的，但因为信息不公开，职工容易产生猜测；有的环节监督确实不到位，比如小额零星采购"
        "基本由一人经办。",
    ),
    asks=(
        "建议：一是在各基层单位聘请一线职工担任廉洁监督员；二是小额零星采购实行“双人询价、定期公开”；"
        "三是工程结算和招聘结果在内网常态化公示。",
    ),
    outcomes=(
        (
            "{nin}的建议对加强基层廉洁风险防控有积极作用，{corp}纪委已会同有关部门研究。",
            "{corp}已在各基层单位聘请首批{n_monitors}名职工廉洁监督员；小额零星采购管理细则已修订，实行双人询价和"
            "季度公开；招聘结果公示已纳入制度。",
        ),
    ),
    basis=("《国有企业领导人员廉洁从业若干规定》和{corp}《廉洁风险防控管理办法》。",),
)

# ----------------------------------------------------------------------------------- labour contract
_sc(
    "labour_contract",
    "claim",
    "labour_dispatch_equal_pay",
    level="branch",
    group=2,
    topic="劳务派遣人员同工同酬",
    subjects=(
        "关于{branch}{team}劳务派遣职工同工不同酬的反映",
        "{branch}{dept}劳务派遣人员请求落实同工同酬待遇",
    ),
    facts=(
        "{wo}是通过劳务派遣到{branch}{team}工作的，在这里干了{years}年，干的是和正式职工完全一样的{job}岗位，一样"
        "倒班、一样考核，但每月收入只有正式职工的一半左右，不发{allowance}，年终奖也只有{amount_small}元，更没有"
        "企业年金和补充医疗保险。{team}目前{involved}都是这种情况，大家私下都说自己是“编外人员”。",
    ),
    asks=("请求公司按照法律规定落实同工同酬，对同岗位的派遣职工执行相同的工资标准和津贴发放办法。",),
    outcomes=(
        (
            "经核查，{branch}{team}劳务派遣人员与正式职工从事相同岗位工作，但{allowance}未纳入派遣人员工资构成，"
            "岗位工资标准也低于同岗位职工，反映情况属实。",
            "{branch}已与派遣单位重新核定派遣人员工资构成，自下月起按同岗位标准发放岗位工资和{allowance}，差额部分"
            "依法补发；企业年金、补充医疗保险等问题，{corp}正在统一研究派遣用工改革方案。",
        ),
        (
            "经核查，{branch}{team}劳务派遣人员岗位工资标准与同岗位正式职工一致，{allowance}已按同一标准发放，收入"
            "差距主要来自工龄工资和企业年金等与劳动合同主体相关的项目。反映情况部分属实。",
            "{branch}已督促派遣单位向派遣人员公开工资构成，并将年终奖分配标准与同岗位职工统一；符合条件的派遣人员"
            "可参加{corp}组织的公开招聘转为劳动合同制职工。",
        ),
    ),
    basis=(
        "《中华人民共和国劳动合同法》第六十三条规定，被派遣劳动者享有与用工单位的劳动者同工同酬的权利；用工单位"
        "应当按照同工同酬原则，对被派遣劳动者与本单位同类岗位的劳动者实行相同的劳动报酬分配办法。",
    ),
)
_sc(
    "labour_contract",
    "claim",
    "labour_dispatch_conversion",
    level="branch",
    group=2,
    topic="长期派遣人员转为合同制职工",
    subjects=(
        "关于{branch}{dept}长期使用{peer}名劳务派遣人员从事主营业务岗位的反映",
        "请求将{branch}{team}长期派遣人员转为劳动合同制职工",
    ),
    facts=(
        "{branch}{dept}现有派遣人员{peer}人，不少人在{team}这样的主营业务岗位上一干就是七八年，早已不是法律规定的"
        "“临时性、辅助性、替代性”岗位。派遣公司每两年换一次，劳动合同跟着重签，工龄从零算起。{wo}向派遣公司反映，"
        "派遣公司说要看用工单位；找用工单位，又说劳动关系不在这里。",
    ),
    asks=(
        "请求公司依法规范派遣用工，对长期在主营业务岗位工作、表现良好的派遣人员，通过公开招聘等方式转为劳动合同制"
        "职工，工龄连续计算。",
    ),
    outcomes=(
        (
            "经核查，{branch}劳务派遣用工比例超过用工总量的10%，部分派遣人员长期在主营业务岗位工作，反映情况属实。",
            "{branch}已制定派遣用工规范方案，分两年将派遣用工比例降至10%以内；今年拟通过内部公开招聘将{n_posts}名"
            "符合条件的派遣人员转为劳动合同制职工，招聘条件和结果将公开公示。",
        ),
    ),
    basis=(
        "《中华人民共和国劳动合同法》第六十六条规定，劳务派遣用工只能在临时性、辅助性或者替代性的工作岗位上实施；"
        "《劳务派遣暂行规定》第四条规定，用工单位使用的被派遣劳动者数量不得超过其用工总量的10%。",
    ),
)
_sc(
    "labour_contract",
    "claim",
    "labour_open_ended_contract",
    level="branch",
    group=0,
    topic="签订无固定期限劳动合同",
    subjects=(
        "请求{branch}{dept}与本人签订无固定期限劳动合同（{join_year}年入职）",
        "关于本人{y}年{m1}月劳动合同到期后{branch}既不续订也不终止的反映",
    ),
    facts=(
        "我于{join_year}年进入{branch}工作，先后签订了两次固定期限劳动合同，第二份合同于{y}年{m1}月到期。到期前我"
        "书面提出签订无固定期限劳动合同，人力资源部口头答复“再研究”，此后一直没有续签，也没有办理终止手续，我照常"
        "上班、照常领工资。最近听说单位准备以合同到期为由让我离岗，我心里非常不安。",
    ),
    asks=("请求单位依法与我签订无固定期限劳动合同，并补签合同到期后这段时间的劳动合同。",),
    outcomes=(
        (
            "经核查，{nin}已连续订立两次固定期限劳动合同，且不存在《劳动合同法》第三十九条和第四十条第一项、第二项"
            "规定的情形，依法应当订立无固定期限劳动合同，反映情况属实。",
            "{branch}已与{nin}签订无固定期限劳动合同，合同期限自原合同到期次日起连续计算；人力资源部已对全部劳动合同"
            "到期情况进行排查，建立到期前三十日提醒机制。",
        ),
    ),
    basis=(
        "《中华人民共和国劳动合同法》第十四条规定，连续订立二次固定期限劳动合同，且劳动者没有本法第三十九条和"
        "第四十条第一项、第二项规定的情形，续订劳动合同的，除劳动者提出订立固定期限劳动合同外，应当订立无固定期限"
        "劳动合同。",
    ),
)
_sc(
    "labour_contract",
    "suggestion",
    "labour_outsourcing_management",
    level="branch",
    group=1,
    topic="外包作业人员管理",
    subjects=(
        "关于规范{branch}{dept}外包作业人员管理的建议",
        "对{branch}{dept}外包队伍人员安全培训和权益保障的建议",
    ),
    facts=(
        "{branch}{dept}的不少辅助作业由外包队伍承担，外包人员流动性大，很多人没有经过系统的安全培训就上岗，劳保"
        "用品也是自己买的。{wo}和他们一起干活，发现他们对现场风险很不熟悉，{y}年就发生过两次险情。另外，外包队伍"
        "经常拖欠工人工资，工人找不到老板就来找{branch}。",
    ),
    asks=(
        "建议：一是外包人员进场前由{branch}统一组织安全培训和考试；二是在外包合同中明确工资支付和劳保配发要求，"
        "由{branch}按月核查；三是推行外包工人工资由银行代发，防止拖欠。",
    ),
    outcomes=(
        (
            "{nin}的建议很有针对性，{branch}已组织安全环保部、物资部门和劳务管理部门研究。",
            "{branch}已修订《外包队伍安全管理办法》，外包人员进场一律“先培训、后考试、再上岗”；外包合同范本增加工资"
            "支付和劳保配发条款，外包工人工资实行按月核查、银行代发。",
        ),
    ),
    basis=(
        "《中华人民共和国安全生产法》第四十九条关于生产经营单位对承包单位安全生产工作统一协调、管理的规定以及"
        "《保障农民工工资支付条例》。",
    ),
)
_sc(
    "labour_contract",
    "accusation",
    "labour_padded_headcount",
    level="discipline",
    group=1,
    topic="劳务费用虚报人数",
    subjects=(
        "举报{branch}劳务外包结算中虚报人数冒领劳务费的问题",
        "关于{branch}劳务管理人员与外包队伍串通克扣工人工资的检举",
    ),
    facts=(
        "{branch}{dept}的劳务外包按人头结算，每月由外包队伍报考勤、{branch}劳务管理人员审核后付款。据{wo}了解，外包"
        "队伍上报的人数每月都比实际在岗人数多出{n_fake}人左右，按每人每月{monthly2}元计算，一年多付{padded_total}。"
        "同时，外包队伍还以“押金”“管理费”等名义克扣工人工资，每人每月{amount_small}元。{branch}负责审核的人员对此"
        "心知肚明却照样签字。",
    ),
    asks=("请求纪委核查劳务费用结算和工人工资发放情况，追回多付的款项，查处相关人员。",),
    outcomes=(
        (
            "经比对门禁记录、考勤表和结算单，外包队伍存在虚报人数的问题，{branch}多支付劳务费用{padded_found}；"
            "克扣工人工资问题属实。",
            "多支付的费用已从外包队伍结算款中扣回，克扣的工人工资已责令全额退还并由{branch}监督发放到人；{corp}纪委"
            "已对负责审核的劳务管理人员立案审查；{branch}已推行门禁与考勤数据自动比对结算。",
        ),
    ),
    basis=("依据《保障农民工工资支付条例》、{corp}《劳务外包管理办法》和《中国共产党纪律处分条例》的相关规定。",),
    accused=("{branch}劳务管理部门某审核人员", "{branch}{dept}某负责人"),
)

# --------------------------------------------------------------------------------------------- safety
_sc(
    "safety",
    "suggestion",
    "safety_hazard",
    frontline=True,
    level="branch",
    group=1,
    topic="{hazard_short}隐患整改",
    subjects=(
        "关于{branch}{dept}{hazard_short}的安全隐患及整改建议",
        "建议尽快整改{branch}{team}作业区域{hazard_short}问题",
    ),
    facts=(
        "{wo}在{team}工作，发现作业现场存在一处明显的安全隐患：{hazard}。{y}年{m1}月巡检时{wo}就在隐患排查记录上"
        "登记过，班组也上报了，但{n_months}个月过去了仍未整改，只是拉了一道警戒绳。现在{season_risk}，{wo}很担心"
        "哪天出事。",
    ),
    asks=(
        "建议：一是立即对该隐患进行评估，落实临时防护措施；二是明确整改责任人和完成时限；三是对隐患排查台账中"
        "长期未整改的项目开展一次全面清理。",
    ),
    outcomes=(
        (
            "{branch}安全环保部已组织现场核查，{nin}反映的隐患确实存在，属于一般事故隐患，整改不及时的问题属实。",
            "该隐患已完成整改并经安全环保部验收；{branch}对隐患排查台账中超期未整改的{n_items}项隐患全部挂牌督办，"
            "对{dept}相关责任人进行了考核，并对主动报告隐患的职工给予奖励。",
        ),
        (
            "{branch}安全环保部已组织现场核查，{nin}反映的隐患确实存在，因需停机处理，已列入近期检修计划。",
            "整改完成前已增设硬隔离防护和警示标识，安排专人每班检查；整改完成后将组织验收并向{nin}反馈。"
            "{branch}对主动报告隐患的职工给予奖励。",
        ),
    ),
    basis=(
        "《中华人民共和国安全生产法》第四十一条规定，生产经营单位应当建立健全并落实生产安全事故隐患排查治理制度，"
        "及时发现并消除事故隐患；第五十九条规定，从业人员发现事故隐患或者其他不安全因素，应当立即报告。",
    ),
)
_sc(
    "safety",
    "claim",
    "safety_ppe",
    frontline=True,
    level="branch",
    group=2,
    topic="劳动防护用品配发",
    subjects=(
        "反映{branch}{team}劳动防护用品配发不足、质量差的问题",
        "请求{branch}按标准为{team}职工配发{ppe}",
    ),
    facts=(
        "按照规定，{team}每人每月应当配发{ppe}等劳动防护用品，但从{y}年{m1}月开始，配发数量减少了一半，新发的用品"
        "质量也明显不如以前，{example}领到的有的用几天就坏了。{wo}只能自己花钱去买，每月要{ppe_cost}元左右。问到"
        "原因，说是{branch}压缩了劳保费用。{team}长期在{env}的环境下作业，防护用品跟不上，大家心里很不踏实。",
    ),
    asks=("请求{branch}按照劳动防护用品配备标准足额配发合格的防护用品，补发少发的部分。",),
    outcomes=(
        (
            "经核查，{branch}{y}年{m1}月起调整了劳保用品采购渠道，{team}部分防护用品配发数量未达到{corp}《劳动防护"
            "用品配备标准》，部分批次质量不合格，反映情况属实。",
            "{branch}已补发少发的防护用品，不合格批次已全部退换并向供应商索赔；职工自购的防护用品凭票据予以报销；"
            "今后劳保用品配发情况在班组公示。",
        ),
    ),
    basis=(
        "《中华人民共和国安全生产法》第四十五条规定，生产经营单位必须为从业人员提供符合国家标准或者行业标准的"
        "劳动防护用品。",
    ),
)
_sc(
    "safety",
    "accusation",
    "safety_illegal_orders",
    frontline=True,
    level="discipline",
    group=1,
    topic="违章指挥、强令冒险作业",
    subjects=(
        "举报{branch}{dept}负责人违章指挥、强令冒险作业的问题",
        "关于{branch}{team}为赶进度强令违章作业的检举",
    ),
    facts=(
        "{y}年{m1}月{d1}日，{team}{hazard_op}时，按规定应当{safety_rule}，但{dept}某负责人为了赶进度，要求当班人员"
        "“先干起来，手续后补”。有职工提出异议，被当场训斥并被威胁扣发当月奖金。类似情况这一年已经发生了{n_times}次。"
        "{wo}担心再这样下去迟早会出人命。",
    ),
    asks=("请求纪委和安全监督部门调查处理，制止违章指挥，保护提出异议的职工不受打击报复。",),
    outcomes=(
        (
            "经{corp}安全监察部门和纪委联合调查，{dept}负责人在{y}年{m1}月{d1}日作业中存在未办理作业许可即安排作业的"
            "违章指挥行为，反映问题属实。",
            "{corp}已对该负责人给予撤职处理，对{branch}分管负责人进行约谈；{branch}已开展反违章专项整治。{corp}明确"
            "要求不得以任何形式对提出异议和举报的职工打击报复，并将跟踪回访。",
        ),
    ),
    basis=(
        "《中华人民共和国安全生产法》第五十四条规定，从业人员有权拒绝违章指挥和强令冒险作业；生产经营单位不得因"
        "从业人员拒绝违章指挥、强令冒险作业而降低其工资、福利等待遇或者解除与其订立的劳动合同。",
    ),
    accused=("{branch}{dept}某负责人", "{branch}某副{head}"),
)
_sc(
    "safety",
    "accusation",
    "safety_fake_records",
    frontline=True,
    level="discipline",
    group=1,
    topic="隐患排查记录弄虚作假",
    subjects=(
        "举报{branch}{dept}隐患排查记录弄虚作假的问题",
        "关于{branch}{dept}安全检查“纸上整改”的检举",
    ),
    facts=(
        "{branch}{dept}的隐患排查台账上，很多隐患都标注为“已整改闭环”，附有整改前后的照片，但实际上现场根本没有"
        "整改，照片是换个角度重拍的。比如{hazard}，台账上{y}年{m1}月就“闭环”了，可到现在还是老样子。上级来检查"
        "前，{dept}会临时组织人员突击遮挡，检查组一走就恢复原样。",
    ),
    asks=("请求对{branch}隐患排查治理情况进行暗查暗访，追究弄虚作假人员的责任。",),
    outcomes=(
        (
            "{corp}安全监察部门采取“四不两直”方式对{branch}进行了暗查，发现{dept}隐患台账中有{n_items}项隐患标注"
            "已整改但现场未整改，反映问题属实。",
            "上述隐患已全部重新挂牌整改并复查验收；{corp}对{dept}负责人和安全员进行了严肃问责；{branch}隐患整改验收"
            "改为安全环保部门现场复核签字。",
        ),
    ),
    basis=("《中华人民共和国安全生产法》第四十一条关于事故隐患排查治理制度的规定和{corp}《安全生产责任追究办法》。",),
    accused=("{branch}{dept}某负责人", "{branch}{dept}某专职安全员"),
)

# ------------------------------------------------------------------------------------ canteen welfare
_sc(
    "canteen_welfare",
    "suggestion",
    "canteen_quality",
    level="branch",
    group=1,
    topic="职工食堂饭菜质量和价格",
    subjects=(
        "关于改善{branch}职工食堂饭菜质量、把套餐价格稳定在{price_old}元的建议",
        "对{branch}食堂套餐从{price_old}元涨到{price_new}元的意见",
    ),
    facts=(
        "{branch}食堂自{y}年{m1}月换了承包商以后，饭菜质量明显下降：荤菜分量少，{food_issue}，一份套餐却从{price_old}"
        "元涨到了{price_new}元。夜班职工凌晨下班时食堂只剩下面条，经常是凉的。{wo}向后勤服务中心反映过，得到的答复"
        "是“食材涨价了”。",
    ),
    asks=(
        "建议：一是成立由职工代表参加的伙食管理委员会，定期评议饭菜质量；二是公开食堂成本和价格构成；三是增加夜班"
        "热餐供应；四是对承包商实行满意度考核，不合格的及时更换。",
    ),
    outcomes=(
        (
            "{branch}后勤服务中心会同工会对食堂进行了检查和满意度测评，饭菜质量下降、夜班餐供应不足的问题属实。",
            "{branch}已约谈食堂承包商并扣减当月服务费，成立了由{n_members}名职工代表参加的伙食管理委员会，每月公开"
            "食材采购价格和成本构成，套餐价格恢复至{price_old}元；夜班热餐供应时间延长至次日凌晨两点。",
        ),
        (
            "{branch}后勤服务中心已对食堂进行专项检查，套餐调价系食材采购成本上涨所致，已按程序经伙食管理委员会"
            "讨论；饭菜质量方面存在的问题属实。",
            "{branch}已责令承包商限期整改并纳入月度考核，伙食价格和成本构成每月公示；同时增加了平价菜品，满足不同"
            "职工需求。",
        ),
    ),
    basis=("{corp}《职工食堂管理办法》和《中华人民共和国食品安全法》的有关规定。",),
)
_sc(
    "canteen_welfare",
    "suggestion",
    "canteen_commuter_bus",
    level="branch",
    group=1,
    topic="{shift_time}通勤班车",
    subjects=(
        "关于{branch}为{team}等倒班班组增开{shift_time}通勤班车的建议",
        "对{branch}{shift_time}职工通勤班车线路和时刻调整的建议",
    ),
    facts=(
        "{branch}距离市区{distance_km}公里，大部分职工住在市区，上下班主要靠单位班车。但现在班车只按白班时间开行，"
        "{shift_time}职工上下班只能自己开车或拼车，路上还要经过一段没有路灯的山路，{y}年冬天就发生过两起职工下夜班"
        "途中的交通事故。",
    ),
    asks=("建议根据倒班时间增开{shift_time}班车，并在新建小区增设站点；班车时刻表调整前，征求各班组意见。",),
    outcomes=(
        (
            "{nin}的建议关系职工通勤安全，{branch}已组织后勤服务中心、工会开展调研。",
            "{branch}已自下月起增开{shift_time}通勤班车两趟，新增两个站点；班车时刻表每半年征求一次职工意见。",
        ),
    ),
    basis=("{corp}《后勤服务管理办法》和关于为职工办实事的工作安排。",),
)
_sc(
    "canteen_welfare",
    "claim",
    "welfare_unpaid",
    level="branch",
    group=2,
    topic="{welfare}发放",
    subjects=(
        "关于{branch}{team}{y}年{welfare}未发放的反映",
        "请求{branch}按标准补发{team}职工{welfare}",
    ),
    facts=(
        "按照{corp}的规定，{welfare}的标准是{welfare_rule}，往年都是按时发放的。但{y}年{branch}以“压降非生产性支出”"
        "为由停发了，听说机关人员以其他名义领到了。{team}的{job}长期在{env}的环境下工作，这笔钱虽然不多，却关系到"
        "大家的切身感受。",
    ),
    asks=("恳请公司督促{branch}按规定补发{y}年的{welfare}，并明确以后按时发放。",),
    outcomes=(
        (
            "经核查，{branch}{y}年暂停发放{welfare}的情况属实，且未履行职代会审议程序；机关人员“以其他名义领取”的"
            "问题经核查不属实。",
            "{branch}已补发{y}年度{welfare}，涉及{r_involved}；{branch}今后调整职工福利项目须提交职代会审议。",
        ),
    ),
    basis=("{corp}《职工福利费管理办法》和经职工代表大会审议通过的福利项目及标准。",),
)
_sc(
    "canteen_welfare",
    "accusation",
    "canteen_contract",
    level="discipline",
    group=1,
    topic="食堂承包和食材采购",
    subjects=(
        "举报{branch}后勤服务中心在食堂承包中收受好处、补贴{amount2_fmt}去向不明的问题",
        "关于{branch}食堂食材价格高出市场{fake_pct}%、以次充好的检举",
    ),
    facts=(
        "{branch}食堂承包合同到期后，没有公开招标就直接续签给了原承包商。职工多次反映饭菜质量差，后勤服务中心都以"
        "“已约谈”搪塞。据了解，承包商每月给后勤服务中心某负责人“好处费”，食材采购单上的价格也普遍比市场高出"
        "{fake_pct}%，肉类经常用冻品冒充鲜肉。每年单位给食堂的补贴有{amount2_fmt}，到底花到哪里去了，职工心里都有疑问。",
    ),
    asks=("请求纪委调查食堂承包和食材采购中的问题，公开食堂补贴使用情况。",),
    outcomes=(
        (
            "经核查，{branch}食堂承包合同续签未履行公开招标程序，食材采购单价部分高于市场价，反映问题部分属实；收受"
            "“好处费”问题尚未发现确凿证据，正在进一步核查。",
            "{corp}纪委已对后勤服务中心负责人进行诫勉谈话；{branch}已重新公开招标选择食堂承包商，食堂补贴使用情况"
            "每季度公示。",
        ),
    ),
    basis=("依据《中国共产党纪律处分条例》和{corp}《职工食堂管理办法》的相关规定。",),
    accused=("{branch}后勤服务中心某负责人",),
)

# -------------------------------------------------------------------------------------------- retirees
_RETIREE_OPENING = (
    "尊敬的领导：\n我是{branch}的退休职工，今年{age}岁，{retire_year}年从{dept}退休，在{branch}整整工作了{years}年。",
    "{corp}领导：\n您好！我是一名退休老职工，原来在{branch}{dept}工作，退休已经{retired_years}年了。",
)
_RETIREE_OPENING_GROUP = (
    "尊敬的领导：\n我们是{branch}的{headcount}名退休职工，大多在{branch}工作了三十年以上。经大家商议，推选了代表，"
    "向组织反映一个大家共同关心的问题。",
    "{corp}领导：\n我们是{branch}{dept}的一批退休老同志，共{headcount}人，下面反映的是大家共同的诉求。",
)
_RETIREE_TRIED = (
    "{wo}也通过{branch}退管组织反映过，对方说要等上级政策。",
    "此前{wo}已多次打电话询问，一直没有明确答复。",
    "{wo}年纪大了，来回跑实在吃不消，只好写信反映。",
)
_sc(
    "retirees",
    "claim",
    "retirees_subsidy_stopped",
    level="company",
    group=2,
    topic="退休人员{rt_item}",
    subjects=(
        "关于{branch}{dept}退休职工{rt_item}停发的反映",
        "{branch}{dept}退休职工请求恢复{rt_item}",
    ),
    facts=(
        "{y_prev}年退休人员社会化管理移交社区以后，原来由单位发放的{rt_item}就停了，{rt_item_desc}。{wo}找过社区，"
        "社区说这是企业的事；找{branch}，又说人已经移交了不归他们管。我们这些老同志在{branch}干了几十年，很多人"
        "身体不好，每月养老金不高，这笔钱对大家来说很重要。",
    ),
    asks=("恳请公司领导关心退休老同志，按照移交时的政策明确{rt_item}的发放渠道，补发停发期间的款项。",),
    outcomes=(
        (
            "经核查，退休人员社会化管理移交后，{rt_item}因发放渠道未明确而停发，反映情况属实。",
            "经{corp}研究，{rt_item}属于移交前已明确由企业负担的项目，继续由{branch}按原标准发放，停发期间的款项已"
            "全部补发；{corp}已建立退休人员服务联络员制度，与各社区定期对接。",
        ),
        (
            "经核查，根据国有企业退休人员社会化管理的相关政策，{rt_item}属于统筹外项目，已在移交时按规定进行了规范"
            "清理，停发符合政策规定。",
            "{corp}已安排专人到社区向退休职工逐户说明政策，并为其中{n_hardship}名生活困难的退休职工申请困难帮扶。",
        ),
    ),
    basis=(
        "中共中央办公厅、国务院办公厅印发的《关于国有企业退休人员社会化管理的指导意见》及{corp}退休人员社会化管理"
        "移交实施方案。",
    ),
    tried=_RETIREE_TRIED,
    opening=_RETIREE_OPENING,
    opening_group=_RETIREE_OPENING_GROUP,
    retiree=True,
)
_sc(
    "retirees",
    "claim",
    "retirees_deemed_contribution",
    level="company",
    group=0,
    topic="视同缴费年限认定",
    subjects=(
        "请求{corp}协助核实本人{y_start}年至{y_start2}年视同缴费年限",
        "关于本人在{branch}前身{old_unit}的{years_gap_cn}年学徒工龄未计入视同缴费年限的申诉",
    ),
    facts=(
        "我于{y_start}年参加工作，最早在{branch}前身的{old_unit}当学徒，{y_start2}年转为正式职工。办理退休时，"
        "社保经办机构只认定了{y_start2}年以后的视同缴费年限，学徒期间的{years_gap_cn}年没有计算，原因是档案中缺少当年的"
        "招工审批表。我当年的工资条、师傅的证明都还在，可经办机构说必须由单位出具档案材料。",
    ),
    asks=("恳请公司安排人员查找当年的招工档案，协助向社保经办机构补充材料，认定视同缴费年限。",),
    outcomes=(
        (
            "经{corp}档案室查阅{old_unit}历史档案，找到了{y_start}年的招工录用花名册，可以证明{nin}学徒期的工作经历。",
            "{corp}人力资源部已出具档案证明材料，并协助{nin}向社保经办机构申请重新核定，经办机构已受理，办理结果将"
            "及时告知{nin}。",
        ),
        (
            "经{corp}档案室查阅，{old_unit}历史档案中未找到{nin}学徒期的招工审批材料，档案记载的参加工作时间为"
            "{y_start2}年。",
            "{corp}人力资源部已出具档案查询证明，并告知{nin}可以向社保经办机构提供工资条、同期工友证明等材料申请核查"
            "认定，单位将配合提供所需证明。",
        ),
    ),
    basis=("国家关于企业职工视同缴费年限认定的有关规定和当地社会保险经办机构的办理规程。",),
    tried=_RETIREE_TRIED,
    opening=_RETIREE_OPENING,
    opening_group=_RETIREE_OPENING_GROUP,
    retiree=True,
)
_sc(
    "retirees",
    "suggestion",
    "retirees_activity_centre",
    level="branch",
    group=1,
    topic="退休职工活动场所",
    subjects=(
        "关于{branch}为{dept}等单位退休职工开放活动中心的建议",
        "对{corp}加强{branch}退休职工联系服务的建议",
    ),
    facts=(
        "{branch}原来的老干部活动室在家属区改造时拆除了，{y}年以来退休职工没有了活动场所，平时下棋、打牌只能在"
        "路边。不少老同志身体不好，子女在外地，单位逢年过节的走访也只覆盖到八十岁以上的老人。",
    ),
    asks=(
        "建议将{branch}闲置的职工俱乐部一楼改造为退休职工活动中心，由退管组织和志愿者轮流管理；节日走访扩大到独居"
        "和患病的退休职工。",
    ),
    outcomes=(
        (
            "{nin}的建议体现了对老同志的关心，{branch}已组织研究。",
            "{branch}已将原职工俱乐部一楼改造为退休职工活动中心，每周二至周日开放；节日走访范围扩大至独居、患重病的"
            "退休职工，今年共走访{n_hardship}户。",
        ),
    ),
    basis=("{corp}《离退休人员服务管理办法》。",),
    tried=_RETIREE_TRIED,
    opening=_RETIREE_OPENING,
    opening_group=_RETIREE_OPENING_GROUP,
    retiree=True,
)
_sc(
    "retirees",
    "accusation",
    "retirees_fraudulent_claims",
    level="discipline",
    group=1,
    topic="冒领已故退休人员补贴",
    subjects=(
        "举报{branch}冒领{n_fake}名已故退休人员{rt_item}的问题",
        "关于{branch}退休人员{rt_item}发放中虚列人员的检举",
    ),
    facts=(
        "{branch}每年向退休人员发放{rt_item}，发放名单由退管部门掌握。据{wo}了解，发放名单中有{n_fake}名退休人员"
        "已经去世多年，补贴却一直照发，钱打到了同一个账户上。其中一位去世老同志的家属根本不知道有这笔钱。",
    ),
    asks=("请求纪委核查退休人员补贴发放名单和资金去向，追回冒领资金，追究相关人员责任。",),
    outcomes=(
        (
            "经核查{branch}近三年{rt_item}发放明细，发现{n_fake_r}名已故退休人员未及时从发放名单中删除，补贴被转入"
            "退管部门一名工作人员控制的账户，反映问题属实。",
            "冒领资金已全部追回；该工作人员已被移送司法机关处理，{corp}纪委对退管部门负责人给予党纪处分；{branch}"
            "已与民政、社保数据建立定期比对机制。",
        ),
    ),
    basis=("依据《中国共产党纪律处分条例》和{corp}《离退休人员服务管理办法》的相关规定。",),
    accused=("{branch}退管部门某工作人员", "{branch}退管部门某负责人"),
)

# ------------------------------------------------------------------------------------------ management
_sc(
    "management",
    "suggestion",
    "management_process",
    level="branch",
    group=1,
    topic="{mgmt_topic}",
    subjects=(
        "关于优化{branch}{dept}{mgmt_topic}的建议",
        "对{branch}{team}{mgmt_topic}的几点建议",
    ),
    facts=("{wo}在{team}工作{years}年，对{mgmt_topic}有一些体会。{mgmt_fact}",),
    asks=("{mgmt_ask}",),
    outcomes=(
        (
            "{nin}的建议具有较强的针对性和可操作性，{branch}已组织{dept}就{mgmt_topic}进行了专题研究。",
            "{branch}已采纳{nin}的建议，修订后的{mgmt_topic}规定将于下月起实施，并先在{team}试行；{nin}的建议被评为"
            "本季度优秀合理化建议。",
        ),
        (
            "{nin}的建议已转{branch}{dept}研究。",
            "{nin}提出的做法大部分已采纳并纳入制度修订；需要增加投入的部分，已列入{corp}明年项目储备统筹考虑。",
        ),
    ),
    basis=("{corp}《合理化建议管理办法》。",),
)
_sc(
    "management",
    "suggestion",
    "management_paperwork",
    level="branch",
    group=1,
    topic="为班组减负",
    subjects=(
        "关于将{branch}{dept}班组{n_forms}种台账精简合并的建议",
        "对{branch}{team}台账过多、增加一线负担的意见",
    ),
    facts=(
        "现在{team}班组长每天要填写的台账有{n_forms}种之多，很多内容重复，同一个数据要在不同系统里录三遍；每周的"
        "各类会议、学习和检查占用了大量时间，班长真正用在现场管理上的精力越来越少。有的检查只看台账是否齐全，不看"
        "现场，班组只能“为台账而台账”。",
    ),
    asks=(
        "建议：一是全面清理班组台账，能合并的合并、能取消的取消；二是统一数据录入口径，一次录入、多方共享；"
        "三是严控会议数量和时长，检查考核以现场为主。",
    ),
    outcomes=(
        (
            "{nin}反映的问题在基层具有普遍性，{branch}已开展班组台账和会议清理。",
            "经清理，{branch}班组台账由{n_forms}种精简为{n_forms_r}种，取消重复报表{n_items}项；各类例会压缩三分之一；"
            "安全检查改为以现场检查为主。{branch}将每半年听取一次班组意见。",
        ),
    ),
    basis=("关于整治形式主义为基层减负的有关要求和{corp}《班组管理标准》。",),
)
_sc(
    "management",
    "claim",
    "management_promotion_appeal",
    level="branch",
    group=0,
    topic="{post2}岗位竞聘结果",
    subjects=(
        "对{branch}{y}年{dept}{post2}竞聘结果的申诉",
        "关于{branch}{dept}{post2}岗位竞聘程序不公的反映",
    ),
    facts=(
        "{y}年{m1}月{branch}组织{dept}{post2}岗位公开竞聘，我笔试成绩排名第一，面试后综合成绩却排到第三。我事后"
        "了解到，面试评委中有一人是竞聘第一名的直接上级，而竞聘方案规定“与竞聘人有利害关系的评委应当回避”。另外，"
        "面试评分表没有公布，综合成绩的计算方法也和竞聘公告不一致。",
    ),
    asks=("请求{branch}公开本次竞聘的评分情况，对评委回避和成绩计算问题进行复核，如有违规，重新组织面试。",),
    outcomes=(
        (
            "经{branch}纪检部门和人力资源部复核，面试评委中确有一人与竞聘人存在直接上下级关系且未回避，综合成绩计算"
            "方法与公告一致。反映情况部分属实。",
            "{branch}已决定对该岗位重新组织面试，评委全部从{corp}评委库中抽取；今后竞聘评委名单在面试前公示，评委签署"
            "回避承诺书。",
        ),
        (
            "经{branch}纪检部门和人力资源部复核，本次竞聘面试评委与竞聘人不存在需要回避的利害关系，综合成绩按公告规定的"
            "“笔试40%、面试60%”计算，结果无误。反映情况不属实。",
            "{branch}人力资源部已向{nin}反馈了笔试、面试各项得分，并就评分标准作了说明。",
        ),
    ),
    basis=("{corp}《管理人员竞聘上岗管理办法》和本次竞聘实施方案。",),
)
_sc(
    "management",
    "accusation",
    "management_vehicle_misuse",
    level="discipline",
    group=1,
    topic="公车私用和考勤造假",
    subjects=(
        "举报{branch}{dept}负责人长期私用一辆{vehicle}的问题",
        "关于{branch}{dept}负责人考勤造假、违规报销的检举",
    ),
    facts=(
        "{branch}一辆{vehicle}名义上是生产保障用车，实际上长期由{dept}某负责人个人使用，周末和节假日经常停在其市区"
        "住所楼下，接送孩子上学、回老家都开这辆车，加油费、过路费都在单位报销。另外，该负责人每月有一半时间不在岗，"
        "考勤却全部是满勤，由他人代为打卡。",
    ),
    asks=("请纪委调查核实，依规严肃处理，退回违规报销的费用。",),
    outcomes=(
        (
            "经调取车辆行驶轨迹、加油记录和门禁考勤记录，{dept}负责人存在公车私用和由他人代为考勤的问题，反映问题属实。",
            "{corp}纪委已对其给予党内警告处分，并责令退回违规报销的费用；{branch}已将生产保障车辆纳入车辆管理平台，"
            "实行派车单和行驶轨迹管理。",
        ),
    ),
    basis=("依据《中国共产党纪律处分条例》、中央八项规定精神和{corp}《车辆使用管理办法》。",),
    accused=("{branch}{dept}某负责人",),
)

# ------------------------------------------------------------------------------------------------ other
_sc(
    "other",
    "suggestion",
    "other_childcare",
    level="branch",
    group=1,
    topic="职工子女假期托管",
    subjects=(
        "关于{branch}{dept}倒班职工子女暑期托管的建议",
        "建议{branch}工会协调解决{team}等倒班职工子女假期看护问题",
    ),
    facts=(
        "{branch}倒班职工多，尤其是双职工家庭，寒暑假孩子没人照看，只能锁在家里或者带到单位门口。{team}就有好几位"
        "同事因为这个原因请假、调班，影响了正常排班。附近的托管班价格高，条件也参差不齐。",
    ),
    asks=(
        "建议由工会牵头，利用{branch}职工活动中心开办寒暑假职工子女托管班，聘请专业机构和职工志愿者共同管理，"
        "费用由单位、工会和家长合理分担。",
    ),
    outcomes=(
        (
            "{nin}的建议体现了职工的实际需求，{branch}工会已进行摸底调查，共有{peer}名职工有托管需求。",
            "{branch}工会已在职工活动中心开办职工子女暑期托管班，共接收{n_kids}名孩子，费用大部分由工会经费补贴；"
            "寒假期间将继续开办。",
        ),
    ),
    basis=("全国总工会关于开展职工子女托管服务的有关要求和{corp}工会年度工作安排。",),
)
_sc(
    "other",
    "claim",
    "other_annual_leave",
    level="branch",
    group=2,
    topic="带薪年休假",
    subjects=(
        "关于{branch}{team}职工多年无法休年休假的反映",
        "请求{branch}落实{team}职工带薪年休假或支付未休年休假工资",
    ),
    facts=(
        "{wo}在{branch}工作{years}年，按规定每年可以休{leave_days}天年休假，但由于{team}人员紧张，班组长说“一个萝卜"
        "一个坑”，申请了几次都没批。{y}年全年一天年休假都没休，单位也没有按规定支付未休年休假工资报酬。{team}"
        "{involved}都是同样的情况。",
    ),
    asks=("请求单位合理安排年休假，对{y}年应休未休的年休假按规定支付工资报酬。",),
    outcomes=(
        (
            "经核查，{team}因定员不足，{y}年多数职工未能休完年休假，{branch}也未支付未休年休假工资报酬，反映情况属实。",
            "{branch}已对{y}年应休未休的年休假天数，按日工资收入的300%支付了年休假工资报酬（含正常工作期间的工资"
            "收入）；已为{team}补充定员{n_posts}人，并要求各部门年初制定年休假计划。",
        ),
    ),
    basis=(
        "《职工带薪年休假条例》第三条、第五条规定，职工累计工作已满1年不满10年的，年休假5天；已满10年不满20年的，"
        "年休假10天；已满20年的，年休假15天；单位确因工作需要不能安排职工休年休假的，对职工应休未休的年休假天数，"
        "按照该职工日工资收入的300%支付年休假工资报酬。",
    ),
)
_sc(
    "other",
    "accusation",
    "other_rental_income",
    level="discipline",
    group=1,
    topic="闲置场地出租收入",
    subjects=(
        "举报{branch}{old_site}出租收入未入账的问题",
        "关于{branch}{dept}违规出租{old_site}的检举",
    ),
    facts=(
        "{branch}{old_site}闲置后，从{y_prev}年起被出租给外单位作为仓库和停车场，每年租金据说有{amount2_fmt}左右。"
        "但出租没有经过公开招租，也没有签订正式合同，租金由{dept}某负责人直接收取，职工从来没有在单位的账上看到过"
        "这笔收入。",
    ),
    asks=("请求纪委核查该场地出租情况，追缴租金收入，查处相关人员。",),
    outcomes=(
        (
            "经核查，{branch}{old_site}对外出租未履行公开招租程序，部分租金未纳入单位账户核算，反映问题属实。",
            "未入账租金已全部追缴；{corp}纪委已对相关负责人立案审查；{branch}闲置资产出租一律通过产权交易机构公开招租。",
        ),
    ),
    basis=("依据《企业国有资产交易监督管理办法》和《中国共产党纪律处分条例》的相关规定。",),
    accused=("{branch}{dept}某负责人",),
)

# Two more collective claims, so that every category and type can also be collective.
_sc(
    "management",
    "claim",
    "management_schedule_change",
    frontline=True,
    level="branch",
    group=2,
    topic="{team}工时制度调整",
    subjects=(
        "关于{branch}未经民主程序调整{team}工时制度的反映",
        "请求{branch}撤回{dept}{team}排班调整方案",
    ),
    facts=(
        "{y}年{m1}月，{branch}下发通知，将{team}的排班由“{shift_old}”调整为“{shift_new}”，同时把交接班时间提前"
        "半小时且不计入工时。这项调整直接影响{involved}的作息和收入，但事前没有征求职工意见，也没有提交职代会讨论，"
        "通知贴出第二天就执行了。调整后大家每月多上{extra_hours}小时班，{allowance}反而减少了。",
    ),
    asks=(
        "请求{branch}暂停执行该调整方案，依法履行民主程序、充分听取职工意见后再作决定；对多出的工时按规定计发加班费。",
    ),
    outcomes=(
        (
            "经核查，{branch}调整{team}工时制度未经职工代表大会或者全体职工讨论，交接班时间未计入工时，反映情况属实。",
            "{branch}已暂停执行该方案、恢复原排班，并对调整期间延长的工作时间按规定补发加班费；新的排班方案将在征求"
            "班组意见后提交职代会审议。",
        ),
    ),
    basis=(
        "《中华人民共和国劳动合同法》第四条规定，用人单位在制定、修改或者决定有关工作时间、休息休假等直接涉及劳动者"
        "切身利益的规章制度或者重大事项时，应当经职工代表大会或者全体职工讨论。",
    ),
)
_sc(
    "discipline",
    "claim",
    "discipline_collective_penalty",
    frontline=True,
    level="company",
    group=2,
    topic="{team}集体扣罚",
    subjects=(
        "对{branch}因{incident}事件对{team}全员扣罚的申诉",
        "关于{branch}{team}职工被“连坐”扣发绩效工资的申诉",
    ),
    facts=(
        "{y}年{m1}月{d1}日，{team}发生一起{incident}事件。事后{branch}认定班组负有管理责任，对{team}{involved}每人"
        "扣发{n_months}个月绩效工资，并取消年度评先资格。可事件发生时{wo}中大多数人并不在岗，有的正在休假，调查报告"
        "也只认定了当班一人的操作责任。“一人出错、全班受罚”的做法，大家实在想不通。",
    ),
    asks=("请求{branch}依据调查结论重新作出处理，撤销对不在岗职工的扣罚，退还扣发的绩效工资。",),
    outcomes=(
        (
            "经{corp}复核，事件调查报告认定的责任人为当班操作人员和班组长，对其他职工扣发绩效工资缺乏制度依据，反映"
            "情况属实。",
            "{branch}已撤销对非责任人员的扣罚决定，扣发的绩效工资随下月工资退还；今后考核处理严格依据调查结论和经职代会"
            "通过的考核办法执行。",
        ),
    ),
    basis=("{corp}《员工奖惩管理办法》和{branch}经职工代表大会审议通过的绩效考核办法。",),
)

# --------------------------------------------------------------------------------------------------
# Letter frame: openings, what was tried, closings
# --------------------------------------------------------------------------------------------------

_OPEN_INDIVIDUAL = (
    "尊敬的领导：\n您好！我是{branch}{dept}{team}的一名{job}，{join_year}年参加工作，在本单位已经干了{years}年。",
    "{corp}信访办：\n我是{branch}{team}的{job}。今天冒昧写信，是想反映一个困扰我很久的问题。",
    "各位领导：\n我是{branch}{dept}的一名职工，在{team}从事{job}工作已有{years}年，一直兢兢业业、服从安排。",
    "领导好！\n我是{branch}的一名普通职工，在{team}干{job}干了{years}年。有件事憋在心里很久了，思来想去还是决定"
    "写出来。",
    "尊敬的{corp}领导：\n我是{branch}{dept}{team}的职工，{years}年来一直在一线岗位工作。",
    "我叫什么在登记表上有，这里就不多写了。我在{branch}{dept}当{job}，下面说说我遇到的事。",
    "您好，我是{team}的{job}，{join_year}年进厂。",
    "信访办的同志：\n我在{branch}上班，岗位是{job}。",
    "我是{dept}{team}的，干{job}这一行{years}年了，有个情况想请上面了解一下。",
    "",
    "",
)
_OPEN_SUGGESTION = (
    "尊敬的领导：\n您好！我是{branch}{dept}{team}的{job}。结合这几年在一线工作的体会，想提几点想法。",
    "{corp}领导：\n我是{branch}的一名职工，在{team}工作了{years}年，有一些想法想借这个渠道说一说。",
    "各位领导：\n我是{branch}{dept}的{job}，平时比较留意身边的事，今天写信提个建议。",
    "我是{team}的{job}，就一件具体的事提点看法。",
    "您好！我在{branch}{dept}上班，有个小建议。",
    "",
    "",
)
_OPEN_GROUP = (
    "尊敬的领导：\n我们是{branch}{dept}{team}等班组的{headcount}名职工，经大家商议推选了代表，就以下问题向组织反映。",
    "{corp}领导：\n我们{headcount}名职工都在{branch}{dept}工作，多数人工龄在{years}年以上。大家商量后联名写了这封信。",
    "致{corp}信访办：\n我们是{branch}{team}的一线职工，共{headcount}人，下面反映的情况由推选的代表与组织联系。",
    "我们是{dept}的{headcount}名职工，签名附后。",
    "{branch}{team}{headcount}名职工联名反映：",
)
_OPEN_ANONYMOUS = (
    "尊敬的领导：\n我是{branch}{dept}的一名职工，因为有些顾虑，这次暂不留名，希望领导能够理解。",
    "领导好！\n我是{branch}{team}的一名一线职工，这次通过匿名方式反映问题，请多包涵。",
    "我是{dept}的职工，不方便留名字。",
)
_OPEN_ACCUSATION = (
    "{corp}纪委：\n我是{branch}{dept}的一名职工。出于对企业负责的态度，现实名反映以下问题，请组织调查核实。",
    "尊敬的纪委领导：\n我在{branch}工作了{years}年。下面反映的情况，我是经过反复考虑才决定写出来的。",
    "纪检监察部门：\n本人是{branch}{team}的{job}，实名反映一件事。",
)
_OPEN_ACCUSATION_ANONYMOUS = (
    "{corp}纪委：\n我是{branch}的一名职工，因担心遭到打击报复，暂不署名。现将了解到的情况反映如下。",
    "尊敬的纪检监察部门领导：\n我是{branch}的一名普通职工，出于对企业的责任感，匿名反映以下问题。",
    "纪委领导：\n本人在{branch}工作多年，对下面反映的情况比较了解。为避免不必要的麻烦，不便留下姓名，请谅解。",
    "匿名举报：",
)
_OPEN_ACCUSATION_GROUP = (
    "{corp}纪委：\n我们是{branch}的{headcount}名职工，现联名反映以下问题，并推选了代表作为联系人，愿意配合组织调查。",
    "尊敬的纪委领导：\n我们是{branch}{dept}的一线职工，共{headcount}人。以下问题大家议论已久，现联名向组织反映。",
)
_TRIED = (
    "{wo}先后{n_tries}次找过班组长和{dept}负责人，得到的答复都是“再等等”“上面会统一解决”。",
    "此前{wo}曾向{branch}有关部门书面反映，至今没有收到任何答复。",
    "{wo}也找过{branch}工会，工会的同志表示会帮忙反映，但一个多月过去了仍然没有下文。",
    "这个问题{wo}在班组会上、职代会代表征集意见时都提过，每次都说“正在研究”。",
    "{wo}不想把事情闹大，一直通过正常渠道反映，几次沟通下来都没有实质性进展。",
    "{dept}的领导让{wo}去找人力资源部，人力资源部又让{wo}回车间问，来回跑了好几趟。",
    "上个月{wo}在意见箱里投过一封信，没有回音。",
    "{wo}打过{branch}的服务热线，接电话的同志记下了，后来再没人联系。",
    "",
    "",
)
_CLOSE_CLAIM = (
    "以上情况属实，恳请领导在百忙之中予以关注，盼复！",
    "{wo}相信组织，也愿意配合调查核实。",
    "给领导添麻烦了，万分感谢！",
    "{wo}理解企业经营有难处，但希望能给个明确的说法。谢谢！",
    "盼回复。",
    "联系方式见登记表。",
    "谢谢。",
    "麻烦尽快给个答复。",
    "",
    "",
)
_CLOSE_SUGGESTION = (
    "以上建议不一定成熟，仅供参考。",
    "希望这些想法能对单位有所帮助，谢谢！",
    "{wo}愿意参与相关工作。",
    "提得不对的地方，请批评指正。",
    "",
    "",
)
_CLOSE_ACCUSATION = (
    "以上问题均有据可查，恳请组织尽快调查，并对反映人的信息严格保密。",
    "{wo}愿意配合组织核查、提供线索，但请求对反映人的信息予以保密。",
    "希望组织认真核查。",
    "",
)

# A letter's voice: each petitioner says the same thing in their own words. Every phrase below may be said in any
# of its forms wherever a template uses it (one choice per letter), so two letters on the same kind of matter share
# the matter's words, not a template's turns of phrase (a walk-through showed 所剩无几, 好几年 and 越来越 as the
# "shared words" of unrelated cases). Longer phrases are matched first.
_VOICE: dict[str, tuple[str, ...]] = {
    "一直没有": ("始终没有", "迟迟没有", "一直没有"),
    "至今没有": ("到现在也没有", "至今没有", "直到今天还没有"),
    "还是没有": ("依然没有", "仍然没有", "还是没有"),
    "也没有下文": ("也没了下文", "也没有回音", "也没有下文"),
    "仍然没有下文": ("仍然没有回音", "还是没人过问", "仍然没有下文"),
    "好几年": ("多年", "五六年", "好几年"),
    "一干就是七八年": ("一干就是好多年", "干了七八年", "一干就是七八年"),
    "七八年": ("很多年", "多年", "七八年"),
    "好几趟": ("好多趟", "三四趟", "好几趟"),
    "越来越大": ("一年比一年大", "明显拉大", "越来越大"),
    "越来越少": ("所剩不多", "一天比一天少", "越来越少"),
    "越来越": ("愈发", "越发", "越来越"),
    "所剩无几": ("没剩多少", "所剩不多", "所剩无几"),
    "大家心里很不平衡": ("大伙意见很大", "职工们普遍有想法", "大家心里很不平衡"),
    "日子过得很紧": ("生活压力不小", "手头很拮据", "日子过得很紧"),
    "不少同事": ("好些同事", "很多工友", "不少同事"),
    "实在想不通": ("怎么也想不明白", "难以接受", "实在想不通"),
    "想不通": ("不理解", "想不明白", "想不通"),
    "恳请": ("请", "希望", "恳请"),
    "尽快": ("早日", "尽早", "尽快"),
    "请求": ("要求", "请求"),
    "按规定": ("按照规定", "按制度", "按规定"),
    "多次": ("几次", "好几次", "多次"),
    "目前": ("眼下", "现在", "目前"),
    "整整": ("足足", "整整"),
    "说法是": ("解释是", "回复是", "说法是"),
    "据了解": ("据我所知", "听说", "据了解"),
    "了解到": ("得知", "打听到", "了解到"),
    "左右": ("上下", "左右"),
    "至今": ("到现在", "至今"),
    "一直": ("始终", "一直"),
    "非常": ("十分", "特别", "非常"),
    "很多": ("许多", "不少", "很多"),
    "相关": ("有关", "相关"),
    "说好": ("讲好", "承诺", "说好"),
    "大家": ("大伙", "同事们", "大家"),
    "这个问题": ("这件事", "此事", "这个问题"),
    "同一个": ("同一", "同一个"),
    "已经": ("已", "已经"),
    "希望领导": ("盼望领导", "希望上级", "希望领导"),
    "得到的答复都是": ("听到的都是", "每次回复都是", "得到的答复都是"),
    "心里": ("心中", "心里"),
    "明显": ("显著", "明显"),
    "经常": ("常常", "时常", "经常"),
    "根本": ("完全", "根本"),
    "其实": ("实际上", "其实"),
    "同事": ("工友", "同事"),
}
_VOICE_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_VOICE, key=len, reverse=True)))
# Words kept whole wherever they occur, so that the voice does not change a name: 职工代表大会 stays, and so on.
_VOICE_KEEP = ("同事们", "大家庭")


def _sentences(text: str) -> list[str]:
    """``text`` cut after each full stop, question or exclamation mark outside quotation marks."""
    out, current, depth = [], "", 0
    for char in text:
        current += char
        depth += {"“": 1, "”": -1}.get(char, 0)
        if char in "。！？" and depth <= 0:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def _abridge(rng: random.Random, text: str, keep: float = 0.55, at_least: float = 0.6) -> str:
    """The facts as one person tells them: the first sentence, and each later one only sometimes (people do not
    all mention the same details), so that letters on the same kind of matter do not read as copies; at least
    ``at_least`` of the text is kept, the sentences in their order."""
    sentences = _sentences(text)
    if len(sentences) <= 1:
        return text
    kept = [True] + [rng.random() < keep for _ in sentences[1:]]
    for index in range(1, len(sentences)):
        if sum(len(s) for s, k in zip(sentences, kept, strict=True) if k) >= at_least * len(text):
            break
        kept[index] = True
    return "".join(s for s, k in zip(sentences, kept, strict=True) if k)


def _voice(rng: random.Random, text: str, ctx: dict[str, Any]) -> str:
    """``text`` in a petitioner's own words: each phrase of `_VOICE` in one of its forms, chosen once per letter;
    the year of the facts sometimes said as 去年 (前年), as most people would."""
    chosen: dict[str, str] = {}

    def pick(match: re.Match[str]) -> str:
        phrase = match.group(0)
        if phrase not in chosen:
            chosen[phrase] = rng.choice(_VOICE[phrase])
        return chosen[phrase]

    parts = re.split("(" + "|".join(map(re.escape, _VOICE_KEEP)) + ")", text)
    text = "".join(part if part in _VOICE_KEEP else _VOICE_PATTERN.sub(pick, part) for part in parts)
    if rng.random() < 0.5:
        text = re.sub(rf"{ctx['y']}年(?![度底初末内])", "去年", text)
        text = re.sub(rf"{ctx['y_prev']}年(?![度底初末内])", "前年", text)
    return text


_INVESTIGATION = (
    "{handler}高度重视，由分管负责人牵头，会同人力资源、财务、工会等部门组成调查组，调阅了相关台账资料，"
    "并与{contact}进行了座谈。",
    "收到信访事项后，{handler}及时成立调查组，深入{dept}现场了解情况，查阅了有关制度文件和原始记录。",
    "{handler}指定专人承办，约见了{contact}，并分别听取了{dept}负责人和相关职工的意见。",
)

# --------------------------------------------------------------------------------------------------
# Picking a scenario, a workplace and a petitioner
# --------------------------------------------------------------------------------------------------

_CATEGORY_WEIGHTS = {
    "wages": 16,
    "social_insurance": 9,
    "restructuring": 8,
    "housing": 8,
    "work_injury": 8,
    "discipline": 9,
    "labour_contract": 9,
    "safety": 9,
    "canteen_welfare": 8,
    "retirees": 6,
    "management": 6,
    "other": 4,
}
_TYPE_WEIGHTS = {
    "wages": {"claim": 80, "suggestion": 12, "accusation": 8},
    "social_insurance": {"claim": 80, "suggestion": 12, "accusation": 8},
    "restructuring": {"claim": 70, "suggestion": 20, "accusation": 10},
    "housing": {"claim": 65, "suggestion": 25, "accusation": 10},
    "work_injury": {"claim": 85, "suggestion": 8, "accusation": 7},
    "discipline": {"accusation": 85, "claim": 10, "suggestion": 5},
    "labour_contract": {"claim": 75, "suggestion": 15, "accusation": 10},
    "safety": {"suggestion": 55, "accusation": 30, "claim": 15},
    "canteen_welfare": {"suggestion": 60, "claim": 30, "accusation": 10},
    "retirees": {"claim": 70, "suggestion": 20, "accusation": 10},
    "management": {"suggestion": 75, "claim": 15, "accusation": 10},
    "other": {"suggestion": 50, "claim": 40, "accusation": 10},
}
_COLLECTIVE_ODDS = {0: 0.0, 1: 0.2, 2: 0.5}


def _pick_scenario(rng: random.Random, category: str | None, type_: str | None, collective: bool | None) -> dict:
    pool: list[dict[str, Any]] = []
    weights: list[float] = []
    for (cat, typ), scenarios in _SCENARIOS.items():
        if (category is not None and cat != category) or (type_ is not None and typ != type_):
            continue
        for scenario in scenarios:
            if collective and scenario["group"] == 0:
                continue
            pool.append(scenario)
            weights.append(_CATEGORY_WEIGHTS[cat] * _TYPE_WEIGHTS[cat][typ] / len(scenarios))
    return rng.choices(pool, weights)[0]


def _pick_workplace(rng: random.Random, unit: str | None, *, frontline: bool = False) -> tuple[str, str, str, str, str]:
    """(company, branch, department, team, job) inside ``unit`` when given, on the front line if asked."""
    candidates = _WORKPLACES
    if unit is not None:
        if unit not in _UNITS:
            raise ValueError(f"unknown unit code {unit!r}")
        scoped = [w for w in _WORKPLACES if unit in w[:3]]
        if not scoped:
            company = next((c for c in _ancestors(unit) if _UNITS[c]["kind"] == "company"), None)
            scoped = [w for w in _WORKPLACES if w[0] == company]
        candidates = scoped or _WORKPLACES
    if frontline:
        candidates = [w for w in candidates if w[2].rsplit("-", 1)[1] in _FRONTLINE] or candidates
    company, branch, dept, teams = rng.choice(candidates)
    team, jobs = rng.choice(teams)
    return company, branch, dept, team, rng.choice(jobs)


def _new_petitioner(
    rng: random.Random, *, company: str, branch: str, dept: str, team: str, year: int, retired: bool
) -> tuple[dict[str, Any], dict[str, int]]:
    gender = rng.choice(("男", "女"))
    name = make_person_name(rng, gender)
    if retired:
        age = rng.randint(61, 82)
        birth_year = year - age
        retire_year = birth_year + (60 if gender == "男" else 55)
        years = rng.randint(28, 38)
        join_year = retire_year - years
    else:
        years = rng.randint(3, 30)
        age = min(59, 19 + years + rng.randint(0, 6))
        birth_year = year - age
        retire_year = 0
        join_year = year - years
    birth = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
    corp_full = _UNITS[company]["name"]
    branch_name = _UNITS[branch]["name"]
    if retired:
        workplace = f"{corp_full}{branch_name}（退休）"
    else:
        workplace = f"{corp_full}{branch_name}{_UNITS[dept]['name']}{team}"
    petitioner = {
        "name": name,
        "gender": gender,
        "birth_date": birth.isoformat(),
        "employee_no": f"E{join_year}{rng.randint(0, 9999):04d}",
        "phone": _phone(rng),
        "id_number": make_id_number(rng, birth=birth, gender=gender),
        "workplace": workplace,
        "unit": dept,
        "retired": retired,
    }
    numbers = {"age": age, "years": years, "join_year": join_year, "retire_year": retire_year}
    return petitioner, numbers


def make_petitioner(
    rng: random.Random, *, unit: str | None = None, year: int = 2026, retired: bool = False
) -> dict[str, Any]:
    """A fictional petitioner working (or retired) somewhere inside ``unit`` (any unit code, default anywhere).

    Keys: name, gender (男/女), birth_date (ISO), employee_no (E + join year + 4 digits), phone (11 digits),
    id_number (18 chars, valid check digit, province code 00), workplace (Chinese), unit (department code),
    retired (bool).
    """
    company, branch, dept, team, _job = _pick_workplace(rng, unit)
    petitioner, _numbers = _new_petitioner(
        rng, company=company, branch=branch, dept=dept, team=team, year=year, retired=retired
    )
    return petitioner


def _headcount(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.5:
        return rng.randint(5, 20)
    if band < 0.85:
        return rng.randint(21, 80)
    return rng.randint(81, 300)


# --------------------------------------------------------------------------------------------------
# Context: every slot a template may use
# --------------------------------------------------------------------------------------------------

_DEDUCT_REASONS = ("班组月度安全考核排名靠后", "一次巡检记录填写不规范", "未完成月度工时定额", "一次交接班迟到十分钟")
_DORM_PROBLEMS = (
    "楼顶漏雨、墙皮脱落，卫生间下水经常堵塞",
    "冬天暖气不热、室温只有十度左右，热水每天只供应两个小时",
    "电线老化、经常跳闸，楼道里连灭火器都是过期的",
)
_ESTATES = ("一号家属院", "东区生活小区", "职工新村", "南苑小区", "红旗小区")
_REFORMS = ("三项制度改革", "机构整合", "专业化重组", "岗位定员优化")
_SEASON_RISKS = (
    "正值冬季，夜间照明差、地面容易结冰",
    "马上进入雨季",
    "正赶上检修高峰，现场人员多、交叉作业多",
    "生产任务重，设备连续运行",
)
_FOOD_ISSUES = ("经常出现半生不熟的米饭", "菜里吃出过头发和菜虫", "剩菜第二天回锅再卖", "蔬菜品种一周都不换样")
_FUNDS = (
    ("安全生产费用", "安全设施改造", "更换老化的通风除尘设备"),
    ("职工教育培训经费", "培训场地改造", "岗位技能培训"),
    ("困难职工帮扶资金", "帮扶走访", "困难职工子女助学补助"),
    ("职业病防治专项资金", "职业健康宣传", "作业现场降噪防尘改造"),
)
# What one employee sees wrong with a management topic, and what they propose: each topic its own words, so that
# suggestions on different topics share no more than the word 建议.
_MGMT_DETAILS: dict[str, tuple[str, str]] = {
    "检修计划管理": (
        "月度检修计划经常临时调整，备件还没到货就排上了工期，检修人员到了现场才发现缺密封件，只好返工。",
        "建议检修计划提前两周锁定，备件到货确认后再排工期，临时增项须经分管领导签字。",
    ),
    "设备缺陷闭环管理": (
        "缺陷单开出后长期没人认领，同一台给水泵的振动缺陷三个月里登记了五次，每次都是处理一下就消缺关单。",
        "建议缺陷单超过七天未认领自动升级到部门主任，重复缺陷必须做原因分析后才能关单。",
    ),
    "运行交接班管理": (
        "交接班记录本写得很简略，上一值做过的倒闸操作和临时措施常常没交代清楚，接班后要打电话一项项问。",
        "建议把交接内容做成固定清单，临时措施和未结操作票逐项签字交接，交班前十五分钟开始对表。",
    ),
    "采掘接续计划": (
        "工作面接续偏紧，上一个面还没回采完，下一个面的巷道还在掘进，综采队经常等面停产。",
        "建议按季度滚动编制采掘接续计划，掘进进尺落后时提前调配掘进队，不要等到停采前再抢进度。",
    ),
    "井下设备点检": (
        "井下刮板输送机和皮带机的点检表只有打勾，看不出链条伸长量、托辊温度这些数据，出了故障也查不到记录。",
        "建议点检表改为记录实测数据，配发测温枪和测振仪，点检数据每周由机电科抽查。",
    ),
    "交接班管理": (
        "现场交接班时间太短，设备运行参数、遗留问题靠口头说，夜班和早班之间经常对不上账。",
        "建议实行现场对口交接，遗留问题写进交接记录并由接班班长签字确认。",
    ),
    "施工组织和工序衔接": (
        "土建和安装两个班组抢同一个作业面，脚手架搭了拆、拆了搭，工期拖了还增加了高处作业风险。",
        "建议项目部每周召开工序协调会，作业面移交办理书面手续，交叉作业提前排定先后顺序。",
    ),
    "材料进场验收": (
        "钢筋、电缆进场时验收只看合格证，不抽检也不核对规格，有一批电缆截面偏小是安装后才发现的。",
        "建议主要材料进场实行见证取样，验收单由技术员和材料员双签，不合格材料当天清退出场。",
    ),
    "周转材料管理": (
        "钢管、扣件、模板这些周转材料用完就堆在现场，丢失和锈蚀严重，下个项目又要重新租赁。",
        "建议周转材料建立台账、定点堆放，项目结束时清点移交，损耗超标的追查原因。",
    ),
    "装卸作业调度": (
        "车皮到站时间和装卸班组排班对不上，有时候几列车同时到站人手不够，有时候整班人员空等。",
        "建议调度室提前一天发布到车计划，装卸班组按到车高峰弹性排班。",
    ),
    "车辆维修保养": (
        "叉车和牵引车的保养只按里程表估算，轮胎、刹车片磨损到什么程度没人记录，上个月一台叉车刹车失灵险些出事。",
        "建议每台车辆建立维修保养档案，刹车、转向等安全部件每周检查，保养到期由系统自动提醒。",
    ),
    "仓储盘点": (
        "仓库盘点一年只搞一次，账实不符的情况很普遍，有的物资系统里显示有货，到货架上一看早就发完了。",
        "建议改为每月循环盘点，出入库当天录入系统，盘盈盘亏查明原因后再调账。",
    ),
    "风机定检计划": (
        "风机定检集中安排在大风季节，停机检修损失发电量，小风季节反而没有安排工作。",
        "建议根据测风数据把定检安排在小风月份，同一风场的风机分批轮换检修。",
    ),
    "备品备件管理": (
        "变桨电机、齿轮箱轴承这些关键备件库存经常断档，一台风机等备件停了二十多天。",
        "建议对关键备件设定最低库存，同一区域的几个风场共享备件库，并公开备件申领进度。",
    ),
    "设备点检": (
        "设备点检路线多年没调整，新上的设备没有纳入，已经拆除的设备还在点检表上。",
        "建议每半年修订一次点检路线和标准，新设备投运前就把点检项目定下来。",
    ),
    "生产调度": (
        "生产调度指令有时通过微信群下达，没有书面记录，出了问题说不清是谁下的指令。",
        "建议调度指令一律通过调度台下达并录音，重要指令书面确认，微信群只用于通知。",
    ),
}
_MISUSES = ("装修办公室和会议室", "购置一辆公务用车", "组织部分人员外出考察旅游", "发放机关人员节日福利")


def _context(
    rng: random.Random,
    scenario: dict[str, Any],
    *,
    company: str,
    branch: str,
    dept: str,
    team: str,
    job: str,
    collective: bool,
    headcount: int,
    numbers: dict[str, int],
    year: int,
) -> dict[str, Any]:
    prof = {**_PROFILES[company], **_BRANCH_OVERRIDES.get(branch, {})}
    suffix = dept.rsplit("-", 1)[1]
    corp_full = _UNITS[company]["name"]
    branch_name = _UNITS[branch]["name"]
    siblings = [b for b in _children(company, "branch") if b != branch]
    y = year - 1
    m1 = rng.randint(1, 7)
    m2 = m1 + rng.randint(1, 4)
    n_months = m2 - m1 + 1
    peer = rng.randint(6, 80)
    count = headcount if collective else peer
    monthly = _money(rng, 300, 1200)
    monthly2 = _money(rng, 2000, 4500, 50)
    years = numbers["years"]
    amount2 = rng.randint(30, 300) * 10000
    n_fake = rng.randint(3, 7)
    padded = n_fake * monthly2 * 12
    fake_pct = rng.randint(15, 45)
    shift_old, shift_new = rng.choice(prof["shifts"])
    hazard, hazard_short = rng.choice(_fitting(prof, "hazards", suffix))
    injury_cause, injury = rng.choice(_fitting(prof, "injuries", suffix))
    disease, hazard_factor, symptom = rng.choice(_fitting(prof, "diseases", suffix))
    hazard_op, safety_rule = rng.choice(_fitting(prof, "hazard_ops", suffix))
    fund, cover, need = rng.choice(_FUNDS)
    welfare, welfare_rule = rng.choice(
        (
            ("防暑降温费", f"每年6月至9月每人每月{_money(rng, 150, 300)}元"),
            ("冬季取暖补贴", f"每年11月每人一次性发放{_money(rng, 1200, 2600, 100)}元"),
            ("夜班餐补贴", f"每个夜班{rng.randint(15, 30)}元"),
            ("职工生日慰问", f"每人每年{_money(rng, 200, 500, 50)}元"),
        )
    )
    rt_item, rt_item_desc = rng.choice(
        (
            ("采暖费补贴", f"过去是每年冬季每人{_money(rng, 1500, 3000, 100)}元"),
            ("统筹外补贴", f"过去是每月每人{_money(rng, 150, 600)}元"),
            ("节日慰问金", f"过去是春节、中秋每人各{_money(rng, 300, 800, 50)}元"),
            ("医疗补助", f"过去是每年每人{_money(rng, 800, 2000, 100)}元"),
        )
    )
    base_actual = rng.randrange(7000, 12001, 100)
    price_old = rng.randint(8, 12)
    n_forms = rng.randint(12, 25)
    gap = rng.randint(2, 3)
    grade_old = rng.randint(6, 12)
    mgmt_topic = rng.choice(prof["mgmt_topics"])

    level = scenario["level"]
    if level == "branch":
        handler, handler_code, upper = corp_full + branch_name, branch, corp_full + "信访办公室"
    elif level == "company":
        handler, handler_code, upper = corp_full, company, _GROUP_PETITION_OFFICE
    else:
        handler, handler_code, upper = corp_full + "纪委", f"{company}-DISC", _GROUP_DISCIPLINE

    if collective:
        wo, nin, example, contact = "我们", "你们", "其中一名职工", "职工代表"
        involved, r_involved = f"我们{headcount}名职工", f"{headcount}名职工"
    else:
        wo, nin, example, contact = "我", "您", "我", "您本人"
        involved, r_involved = f"包括我在内的{peer}名职工", f"包括您在内的{peer}名职工"
    if scenario["type"] == "accusation":
        addressee = "各位反映人" if collective else "举报人"
    else:
        addressee = "各位职工代表" if collective else "信访人"

    ctx: dict[str, Any] = {
        # place
        "corp": prof["short"],
        "corp_full": corp_full,
        "branch": branch_name,
        "branch_other": _UNITS[rng.choice(siblings)]["name"] if siblings else "外地单位",
        "dept": _UNITS[dept]["name"],
        "team": team,
        "job": job,
        "head": _branch_head(branch_name),
        "output": prof["output"],
        "env": prof["env"],
        "handler": handler,
        "handler_code": handler_code,
        "upper": upper,
        # voice
        "wo": wo,
        "nin": nin,
        "example": example,
        "contact": contact,
        "involved": involved,
        "r_involved": r_involved,
        "addressee": addressee,
        "headcount": headcount,
        "peer": peer,
        # person
        "years": years,
        "join_year": numbers["join_year"],
        "age": numbers["age"],
        "retire_year": numbers["retire_year"],
        "retired_years": max(1, year - numbers["retire_year"]) if numbers["retire_year"] else 0,
        "y_start": numbers["join_year"],
        "y_start2": numbers["join_year"] + gap,
        "years_gap": gap,
        "years_gap_cn": _cn_count(gap),
        "leave_days": 5 if years < 10 else 10 if years < 20 else 15,
        # dates
        "year": year,
        "y": y,
        "y_prev": y - 1,
        "m1": m1,
        "m2": m2,
        "m3": m2 + 1,
        "d1": rng.randint(1, 28),
        "n_months": _cn_count(n_months),
        # money
        "allowance": rng.choice(prof["allowances"]),
        "monthly": monthly,
        "monthly2": monthly2,
        "arrears": monthly * n_months,
        "total": _yuan(monthly * n_months * count),
        "amount_fmt": _yuan(_money(rng, 800, 9800)),
        "amount_small": _money(rng, 120, 900),
        "amount2_fmt": _yuan(amount2),
        "amount_big_fmt": _yuan(max(10000, amount2 * rng.randint(20, 50) // 100 // 1000 * 1000)),
        "amount_r_fmt": _yuan(amount2 * rng.randint(40, 90) // 100 // 100 * 100),
        "padded_total": _yuan(padded),
        "skim_total": _yuan(n_fake * monthly * n_months),
        "padded_found": _yuan(padded * rng.randint(60, 100) // 100 // 100 * 100),
        "comp_low": _yuan(_money(rng, 2800, 4200) * years),
        "comp_high": _yuan(_money(rng, 6500, 9800) * years),
        "base_actual": base_actual,
        "base_declared": base_actual * rng.randint(55, 68) // 100 // 10 * 10,
        "fund_pct": rng.randint(5, 8),
        "rent": _money(rng, 600, 1500, 50),
        "house_allowance": _money(rng, 500, 1200, 50),
        "ppe_cost": _money(rng, 50, 200),
        "price_old": price_old,
        "price_new": price_old + rng.randint(3, 6),
        "pct": rng.randint(70, 85),
        "kick_pct": rng.randint(3, 10),
        "fake_pct": fake_pct,
        "fake_pct_r": rng.randint(8, fake_pct),
        # counts
        "n_tries": _cn_count(rng.randint(3, 6)),
        "n_times": _cn_count(rng.randint(3, 8)),
        "n_fake": n_fake,
        "n_fake_r": max(1, n_fake - rng.randint(0, 2)),
        "n_posts": rng.randint(3, 15),
        "n_items": rng.randint(5, 20),
        "n_days": rng.randint(10, 20),
        "n_batch": rng.randint(30, 120),
        "n_rooms": rng.randint(20, 80),
        "n_aed": rng.randint(3, 10),
        "n_monitors": rng.randint(20, 60),
        "n_members": rng.randint(7, 13),
        "n_hardship": rng.randint(10, 60),
        "n_kids": rng.randint(30, 120),
        "n_forms": n_forms,
        "n_forms_r": n_forms // 2 - rng.randint(0, 3),
        "ot_hours": rng.randint(36, 88),
        "ot_rate": rng.randint(12, 25),
        "extra_hours": rng.randint(12, 30),
        "inj_days": rng.randint(10, 60),
        "distance": rng.randint(80, 450),
        "distance_km": rng.randint(8, 35),
        "grade_old": grade_old,
        "grade_new": grade_old - rng.randint(1, 2),
        "annuity_year": rng.randint(2008, 2015),
        "y_reform": rng.randint(1996, 2003),
        # vocabulary
        "shift_old": shift_old,
        "shift_new": shift_new,
        "shift_time": rng.choice(("夜班", "早班", "中班")),
        "deduct_reason": rng.choice(_DEDUCT_REASONS),
        "dorm_problem": rng.choice(_DORM_PROBLEMS),
        "estate": rng.choice(_ESTATES),
        "reform": rng.choice(_REFORMS),
        "closure": prof["closure"],
        "asset_item": prof["asset_item"],
        "hazard": hazard,
        "hazard_short": hazard_short,
        "season_risk": rng.choice(_SEASON_RISKS),
        "injury_cause": injury_cause,
        "injury": injury,
        "disability": rng.choice("七八九十"),
        "disease": disease,
        "hazard_factor": hazard_factor,
        "symptom": symptom,
        "hazard_op": hazard_op,
        "safety_rule": safety_rule,
        "ppe": prof["ppe"],
        "post": rng.choice(prof["posts"]),
        "post2": rng.choice(("班组长", "主值班员", "技术员", "安全员")),
        "proj_item": rng.choice(prof["proj_items"]),
        "supply": rng.choice(prof["supplies"]),
        "fund": fund,
        "cover": cover,
        "need": need,
        "misuse": rng.choice(_MISUSES),
        "sanction": rng.choice(("警告", "记过", "记大过")),
        "incident": rng.choice(prof["incidents"]),
        "food_issue": rng.choice(_FOOD_ISSUES),
        "welfare": welfare,
        "welfare_rule": welfare_rule,
        "rt_item": rt_item,
        "rt_item_desc": rt_item_desc,
        "old_unit": prof["old_unit"],
        "old_site": rng.choice(prof["old_sites"]),
        "mgmt_topic": mgmt_topic,
        "mgmt_fact": _MGMT_DETAILS[mgmt_topic][0],
        "mgmt_ask": _MGMT_DETAILS[mgmt_topic][1],
        "vehicle": rng.choice(("越野车", "皮卡车", "工程抢修车")),
    }
    ctx["topic"] = scenario["topic"].format_map(ctx)
    return ctx


def _fill(template: str, ctx: dict[str, Any]) -> str:
    return template.format_map(ctx)


def _letter(
    rng: random.Random, scenario: dict[str, Any], ctx: dict[str, Any], *, collective: bool, anonymous: bool
) -> str:
    type_ = scenario["type"]
    if type_ == "accusation":
        if collective:
            opening = _OPEN_ACCUSATION_GROUP
        else:
            opening = _OPEN_ACCUSATION_ANONYMOUS if anonymous else _OPEN_ACCUSATION
    elif scenario["opening"]:
        opening = scenario["opening_group"] if collective else scenario["opening"]
    elif collective:
        opening = _OPEN_GROUP
    elif anonymous:
        opening = _OPEN_ANONYMOUS
    else:
        opening = _OPEN_SUGGESTION if type_ == "suggestion" else _OPEN_INDIVIDUAL
    head = _fill(rng.choice(opening), ctx)
    facts = _fill(rng.choice(scenario["facts"]), ctx)
    if type_ != "accusation":  # an accusation's every sentence is part of what is alleged
        facts = _abridge(rng, facts)
    ask = _fill(rng.choice(scenario["asks"]), ctx)
    if type_ == "accusation":
        closing = _fill(rng.choice(_CLOSE_ACCUSATION), ctx)
        text = f"{head}\n{facts}\n{ask}{closing}"
    elif type_ == "suggestion":
        closing = _fill(rng.choice(_CLOSE_SUGGESTION), ctx)
        text = f"{head}{facts}\n{ask}\n{closing}"
    else:
        tried = _fill(rng.choice(scenario["tried"] or _TRIED), ctx)
        closing = _fill(rng.choice(_CLOSE_CLAIM), ctx)
        text = f"{head}{facts}\n{tried}{ask}\n{closing}"
    return _voice(rng, text.strip(), ctx)


def _reply(rng: random.Random, scenario: dict[str, Any], ctx: dict[str, Any]) -> str:
    findings, measures = (_fill(part, ctx) for part in rng.choice(scenario["outcomes"]))
    basis = _fill(rng.choice(scenario["basis"]), ctx).removeprefix("依据")
    handler, nin, topic = ctx["handler"], ctx["nin"], ctx["topic"]
    right = f"如对本答复意见不服，可自收到本意见之日起30日内向{ctx['upper']}书面申请复查。"
    if scenario["type"] == "suggestion":
        intro = f"感谢{nin}对企业发展的关心和支持。{nin}提出的关于{topic}的建议，{handler}已认真研究，现答复如下："
        body = f"一、{findings}\n二、政策依据：{basis}\n三、采纳情况：{measures}"
        tail = right
    elif scenario["type"] == "accusation":
        intro = f"{nin}反映的关于{topic}的问题，{handler}已按规定受理并组织核查。现将核查处理情况反馈如下："
        body = f"一、核查情况：{findings}\n二、处理依据：{basis}\n三、处理情况：{measures}"
        tail = f"{handler}对反映人信息严格保密，严禁任何形式的打击报复；如遭受打击报复，可随时向{handler}反映。{right}"
    else:
        investigation = _fill(rng.choice(_INVESTIGATION), ctx)
        intro = f"{nin}反映的关于{topic}的信访事项，{handler}已依法受理。{investigation}现答复如下："
        body = f"一、调查核实情况：{findings}\n二、政策依据：{basis}\n三、处理意见：{measures}"
        tail = right
    return f"{ctx['addressee']}：\n{intro}\n{body}\n{tail}\n{handler}"


def make_matter(
    rng: random.Random,
    *,
    category: str | None = None,
    type: str | None = None,  # noqa: A002 - the domain's own word
    collective: bool | None = None,
    unit: str | None = None,
    year: int = 2026,
) -> dict[str, Any]:
    """One fictional petition matter, with its letter, petitioner and a written reply.

    ``category`` (a code of ``CATEGORIES``), ``type`` (suggestion|accusation|claim) and ``collective`` fix those
    properties; ``None`` draws them with realistic weights. ``unit`` (any unit code) keeps the matter inside
    that subtree. ``year`` is the year the matter is received; the facts in the letter happen the year before.

    Returned keys: category, type, subject, content, collective, headcount, representatives, accused, reply,
    petitioner (see ``make_petitioner``), anonymous (a suggested anonymous flag; always False when collective),
    unit (department code where the matter arises), handling_unit (code of the unit that replies: a branch,
    a company or a company's discipline office ``…-DISC``), scenario (the template key, for tests and debugging).
    """
    if category is not None and category not in _CATEGORY_CODES:
        raise ValueError(f"unknown category {category!r}")
    if type is not None and type not in _TYPE_CODES:
        raise ValueError(f"unknown type {type!r}")
    scenario = _pick_scenario(rng, category, type, collective)
    if collective is None:
        collective = rng.random() < _COLLECTIVE_ODDS[scenario["group"]]
    anonymous = False
    if not collective and not scenario["retiree"]:
        anonymous = rng.random() < (0.45 if scenario["type"] == "accusation" else 0.06)
    company, branch, dept, team, job = _pick_workplace(rng, unit, frontline=scenario["frontline"])
    headcount = _headcount(rng) if collective else 1
    petitioner, numbers = _new_petitioner(
        rng, company=company, branch=branch, dept=dept, team=team, year=year, retired=scenario["retiree"]
    )
    representatives: list[str] = []
    if collective:
        n_reps = rng.randint(2, 5)
        others = [n for n in _distinct_names(rng, n_reps) if n != petitioner["name"]]
        representatives = [petitioner["name"], *others][:n_reps]
    ctx = _context(
        rng,
        scenario,
        company=company,
        branch=branch,
        dept=dept,
        team=team,
        job=job,
        collective=collective,
        headcount=headcount,
        numbers=numbers,
        year=year,
    )
    subject = _fill(rng.choice(scenario["subjects"]), ctx)
    content = _letter(rng, scenario, ctx, collective=collective, anonymous=anonymous)
    reply = _reply(rng, scenario, ctx)
    accused = _fill(rng.choice(scenario["accused"]), ctx) if scenario["accused"] else ""
    return {
        "category": scenario["category"],
        "type": scenario["type"],
        "subject": subject,
        "content": content,
        "collective": collective,
        "headcount": headcount,
        "representatives": representatives,
        "accused": accused,
        "reply": reply,
        "petitioner": petitioner,
        "anonymous": anonymous,
        "unit": dept,
        "handling_unit": ctx["handler_code"],
        "scenario": scenario["key"],
    }


_FOLLOW_UP_SUBJECTS = (
    "再次反映{branch}{topic}的问题",
    "{branch}{dept}{topic}问题至今未解决",
    "关于{branch}{topic}的再次反映",
)
_FOLLOW_UP_TEXTS = (
    "我是{branch}{dept}{team}的{job}，{ago}反映过{topic}的问题，登记后说会转{branch}核实，可到现在没有任何消息。"
    "{team}的情况还是老样子，只好再次反映，请给个明确答复。",
    "{ago}我就{branch}{topic}写过信，今天再打电话问一下进展。{dept}说还在等上面的意见，我想知道{team}的事到底"
    "什么时候能解决。",
    "这是我第二次反映{branch}{dept}{topic}的事。上次反映后没有人找我了解情况，{team}也没有任何变化，希望这次能有人"
    "过问。",
)
_AGO = ("上个月", "前些日子", "两周前", "半个多月前")


def make_issue_group(
    rng: random.Random,
    *,
    scenario: str,
    unit: str,
    size: int,
    collective: int = 0,
    follow_up: bool = False,
    year: int = 2026,
) -> list[dict[str, Any]]:
    """``size`` matters on one concrete matter, as a hot issue begins: the same scenario, workplace and facts (the
    same allowance, months and amounts), raised by different employees of that workplace, each in their own words;
    the first ``collective`` of them are collective petitions. With ``follow_up``, one more matter: the first
    individual petitioner writing again about it (a repeat petition), last in the list.

    ``scenario`` is a scenario key, ``unit`` a unit code the workplace is inside. Each matter has the keys of
    `make_matter`; the matters of a group are in the order they would be received.
    """
    found = [s for scenarios in _SCENARIOS.values() for s in scenarios if s["key"] == scenario]
    if not found:
        raise ValueError(f"unknown scenario {scenario!r}")
    if not 0 <= collective <= size or (collective and found[0]["group"] == 0):
        raise ValueError("collective must be between 0 and size, and only for a scenario of group matters")
    sc = found[0]
    company, branch, dept, team, job = _pick_workplace(rng, unit, frontline=sc["frontline"])
    shared = rng.getrandbits(64)  # the matter's own facts: every member's context draws them alike
    order = [True] * collective + [False] * (size - collective)
    rng.shuffle(order)
    out: list[dict[str, Any]] = []
    first_individual: tuple[dict[str, Any], dict[str, Any]] | None = None
    for is_collective in order:
        headcount = rng.randint(18, 45) if is_collective else 1
        petitioner, numbers = _new_petitioner(
            rng, company=company, branch=branch, dept=dept, team=team, year=year, retired=sc["retiree"]
        )
        ctx = _context(
            random.Random(shared),  # noqa: S311 - demo data, reproducible on purpose
            sc,
            company=company,
            branch=branch,
            dept=dept,
            team=team,
            job=job,
            collective=is_collective,
            headcount=headcount,
            numbers=numbers,
            year=year,
        )
        representatives: list[str] = []
        if is_collective:
            others = [n for n in _distinct_names(rng, 3) if n != petitioner["name"]]
            representatives = [petitioner["name"], *others][:3]
        matter = {
            "category": sc["category"],
            "type": sc["type"],
            "subject": _fill(rng.choice(sc["subjects"]), ctx),
            "content": _letter(rng, sc, ctx, collective=is_collective, anonymous=False),
            "collective": is_collective,
            "headcount": headcount,
            "representatives": representatives,
            "accused": _fill(rng.choice(sc["accused"]), ctx) if sc["accused"] else "",
            "reply": _reply(rng, sc, ctx),
            "petitioner": petitioner,
            "anonymous": False,
            "unit": dept,
            "handling_unit": ctx["handler_code"],
            "scenario": sc["key"],
        }
        out.append(matter)
        if first_individual is None and not is_collective:
            first_individual = (matter, ctx)
    if follow_up and first_individual is not None:
        first, ctx = first_individual
        ctx = {**ctx, "ago": rng.choice(_AGO)}
        out.append(
            {
                **first,
                "subject": _fill(rng.choice(_FOLLOW_UP_SUBJECTS), ctx),
                "content": _voice(rng, _fill(rng.choice(_FOLLOW_UP_TEXTS), ctx), ctx),
                "reply": _reply(rng, sc, ctx),
            }
        )
    return out


# --------------------------------------------------------------------------------------------------
# Texts for the other steps of a case
# --------------------------------------------------------------------------------------------------

_REDIRECTS = (
    (
        "arbitration",
        "劳动人事争议仲裁委员会",
        "您反映的解除劳动合同经济补偿争议属于劳动争议。依据《信访工作条例》第三十一条和《中华人民共和国劳动争议"
        "调解仲裁法》第二条的规定，应当通过劳动争议仲裁程序解决。请自知道或者应当知道权利被侵害之日起一年内，向劳动"
        "合同履行地或者用人单位所在地的劳动人事争议仲裁委员会申请仲裁；对仲裁裁决不服的，可以依法向人民法院提起诉讼。",
    ),
    (
        "arbitration",
        "劳动人事争议仲裁委员会",
        "您反映的加班费和未休年休假工资报酬争议属于因劳动报酬发生的劳动争议。依据《信访工作条例》第三十一条，"
        "该事项应当导入劳动争议仲裁程序处理。您可以向用人单位所在地的劳动人事争议仲裁委员会申请仲裁，仲裁时效期间"
        "为一年。",
    ),
    (
        "litigation",
        "人民法院",
        "您反映的事项已由劳动人事争议仲裁委员会作出裁决。依据《信访工作条例》第三十一条和《中华人民共和国劳动争议"
        "调解仲裁法》第五十条的规定，对仲裁裁决不服的，可以自收到仲裁裁决书之日起十五日内向人民法院提起诉讼。",
    ),
    (
        "litigation",
        "人民调解委员会或人民法院",
        "您反映的是职工之间因房屋买卖发生的纠纷，属于平等民事主体之间的民事纠纷，不属于企业信访事项的处理范围。"
        "依据《信访工作条例》第三十一条，您可以申请人民调解，也可以依法向人民法院提起民事诉讼。",
    ),
    (
        "reconsideration",
        "行政复议机关或人民法院",
        "您对社会保险行政部门作出的工伤认定结论不服。依据《工伤保险条例》第五十五条的规定，可以依法申请行政复议，"
        "也可以依法向人民法院提起行政诉讼。该事项应当通过上述法定途径解决。",
    ),
    (
        "other",
        "省级劳动能力鉴定委员会",
        "您对劳动能力鉴定结论有异议。依据《工伤保险条例》第二十六条的规定，可以在收到鉴定结论之日起15日内向省、"
        "自治区、直辖市劳动能力鉴定委员会提出再次鉴定申请。",
    ),
    (
        "other",
        "职业病诊断所在地卫生健康行政部门",
        "您对职业病诊断结论有异议。依据《中华人民共和国职业病防治法》第五十二条的规定，可以向作出诊断的医疗卫生"
        "机构所在地地方人民政府卫生行政部门申请鉴定。",
    ),
    (
        "labour_inspection",
        "劳动保障监察机构",
        "您反映的外包单位拖欠工资问题，外包单位不属于本企业管理范围。依据《劳动保障监察条例》的规定，您可以向"
        "用工所在地的人力资源和社会保障部门劳动保障监察机构投诉，由其依法查处。",
    ),
)

_NOT_ACCEPTED = (
    "该事项已经复查、复核程序处理完毕，信访人仍以同一事实和理由提出投诉请求。依据《信访工作条例》第三十六条，"
    "不再受理，请予理解。",
    "该事项已由人民法院作出生效判决，应当依照法律规定通过申请再审等法定途径处理，信访渠道不再受理。",
    "该事项正在劳动人事争议仲裁程序中处理，依法应当通过仲裁程序解决，信访渠道不予受理，请关注仲裁进展。",
    "信访人已就同一事项向上级单位提出，上级单位已受理并正在办理，本单位不再重复受理，办理结果将由受理单位答复。",
    "该事项已在规定期限内作出答复，信访人未在规定期限内申请复查，现以同一事实和理由再次提出，不予重复受理。",
)

# Another body with jurisdiction, by the category of the matter it fits (a transfer reason about wage arrears
# of an outsourced firm reads wrong on a housing-fund matter); the last ones fit any matter.
_FORWARD_TARGETS = (
    ("work_injury", "当地人力资源和社会保障局", "反映的工伤认定事项属于社会保险行政部门的法定职责"),
    ("wages", "当地人力资源和社会保障局劳动保障监察大队", "反映外包单位拖欠农民工工资，外包单位不属于本企业管理范围"),
    ("labour_contract", "当地劳动人事争议仲裁委员会", "反映的劳动合同争议应当依法申请劳动人事争议仲裁"),
    ("canteen_welfare", "当地市场监督管理局", "反映厂区周边社会餐饮单位的食品安全问题，属于市场监管部门职责"),
    ("housing", "当地住房公积金管理中心", "反映的住房公积金提取政策问题，属于公积金管理中心职责"),
    ("social_insurance", "当地医疗保障局", "反映的医保报销政策问题，属于医疗保障部门职责"),
    ("restructuring", "当地自然资源和规划局", "反映的家属区土地确权问题，需由自然资源主管部门依法处理"),
    ("safety", "当地应急管理局", "反映的是厂区外其他企业的安全生产问题，属于应急管理部门职责"),
    ("retirees", "属地街道办事处", "反映的是社会化管理移交后退休人员的社区服务事项"),
    ("discipline", "当地公安机关", "反映的问题涉嫌违法犯罪，应当由公安机关依法处理"),
    ("", "当地生态环境局", "反映的是厂区外其他企业的排污问题，属于生态环境部门职责"),
)

_FORWARD_SOURCES = (
    ("国务院国资委信访局", "国资信转〔{year}〕{n}号", 60),
    ("国家信访局", "国信转〔{year}〕{n}号", 60),
    ("省信访局", "省信转〔{year}〕{n}号", 60),
    ("省人民政府国有资产监督管理委员会", "省国资信〔{year}〕{n}号", 30),
    ("市信访局", "市信转字〔{year}〕{n}号", 30),
    ("市12345政务服务便民热线", "12345工单{year}{big}", 15),
    ("省人力资源和社会保障厅", "人社信转〔{year}〕{n}号", 30),
    (GROUP_NAME + "群众工作部", "衡兴群工转〔{year}〕{n}号", 30),
)

_PLAN_DEPTS = {
    "wages": ("人力资源部", "财务部"),
    "social_insurance": ("人力资源部", "财务部"),
    "restructuring": ("人力资源部", "法律事务部门"),
    "housing": ("后勤服务中心", "财务部"),
    "work_injury": ("人力资源部", "安全环保部"),
    "discipline": ("纪委办公室", "审计部门"),
    "labour_contract": ("人力资源部", "劳务管理部门"),
    "safety": ("安全环保部", "设备管理部门"),
    "canteen_welfare": ("后勤服务中心", "财务部"),
    "retirees": ("人力资源部", "离退休服务部门"),
    "management": ("企业管理部门", "相关业务部门"),
    "other": ("办公室", "相关业务部门"),
}
_PLAN_STEPS = {
    "wages": (
        "调取近一年工资台账、考勤记录和考核资料，逐人核对应发与实发数额",
        "会同财务部门测算补发金额，明确资金来源和发放时间",
        "对照职代会审议通过的薪酬制度，查明未按时足额发放的原因和责任",
    ),
    "social_insurance": (
        "与社保经办机构逐人核对缴费基数和缴费记录",
        "梳理调动、派遣人员社保关系接续情况，列出问题清单",
        "测算补缴金额和滞纳金，明确单位与个人承担部分",
    ),
    "restructuring": (
        "逐人核算经济补偿和安置方案，建立分流人员台账",
        "组织政策宣讲和一对一沟通，听取职工意见",
        "对照职代会审议通过的方案和法律规定，复核补偿计算基数",
    ),
    "housing": (
        "现场查看住房和宿舍状况，梳理历史资料和政策依据",
        "与当地不动产登记、公积金管理等部门沟通办理路径",
        "编制维修改造计划，明确资金和工期",
    ),
    "work_injury": (
        "调阅事故调查记录和医疗资料，协助申报工伤认定",
        "核算停工留薪期待遇和医疗费用，明确支付责任",
        "安排职业病诊断和复查，落实诊断期间待遇",
    ),
    "discipline": (
        "调取相关合同、凭证和审批资料，开展谈话核实",
        "必要时委托审计或第三方机构进行专项核查",
        "严格落实回避和保密要求，防止线索外泄",
    ),
    "labour_contract": (
        "核查派遣协议、劳动合同和工资构成",
        "与派遣单位逐人对账，明确整改责任",
        "排查劳动合同到期和续订情况，列出问题清单",
    ),
    "safety": (
        "组织安全环保部门现场核查，评估隐患等级并落实临时防护措施",
        "明确整改责任人、资金和完成时限，实行挂牌督办",
        "调阅隐患排查台账和作业许可记录，核实是否存在违章指挥",
    ),
    "canteen_welfare": (
        "会同工会开展满意度测评，核查食堂成本和价格构成",
        "核对福利项目的审批和发放情况",
        "召开职工代表座谈会，听取改进意见",
    ),
    "retirees": (
        "与社区、退管组织对接，核实政策执行情况",
        "逐户走访反映问题的退休职工，听取意见",
        "查阅历史档案和移交清单，明确待遇发放渠道",
    ),
    "management": (
        "组织相关业务部门研究建议的可行性",
        "选择一个班组先行试点，评估效果",
        "梳理现行制度和流程，提出修订意见",
    ),
    "other": (
        "走访相关职工，了解具体诉求",
        "梳理相关制度和政策依据",
        "协调相关部门明确责任分工",
    ),
}

# Why handling needs more time: (categories the reason fits, template); an empty tuple fits every matter.
_EXTENSION_REASONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("wages", "labour_contract", "retirees"),
        "该事项涉及{n}名职工{y}年以来的工资台账核对，需逐月比对考勤和财务凭证，无法在60日内办结，申请延长{days}日。",
    ),
    (("work_injury",), "需等待当地人力资源和社会保障部门作出工伤认定结论后方能确定待遇，申请延长办理期限{days}日。"),
    (("work_injury",), "需委托职业病诊断机构出具诊断结论，诊断周期约{d}日，申请延长办理期限{days}日。"),
    (
        ("social_insurance", "retirees"),
        "涉及跨单位的社会保险关系转移接续，需与两地社保经办机构协调核对，申请延长{days}日。",
    ),
    (
        ("housing", "safety", "canteen_welfare"),
        "需委托第三方造价机构对工程量进行现场复核，复核周期约{d}日，申请延长办理期限{days}日。",
    ),
    (("housing",), "需调阅房改档案并与公积金管理中心核对{n}名职工的缴存记录，申请延长{days}日。"),
    (("safety",), "需委托有资质的检测机构对现场设备设施进行安全评估，申请延长办理期限{days}日。"),
    (
        ("restructuring",),
        "需逐人核算改制时的工龄和经济补偿标准，并报上级单位审批安置方案，申请延长{days}日。",
    ),
    (("discipline",), "需调取相关合同、财务凭证并开展谈话核实，核查工作量较大，申请延长办理期限{days}日。"),
    ((), "涉及历史遗留问题，需查阅{y0}年前后的档案资料并征求有关部门意见，申请延长{days}日。"),
    ((), "信访人的诉求涉及{k}个单位，需统筹协调并报上级单位审批，申请延长{days}日。"),
)

_MESSAGES = (
    (
        "您好，我上个月反映的问题现在办到哪一步了？什么时候能有结果？",
        "您好！您反映的事项已由{dept}承办，目前正在调阅相关台账、核实情况，预计{n}个工作日内形成处理意见，届时会"
        "第一时间告知您。",
    ),
    (
        "请问调查组需要我提供哪些材料？我手里有工资条和考勤截图。",
        "感谢您的配合！请将近一年的工资条、考勤截图以及与班组沟通的记录整理后通过本平台上传，材料仅用于核查本事项，"
        "我们会妥善保管。",
    ),
    (
        "我担心反映问题后车间会给我穿小鞋，你们能保密吗？",
        "请您放心。您的身份信息加密保存，只有经授权的工作人员才能查看，不会透露给被反映单位的相关人员。如遇到任何"
        "打击报复行为，请立即通过本平台告知我们。",
    ),
    (
        "能不能当面谈一谈？有些情况电话里说不清楚。",
        "可以。我们安排在{weekday}上午九点在{dept}会议室与您面谈，如时间不方便，请回复告知，我们另行约定。",
    ),
    (
        "答复里说会补发，具体什么时候到账？",
        "您好，补发款项已纳入本月工资核算，预计{n}日随工资一并发放到您的工资卡，请注意查收，如有疑问请随时联系我们。",
    ),
    (
        "为什么要延期办理？已经等了两个月了。",
        "非常理解您的心情。该事项需要与派遣单位、社保经办机构逐人核对数据，办理期限经批准延长30日，我们会加快进度，"
        "每周向您通报一次进展。",
    ),
    (
        "我对答复里的计算方法有疑问，可以再解释一下吗？",
        "好的。经济补偿按解除劳动合同前十二个月的平均应发工资计算，包含岗位工资、绩效工资和各项津贴，计算明细已作为"
        "附件发送给您；如仍有异议，可以在收到答复之日起30日内申请复查。",
    ),
    (
        "匿名反映的话，结果怎么告诉我？",
        "您可以凭提交时获得的查询码随时登录平台查看办理进度和答复意见，也可以通过本消息功能与承办人员沟通，无需提供"
        "个人身份信息。",
    ),
    (
        "现场隐患今天还是没有处理，工人还在下面干活，怎么办？",
        "收到，已立即通知{dept}负责人到现场落实隔离措施，隐患消除前停止该区域作业。处理情况我们会在今天下班前回复您。",
    ),
)
_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五")

_RATING_COMMENTS = {
    "satisfied": (
        "问题解决得很及时，补发的钱已经到账，感谢领导的重视！",
        "承办人员多次主动联系我，态度很好，处理结果满意。",
        "调查很认真，给了明确的说法，谢谢！",
        "没想到这么快就有了答复，整改措施也落实了，为你们点赞。",
        "隐患已经整改完毕，我到现场看过了，很满意。",
        "答复把政策讲得很清楚，心里的疙瘩解开了。",
    ),
    "basically_satisfied": (
        "主要问题解决了，但补发时间比承诺的晚了一周。",
        "答复基本认可，希望后续措施能真正落实到位。",
        "处理结果可以接受，就是办理时间有点长。",
        "问题解决了一部分，其他的希望继续跟进。",
        "态度不错，但有些细节解释得还不够清楚。",
    ),
    "dissatisfied": (
        "答复没有回应我提出的核心诉求，只是讲了一通政策。",
        "说是已经整改，实际上现场还是老样子。",
        "补发金额和我计算的差距很大，也没有给出明细。",
        "调查只听了车间的一面之词，没有找我们核实。",
        "拖了这么久才答复，结果还是“按规定执行”，不满意。",
    ),
}

_REVIEW_REASONS = (
    "答复认定的加班时长与我的考勤记录不符，且未说明计算依据，请求复查。",
    "答复只回应了补发问题，没有回应我提出的撤销考核扣款的诉求，请求复查。",
    "调查过程中没有听取我本人的陈述，认定事实不清，请求复查。",
    "答复引用的公司制度没有经过职代会审议，不能作为处理依据，请求复查。",
    "答复中承诺的整改措施至今没有落实，问题依然存在，请求复查。",
    "经济补偿的计算基数仍未包含绩效工资，与法律规定不符，请求复查。",
    "答复称“未发现问题”，但没有说明核查了哪些材料、找了哪些人，请求复查。",
    "工伤待遇的计算标准与《工伤保险条例》的规定不一致，请求复查。",
)


def make_redirect_reason(rng: random.Random) -> dict[str, str]:
    """Why a matter belongs to another lawful procedure, and where to go.

    Keys: ``channel`` (a LawfulChannel code: arbitration, litigation, reconsideration, labour_inspection, other),
    ``body`` (the body to turn to, Chinese), ``reason`` (the notice text, stating the basis and the deadline).
    """
    channel, body, reason = rng.choice(_REDIRECTS)
    return {"channel": channel, "body": body, "reason": reason}


def make_not_accepted_reason(rng: random.Random) -> str:
    """The stated reason for not accepting a matter."""
    return rng.choice(_NOT_ACCEPTED)


def make_forward_target(rng: random.Random, category: str = "") -> dict[str, str]:
    """Another body with jurisdiction over a matter of `category` (a category code; one that fits any matter when
    none fits it). Keys: ``target`` (≤ 100 chars) and ``reason``."""
    fitting = [(t, r) for code, t, r in _FORWARD_TARGETS if code == category] or [
        (t, r) for code, t, r in _FORWARD_TARGETS if not code
    ]
    target, reason = rng.choice(fitting)
    return {"target": target, "reason": reason}


def make_forwarded_source(rng: random.Random, *, year: int = 2026) -> dict[str, Any]:
    """An authority that forwarded a matter down to the enterprise.

    Keys: ``authority`` (≤ 100 chars), ``reference`` (a document number such as "国资信转〔2026〕123号", ≤ 60 chars),
    ``deadline_days`` (the days the authority gives for reporting the result) and ``note`` (the transfer instruction).
    """
    authority, pattern, days = rng.choice(_FORWARD_SOURCES)
    reference = pattern.format(year=year, n=rng.randint(1, 480), big=f"{rng.randint(0, 99_999_999):08d}")
    note = f"请按照“属地管理、分级负责，谁主管、谁负责”的原则依法办理，并于{days}日内将办理结果报送{authority}。"
    return {"authority": authority, "reference": reference, "deadline_days": days, "note": note}


def make_plan(rng: random.Random, category: str, *, accusation: bool = False, anonymous: bool = False) -> str:
    """A short handling plan (包案处理方案) for a matter of ``category``; for an accusation report, a
    verification plan (核查方案) whatever its category, which tells a named reporter the result and an
    anonymous one nothing, since no one knows who they are."""
    if category not in _CATEGORY_CODES:
        raise ValueError(f"unknown category {category!r}")
    if accusation:
        step_a, step_b = rng.sample(_PLAN_STEPS["discipline"], 2)
        days = rng.choice((30, 45, 60))
        told = (
            "核查结论按规定存档，匿名检举无法反馈，如实名补充线索再行反馈"
            if anonymous
            else "核查结论经审定后，依规向实名检举人反馈核查结果"
        )
        return (
            "一、成立核查组，由纪委办公室牵头，明确核查人员，核查人员与被检举人有利害关系的一律回避；\n"
            f"二、{step_a}；\n"
            f"三、{step_b}；\n"
            f"四、{days}日内形成核查报告，提出处理意见，报纪委审定；\n"
            f"五、{told}。"
        )
    first, second = _PLAN_DEPTS[category]
    step_a, step_b = rng.sample(_PLAN_STEPS[category], 2)
    talk, visit = rng.randint(5, 15), rng.randint(7, 30)
    return (
        f"一、成立由包案领导任组长，{first}、{second}和工会负责人参加的工作专班，明确承办人和完成时限；\n"
        f"二、{step_a}；\n"
        f"三、{step_b}；\n"
        f"四、{talk}日内与信访人当面沟通，听取意见，依据有关规定提出处理意见，经包案领导审定后书面答复；\n"
        f"五、答复后{visit}日内回访，跟踪措施落实情况，做到案结事了。"
    )


def make_team(rng: random.Random, size: int | None = None) -> list[str]:
    """Names of a handling team (3 to 5 distinct fictional people unless ``size`` is given)."""
    return _distinct_names(rng, size if size is not None else rng.randint(3, 5))


def make_extension_reason(rng: random.Random, *, days: int = 30, year: int = 2026, category: str | None = None) -> str:
    """Why handling needs an extension of `days` (at most 30) days; the text names the days asked for.
    With a `category`, only reasons that fit a matter of that category."""
    if category is not None and category not in _CATEGORY_CODES:
        raise ValueError(f"unknown category {category!r}")
    template = rng.choice(
        [text for fits, text in _EXTENSION_REASONS if category is None or not fits or category in fits]
    )
    return template.format(
        n=rng.randint(8, 120),
        y=year - 1,
        d=rng.randint(15, 25),
        y0=rng.randint(1995, 2005),
        k=rng.randint(2, 4),
        days=days,
    )


def make_message_pair(rng: random.Random) -> tuple[str, str]:
    """A petitioner's question and the handler's answer."""
    question, answer = rng.choice(_MESSAGES)
    dept = rng.choice(("人力资源部", "信访办公室", "安全环保部", "后勤服务中心", "承办部门"))
    return question, answer.format(dept=dept, n=rng.randint(5, 15), weekday=rng.choice(_WEEKDAYS))


def make_rating_comment(rng: random.Random, rating: str) -> str:
    """The petitioner's comment for a rating: satisfied, basically_satisfied or dissatisfied."""
    if rating not in _RATING_COMMENTS:
        raise ValueError(f"unknown rating {rating!r}")
    return rng.choice(_RATING_COMMENTS[rating])


def make_review_reason(rng: random.Random) -> str:
    """Why the petitioner asks for review (复查) or re-review (复核)."""
    return rng.choice(_REVIEW_REASONS)


# --------------------------------------------------------------------------------------------------
# Requests to the identity custodian (accusation reports)
# --------------------------------------------------------------------------------------------------

UNSEAL_REASON_VAGUE = "核查需要。"
UNSEAL_DENIAL_NOTE = "未说明为何须知悉举报人身份，书面材料能否核实也未交代，请补充后再申请。"
UNSEAL_REASONS = [
    "举报所附报销单据共十二张，其中三张的经手时间与财务记录不符，需请举报人当面指认经手情况；"
    "书面补充材料无法说明。谈话安排在纪委办公室保密谈话室，仅本人和一名记录人员在场。",
    "举报人反映曾向所在车间反映问题后被调整岗位，需核实其岗位变动时间与举报时间的先后，"
    "以判断是否存在打击报复，须知悉其所在班组。",
]


# --------------------------------------------------------------------------------------------------
# Category routes: (category code, scope unit code or None for the whole group, handling unit code, note)
# --------------------------------------------------------------------------------------------------

DEMO_ROUTES: list[tuple[str, str | None, str, str]] = [
    ("wages", None, "HX-HR", "未单独设定的，由集团人力资源部统筹"),
    *[
        (code, company, f"{company}-HR", note)
        for company in ("HX-PWR", "HX-MINE", "HX-ENG", "HX-LOG")
        for code, note in (
            ("wages", "工资薪酬由本公司人力资源部承办"),
            ("social_insurance", "社保、年金由本公司人力资源部承办"),
            ("housing", "住房公积金由本公司人力资源部承办"),
        )
    ],
    ("wages", "HX-MINE-M1", "HX-MINE-M1-HR", "黑石岭煤矿的工资问题由矿劳资科承办"),
]
