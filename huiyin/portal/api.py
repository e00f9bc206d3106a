"""The portal API: submit, then follow the matter with the receipt (header X-Receipt) or, for a
signed-in named petitioner, with the case number (query `case_no`).

Thin views: strict parsing and validation (huiyin.portal.validation), one service call, a response.
Answers are in Chinese whatever the client's language; errors have the project's one shape.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import Throttled, UnsupportedMediaType, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyin.api.errors import error_response, exception_handler
from huiyin.cases.models import Case
from huiyin.cases.states import CaseType, Rating
from huiyin.core.errors import DomainError
from huiyin.portal.models import CheckinAnswer
from huiyin.portal.selectors import portal_case_data, portal_case_of, portal_cases_of, portal_time
from huiyin.portal.services import (
    ReceiptInvalid,
    ReceiptThrottled,
    Submission,
    checkin_pending,
    message_from_petitioner,
    portal_rate,
    portal_request_review,
    portal_submit,
    receipt_lookup,
    retaliation_answer,
)
from huiyin.portal.validation import IDEMPOTENCY_KEY, Field, StrictJSONParser, clean

PORTAL_LANGUAGE = "zh-hans"


# Schema-only serializers (validation is done by `clean`, which is stricter about JSON types).

LOCAL_TIME = "Local time (Asia/Shanghai) with its offset, to the whole second: 2026-09-08T11:24:00+08:00."


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class SubmissionInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=CaseType.choices)
    subject = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=20000)
    anonymous = serializers.BooleanField()
    contact = serializers.CharField(max_length=100, required=False, allow_null=True)


class SubmissionCreated(serializers.Serializer):
    case_no = serializers.CharField()
    receipt = serializers.CharField(help_text="Shown once. The case number plus a 120-bit secret.")


class SubmissionReplayed(serializers.Serializer):
    case_no = serializers.CharField()


class ClockSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField()
    provisional = serializers.BooleanField(
        help_text="Open, and the date rests on a holiday schedule not yet published: it may change. "
        "Never true once the clock is met."
    )
    met = serializers.BooleanField()
    overdue = serializers.BooleanField(
        help_text="An answer owed to the petitioner is open past the end of its due day. Never true for the "
        "petitioner's own window: one that ended unused has lapsed (met false, due before today), nobody is late."
    )
    petitioner_window = serializers.BooleanField(
        help_text="The petitioner's own window (to request a review or re-review, to rate), not an answer owed to them."
    )


class ExtensionSerializer(serializers.Serializer):
    stage = serializers.CharField()
    days = serializers.IntegerField()
    reason = serializers.CharField(help_text="The reason told to the petitioner.")
    approved_on = serializers.DateField(allow_null=True)
    due = serializers.DateField(allow_null=True, help_text="The new due date (on the latest extension of a stage).")


class AttachmentNameSerializer(serializers.Serializer):
    name = serializers.CharField()


class OwnRatingSerializer(serializers.Serializer):
    stage = serializers.CharField()
    answer_label = serializers.CharField(help_text="The answer rated: reply, review opinion or re-review opinion.")
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(allow_blank=True)


class ReviewRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["review_requested", "recheck_requested"])
    label = serializers.CharField()
    reason = serializers.CharField()
    at = serializers.DateTimeField(help_text=LOCAL_TIME)


# "from" is a Python keyword, so this serializer is built with type().
MessageSerializer = type(
    "MessageSerializer",
    (serializers.Serializer,),
    {
        "from": serializers.ChoiceField(choices=["petitioner", "staff"]),
        "text": serializers.CharField(),
        "at": serializers.DateTimeField(help_text=LOCAL_TIME),
    },
)


class RetaliationAnswered(serializers.Serializer):
    answer = serializers.ChoiceField(choices=CheckinAnswer.choices)


class ReplySerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField(help_text="The answer's name at its stage: reply, review opinion, re-review opinion.")
    text = serializers.CharField()
    next_right = serializers.CharField()
    next_right_due = serializers.DateField(allow_null=True)
    issued_at = serializers.DateTimeField(help_text=LOCAL_TIME)


class DecisionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["redirected", "forwarded", "not_accepted"])
    label = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    channel = serializers.CharField(allow_null=True, help_text="Redirected: the lawful channel's code.")
    channel_label = serializers.CharField(allow_null=True, help_text="Redirected: the lawful channel to use.")
    forwarded_to = serializers.CharField(allow_null=True, help_text="Forwarded: the body with jurisdiction.")
    reason = serializers.CharField(help_text="The reason told to the petitioner.")
    next_right = serializers.CharField(help_text="What the petitioner may do next.")
    next_right_due = serializers.DateField(allow_null=True, help_text="Its deadline, where this office sets one.")


class RatingInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PortalCaseSerializer(serializers.Serializer):
    case_no = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    stage = serializers.CharField()
    content = serializers.CharField(help_text="What the petitioner submitted.")
    attachments = AttachmentNameSerializer(many=True, help_text="The files the petitioner sent (names only).")
    clocks = ClockSerializer(many=True)
    extensions = ExtensionSerializer(many=True, help_text="Approved extensions of the handling period.")
    messages = MessageSerializer(many=True)
    reply = ReplySerializer(allow_null=True, help_text="The latest answer.")
    replies = ReplySerializer(many=True, help_text="Every stage's answer, first handling first.")
    decision = DecisionSerializer(
        allow_null=True, help_text="Set when the matter was redirected, forwarded or not accepted."
    )
    rating = RatingInput(allow_null=True, help_text="The petitioner's rating of the current stage's answer.")
    ratings = OwnRatingSerializer(many=True, help_text="The petitioner's ratings of every stage.")
    review_requests = ReviewRequestSerializer(many=True)
    can_rate = serializers.BooleanField()
    rating_due = serializers.DateField(allow_null=True)
    can_request_review = serializers.BooleanField()
    retaliation_checkin = serializers.DictField(allow_null=True)


class MessageInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class ReviewInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RetaliationInput(serializers.Serializer):
    answer = serializers.ChoiceField(choices=CheckinAnswer.choices)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class OwnCaseSerializer(serializers.Serializer):
    case_no = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField(help_text=LOCAL_TIME)


RECEIPT_HEADER = OpenApiParameter(
    "X-Receipt",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The receipt code given at submission. Signed-in named petitioners may use `case_no` instead.",
)
CASE_NO_QUERY = OpenApiParameter(
    "case_no", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description="Signed-in petitioners only."
)
BODY_LIMIT = (
    f"The body is JSON (`application/json`, UTF-8) of at most {settings.HUIYIN_JSON_MAX_BYTES} bytes "
    "(HUIYIN_JSON_MAX_BYTES), enough for every body the fields allow however it is escaped."
)
BAD_BODY = OpenApiResponse(
    ErrorSerializer,
    description="`invalid`: a field is wrong (`fields` names each one); or the body cannot be read: "
    "`malformed`, `too_large` (over the byte limit), `too_deep`, `bad_encoding`. Nothing is stored.",
)
NO_CSRF = OpenApiResponse(
    ErrorSerializer,
    description="`csrf_failed`: sent with a signed-in session cookie but without its CSRF token (X-CSRFToken). "
    "Nothing is stored.",
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="`not_found`: unknown case, wrong receipt, or neither a receipt nor the case number of a signed-in "
    "petitioner's own case (the same answer).",
)
NOT_JSON = OpenApiResponse(ErrorSerializer, description="`unsupported_media_type`: the body is not sent as JSON.")
THROTTLED = OpenApiResponse(
    ErrorSerializer,
    description="`throttled`: too many wrong receipts for this case number or across the portal; no receipt is "
    "checked until the Retry-After header's seconds have passed.",
)
# Every operation that follows a matter: the receipt in X-Receipt, or a signed-in petitioner's case number.
CASE_ERRORS = {404: NOT_FOUND, 429: THROTTLED}
# Every operation with a body.
BODY_ERRORS = {400: BAD_BODY, 403: NO_CSRF, 415: NOT_JSON}
# Anyone may call these; a signed-in session (the cookie) is used when present.
OPTIONAL_SESSION = [{"cookieAuth": []}, {}]


# The codes of the portal's 422 answers (docs/portal.md). A rule refusal without a code of its own carries
# DomainError's default "invalid", the code of 400 field errors: here it answers "refused" instead.
RULE_CODES = frozenset({"window_closed", "idempotency_conflict", "not_configured"})


def portal_exception_handler(exc: Exception, context: dict) -> Response | None:
    """The project's handler (one error shape), with the portal's codes for rule refusals and a 415 for a body
    that is not JSON."""
    if isinstance(exc, DomainError):
        code = exc.code if exc.code in RULE_CODES else "refused"
        return error_response(code, exc.message, status.HTTP_422_UNPROCESSABLE_ENTITY, exc.fields)
    if isinstance(exc, UnsupportedMediaType):
        return error_response(
            "unsupported_media_type", _("Send the request body as JSON."), status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
        )
    return exception_handler(exc, context)


class PortalApiView(APIView):
    """Base of the portal API: anyone may call it; a signed-in session is used for named petitioners."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [StrictJSONParser]
    throttle_classes: list = []

    def get_exception_handler(self):
        return portal_exception_handler

    def dispatch(self, request, *args, **kwargs):
        with translation.override(PORTAL_LANGUAGE):
            response = super().dispatch(request, *args, **kwargs)
        response.headers["Cache-Control"] = "no-store"
        return response

    def body(self, request: Request, spec: dict[str, Field]) -> dict[str, Any]:
        return clean(request.data, spec)

    def case(self, request: Request) -> Case:
        """The case the caller proves access to: a valid receipt, or their own case when signed in."""
        receipt = request.headers.get("X-Receipt")
        if receipt is not None:
            try:
                return receipt_lookup(text=receipt).case
            except ReceiptThrottled as exc:
                raise Throttled(wait=exc.retry_after) from None
            except ReceiptInvalid:
                raise Http404 from None
        case_no = request.query_params.get("case_no", "")
        if request.user.is_authenticated and request.user.has_perm("portal.use_portal") and case_no:
            case = portal_case_of(request.user, case_no[:20])
            if case is not None:
                return case
        raise Http404


