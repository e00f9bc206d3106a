from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from huiyin.org.models import OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "is_petition_office")
    list_filter = ("kind", "is_petition_office")
    search_fields = ("name", "code")
    readonly_fields = ("path", "depth")

    def save_model(self, request, obj, form, change):
        from huiyin.org.services import unit_create, unit_move

        if not change:
            created = unit_create(
                name=obj.name,
                code=obj.code,
                kind=obj.kind,
                parent=obj.parent,
                is_petition_office=obj.is_petition_office,
            )
            obj.pk = created.pk
            obj.path = created.path
            return
        previous = OrgUnit.objects.get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        if obj.parent_id != previous.parent_id and obj.parent is not None:
            unit_move(unit=obj, parent=obj.parent)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ("full_name", "title", "unit")}),
    )
    list_display = ("username", "full_name", "unit", "title", "is_active")
    list_filter = ("is_active", "groups", "unit__kind")
    search_fields = ("username", "full_name")
