from django.urls import path

from huiyin.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("<int:pk>/open/", views.inbox_open_view, name="open"),
    path("<int:pk>/read/", views.inbox_read_view, name="read"),
    path("read-all/", views.inbox_read_all_view, name="read_all"),
]