class PortalSubmissionApi(PortalApiView):
    SPEC = {
        "type": Field(str, choices=tuple(CaseType.values)),
        "subject": Field(str, max_length=200),
        "content": Field(str, max_length=20000, multiline=True),
        "anonymous": Field(bool),
        "contact": Field(str, required=False, max_length=100, nullable=True),
    }

    @extend_schema(
        operation_id="portal_submission_create",
        summary="Submit a matter (named or anonymous)",
        description="Registers the matter with the portal's petition office and answers its case number and, once, "
        "the receipt code that follows it. Anonymous: no contact. Named: a contact, unless sent by a signed-in "
        "petitioner, whose account the matter is then linked to. Retrying with the same Idempotency-Key and body "
        "creates nothing new and answers 200 without the receipt. " + BODY_LIMIT,
        request=SubmissionInput,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                pattern=IDEMPOTENCY_KEY.pattern,
                description="8–100 characters [A-Za-z0-9._:-]. Retrying with the same key and body creates nothing new.",
            )
        ],
        responses={
            201: SubmissionCreated,
            200: SubmissionReplayed,
            **BODY_ERRORS,
            422: OpenApiResponse(
                ErrorSerializer,
                description="`idempotency_conflict`: the Idempotency-Key was used with another body; "
                "`not_configured`: no unit receives portal matters yet. Nothing is stored.",
            ),
        },
        auth=OPTIONAL_SESSION,
    )
    def post(self, request: Request) -> Response:
        data = self.body(request, self.SPEC)
        key = request.headers.get("Idempotency-Key", "")
        if not IDEMPOTENCY_KEY.match(key):
            raise ValidationError({"Idempotency-Key": [_("Send an Idempotency-Key header of 8 to 100 characters.")]})
        contact = data.get("contact") or ""
        signed_in = request.user.is_authenticated and request.user.has_perm("portal.use_portal")
        if data["anonymous"] and contact:
            raise ValidationError({"contact": [_("An anonymous submission carries no contact details.")]})
        if not data["anonymous"] and not contact and not signed_in:
            raise ValidationError({"contact": [_("A named submission needs a way to contact you.")]})
        result = portal_submit(
            key=key,
            submission=Submission(
                type=data["type"],
                subject=data["subject"],
                content=data["content"],
                anonymous=data["anonymous"],
                contact=contact,
            ),
            account=request.user if signed_in else None,
        )
        if result.replayed:
            return Response({"case_no": result.case.case_no}, status=status.HTTP_200_OK)
        return Response({"case_no": result.case.case_no, "receipt": result.receipt}, status=status.HTTP_201_CREATED)


