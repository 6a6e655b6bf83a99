from django.urls import URLPattern, URLResolver, path

from transfers import api, views

app_name = "transfers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.transfer_list, name="list"),
    path("new/", views.transfer_new, name="new"),
    path("reconciliation/", views.mismatch_list, name="mismatches"),
    path("mine/", views.portal, name="portal"),
    path("messages/<int:message_id>/retry/", views.message_retry, name="message_retry"),
    path("<str:reference>/", views.transfer_detail, name="detail"),
    path("<str:reference>/steps/<int:number>/<slug:action>/", views.step_action, name="step"),
    path("<str:reference>/reconciliation/", views.reconciliation, name="reconciliation"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("transfers", api.TransferListApi.as_view(), name="transfers"),
    path("transfers/messages", api.MessageReceiveApi.as_view(), name="transfer-messages"),
    path("transfers/<str:reference>", api.TransferDetailApi.as_view(), name="transfer-detail"),
    path(
        "transfers/<str:reference>/steps/<int:number>/<slug:action>",
        api.TransferStepActionApi.as_view(),
        name="transfer-step",
    ),
    path(
        "transfers/<str:reference>/reconciliation",
        api.TransferReconciliationApi.as_view(),
        name="transfer-reconciliation",
    ),
]
