"""Paths of the triage API (huiyin.api.triage), without trailing slashes like the router's."""

from django.urls import path

from huiyin.api import triage

urlpatterns = [
    path("triage/classify", triage.TriageClassifyApi.as_view(), name="triage-classify"),
    path("cases/<int:pk>/suggestions", triage.CaseSuggestionsApi.as_view(), name="case-suggestions"),
    path("cases/<int:pk>/similar", triage.CaseSimilarApi.as_view(), name="case-similar"),
    path("suggestions/<int:pk>/confirm", triage.SuggestionConfirmApi.as_view(), name="suggestion-confirm"),
    path("suggestions/<int:pk>/correct", triage.SuggestionCorrectApi.as_view(), name="suggestion-correct"),
    path("suggestions/<int:pk>/dismiss", triage.SuggestionDismissApi.as_view(), name="suggestion-dismiss"),
]