class PortalCaseApi(PortalApiView):
    @extend_schema(
        operation_id="portal_case_retrieve",
        summary="Follow a matter: status, clocks, messages and the reply",
        description="What the petitioner may see of the matter: its status and stage, what they sent, the clocks "
        "that concern them, approved extensions, the messages, every stage's answer or the decision not to handle "
        "it as a petition, their ratings and requests, and what they may do now (rate, request a review). No staff "
        "names, no internal notes.",
        parameters=[RECEIPT_HEADER, CASE_NO_QUERY],
        responses={200: PortalCaseSerializer, **CASE_ERRORS},
        auth=OPTIONAL_SESSION,
    )
    def get(self, request: Request) -> Response:
        return Response(portal_case_data(self.case(request)))


class PortalCaseMessagesApi(PortalApiView):
    SPEC = {"text": Field(str, max_length=5000, multiline=True)}

    @extend_schema(
        operation_id="portal_case_message_create",
        summary="Write to the handler",
        description="Adds the petitioner's message to the matter's thread; the handling team (or the petition "
        "office) is told. Answers the message as stored. " + BODY_LIMIT,
        request=MessageInput,
        parameters=[RECEIPT_HEADER, CASE_NO_QUERY],
        responses={201: MessageSerializer, **BODY_ERRORS, **CASE_ERRORS},
        auth=OPTIONAL_SESSION,
    )
    def post(self, request: Request) -> Response:
        data = self.body(request, self.SPEC)
        message = message_from_petitioner(case=self.case(request), text=data["text"])
        return Response(
            {"from": message.direction, "text": message.text, "at": portal_time(message.at)},
            status=status.HTTP_201_CREATED,
        )


