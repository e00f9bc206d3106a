"""Document downloads, scoped through the case access helper and recorded as exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.selectors import case_get_for_user
from huiyin.cases.states import CaseStage
from huiyin.core.downloads import DOCX, download
from huiyin.documents.letters import reply_letter_docx


@login_required
@require_GET
def reply_letter_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply letter of one stage (?stage=first|review|recheck) as a Word file."""
    case = case_get_for_user(user=request.user, pk=pk, perm="cases.view_case")
    stage = request.GET.get("stage", CaseStage.FIRST)
    if stage not in CaseStage.values:
        raise Http404
    reply = case.replies.filter(stage=stage).select_related("case", "case__unit", "case__petitioner").first()
    if reply is None:
        raise Http404
    content = reply_letter_docx(reply=reply, user=request.user)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=case,
        detail={"document": "reply_letter", "stage": stage, "case_no": case.case_no},
    )
    return download(HttpResponse(content, content_type=DOCX), f"reply-{case.case_no}-{stage}.docx")
