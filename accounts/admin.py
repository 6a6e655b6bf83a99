"""User administration, split by role (三员分立): the system administrator manages accounts but
not their roles; the security administrator assigns roles and lifts lockouts."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from accounts import services
from accounts.models import ApiClient, User
from accounts.roles import Role
from core.admin_audit import AuditedAdmin
from core.errors import DomainError


class UserChangeForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = [
            "username",
            "full_name",
            "email",
            "agency",
            "employer",
            "is_active",
            "is_staff",
            "groups",
        ]

    def clean_groups(self) -> Any:
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            try:
                services.check_admin_roles(group.name for group in groups)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return groups


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    form = UserChangeForm
    list_display = ["username", "full_name", "agency", "employer", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["agency", "employer"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("full_name", "email", "agency", "employer")}),
        ("Access", {"fields": ("is_active", "is_staff", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = ["last_login", "date_joined", "password_changed_at"]
        if not request.user.has_perm("accounts.assign_roles"):
            readonly.append("groups")  # only the security administrator assigns roles
        if not request.user.has_perm("accounts.change_user"):
            readonly += [
                "username",
                "full_name",
                "email",
                "agency",
                "employer",
                "is_active",
                "is_staff",
            ]
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(
            request.user.has_perm("accounts.change_user")
            or request.user.has_perm("accounts.assign_roles")
        )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(user_id=obj.pk, by=request.user, reason="disabled in admin")  # type: ignore[arg-type]
            messages.info(request, "The account is disabled and its sessions have ended.")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if "groups" in form.changed_data:
            roles = [Role(group.name) for group in form.cleaned_data["groups"]]
            services.user_roles_set(user_id=form.instance.pk, roles=roles, by=request.user)  # type: ignore[arg-type]
            form.changed_data.remove("groups")
            form.cleaned_data.pop("groups")
        super().save_related(request, form, formsets, change)


admin.site.unregister(ApiClient)  # oauth2_provider registers its own; ours hides the secret


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdmin):
    list_display = ["name", "client_id", "allowed_scopes", "agency", "employer"]
    fields = ["name", "client_id", "allowed_scopes", "agency", "employer", "user"]
    # An employer-bound client's service account is an employer user: bound when created
    # (accounts.services.api_client_create), never re-bound here.
    readonly_fields = ["client_id", "employer", "user"]
