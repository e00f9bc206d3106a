from django.urls import path

from huiyin.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list_view, name="list"),
    path("verify/", views.audit_verify_view, name="verify"),
    path("export/", views.audit_export_view, name="export"),
]
