from django.contrib import admin

from huiyin.portal.models import KnowledgeArticle


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    """The knowledge base is reference data: edited in the admin, shown on the portal when published."""

    list_display = ("title", "kind", "category", "published", "sort", "updated_at")
    list_filter = ("kind", "published", "category")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    list_editable = ("published", "sort")
