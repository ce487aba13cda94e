"""Collecting answers: the one-time web link, telephone interviews and Excel import."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Area
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor

from ..itembank import AGE_BANDS
from ..models import Project, Question, Response, Token
from .projects import digest

SEX_WORDS = {"M": "M", "F": "F", "男": "M", "女": "F"}
AGE_CODES = {code for code, _label in AGE_BANDS}
MAX_IMPORT_ROWS = 20000


def _scale_items(project: Project) -> list[str]:
    return list(project.questions.exclude(kind=Question.Kind.OPEN).values_list("code", flat=True))


def _district(value) -> Area | None:
    if isinstance(value, Area):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    qs = Area.objects.exclude(kind=Area.Kind.CITY)
    return qs.filter(pk=int(text)).first() if text.isdigit() else qs.filter(name=text).first()


def clean_answer(project: Project, *, answers: dict, district, sex: str, age_band: str) -> tuple[dict, dict]:
    """Validate one questionnaire; returns (cleaned fields, errors by field)."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for code in _scale_items(project):
        raw = answers.get(code)
        try:
            value = int(str(raw).strip()) if raw not in (None, "") else None
        except ValueError:
            value = -1
        if value is None:
            errors[code] = [_("请回答此题")]
        elif not 1 <= value <= 10 or str(raw).strip() not in (str(value), f"{value}.0"):
            errors[code] = [_("请填写 1–10 的整数")]
        else:
            clean[code] = value
    area = _district(district)
    if area is None:
        errors["district"] = [_("请选择所在区")]
    if SEX_WORDS.get(str(sex).strip()) is None:
        errors["sex"] = [_("请选择性别")]
    if str(age_band).strip() not in AGE_CODES:
        errors["age_band"] = [_("请选择年龄段")]
    fields = {"answers": clean, "district": area, "sex": SEX_WORDS.get(str(sex).strip()),
              "age_band": str(age_band).strip()}
    return fields, errors


def _duration(value) -> float | None:
    """Completion time in seconds, so the speeder screen can judge it; unknown stays ``None``."""
    if value in (None, ""):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not (0 <= seconds < 7 * 24 * 3600):
        raise DomainError(_("作答时长应为不小于 0 的秒数"), field="duration_seconds")
    return seconds


def _ensure_collecting(project: Project) -> None:
    if project.status != Project.Status.COLLECTING:
        raise DomainError(_("该测评项目当前不在采集期"), field="project")


def token_for(secret: str) -> Token | None:
    return Token.objects.select_related("project").filter(digest=digest(secret or "")).first()


def submit_web(*, by: Actor, secret: str, answers: dict, district, sex: str, age_band: str,
               open_answer: str = "", duration_seconds: float | None = None) -> Response:
    """Record the answer of a one-time link; the link is then spent (one response per token)."""
    token = token_for(secret)
    if token is None:
        raise DomainError(_("链接无效"), field="token")
    project = token.project
    fields, errors = clean_answer(project, answers=answers, district=district, sex=sex, age_band=age_band)
    if errors:
        raise DomainError(_("问卷未填写完整或有误"), errors=errors)
    duration_seconds = _duration(duration_seconds)
    _ensure_collecting(project)
    with transaction.atomic():
        # Lock the token row: two simultaneous submissions of one link must not both pass.
        token = Token.objects.select_for_update().get(pk=token.pk)
        if token.used_at is not None:
            raise DomainError(_("此链接已提交过问卷，每个链接只能使用一次"), field="token")
        now = timezone.now()
        token.used_at = now
        token.save(update_fields=["used_at"])
        response = Response.objects.create(
            project=project, channel=Response.Channel.WEB, token=token, submitted_at=now,
            open_answer=(open_answer or "")[:2000], duration_seconds=duration_seconds, **fields)
        audit.record(by=Actor(user=by.user, ip=by.ip, label=by.label or "respondent"),
                     action="surveys.response.web", obj=response)
    return response


