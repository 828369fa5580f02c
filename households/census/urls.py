from django.urls import path

from . import views

app_name = "census"

urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template, name="template"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/confirm/", views.confirm, name="confirm"),
]
