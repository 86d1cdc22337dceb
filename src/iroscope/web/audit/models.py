from __future__ import annotations

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    VIEW_CHILD = "view_child", "Viewed a child's record"
    VIEW_CASELOAD = "view_caseload", "Viewed a caseload"
    CREATE = "create", "Added a record"
    UPDATE = "update", "Changed a record"
    DELETE = "delete", "Removed a record"
    LOAD_DATASET = "load_dataset", "Loaded data into the dataset"
    EXPORT_DATASET = "export_dataset", "Exported the whole dataset"
    SEARCH_AUDIT = "search_audit", "Searched the audit trail"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_REFUSED = "sign_in_refused", "Refused sign-in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in (wrong user name or password)"
    LOCKED_OUT = "locked_out", "Locked out after too many failed sign-ins"
    UNLOCK = "unlock", "Unlocked a locked sign-in"
    PASSWORD_CHANGE = "password_change", "Changed their own password"
    VIEW_PAGE = "view_page", "Viewed a page about a child"
    VIEW_LIST = "view_list", "Viewed a list of children"
    DOWNLOAD_LIST = "download_list", "Downloaded a list of children"
    EXPORT_AUDIT = "export_audit", "Downloaded the audit trail"


class AuditEvent(models.Model):
    """Who viewed or changed what, when, with before and after values. Written only by `audit_record`."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.TextField()  # kept if the account is later removed
    action = models.TextField(choices=Action.choices)
    child_id = models.TextField(null=True, db_index=True)
    table = models.TextField(null=True)
    # What the entry is about, in words: "the list Reviews overdue", "the account jo.smith".
    subject = models.TextField(null=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        db_table = "audit_event"
        ordering = ("-at", "-id")
