from django.urls import path

from forecast import views

app_name = "forecast"
urlpatterns = [path("forecast/what-if/", views.what_if_page, name="what_if")]
