from django.urls import URLPattern, URLResolver, path

from cases import api, views

app_name = "cases"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.worklist, name="worklist_home"),
    path("work/<slug:worklist>/", views.worklist, name="worklist"),
    path("portal/", views.employer_cases, name="portal"),
    path("guide/", views.guide_list, name="guide_list"),
    path("guide/<slug:code>/", views.guide_detail, name="guide_detail"),
    path("assistance/", views.assistance, name="assistance"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("<str:case_number>/", views.case_detail, name="detail"),
    path(
        "<str:case_number>/materials/<int:material_id>/",
        views.material_download,
        name="material_download",
    ),
    path(
        "<str:case_number>/decisions/<int:decision_id>/<slug:verdict>/",
        views.decision_verdict,
        name="decision_verdict",
    ),
    path("<str:case_number>/<slug:action>/", views.case_action, name="action"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("cases", api.CaseListApi.as_view(), name="cases"),
    path("cases/<str:case_number>", api.CaseDetailApi.as_view(), name="case-detail"),
    path("service-items", api.ServiceItemListApi.as_view(), name="service-items"),
    path(
        "service-items/<slug:code>", api.ServiceItemDetailApi.as_view(), name="service-item-detail"
    ),
]
