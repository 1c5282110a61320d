"""Login, logout, password change and reset: Django's views with the portal's forms and declared roles."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from .. import twofactor
from ..forms import LoginForm
from ..roles import AUTHENTICATED, PUBLIC


class LoginView(auth_views.LoginView):
    allowed_roles = (PUBLIC,)
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        """After the password: the code (or enrolment) first when this person signs in with two factors."""
        url = super().get_success_url()
        if twofactor.session_needs_code(self.request):
            return twofactor.next_step_url(self.request.user, url)  # type: ignore[arg-type]
        return url


class LogoutView(auth_views.LogoutView):
    allowed_roles = (PUBLIC,)


class PasswordChangeView(auth_views.PasswordChangeView):
    allowed_roles = (AUTHENTICATED,)
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    allowed_roles = (AUTHENTICATED,)


class PasswordResetView(auth_views.PasswordResetView):
    allowed_roles = (PUBLIC,)
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    allowed_roles = (PUBLIC,)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    allowed_roles = (PUBLIC,)
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    allowed_roles = (PUBLIC,)
