from django.urls import path

from huiyin.workflow import views

app_name = "workflow"
urlpatterns = [
    path("supervision/", views.supervision_list_view, name="supervision"),
    path("holidays/", views.holiday_list_view, name="holidays"),
]
