"""Load a realistic demo organisation with cases in every state and channel.

Idempotent: units and accounts are created once; cases are added only up to --cases. Every case is
driven through the real services with timestamps in the past, so timelines, clocks and the audit
chain look exactly as they would after 18 months of use.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from huiyin.cases import services as s
from huiyin.cases.models import Case, Category, DraftStatus, ReplyDraft
from huiyin.cases.selectors import earlier_stage_people, earlier_stage_units
from huiyin.cases.states import CaseStage, CaseStatus, CaseType, Channel
from huiyin.core import demo_text as dt
from huiyin.core.errors import DomainError
from huiyin.notify.models import DeliveryStatus, NotifyChannel, OutboxMessage
from huiyin.org.models import OrgUnit, UnitKind, User
from huiyin.org.services import unit_create, user_create
from huiyin.org.tree import handling_body, superior_body
from huiyin.people.models import UnsealRequest
from huiyin.people.services import petitioner_create, unseal_request_create, unseal_request_decide
from huiyin.portal.knowledge import knowledge_seed
from huiyin.triage.models import CategoryRoute, DisputeEntry, TrainedModel
from huiyin.triage.services import (
    case_suggest,
    dispute_entry_create,
    model_activate,
    model_train_request,
    model_train_run,
    similar_link,
)
from huiyin.triage.states import DisputeLevel, DisputeStatus, SimilarKind, SuggestionKind, SuggestionStatus
from huiyin.workflow.review import next_stage_unit
from huiyin.workflow.services import deadlines_sweep

DEMO_PASSWORD = "huiyin-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only
MONTHS = 18
# Where a demo case's story stops. The first cases cover every outcome; the rest follow the age of the case.
OUTCOMES = [
    "registered",
    "accepted",
    "redirected",
    "forwarded",
    "not_accepted",
    "in_handling",
    "in_handling_extension",
    "replied",
    "closed",
    "closed_unrated",
    "review_accepted",
    "review_in_handling",
    "review_replied",
    "review_closed",
    "recheck_accepted",
    "recheck_in_handling",
    "final",
]

# The outcomes that reach a re-review: the group re-reviews a company's review of a branch's reply.
RECHECK_OUTCOMES = ("recheck_accepted", "recheck_in_handling", "final")

# Review and re-review opinions: the higher level re-examines the first reply against its basis.
STAGE_OPINION = {
    1: (
        "{unit}收到您的复查申请后，调阅了原办理单位的调查材料，并重新核实了相关事实。"
        "经复查，原答复意见认定事实清楚，适用《信访工作条例》第三十二条及公司相关制度正确，"
        "处理意见适当。本机关决定维持原答复意见。"
    ),
    2: (
        "{unit}对您的复核申请进行了审查，听取了您和原办理单位的意见。"
        "经复核，复查意见认定事实清楚，依据《信访工作条例》第三十五条、第三十六条，决定维持复查意见。"
    ),
}
# The drafts the demo leader finds on their desk (`_drafts`): one awaiting sign-off, one returned with a note.
DEMO_DRAFT = (
    "您反映的问题收悉。{unit}会同人力资源部、财务部调阅了相关台账和发放记录，并听取了您和所在部门的意见，"
    "对您反映的事项逐项进行了核实。\n"
    "一、经核实，您反映的情况基本属实，原因是相关数据报送延迟。\n"
    "二、依据《信访工作条例》第三十二条及公司《薪酬管理办法》第十二条，应发款项将于本月工资发放时一并补发，"
    "并由所在部门向您当面说明计算明细。"
)
DEMO_DRAFT_WEAK = "您反映的问题收悉，{unit}高度重视，已安排专人研究处理，后续情况另行告知。"
# The demo's dispute register (`_disputes`).
DISPUTE_DESCRIPTION = (
    "{n}名职工联名反映，涉及{unit}。诉求集中、人数较多，列入矛盾纠纷台账，由包案领导牵头化解，定期报告进展。"
)
DISPUTE_GROUP = "{unit}联名反映的职工"
DISPUTE_MEASURES = (
    "已召开专题会研究并印发整改方案；逐人核对并落实了相关待遇；已向联名职工当面说明处理结果，回访时职工表示认可。"
)
DEMO_RETURN_NOTE = "请逐项答复信访人提出的诉求，写明处理依据（制度名称和条款）和落实时限，再提交审签。"
# Story numbers whose petitioner is the demo employee (outcomes: forwarded, in handling, replied, closed,
# review replied), so the portal shows them a decision, an answer in handling and each stage's answer.
EMPLOYEE_CASES = (3, 5, 7, 8, 12)
# The demo's hot issues: employees of one workplace raising the same concrete matter in the last weeks, among them a
# collective petition, and one petitioner writing again (a repeat petition, linked as such). Each story: scenario,
# unit, how many raise it, how many of those collectively, whether one writes again, and how many days ago each case
# arrives (in order, the repeat last). The story cases are the demo's cases number STORY_FIRST, STORY_FIRST + 1, ...
STORIES = (
    ("wages_allowance_arrears", "HX-PWR-P2", 6, 1, True, (17, 12, 9, 6, 4, 2, 1)),
    ("housing_dormitory", "HX-MINE-M1", 3, 1, False, (26, 13, 5)),
    ("canteen_commuter_bus", "HX-LOG-PORT", 3, 0, False, (33, 20, 9)),
)
STORY_FIRST = 30
# letter, visit, phone, web, box, reception, other — roughly how matters arrive at an enterprise office.
CHANNEL_WEIGHTS = [25, 20, 15, 22, 8, 7, 3]


class Command(BaseCommand):
    help = "Load the demo group: units, staff in every role and cases in every state (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=360, help="Number of demo cases (default 360).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-in table.")

    def handle(self, *args, **options):
        if options["cases"] < 0:
            raise CommandError("--cases must be zero or more.")
        started = timezone.now()
        self._bodies: dict[int, OrgUnit] = {}
        rng = random.Random(options["seed"])  # noqa: S311 - demo data, reproducible on purpose
        units = self._units()
        staff = self._staff(units)
        root = units[dt.ORG_TREE["code"]]
        self._routes(units, staff)
        existing = Case.objects.filter(unit__path__startswith=root.path).count()
        wanted = options["cases"] - existing
        if wanted > 0:
            rng.seed(options["seed"] + existing)
            self._cases(rng, wanted, existing, units, staff, seed=options["seed"])
        self._drafts(root)
        self._disputes(root)
        self._unseal_requests(root)
        knowledge_seed()
        # Bring the clocks up to today, as the periodic sweep would have: due-soon and overdue marks,
        # lapsed rating windows closed, notifications queued.
        deadlines_sweep()
        # The demo's history happened in the past: its e-mails and text messages count as delivered
        # then, so the embedded scheduler does not send a backlog of 18 months when the site starts.
        OutboxMessage.objects.filter(
            created_at__gte=started, status=DeliveryStatus.PENDING, channel__in=[NotifyChannel.EMAIL, NotifyChannel.SMS]
        ).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
        self._date_notices(started)
        self._category_model()
        total = Case.objects.filter(unit__path__startswith=root.path).count()
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation ready: {len(units)} units, {len(staff)} accounts, {total} cases.")
        )
        if not options["quiet"]:
            self._print_signins(staff)

    def _category_model(self) -> None:
        """Train a category model on the demo's own decided cases and put it in use, as the group office would on
        the category models page, so that the demo's suggestions carry a model's confidence; the cases still
        awaiting a decision on their category are suggested again by it. Deterministic (the same cases give the
        same split and model) and idempotent: nothing is done once a model exists. With fewer decided cases than
        HUIYIN_TRIAGE_MIN_EXAMPLES (a small --cases) the keyword rules keep suggesting, as they would in production.
        """
        if TrainedModel.objects.exists():
            return
        office = User.objects.filter(username="office").first()
        started = time.perf_counter()
        try:
            run = model_train_request(actor=office)
        except DomainError as exc:
            self.stdout.write(f"No category model: {exc.message}")
            return
        run = model_train_run(run_id=run.pk)
        if run.trained_model is None:
            self.stdout.write(f"No category model: {run.error}")
            return
        model = run.trained_model
        model_activate(trained_model=model, actor=office, seen=None)
        open_cases = Case.objects.filter(
            triage_suggestions__kind=SuggestionKind.CATEGORY, triage_suggestions__status=SuggestionStatus.OPEN
        ).order_by("pk")
        for case in open_cases:
            with transaction.atomic():
                case_suggest(case=case)
        figures = (
            f"macro-F1 {model.macro_f1:.3f} on {model.n_heldout} held-out cases, "
            f"keyword rules {model.keywords_macro_f1:.3f}"
            if model.macro_f1 is not None and model.keywords_macro_f1 is not None
            else "no held-out figures"
        )
        self.stdout.write(
            f"Category model v{model.version} in use: {model.n_examples} cases, {figures} "
            f"({time.perf_counter() - started:.1f} s)."
        )

    def _date_notices(self, started: datetime) -> None:
        """The notices written while the demo's history was replayed carry the time of that history, not of the
        seeding: each is dated by the event it reports (its key names it), and those older than a fortnight
        count as read, as they would be in an office that has used the platform."""
        from huiyin.cases.models import CaseEvent

        notices = list(OutboxMessage.objects.filter(created_at__gte=started, dedup_key__startswith="event:"))
        event_ids = {n.pk: int(n.dedup_key.split("|", 1)[0].split(":", 1)[1]) for n in notices}
        at = dict(CaseEvent.objects.filter(pk__in=set(event_ids.values())).values_list("pk", "at"))
        read_before = timezone.now() - timedelta(days=14)
        for notice in notices:
            when = at.get(event_ids[notice.pk])
            if when is not None:
                notice.created_at = when
                if notice.channel == NotifyChannel.INBOX and when < read_before and notice.read_at is None:
                    notice.read_at = when + timedelta(hours=2)
        OutboxMessage.objects.bulk_update(notices, ["created_at", "read_at"], batch_size=500)

    # Organisation ------------------------------------------------------------------------------------

    def _units(self) -> dict[str, OrgUnit]:
        units: dict[str, OrgUnit] = {}

        def walk(node: dict, parent: OrgUnit | None) -> None:
            unit = OrgUnit.objects.filter(code=node["code"]).first()
            if unit is None:
                unit = unit_create(
                    name=node["name"],
                    code=node["code"],
                    kind=node["kind"],
                    parent=parent,
                    is_petition_office=node.get("petition_office", False),
                )
            units[unit.code] = unit
            for child in node.get("children", []):
                walk(child, unit)

        with transaction.atomic():
            walk(dt.ORG_TREE, None)
        return units

    def _staff(self, units: dict[str, OrgUnit]) -> list[User]:
        accounts = []
        with transaction.atomic():
            for person in dt.STAFF:
                user = User.objects.filter(username=person["username"]).first()
                if user is None:
                    user = user_create(
                        username=person["username"],
                        password=DEMO_PASSWORD,
                        unit=units[person["unit"]],
                        roles=[person["role"]],
                        full_name=person["name"],
                        title=person.get("title", ""),
                    )
                accounts.append(user)
            if not User.objects.filter(username="employee").exists():
                # An employee who signs in to the portal to follow their own named matters.
                accounts.append(
                    user_create(
                        username="employee",
                        password=DEMO_PASSWORD,
                        unit=units["HX-PWR-P1"],
                        roles=["petitioner"],
                        full_name="刘晓东",
                        title="青石湾发电厂运行部值班员",
                    )
                )
            else:
                accounts.append(User.objects.get(username="employee"))
            if not User.objects.filter(username="admin").exists():
                admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, full_name="系统管理员")
                admin.unit = units[dt.ORG_TREE["code"]]
                admin.save(update_fields=["unit"])
        return accounts

    def _print_signins(self, staff: list[User]) -> None:
        self.stdout.write("")
        self.stdout.write(f"Sign in at /accounts/login/ — every demo account's password is: {DEMO_PASSWORD}")
        self.stdout.write(f"{'username':<16} {'role':<12} {'name':<8} unit")
        roles = dict(Group.objects.values_list("user__username", "name"))
        for user in staff:
            self.stdout.write(f"{user.username:<16} {roles.get(user.username, ''):<12} {user.full_name:<8} {user.unit}")
        self.stdout.write(f"{'admin':<16} {'superuser':<12} {'系统管理员':<8} (Django admin at /admin/)")
        self.stdout.write("Employees use the portal at /portal/ (anonymous, or signed in as 'employee').")

    # Cases -------------------------------------------------------------------------------------------

    def _story_matters(self, seed: int, year: int) -> list[tuple[dict, int, dict | None]]:
        """The cases of `STORIES`, in the order of their numbers: (matter, days ago, the matter it repeats)."""
        rng = random.Random(seed + 1_000_003)  # noqa: S311 - demo data, reproducible on purpose
        out: list[tuple[dict, int, dict | None]] = []
        for scenario, unit, size, collective, follow_up, days in STORIES:
            group = dt.make_issue_group(
                rng, scenario=scenario, unit=unit, size=size, collective=collective, follow_up=follow_up, year=year
            )
            for index, (matter, ago) in enumerate(zip(group, days, strict=True)):
                # The last of a group that has a follow-up repeats the matter of the same petitioner.
                last = follow_up and index == len(group) - 1
                repeats = next(m for m in group if m["petitioner"] is matter["petitioner"]) if last else None
                out.append((matter, ago, repeats))
        return out

    def _cases(
        self, rng: random.Random, count: int, offset: int, units: dict[str, OrgUnit], staff: list[User], *, seed: int
    ) -> None:
        now = timezone.now()
        stories = self._story_matters(seed, timezone.localtime(now).year)
        by_role: dict[str, list[User]] = {}
        for user in staff:
            for group in user.groups.all():
                by_role.setdefault(group.name, []).append(user)
        companies = [u for u in units.values() if u.kind == "company"]
        categories = {c.code: c for c in Category.objects.all()}
        channels = Channel.values
        for i in range(count):
            n = offset + i
            outcome = OUTCOMES[n] if n < len(OUTCOMES) else None
            age_days = rng.randint(0, 25) if outcome in ("registered", "accepted") else rng.randint(1, MONTHS * 30)
            if outcome == "replied":
                # Replied within the rating window, whatever the draws: accepted, then answered in 8 to 12 days.
                age_days = rng.randint(20, 28)
            if outcome is None:
                age_days = int(rng.triangular(0, MONTHS * 30, 40))
            # Matters arrive in office hours (08:30–17:30, Asia/Shanghai).
            day = timezone.localtime(now - timedelta(days=age_days)).replace(hour=8, minute=30, second=0, microsecond=0)
            received = min(day + timedelta(minutes=rng.randint(0, 540)), now - timedelta(minutes=5))
            company = companies[n % len(companies)] if n < len(companies) * 2 else rng.choice(companies)
            story = stories[n - STORY_FIRST] if 0 <= n - STORY_FIRST < len(stories) else None
            if story is not None:
                matter, ago, _repeats = story
                company = units[matter["unit"]].company()
                day = timezone.localtime(now - timedelta(days=ago)).replace(hour=8, minute=30, second=0, microsecond=0)
                received = min(day + timedelta(minutes=rng.randint(0, 540)), now - timedelta(minutes=5))
            with transaction.atomic():
                channel = (
                    channels[n % len(channels)] if n < 2 * len(channels) else rng.choices(channels, CHANNEL_WEIGHTS)[0]
                )
                self._one_case(rng, n, outcome, received, company, units, by_role, categories, channel, story=story)

    def _pick(self, rng: random.Random, users: list[User], company: OrgUnit) -> User:
        local = [u for u in users if u.unit.path.startswith(company.path)]
        return rng.choice(local or users)

    def _one_case(self, rng, n, outcome, received, company, units, by_role, categories, channel, story=None) -> Case:
        now = timezone.now()
        if story is not None:
            matter, _ago, repeats = story
        else:
            matter, repeats = dt.make_matter(rng, unit=company.code, year=timezone.localtime(received).year), None
        while outcome in RECHECK_OUTCOMES and units[matter["handling_unit"]].kind != UnitKind.BRANCH:
            # A re-review needs two bodies above the first handler's (Arts. 35, 36): a branch's matter.
            matter = dt.make_matter(rng, unit=company.code, year=timezone.localtime(received).year)
        clerk = self._pick(rng, by_role["clerk"], company)
        office = self._pick(rng, by_role["office"], company)
        discipline = self._pick(rng, by_role["discipline"], company)
        is_accusation = matter["type"] == "accusation"
        screener = discipline if is_accusation else office
        petition_office = next(
            (u for u in units.values() if u.is_petition_office and u.path.startswith(company.path)), company
        )
        forwarded = n % 9 == 4
        source = dt.make_forwarded_source(rng, year=timezone.localtime(received).year) if forwarded else None
        petitioner = None
        if n in EMPLOYEE_CASES and by_role.get("petitioner"):
            # The demo employee's own named matters, visible to them at /portal/mine/.
            petitioner = petitioner_create(
                name="刘晓东",
                employee_no="E20150318",
                phone="13912345678",
                address="青石湾发电厂运行部",
                account=by_role["petitioner"][0],
            )
        elif not matter.get("anonymous"):
            p = matter["petitioner"]
            petitioner = s.PetitionerData(
                name=p["name"],
                id_number=p.get("id_number", ""),
                employee_no=p.get("employee_no", ""),
                phone=p.get("phone", ""),
                address=p.get("workplace", ""),
            )
        case = s.case_register(
            actor=clerk,
            unit=petition_office,
            channel=channel,
            type=matter["type"],
            subject=matter["subject"],
            content=matter["content"],
            received_at=received,
            category=categories.get(matter["category"]),
            anonymous=petitioner is None,
            petitioner=petitioner,
            collective=matter["collective"],
            headcount=matter["headcount"] if matter["collective"] else 1,
            representatives=[s.RepresentativeData(name=r) for r in matter.get("representatives", [])[:5]],
            source="forwarded" if forwarded else "own",
            forwarded_authority=source["authority"][:100] if source else "",
            forwarded_ref=source["reference"][:60] if source else "",
            forwarded_deadline=(timezone.localtime(received) + timedelta(days=source["deadline_days"])).date()
            if source
            else None,
            target_unit=units.get(matter["unit"]),
            now=received,
        )
        if repeats is not None:
            # The clerk links the petitioner's earlier letter on the same matter, as the case page suggests.
            original = (
                Case.objects.filter(subject=repeats["subject"], content=repeats["content"]).order_by("pk").first()
            )
            if original is not None:
                similar_link(case=case, other=original, kind=SimilarKind.REPEAT, actor=clerk, now=received)
        clock = received

        def step(days_min: float, days_max: float) -> datetime | None:
            """Move the story on by some days, to a moment in office hours; None once it would be in the future."""
            nonlocal clock
            later = timezone.localtime(clock + timedelta(days=rng.uniform(days_min, days_max)))
            office = later.replace(hour=8, minute=30, second=0, microsecond=0) + timedelta(minutes=rng.randint(0, 540))
            clock = max(office, clock + timedelta(minutes=rng.randint(10, 90)))
            return clock if clock < now else None

        target = outcome or self._outcome_for_age(rng, (now - received).days)
        if target == "registered" or step(0.2, 4) is None:
            return case
        if target in ("redirected", "forwarded", "not_accepted"):
            if target == "redirected":
                redirect = dt.make_redirect_reason(rng)
                s.case_redirect(
                    case=case, actor=screener, channel=redirect["channel"], reason=redirect["reason"], now=clock
                )
            elif target == "forwarded":
                forward = dt.make_forward_target(rng, matter["category"])
                s.case_forward(
                    case=case, actor=screener, to_whom=forward["target"], reason=forward["reason"], now=clock
                )
            else:
                s.case_not_accept(case=case, actor=screener, reason=dt.make_not_accepted_reason(rng), now=clock)
            return case
        # Accepting asks for a category: the one given at registration, else the matter's own.
        category = case.category or categories.get(matter["category"])
        s.case_accept(case=case, actor=screener, category=category, now=clock)
        if target == "accepted":
            return case

        stages = ["first", "review", "recheck"]
        stage_target = {"review": 1, "recheck": 2, "final": 2}
        last_stage = next((v for k, v in stage_target.items() if target.startswith(k)), 0)
        for stage_index, _stage in enumerate(stages[: last_stage + 1]):
            if stage_index > 0:
                if superior_body(case.handling_unit) is None:
                    # Handled at the group: the next stage is the authority's above it, outside the demo.
                    return case
                if step(1, 12) is None:  # within the 30-day window counted from the reply
                    return case
                s.case_next_stage_request(case=case, actor=clerk, reason=dt.make_review_reason(rng), now=clock)
                if target.endswith("_accepted") and stage_index == last_stage:
                    return case
                if step(0.5, 3) is None:
                    return case
            # First handling by the unit where the matter arises; the review by the body above the one that
            # handled it, the re-review by the body above the reviewer (Arts. 35, 36).
            handling = units.get(matter["handling_unit"], company) if stage_index == 0 else next_stage_unit(case)
            self._assign(rng, case, screener, handling, by_role, matter["category"], clock, is_accusation)
            if target in ("in_handling", "review_in_handling", "recheck_in_handling") and stage_index == last_stage:
                return case
            if target == "in_handling_extension":
                if step(20, 40) is not None:
                    handler = case.members.first().user if case.members.exists() else case.responsible_leader
                    days = rng.choice([15, 20, 30])
                    ext = s.case_extension_request(
                        case=case,
                        actor=handler,
                        days=days,
                        reason=dt.make_extension_reason(rng, days=days, category=matter["category"]),
                        now=clock,
                    )
                    if rng.random() < 0.6 and step(0.5, 2) is not None:
                        s.case_extension_decide(extension=ext, actor=case.responsible_leader, approve=True, now=clock)
                return case
            late = rng.random() < 0.12
            quick = target == "replied"  # its reply must fall inside the rating window (see `_cases`)
            if step(8, 12 if quick else 75 if late else 50) is None:
                return case
            text = matter["reply"] if stage_index == 0 else STAGE_OPINION[stage_index].format(unit=handling.name)
            # The handling team drafts the reply and the responsible leader signs it off (领导审签); a leader
            # without a team writes it themselves.
            drafter = next(
                (m.user for m in case.members.select_related("user") if m.user_id != case.responsible_leader_id), None
            )
            if drafter is None:
                s.case_reply(case=case, actor=case.responsible_leader, text=text, now=clock)
            else:
                draft = s.reply_draft_save(case=case, actor=drafter, text=text, submit=True, now=clock)
                if step(0.1, 2) is None:
                    return case  # submitted today: awaiting the leader's sign-off
                s.reply_draft_sign_off(draft=draft, actor=case.responsible_leader, text=text, now=clock)
            case.refresh_from_db()
            if case.status == CaseStatus.FINAL:
                return case
            if target in ("replied", "review_replied") and stage_index == last_stage:
                return case
            if target == "closed_unrated":
                if step(31, 35) is not None:
                    s.case_close(case=case, actor=office, note="信访人在评价期限内未作评价。", now=clock)
                return case
            if step(1, 14) is None:
                return case
            final_stage = stage_index == last_stage
            rating = rng.choices(["satisfied", "basically_satisfied", "dissatisfied"], [6, 3, 1])[0]
            if not final_stage:
                rating = "dissatisfied"
            s.case_rate(case=case, actor=clerk, rating=rating, comment=dt.make_rating_comment(rng, rating), now=clock)
            if final_stage:
                return case
        return case

    def _routes(self, units: dict[str, OrgUnit], staff: list[User]) -> None:
        """The category routes an office would keep (before the cases, so that their suggestions name a
        handling unit): wages, social insurance and housing to each company's 人力资源部, a mine's wages to
        its 劳资科, and a group-wide fallback to the group's 人力资源部. Idempotent: only while none exists."""
        if CategoryRoute.objects.exists():
            return
        categories = {c.code: c for c in Category.objects.filter(code__in=[r[0] for r in dt.DEMO_ROUTES])}
        office = next((u for u in staff if u.username == "office"), None)
        for code, scope, unit, note in dt.DEMO_ROUTES:
            if code in categories and unit in units and (scope is None or scope in units):
                CategoryRoute.objects.create(
                    category=categories[code],
                    scope=units[scope] if scope else None,
                    unit=units[unit],
                    note=note,
                    updated_by=office,
                )

    def _drafts(self, root: OrgUnit) -> None:
        """Make sure the demo leader finds a reply awaiting their sign-off, and that a returned draft shows
        what a return looks like (idempotent: added only when missing)."""
        leader = User.objects.filter(username="leader").first()
        if leader is None:
            return
        cases = Case.objects.filter(
            unit__path__startswith=root.path, responsible_leader=leader, status=CaseStatus.IN_HANDLING
        ).order_by("received_at", "pk")
        drafts = ReplyDraft.objects.filter(case__in=cases)
        wanted = []
        if not drafts.filter(status=DraftStatus.SUBMITTED).exists():
            wanted.append(DraftStatus.SUBMITTED)
        if not drafts.filter(status=DraftStatus.RETURNED).exists():
            wanted.append(DraftStatus.RETURNED)
        now = timezone.now()
        for case in cases:
            if not wanted:
                return
            if case.reply_drafts.filter(stage=case.stage).exists():
                continue
            drafter = next(
                (m.user for m in case.members.select_related("user") if m.user_id != leader.pk and m.user.is_active),
                None,
            )
            if drafter is None:
                continue
            last = case.events.order_by("-at").values_list("at", flat=True).first() or case.received_at
            at = min(now - timedelta(hours=3), max(last + timedelta(hours=2), now - timedelta(days=2)))
            if at <= last:
                continue
            kind = wanted.pop(0)
            unit = case.handling_unit.name if case.handling_unit_id else ""
            with transaction.atomic():
                if kind == DraftStatus.SUBMITTED:
                    s.reply_draft_save(case=case, actor=drafter, text=DEMO_DRAFT.format(unit=unit), submit=True, now=at)
                else:
                    draft = s.reply_draft_save(
                        case=case, actor=drafter, text=DEMO_DRAFT_WEAK.format(unit=unit), submit=True, now=at
                    )
                    s.reply_draft_return(
                        draft=draft, actor=leader, note=DEMO_RETURN_NOTE, now=at + timedelta(minutes=90)
                    )

    def _unseal_requests(self, root: OrgUnit) -> None:
        """Give the identity custodian a queue: discipline officers working on named accusation reports ask to
        see who wrote them, the first after a request was denied for want of a reason. Idempotent."""
        if UnsealRequest.objects.filter(case__unit__path__startswith=root.path).exists():
            return
        custodian = User.objects.filter(username="custodian").first()
        if custodian is None:
            return
        cases = (
            Case.objects.filter(
                unit__path__startswith=root.path,
                type=CaseType.ACCUSATION,
                status__in=[CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.IN_HANDLING],
                petitioner__isnull=False,
            )
            .select_related("unit", "handling_unit", "responsible_leader")
            .prefetch_related("members__user")
            .order_by("received_at", "pk")
        )
        officers = [u for u in User.objects.filter(groups__name="discipline").select_related("unit") if u.unit_id]
        for n, case in enumerate(cases[: len(dt.UNSEAL_REASONS)]):
            # Whoever works on the report asks: its team, its leader, else the discipline office over it.
            where = case.handling_unit or case.unit
            working = [m.user for m in case.members.all()] + [case.responsible_leader]
            nearest = sorted((u for u in officers if where.is_within(u.unit)), key=lambda u: -u.unit.depth)
            requester = next((u for u in [*working, *nearest] if u and u.has_perm("people.unseal_petitioner")), None)
            if requester is None:
                continue
            if n == 0:
                first = unseal_request_create(case=case, actor=requester, reason=dt.UNSEAL_REASON_VAGUE)
                unseal_request_decide(request=first, actor=custodian, approve=False, note=dt.UNSEAL_DENIAL_NOTE)
                now = timezone.now()
                UnsealRequest.objects.filter(pk=first.pk).update(
                    created_at=now - timedelta(days=6), decided_at=now - timedelta(days=5)
                )
            unseal_request_create(case=case, actor=requester, reason=dt.UNSEAL_REASONS[n])

    def _disputes(self, root: OrgUnit) -> None:
        """Fill the dispute register (矛盾纠纷台账) with the group matters of four companies, one at each point
        of the work: just entered, being resolved (major and critical) and resolved with the three checks.
        Idempotent: nothing is added once the demo's register holds an entry."""
        if DisputeEntry.objects.filter(unit__path__startswith=root.path).exists():
            return
        offices = [u for u in User.objects.filter(groups__name="office", unit__isnull=False) if u.unit.depth == 1]
        collective = (
            # A dispute is a claim (申诉求决) of many people: not a suggestion, not an accusation report.
            Case.objects.filter(unit__path__startswith=root.path, headcount__gte=20, type=CaseType.CLAIM)
            .exclude(responsible_leader=None)
            .select_related("category", "handling_unit", "responsible_leader")
            .order_by("-headcount", "pk")
        )
        stories = [
            (DisputeStatus.RESOLVED, DisputeLevel.MAJOR),
            (DisputeStatus.RESOLVING, DisputeLevel.CRITICAL),
            (DisputeStatus.RESOLVING, DisputeLevel.MAJOR),
            (DisputeStatus.OPEN, DisputeLevel.GENERAL),
        ]
        rng = random.Random(7)  # noqa: S311 - demo data, reproducible on purpose
        candidates = list(collective)
        used: set[int] = set()
        entered_cases: set[int] = set()
        for status, level in stories:
            # A resolved entry is a closed matter; the others are still being handled.
            finished = status == DisputeStatus.RESOLVED
            case, office = next(
                (
                    (c, o)
                    for c in candidates
                    for o in offices
                    if c.unit.path.startswith(o.unit.path)
                    and o.unit_id not in used
                    and (c.status == CaseStatus.CLOSED) == finished
                    and (finished or c.status in (CaseStatus.ACCEPTED, CaseStatus.IN_HANDLING, CaseStatus.REPLIED))
                ),
                (None, None),
            )
            if case is None:
                continue
            used.add(office.unit_id)
            self._dispute_entry(
                rng,
                case,
                office,
                level=level,
                status=status,
                leader=case.responsible_leader if status != DisputeStatus.OPEN else None,
                entered_at=case.received_at + timedelta(days=rng.randint(2, 6)),
            )
            entered_cases.add(case.pk)
        self._group_dispute(root, entered_cases)

    def _group_dispute(self, root: OrgUnit, entered: set[int]) -> None:
        """The group office's own entry, owned by the demo leader (邵建国): signed in as leader, one finds an
        entry of one's own on the home page and records progress on it. On the claim of most people not
        entered yet."""
        office = User.objects.filter(username="office").first()
        leader = User.objects.filter(username="leader").first()
        case = (
            Case.objects.filter(
                unit__path__startswith=root.path,
                type=CaseType.CLAIM,
                headcount__gte=2,  # a group matter, as every entry of the register is
                status__in=[CaseStatus.ACCEPTED, CaseStatus.IN_HANDLING, CaseStatus.REPLIED],
            )
            .exclude(pk__in=entered)
            .select_related("category", "handling_unit")
            .order_by("-headcount", "pk")
            .first()
        )
        if office is None or leader is None or case is None:
            return
        rng = random.Random(11)  # noqa: S311 - demo data, reproducible on purpose
        self._dispute_entry(
            rng,
            case,
            office,
            level=DisputeLevel.MAJOR,
            status=DisputeStatus.RESOLVING,
            leader=leader,
            entered_at=case.received_at + timedelta(days=3),
        )

    def _dispute_entry(
        self,
        rng: random.Random,
        case: Case,
        office: User,
        *,
        level: str,
        status: str,
        leader: User | None,
        entered_at: datetime,
    ) -> None:
        """A register entry on `case`'s group matter, kept by `office`, as it stands at `status`: a resolved one
        with the three checks and its measures, an open one without leader or plan."""
        finished = status == DisputeStatus.RESOLVED
        code = case.category.code if case.category_id and case.category.code in dict(dt.CATEGORIES) else "other"
        with transaction.atomic():
            entry = dispute_entry_create(
                actor=office,
                unit=office.unit,
                title=case.subject,
                description=DISPUTE_DESCRIPTION.format(n=case.headcount, unit=case.handling_unit or office.unit),
                affected_group=DISPUTE_GROUP.format(unit=case.handling_unit or office.unit),
                headcount=case.headcount,
                units=[case.handling_unit] if case.handling_unit_id else [],
                level=level,
                responsible_leader=leader,
                plan=dt.make_plan(rng, code) if status != DisputeStatus.OPEN else "",
                measures=DISPUTE_MEASURES if finished else "",
                status=status,
                responsibility_assigned=status != DisputeStatus.OPEN,
                problem_solved=finished,
                hazard_removed=finished,
                cases=[case],
                now=entered_at + timedelta(days=40) if finished else None,
            )
            DisputeEntry.objects.filter(pk=entry.pk).update(created_at=entered_at, updated_at=entered_at)

    def _outcome_for_age(self, rng: random.Random, age: int) -> str:
        if age < 10:
            return rng.choice(["registered", "accepted", "in_handling", "in_handling"])
        if age < 70:
            return rng.choices(
                [
                    "in_handling",
                    "in_handling_extension",
                    "replied",
                    "closed",
                    "redirected",
                    "forwarded",
                    "not_accepted",
                ],
                [6, 1, 3, 5, 1, 1, 1],
            )[0]
        return rng.choices(
            [
                "closed",
                "closed_unrated",
                "redirected",
                "forwarded",
                "not_accepted",
                "review_closed",
                "final",
                "in_handling",
            ],
            [30, 4, 3, 3, 2, 4, 2, 1],
        )[0]

    def _body_of(self, unit: OrgUnit) -> OrgUnit:
        """The body `unit` acts for, looked up once per unit."""
        if unit.pk not in self._bodies:
            self._bodies[unit.pk] = handling_body(unit)
        return self._bodies[unit.pk]

    def _assign(self, rng, case, actor, handling: OrgUnit, by_role, category, at, is_accusation) -> None:
        """Pick the leader and team nearest to the handling unit: its own staff first, then its company's.

        The team comes from the staff of the body that handles the matter, else the one nearest above it. A
        review or re-review is led by that body too, and never by anyone who took part in an earlier stage or
        works for a body whose decision is under review (Arts. 35, 36).
        """
        taken = earlier_stage_people(case=case)
        reviewed = [self._body_of(unit) for unit in earlier_stage_units(case=case)]
        body = self._body_of(handling)
        company = handling if handling.kind in ("group", "company") else handling.company()

        def free(users: list[User]) -> list[User]:
            return [u for u in users if u.pk not in taken and not any(u.unit.is_within(b) for b in reviewed)]

        def nearest(users: list[User]) -> list[User]:
            for scope in (handling, company):
                found = [u for u in users if u.unit.path.startswith(scope.path) or scope.path.startswith(u.unit.path)]
                if found:
                    return sorted(found, key=lambda u: -u.unit.depth)[:2]
            return users

        def own_first(users: list[User]) -> list[User]:
            own = [u for u in users if self._body_of(u.unit) == body]
            above = sorted((u for u in users if body.path.startswith(u.unit.path)), key=lambda u: -u.unit.depth)
            return own or above[:1] or nearest(users)

        leaders = free(by_role["discipline"] if is_accusation else by_role["leader"])
        handlers = free(by_role["discipline"] if is_accusation else by_role["handler"])
        leader = rng.choice(nearest(leaders) if case.stage == CaseStage.FIRST else own_first(leaders))
        others = [u for u in handlers if u.pk != leader.pk]
        team = (own_first(others) or nearest(others))[: rng.randint(1, 2)]
        s.case_assign(
            case=case,
            actor=actor,
            handling_unit=handling,
            leader=leader,
            team=team,
            plan=dt.make_plan(rng, category, accusation=is_accusation, anonymous=case.anonymous),
            now=at,
        )
        case.refresh_from_db()
