"""Signing in with a password: Django's own backend, except that the person of each request is loaded
with their roles and IRO staff identifier in one query (`user_signed_in`) instead of three."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from iroscope.web.accounts.selectors import user_signed_in


class PasswordBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = user_signed_in(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id: Any) -> User | None:
        return await sync_to_async(self.get_user)(user_id)