class PortalCaseRatingApi(PortalApiView):
    SPEC = {
        "rating": Field(str, choices=tuple(Rating.values)),
        "comment": Field(str, required=False, max_length=2000, multiline=True, nullable=True),
    }

    @extend_schema(
        operation_id="portal_case_rating_create",
        summary="Rate the reply: satisfied, basically satisfied or dissatisfied",
        description="Rates the current stage's answer within the rating window (`rating_due`); a rated reply "
        "closes the matter, which a review may still reopen within its own period. " + BODY_LIMIT,
        request=RatingInput,
        parameters=[RECEIPT_HEADER, CASE_NO_QUERY],
        responses={
            201: RatingInput,
            **BODY_ERRORS,
            **CASE_ERRORS,
            422: OpenApiResponse(
                ErrorSerializer,
                description="`window_closed`: the rating window has ended; `refused`: there is no answer to rate "
                "yet, or it is already rated. Nothing is stored.",
            ),
        },
        auth=OPTIONAL_SESSION,
    )
    def post(self, request: Request) -> Response:
        data = self.body(request, self.SPEC)
        rating = portal_rate(case=self.case(request), rating=data["rating"], comment=data.get("comment") or "")
        return Response({"rating": rating.rating, "comment": rating.comment}, status=status.HTTP_201_CREATED)


