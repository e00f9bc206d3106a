from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from huiyin.api import hot_issues
from huiyin.api.views import CaseViewSet

router = SimpleRouter(trailing_slash=False)
router.register("cases", CaseViewSet, basename="case")

app_name = "api"
urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI, its start-up script served by the same view (?script) under script-src 'self'.
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("portal/", include("huiyin.portal.api_urls")),
    path("", include("huiyin.api.triage_urls")),
    path("hot-issues", hot_issues.HotIssueListApi.as_view(), name="hot-issues"),
    path("hot-issues/<int:number>", hot_issues.HotIssueDetailApi.as_view(), name="hot-issue"),
    path("hot-issues/<int:number>/cases", hot_issues.HotIssueCasesApi.as_view(), name="hot-issue-cases"),
    *router.urls,
]
