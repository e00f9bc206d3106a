from django.contrib.auth import views as auth_views
from django.urls import path

from huiyin.people import views as people_views
from huiyin.portal import views

app_name = "portal"
urlpatterns = [
    # Employees
    path("", views.portal_home_view, name="home"),
    path("track/", views.portal_track_view, name="track"),
    path("case/", views.portal_case_view, name="case"),
    path("case/leave/", views.portal_leave_view, name="leave"),
    path("case/<slug:action>/", views.portal_case_action_view, name="case_action"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:home"), name="logout"),
    path("mine/", views.portal_mine_view, name="mine"),
    path("mine/<str:case_no>/", views.portal_case_view, name="mine_case"),
    path("mine/<str:case_no>/<slug:action>/", views.portal_case_action_view, name="mine_case_action"),
    path("kb/", views.knowledge_list_view, name="knowledge"),
    path("kb/<slug:slug>/", views.knowledge_view, name="knowledge_article"),
    # Staff
    path("staff/receipt/<str:case_no>/", views.receipt_slip_view, name="receipt_slip"),
    path("staff/retaliation/", views.retaliation_list_view, name="retaliation"),
    # The identity vault's staff pages (huiyin.people), mounted here until people has its own prefix.
    path("staff/unseal/", people_views.unseal_request_list_view, name="unseal_requests"),
    path("staff/unseal/<int:pk>/", people_views.unseal_request_decide_view, name="unseal_decide"),
    path("staff/unseal/<int:pk>/revoke/", people_views.unseal_approval_revoke_view, name="unseal_revoke"),
    path("staff/cases/<int:pk>/accused/", people_views.accused_unseal_view, name="accused_unseal"),
]
