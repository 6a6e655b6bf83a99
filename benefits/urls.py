from django.urls import URLPattern, URLResolver

app_name = "benefits"
urlpatterns: list[URLPattern | URLResolver] = []

api_urlpatterns: list[URLPattern | URLResolver] = []
