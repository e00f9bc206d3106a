from django.urls import path

from huiyin.intake import views

app_name = "intake"
urlpatterns = [path("new/", views.case_register_view, name="register")]
