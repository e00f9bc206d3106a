from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from huiyin.api.errors import api_not_found_view
from huiyin.cases.views import home_view
from huiyin.core.views import healthz_view
from huiyin.org.views import StaffLoginView

admin.site.site_header = "回音 Huiyin"
admin.site.site_title = "回音 Huiyin"

# Error pages in the layout of the site the visitor is on (the employee portal or the staff site).
handler403 = "huiyin.core.views.permission_denied_view"
handler404 = "huiyin.core.views.not_found_view"

urlpatterns = [
    path("", home_view, name="home"),
    path("accounts/login/", StaffLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/", include("huiyin.org.urls")),
    path("cases/", include("huiyin.cases.urls")),
    path("intake/", include("huiyin.intake.urls")),
    path("audit/", include("huiyin.audit.urls")),
    path("notify/", include("huiyin.notify.urls")),
    path("workflow/", include("huiyin.workflow.urls")),
    path("documents/", include("huiyin.documents.urls")),
    path("portal/", include("huiyin.portal.urls")),
    path("triage/", include("huiyin.triage.urls")),
    path("search/", include("huiyin.search.urls")),
    path("retention/", include("huiyin.retention.urls")),
    path("stats/", include("huiyin.stats.urls")),
    path("api/v1/", include("huiyin.api.urls")),
    # After the API's routes: any other path under /api/ answers the API's JSON 404, not the HTML page.
    re_path(r"^api(?:/|$)", api_not_found_view, name="api-not-found"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", healthz_view, name="healthz"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
