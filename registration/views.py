"""Clerk and portal views for registration."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.types import AuthenticatedHttpRequest
from registration.models import Employer


@login_required
def employer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    employers = Employer.objects.visible_to(request.user).select_related("region")[:100]
    return render(request, "registration/employer_list.html", {"employers": employers})
