"""The workspace's roles. Each is a Django group of the same name; a person may hold several."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class Role(StrEnum):
    IRO = "IRO"
    MANAGER = "IRO manager"
    BUSINESS_SUPPORT = "Business support"
    ANALYST = "Analyst"
    ADMINISTRATOR = "Administrator"

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


ROLE_DESCRIPTIONS = {
    Role.IRO: "Records on the children allocated to them; can read other children's records.",
    Role.MANAGER: "Everything in the service: allocations, settings, the audit trail.",
    Role.BUSINESS_SUPPORT: "Schedules reviews, sends invitations and consultation forms, distributes records, "
    "records that letters to children were sent, makes feedback links and QR codes.",
    Role.ANALYST: "Imports, figures and reports; no case records.",
    Role.ADMINISTRATOR: "Accounts.",
}


def roles_named(names: Collection[str]) -> list[Role]:
    """The roles of these group names, in the order the service lists them (other names ignored)."""
    return [role for role in Role if role.value in names]
