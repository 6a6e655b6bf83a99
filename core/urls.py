from django.urls import path

from core import api, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
]

api_urlpatterns = [
    path("calendar/deadline", api.CalendarDeadlineApi.as_view(), name="calendar-deadline"),
]
