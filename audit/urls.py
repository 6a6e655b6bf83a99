from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("access/", views.access_log, name="access_log"),
    path("verify/", views.chain_verify, name="chain_verify"),
]
