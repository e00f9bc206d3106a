from django.urls import path

from huiyin.triage import views

app_name = "triage"
urlpatterns = [
    path("suggestions/<int:pk>/decide/", views.suggestion_decide_view, name="suggestion_decide"),
    path("cases/<int:pk>/accept/", views.accept_with_category_view, name="accept_with_category"),
    path("cases/<int:pk>/similar/", views.similar_view, name="similar"),
    path("cases/<int:pk>/similar/<int:other>/link/", views.similar_link_view, name="similar_link"),
    path("cases/<int:pk>/similar/<int:other>/dismiss/", views.similar_dismiss_view, name="similar_dismiss"),
    path("cases/<int:pk>/similar/<int:other>/restore/", views.similar_restore_view, name="similar_restore"),
    path("reply-check/<int:pk>/", views.reply_check_view, name="reply_check"),
    path("routes/", views.routes_view, name="routes"),
    path("routes/<int:pk>/", views.route_edit_view, name="route_edit"),
    path("routes/<int:pk>/delete/", views.route_delete_view, name="route_delete"),
    path("categories/", views.categories_view, name="categories"),
    path("categories/<int:pk>/", views.category_edit_view, name="category_edit"),
    path("categories/<int:pk>/delete/", views.category_delete_view, name="category_delete"),
    path("models/", views.models_view, name="models"),
    path("models/train/", views.model_train_view, name="model_train"),
    path("models/stop/", views.model_stop_view, name="model_stop"),
    path("models/<int:version>/", views.model_detail_view, name="model_detail"),
    path("models/<int:version>/activate/", views.model_activate_view, name="model_activate"),
    path("hot/", views.hot_list_view, name="hot"),
    path("hot/<int:number>/", views.hot_detail_view, name="hot_detail"),
    path("hot/<int:number>/supervise/", views.hot_supervise_view, name="hot_supervise"),
    path("hot/<int:number>/dispute/", views.hot_dispute_view, name="hot_dispute"),
    path("disputes/", views.dispute_list_view, name="disputes"),
    path("disputes/new/", views.dispute_new_view, name="dispute_new"),
    path("disputes/<int:pk>/", views.dispute_detail_view, name="dispute_detail"),
    path("disputes/<int:pk>/edit/", views.dispute_edit_view, name="dispute_edit"),
    path("disputes/<int:pk>/progress/", views.dispute_progress_view, name="dispute_progress"),
    path("disputes/<int:pk>/hot-cases/", views.dispute_add_hot_cases_view, name="dispute_add_hot_cases"),
]
