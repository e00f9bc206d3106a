from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from huiyin.api.views import CaseViewSet

router = SimpleRouter(trailing_slash=False)
router.register("cases", CaseViewSet, basename="case")

app_name = "api"
urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("portal/", include("huiyin.portal.api_urls")),
    *router.urls,
]
