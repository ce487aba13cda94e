from django.urls import path

from .views import design, public, staff

app_name = "surveys"

urlpatterns = [
    path("", staff.index, name="index"),
    path("new/", staff.create, name="create"),
    path("results/", public.public_index, name="public_index"),
    path("results/<str:number>/", public.public_detail, name="public_detail"),
    path("results/<str:number>/report.pdf", public.public_pdf, name="public_pdf"),
    path("r/<str:secret>/", public.respond, name="respond"),
    path("<str:number>/", staff.detail, name="detail"),
    path("<str:number>/questionnaire/", staff.questionnaire, name="questionnaire"),
    path("<str:number>/status/", staff.status, name="status"),
    path("<str:number>/tokens/", staff.tokens, name="tokens"),
    path("<str:number>/import/", staff.import_page, name="import"),
    path("<str:number>/interview/", staff.interview, name="interview"),
    path("<str:number>/screen/", staff.screen, name="screen"),
    path("<str:number>/review/", staff.review, name="review"),
    path("<str:number>/estimate/", staff.estimate, name="estimate"),
    path("<str:number>/submit/", staff.submit, name="submit"),
    path("<str:number>/design/", design.edit, name="edit"),
    path("<str:number>/margins/", design.margins, name="margins"),
    path("<str:number>/quotas/", design.quota_progress, name="quota_progress"),
    path("<str:number>/report.pdf", public.report_pdf, name="report_pdf"),
]
