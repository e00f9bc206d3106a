from django.urls import path

from huiyin.portal import api

urlpatterns = [
    path("submissions", api.PortalSubmissionApi.as_view(), name="portal-submissions"),
    path("case", api.PortalCaseApi.as_view(), name="portal-case"),
    path("case/messages", api.PortalCaseMessagesApi.as_view(), name="portal-case-messages"),
    path("case/rating", api.PortalCaseRatingApi.as_view(), name="portal-case-rating"),
    path("case/review-request", api.PortalCaseReviewRequestApi.as_view(), name="portal-case-review-request"),
    path("case/retaliation", api.PortalCaseRetaliationApi.as_view(), name="portal-case-retaliation"),
    path("cases", api.PortalOwnCasesApi.as_view(), name="portal-own-cases"),
]
