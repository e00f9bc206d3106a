from django import forms
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huiyin.org.forms import UnitChoiceField
from huiyin.org.models import OrgUnit, User
from huiyin.org.permissions import permission_choice_label, role_label
from huiyin.org.roles import ROLE_LABELS, ROLE_PERMISSIONS


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


# Apps whose permissions mean nothing to grant: their admin pages are removed (two-step devices change only through
# org.services, audited) or never used (sessions, content types, the admin's own history).
UNGRANTED_APPS = ("otp_static", "otp_totp", "sessions", "contenttypes", "admin")


def _labelled_m2m(field, db_field_name: str):
    """Roles and permissions listed in words in the admin's pickers (the stored names are codes and English)."""
    if field is not None and db_field_name == "groups":
        field.label_from_instance = lambda group: role_label(group.name)
    elif field is not None and db_field_name in ("user_permissions", "permissions"):
        field.label_from_instance = permission_choice_label
        field.queryset = field.queryset.select_related("content_type").exclude(
            content_type__app_label__in=UNGRANTED_APPS
        )
    return field


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(code, role_label(code)) for code in ROLE_LABELS]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(groups__name=self.value())
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ("full_name", "title", "unit")}),
    )
    list_display = ("username", "full_name", "unit", "title", "roles", "is_active")
    list_filter = ("is_active", RoleFilter, "unit__kind")
    search_fields = ("username", "full_name")
    actions = ["second_factor_reset"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit").prefetch_related("groups")

    @admin.display(description=_("roles and groups"))
    def roles(self, obj) -> str:
        return "、".join(role_label(group.name) for group in obj.groups.all()) or "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            return _unit_field(db_field)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _labelled_m2m(super().formfield_for_manytomany(db_field, request, **kwargs), db_field.name)

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


admin.site.unregister(Group)


class GroupAdminForm(forms.ModelForm):
    """A group's name is a name, not a person's (the project's catalogue reads Django's "name" as 姓名); a role's
    code cannot be taken by a group."""

    class Meta:
        model = Group
        fields = ("name", "permissions")
        labels = {"name": _("group name")}

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if name in ROLE_PERMISSIONS:
            raise forms.ValidationError(
                _("“%(name)s” is the code of the role %(role)s; choose another name.")
                % {"name": name, "role": ROLE_LABELS.get(name, name)}
            )
        if Group.objects.filter(name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A group named “%(name)s” already exists.") % {"name": name})
        return name


@admin.register(Group)
class RoleGroupAdmin(BaseGroupAdmin):
    """Groups listed as roles. A role's permissions are defined in code (`org.roles`) and reset at every
    migrate, so role groups are read-only here: an edit would silently vanish at the next upgrade."""

    form = GroupAdminForm
    list_display = ("label",)

    @admin.display(description=_("role or group"), ordering="name")
    def label(self, obj) -> str:
        return role_label(obj.name)

    def _is_role(self, obj) -> bool:
        return obj is not None and obj.name in ROLE_PERMISSIONS

    def has_change_permission(self, request, obj=None):
        return not self._is_role(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_role(obj) and super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _labelled_m2m(super().formfield_for_manytomany(db_field, request, **kwargs), db_field.name)

    def get_readonly_fields(self, request, obj=None):
        return ("label", "permission_list") if self._is_role(obj) else ()

    def get_fields(self, request, obj=None):
        return ("label", "permission_list") if self._is_role(obj) else ("name", "permissions")

    @admin.display(description=_("permissions"))
    def permission_list(self, obj) -> str:
        labels = sorted(permission_choice_label(p) for p in obj.permissions.select_related("content_type"))
        note = _("A role's permissions are set by the system and restored at every upgrade; edit them in code.")
        return format_html(
            "<p>{}</p><ul>{}</ul>", note, format_html_join("", "<li>{}</li>", ((label,) for label in labels))
        )
