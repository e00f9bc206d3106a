from django.urls import path

from huiyin.retention import views

app_name = "retention"
urlpatterns = [
    path("rules/", views.rule_list_view, name="rules"),
    path("rules/<int:pk>/", views.rule_edit_view, name="rule_edit"),
    path("rules/<int:pk>/delete/", views.rule_delete_view, name="rule_delete"),
    path("due/", views.due_view, name="due"),
    path("reviews/<int:pk>/", views.review_decide_view, name="review_decide"),
]
