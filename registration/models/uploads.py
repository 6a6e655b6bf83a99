"""Employer uploads (增减员 by file): kept in the database so any worker can run them, with
the row-by-row error report a person can act on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadKind(models.TextChoices):
    START = "start", _("Add employees 增员")
    END = "end", _("End employments 减员")
    BASE = "base", _("Change contribution bases 调整缴费基数")


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("Queued 排队中")
    RUNNING = "running", _("Checking 校验中")
    SAVED = "saved", _("Saved 已保存")
    REJECTED = "rejected", _("Not saved: errors 有错误，未保存")
    FAILED = "failed", _("Failed 处理失败")


class EmployerUpload(models.Model):
    employer = models.ForeignKey("registration.Employer", models.PROTECT, related_name="uploads")
    kind = models.CharField(_("kind"), max_length=8, choices=UploadKind)
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    job = models.OneToOneField("core.Job", models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=UploadStatus, default=UploadStatus.QUEUED
    )
    rows = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "身份证号码", "message": "中文 / English"}, ...]
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("employer upload")
        verbose_name_plural = _("employer uploads")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"
