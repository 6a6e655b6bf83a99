"""Cursor pagination for lists that can grow large: no COUNT(*) over a population on any page.

Kept apart from core.api: DRF imports its pagination class while it is still loading itself."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500
