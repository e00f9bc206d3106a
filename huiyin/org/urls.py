from django.urls import path

from huiyin.org import views

app_name = "org"
urlpatterns = [
    path("", views.second_factor_view, name="second_factor"),
    path("setup/", views.second_factor_setup_view, name="second_factor_setup"),
    path("verify/", views.second_factor_verify_view, name="second_factor_verify"),
    path("disable/", views.second_factor_disable_view, name="second_factor_disable"),
]
