from django.urls import path

from registration import api, views

app_name = "registration"
urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
]

api_urlpatterns = [
    path("employers", api.EmployerCollectionApi.as_view(), name="employers"),
]
