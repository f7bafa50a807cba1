"""Signing in, out and back in: members use their username or their mobile number.

The pages are Django's own auth views with our templates; lock-out after repeated failures is
django-axes (see ``AXES_*`` in the settings). This module adds what Django lacks: the
"username or mobile" backend, the name axes counts failures under, and the sign-in form.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

MOBILE_LENGTH = 11


def normalise_identifier(raw: str | None) -> str:
    """What the person typed, tidied: full-width digits made plain; a mobile number's spaces
    and dashes dropped ("139 0000 0001" → "13900000001")."""
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    compact = text.replace(" ", "").replace("-", "")
    if is_mobile(compact):
        return compact
    return text


def is_mobile(text: str) -> bool:
    return len(text) == MOBILE_LENGTH and text.isdigit() and text.startswith("1")


def users_for_mobile(mobile: str):
    """The distinct accounts a mobile number could mean: the account named by it, and the
    accounts of the members whose register entry carries it."""
    user_model = get_user_model()
    return user_model._default_manager.filter(
        Q(**{user_model.USERNAME_FIELD: mobile}) | Q(member__mobile=mobile)
    ).distinct()


class AmbiguousMobile(PermissionDenied):
    """A mobile number that belongs to more than one account; signing in with it is refused."""


class UsernameOrMobileBackend(ModelBackend):
    """Authenticates by username as usual, or by an 11-digit mobile number.

    A mobile number matches the account whose username it is and the account of the member on
    the register with that number. When it matches more than one account the attempt is refused
    outright (``PermissionDenied`` stops Django trying the later backends), so that nobody signs
    into somebody else's account by a number two people share.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        identifier = normalise_identifier(username)
        if not is_mobile(identifier) or password is None:
            return None  # a plain username: ModelBackend, next in line, handles it
        candidates = list(users_for_mobile(identifier)[:2])
        if len(candidates) > 1:
            raise AmbiguousMobile("This mobile number belongs to more than one account.")
        if not candidates:
            # Run the hasher anyway so that a missing number takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request: HttpRequest | None, credentials: dict | None = None) -> str:
    """The name django-axes counts failed sign-ins under: the account's username, whether the
    person typed the username or the mobile number, so both count towards one lock-out."""
    field = get_user_model().USERNAME_FIELD
    raw = None
    if credentials:
        raw = credentials.get(field) or credentials.get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username") or request.POST.get(field)
    identifier = normalise_identifier(raw)
    if is_mobile(identifier):
        matches = list(users_for_mobile(identifier)[:2])
        if len(matches) == 1:
            return matches[0].get_username()
    return identifier


class SignInForm(AuthenticationForm):
    """Django's sign-in form, asking for a username or a mobile number."""

    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or mobile number and the password do not match. "
            "Check them and try again; the password is case-sensitive."
        ),
        "ambiguous_mobile": _(
            "This mobile number belongs to more than one account. Please sign in with your "
            "username, or ask your committee office."
        ),
    }

    def clean(self):
        identifier = normalise_identifier(self.cleaned_data.get("username"))
        if identifier:
            self.cleaned_data["username"] = identifier
        try:
            return super().clean()
        except forms.ValidationError:
            if is_mobile(identifier) and users_for_mobile(identifier)[:2].count() > 1:
                raise forms.ValidationError(
                    self.error_messages["ambiguous_mobile"], code="ambiguous_mobile"
                ) from None
            raise


class SignInView(auth_views.LoginView):
    """Sign in; staff without a member record go straight to their back office."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if user.is_staff and getattr(user, "member", None) is None:
            return reverse("admin:index")
        return super().get_default_redirect_url()


class SignOutView(auth_views.LogoutView):
    # Our own template names: Django's admin uses the default ones for its own pages.
    template_name = "registration/signed_out.html"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_changed.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Sends a sign-in link to the account's e-mail address (if it has one)."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