class PortalCaseReviewRequestApi(PortalApiView):
    SPEC = {"reason": Field(str, max_length=2000, multiline=True)}

    @extend_schema(
        operation_id="portal_case_review_request_create",
        summary="Request a review (复查) or re-review (复核) within the window",
        description="Asks for a review of the first answer, or a re-review of the review opinion, with the "
        "reason, within the period after the answer (30 days unless the answer set another date). The matter "
        "moves to the next stage; answers it as `GET case` does. " + BODY_LIMIT,
        request=ReviewInput,
        parameters=[RECEIPT_HEADER, CASE_NO_QUERY],
        responses={
            201: PortalCaseSerializer,
            **BODY_ERRORS,
            **CASE_ERRORS,
            422: OpenApiResponse(
                ErrorSerializer,
                description="`window_closed`: the request period has ended; `refused`: there is no answer yet, or "
                "no further stage (after the re-review). Nothing changes.",
            ),
        },
        auth=OPTIONAL_SESSION,
    )
    def post(self, request: Request) -> Response:
        data = self.body(request, self.SPEC)
        case = portal_request_review(case=self.case(request), reason=data["reason"])
        return Response(portal_case_data(case), status=status.HTTP_201_CREATED)


class PortalCaseRetaliationApi(PortalApiView):
    SPEC = {
        "answer": Field(str, choices=tuple(CheckinAnswer.values)),
        "comment": Field(str, required=False, max_length=5000, multiline=True, nullable=True),
    }

    @extend_schema(
        operation_id="portal_case_retaliation_create",
        summary="Answer the check-in after closing: have you met retaliation?",
        description="Answers the open check-in (`retaliation_checkin`, 30 and 90 days after the matter was "
        "closed). A yes opens a protected follow-up for the petition office and discipline inspection. Without an "
        "open check-in the answer is 404. " + BODY_LIMIT,
        request=RetaliationInput,
        parameters=[RECEIPT_HEADER, CASE_NO_QUERY],
        responses={
            201: RetaliationAnswered,
            **BODY_ERRORS,
            **CASE_ERRORS,
            422: OpenApiResponse(
                ErrorSerializer, description="`refused`: the check-in was answered meanwhile. Nothing changes."
            ),
        },
        auth=OPTIONAL_SESSION,
    )
    def post(self, request: Request) -> Response:
        data = self.body(request, self.SPEC)
        case = self.case(request)
        checkin = checkin_pending(case)
        if checkin is None:
            raise Http404
        retaliation_answer(checkin=checkin, answer=data["answer"], comment=data.get("comment") or "")
        return Response({"answer": data["answer"]}, status=status.HTTP_201_CREATED)


class PortalOwnCasesApi(PortalApiView):
    @extend_schema(
        operation_id="portal_own_cases_list",
        summary="A signed-in named petitioner's own matters",
        description="The matters the signed-in petitioner submitted under their name, newest first (at most 200). "
        "Needs the session of an account with the petitioner role; without one the answer is 404.",
        responses={
            200: OwnCaseSerializer(many=True),
            404: OpenApiResponse(
                ErrorSerializer, description="`not_found`: no session of an account with the petitioner role."
            ),
        },
        auth=[{"cookieAuth": []}],
    )
    def get(self, request: Request) -> Response:
        if not (request.user.is_authenticated and request.user.has_perm("portal.use_portal")):
            raise Http404
        return Response(
            [
                {
                    "case_no": c.case_no,
                    "subject": c.subject,
                    "status": c.status,
                    "status_label": str(c.get_status_display()),
                    "received_at": portal_time(c.received_at),
                }
                for c in portal_cases_of(request.user)[:200]
            ]
        )
