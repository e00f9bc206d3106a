from django.urls import path

from huiyin.documents import views

app_name = "documents"
urlpatterns = [
    path("cases/<int:pk>/reply-letter.docx", views.reply_letter_view, name="reply_letter"),
]
