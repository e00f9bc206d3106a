from django.urls import path

from huiyin.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("<int:pk>/", views.case_view, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.case_action_view, name="action"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment_download_view, name="attachment"),
    path("<int:pk>/files/<int:attachment_id>/original/", views.attachment_original_view, name="attachment_original"),
    path("<int:pk>/identity/", views.identity_unseal_view, name="identity"),
]
