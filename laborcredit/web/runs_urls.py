"""The evaluation-run pages, mounted at /runs/."""

from django.urls import path

from laborcredit.web import views_runs

app_name = "runs"

urlpatterns = [
    path("", views_runs.run_list, name="list"),
    path("jobs/<int:job_id>/", views_runs.job_page, name="job"),
    path("review/", views_runs.review_queue, name="review"),
    path("review/decide/", views_runs.review_decide_current, name="review_decide"),
    path("<int:run_id>/", views_runs.run_detail, name="detail"),
    path("<int:run_id>/decide/", views_runs.run_decide, name="decide"),
    path("<int:run_id>/approve/", views_runs.run_approve, name="approve"),
]
