"""Signing in, out and back in (/accounts/): Django's own auth views with our templates.

Members use their username or their mobile number (``members.backends``); lock-out after
repeated failures is django-axes (see ``AXES_*`` in the settings).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from members.backends import is_mobile, normalise_identifier, users_for_mobile


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
