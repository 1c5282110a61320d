"""The base of the core's models whose state is a protected django-fsm field."""

from collections.abc import Collection

from django_fsm import ConcurrentTransitionMixin, FSMModelMixin


class StateMachineModel(ConcurrentTransitionMixin, FSMModelMixin):
    """Optimistic locking on the state, refresh_from_db allowed, and full_clean leaving the protected state alone
    (clean_fields would assign it, which a protected field refuses; only transitions change it)."""

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        protected: set[str] = self._get_protected_fsm_fields()
        super().clean_fields(exclude={*(exclude or ()), *protected})