def submit_interview(*, by: Actor, project: Project, answers: dict, district, sex: str, age_band: str,
                     open_answer: str = "", duration_seconds: float | None = None) -> Response:
    """A telephone (CATI) interview entered by an interviewer."""
    fields, errors = clean_answer(project, answers=answers, district=district, sex=sex, age_band=age_band)
    if errors:
        raise DomainError(_("问卷未填写完整或有误"), errors=errors)
    duration_seconds = _duration(duration_seconds)
    _ensure_collecting(project)
    with transaction.atomic():
        response = Response.objects.create(
            project=project, channel=Response.Channel.CATI, interviewer=by.user, submitted_at=timezone.now(),
            open_answer=(open_answer or "")[:2000], duration_seconds=duration_seconds, **fields)
        audit.record(by=by, action="surveys.response.cati", obj=response)
    return response


IMPORT_FIXED = {"区": "district", "性别": "sex", "年龄段": "age_band", "时长(秒)": "duration", "开放题": "open"}


def import_responses(*, by: Actor, project: Project, content: bytes) -> int:
    """Import offline questionnaires from .xlsx: all rows or none.

    Header row: 区, 性别, 年龄段, one column per item code (e.g. IMG1 … LOY2, SAT_R),
    optional 时长(秒) and 开放题.  Every problem is reported with its row and column.
    """
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:
        raise DomainError(_("无法读取 Excel 文件（需要 .xlsx 格式）"), field="file") from None
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, [])]
    items = _scale_items(project)
    needed = ["区", "性别", "年龄段", *items]
    absent = [h for h in needed if h not in header]
    if absent:
        raise ImportRejected([{"row": 1, "column": h, "message": _("缺少列")} for h in absent])
    pos = {h: i for i, h in enumerate(header)}
    problems, ready = [], []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        if len(ready) + len(problems) >= MAX_IMPORT_ROWS:
            raise DomainError(_("单次最多导入 %d 行") % MAX_IMPORT_ROWS, field="file")

        def cell(name, row=row):
            i = pos.get(name)
            return row[i] if i is not None and i < len(row) else None

        answers = {c: cell(c) for c in items}
        answers = {c: (int(v) if isinstance(v, float) and v.is_integer() else v) for c, v in answers.items()}
        fields, errors = clean_answer(project, answers=answers, district=cell("区"), sex=cell("性别") or "",
                                      age_band=cell("年龄段") or "")
        duration = cell("时长(秒)")
        if duration not in (None, "") and not isinstance(duration, int | float):
            errors["时长(秒)"] = [_("应为数字")]
        column_names = {"district": "区", "sex": "性别", "age_band": "年龄段"}
        for field, messages in errors.items():
            problems.append({"row": number, "column": column_names.get(field, field), "message": messages[0]})
        if not errors:
            ready.append(Response(project=project, channel=Response.Channel.IMPORT, submitted_at=timezone.now(),
                                  open_answer=str(cell("开放题") or "")[:2000],
                                  duration_seconds=float(duration) if duration not in (None, "") else None,
                                  interviewer=by.user, **fields))
    if problems:
        raise ImportRejected(problems)
    if not ready:
        raise DomainError(_("文件中没有数据行"), field="file")
    with transaction.atomic():
        Response.objects.bulk_create(ready, batch_size=1000)
        audit.record(by=by, action="surveys.response.import", obj=project, changes={"rows": len(ready)})
    return len(ready)


def record_batch(*, by: Actor, project: Project, rows: list[dict], channel: str = Response.Channel.WEB) -> int:
    """Store already validated responses in bulk (the demo generator; a CAPI upload).
    Each row holds the Response fields; one audit event covers the batch."""
    with transaction.atomic():
        Response.objects.bulk_create([Response(project=project, channel=channel, **row) for row in rows],
                                     batch_size=1000)
        audit.record(by=by, action="surveys.response.batch", obj=project, changes={"rows": len(rows)})
    return len(rows)
