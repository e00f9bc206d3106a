from django.urls import path

from huiyin.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.statistics_view, name="overview"),
    path("ledger.xlsx", views.ledger_view, name="ledger"),
    path("report.docx", views.report_view, name="report"),
]
