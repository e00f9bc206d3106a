from django.urls import path

from huiyin.intake import views

app_name = "intake"
urlpatterns = [
    path("new/", views.case_register_view, name="register"),
    path("registered/<str:token>/", views.case_registered_view, name="registered"),
]
