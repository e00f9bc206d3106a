from django import forms
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huiyin.org.forms import UnitChoiceField
from huiyin.org.models import OrgUnit, User


class HuiyinAdminSite(OTPAdminSite):
    """The admin requires a verified session (django-otp) and has no sign-in form of its own: its form would
    check passwords without the per-account cool-off and without the second step."""

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:  # signed in and verified, but not an administrator
            raise PermissionDenied
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))


admin.site.__class__ = HuiyinAdminSite

# Devices are changed only through huiyin.org.services (audited); the plugins' admin pages would show the keys.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


def _unit_field(db_field, **kwargs):
    """A unit drop-down listed as the tree: the flat list repeated 人力资源部 ten times."""
    return UnitChoiceField(
        queryset=OrgUnit.objects.order_by("path"),
        required=not db_field.blank,
        label=db_field.verbose_name.capitalize(),
        help_text=db_field.help_text,
        **kwargs,
    )


class OrgUnitAdminForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ("name", "code", "kind", "parent", "is_petition_office")

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk is not None and unit.path and parent.is_within(unit):
            raise forms.ValidationError(_("A unit cannot be placed under itself or under one of its own units."))
        return parent


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    form = OrgUnitAdminForm
    list_display = ("name", "code", "kind", "parent", "is_petition_office")
    list_filter = ("kind", "is_petition_office")
    search_fields = ("name", "code")
    readonly_fields = ("path", "depth")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            return _unit_field(db_field)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
    actions = ["second_factor_reset"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            return _unit_field(db_field)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Turn off two-step verification (lost phone)"), permissions=["change"])
    def second_factor_reset(self, request, queryset):
        from huiyin.org.services import otp_device_reset

        count = sum(otp_device_reset(user=user, actor=request.user) for user in queryset)
        self.message_user(
            request,
            ngettext(
                "Two-step verification turned off for {n} account.",
                "Two-step verification turned off for {n} accounts.",
                count,
            ).format(n=count),
            messages.SUCCESS,
        )
