from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from qualitycity.consult.admin_audit import AuditedAdmin
from qualitycity.core.errors import DomainError
from qualitycity.core.services.attachments import ALLOWED_TYPES, detect_type
from qualitycity.core.services.audit import Actor

from . import services
from .models import AnnualTarget, Choice, Course, Lesson, Question


class LessonForm(forms.ModelForm):
    """Lesson files are uploaded here (through the attachment service when saved), never
    picked from the stored attachments: those include private consultation files."""

    upload = forms.FileField(label=_("上传 MP4 视频或 PDF 讲义"), required=False)

    class Meta:
        model = Lesson
        fields = ["order", "title", "kind", "video_url", "body", "minutes"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        upload = data.get("upload")
        file_type = None
        if upload is not None:
            if upload.size > settings.ATTACHMENT_MAX_BYTES:
                self.add_error("upload", _("文件过大：上限 {limit} 字节").format(limit=settings.ATTACHMENT_MAX_BYTES))
                return data
            content = upload.read()
            upload.seek(0)
            file_type = detect_type(content, upload.name)
            if file_type is None or Path(upload.name).suffix.lower() not in ALLOWED_TYPES.get(file_type, set()):
                file_type = "unknown"  # refused below with the kind's own message
        elif self.instance.pk and self.instance.file_id:
            file_type = self.instance.file.content_type
            wanted = services.VIDEO_TYPES if data.get("kind") == Lesson.Kind.VIDEO else services.PDF_TYPES
            if file_type not in wanted:
                file_type = None  # the service drops a file that no longer fits the kind
        problem = services.lesson_problem(kind=data.get("kind", ""), body=data.get("body", ""),
                                          video_url=data.get("video_url", ""), file_type=file_type)
        if problem:
            field, message = problem
            self.add_error("upload" if field == "file" else field, message)
        return data


class LessonInline(admin.TabularInline):
    model = Lesson
    form = LessonForm
    extra = 0
    readonly_fields = ["file"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Course)
class CourseAdmin(AuditedAdmin):
    """Course content (lessons, questions) is edited by staff here; learner records are not.
    Lessons are saved through ``services.save_lesson`` (kind check, upload rules, audit)."""

    list_display = ["code", "title", "topic", "published"]
    list_filter = ["topic", "published"]
    inlines = [LessonInline, QuestionInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Lesson:
            return super().save_formset(request, form, formset, change)
        by = Actor.from_request(request)
        course = form.instance
        # what the admin's history message reads after a formset is saved
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for lesson_form in formset.forms:
            saved = Lesson.objects.filter(pk=lesson_form.instance.pk).first() if lesson_form.instance.pk else None
            if lesson_form in formset.deleted_forms:
                if saved:
                    services.delete_lesson(by=by, lesson=saved)
                    formset.deleted_objects.append(saved)
                continue
            if not lesson_form.has_changed():
                continue
            data = lesson_form.cleaned_data
            upload = data.get("upload")
            try:
                lesson = services.save_lesson(
                    by=by, course=course, lesson=saved, title=data["title"], kind=data["kind"], order=data["order"],
                    video_url=data.get("video_url", ""), body=data.get("body", ""), minutes=data.get("minutes") or 20,
                    upload=(upload.name, upload.read()) if upload else None)
                if saved:
                    formset.changed_objects.append((lesson, lesson_form.changed_data))
                else:
                    formset.new_objects.append(lesson)
            except DomainError as exc:
                # the form already ran the same checks; what is left (file too large, bytes
                # that are not what the name says) is reported instead of a server error
                self.message_user(request, _("{title}：{message}（未保存）").format(title=data["title"], message=exc.message),
                                  level="error")


@admin.register(Choice)
class ChoiceAdmin(AuditedAdmin):
    list_display = ["question", "text", "correct"]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(AuditedAdmin):
    list_display = ["year", "area", "person_times", "people", "enterprises", "completions"]
