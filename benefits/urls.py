from django.urls import URLPattern, URLResolver, path

from benefits import api, views

app_name = "benefits"
urlpatterns: list[URLPattern | URLResolver] = [
    path("estimate/", views.estimate_index, name="estimate_index"),
    path("estimate/retirement/", views.estimate_retirement, name="estimate_retirement"),
    path("estimate/pension/", views.estimate_pension, name="estimate_pension"),
    path("estimate/unemployment/", views.estimate_unemployment, name="estimate_unemployment"),
    path("estimate/work-injury/", views.estimate_work_injury, name="estimate_work_injury"),
    path("estimate/maternity/", views.estimate_maternity, name="estimate_maternity"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("retirement", api.RetirementApi.as_view(), name="retirement"),
    path("estimates/pension", api.PensionEstimateApi.as_view(), name="estimate-pension"),
    path(
        "estimates/unemployment",
        api.UnemploymentEstimateApi.as_view(),
        name="estimate-unemployment",
    ),
    path("estimates/work-injury", api.WorkInjuryEstimateApi.as_view(), name="estimate-work-injury"),
    path("estimates/maternity", api.MaternityEstimateApi.as_view(), name="estimate-maternity"),
]
