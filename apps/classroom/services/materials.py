"""Lesson materials: PDFs and images the tutor uploads. PDFs are rendered to one PNG per page with
poppler's ``pdftoppm`` so the board can place pages as images; the board keeps references only."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from apps.accounts.models import User
from apps.classroom.models import Material, MaterialPage, SessionStatus
from apps.classroom.selectors.sessions import participant_role, session_get_for_participant
from apps.core.exceptions import ConflictError, InvalidInputError, PermissionDeniedError

logger = logging.getLogger(__name__)

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}  # Pillow's format: the stored file's extension
RENDER_DPI = 110
RENDER_TIMEOUT_SECONDS = 120


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return Material.Kind.PDF
    if (
        head.startswith(b"\x89PNG\r\n\x1a\n")
        or head.startswith(b"\xff\xd8\xff")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    ):
        return Material.Kind.IMAGE
    return None


def material_upload(*, session_id: int, user: User, upload: UploadedFile) -> Material:
    """The tutor adds a PDF or an image (PNG, JPEG, WebP) to the lesson; PDFs render in the background."""
    session = session_get_for_participant(user=user, session_id=session_id)
    if participant_role(session, user.pk) != "tutor":
        raise PermissionDeniedError("Only the tutor adds materials.", code="not_the_tutor")
    if session.status == SessionStatus.CANCELLED:
        raise ConflictError("The lesson was cancelled.", code="classroom_closed")
    size = upload.size or 0
    if size > settings.CLASSROOM_MATERIAL_MAX_BYTES:
        raise InvalidInputError.for_field(
            "file", f"At most {settings.CLASSROOM_MATERIAL_MAX_BYTES // (1024 * 1024)} MiB.", code="file_too_large"
        )
    head = upload.read(16)
    upload.seek(0)
    kind = _sniff(head)
    if kind is None:
        raise InvalidInputError.for_field("file", "Upload a PDF, PNG, JPEG or WebP file.", code="unsupported_type")
    page = None
    if kind == Material.Kind.IMAGE:
        page = _image_info(upload.read())
        upload.seek(0)
    name = Path(upload.name or "material").name[:200]
    with transaction.atomic():
        material = Material.objects.create(
            session=session, uploaded_by=user, kind=kind, name=name, file=upload, size=size
        )
        if page is not None:
            extension, width, height = page
            upload.seek(0)
            # named after the detected format, never the uploader's name: the name sets the served Content-Type
            image = ContentFile(upload.read(), name=f"{material.pk}-1.{extension}")
            MaterialPage.objects.create(material=material, number=1, image=image, width=width, height=height)
            material.status = Material.Status.READY
            material.save(update_fields=["status"])
        else:
            from apps.classroom.tasks import render_material

            material_id = material.pk
            transaction.on_commit(lambda: render_material.delay(material_id))
    return material


def _image_info(data: bytes) -> tuple[str, int, int]:
    """The extension of the image's format, its width and its height (400 for anything but PNG, JPEG, WebP)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise InvalidInputError.for_field("file", "Upload a PNG, JPEG or WebP image.", code="unsupported_type")
            image.verify()
            width, height = image.size
            return IMAGE_FORMATS[image.format], width, height
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InvalidInputError.for_field("file", "The image cannot be read.", code="invalid_image") from exc


def material_render(*, material_id: int) -> Material:
    """Render a PDF's pages (at most ``CLASSROOM_MATERIAL_MAX_PAGES``) to PNG images."""
    material = Material.objects.get(pk=material_id)
    if material.kind != Material.Kind.PDF or material.status != Material.Status.PROCESSING:
        return material
    try:
        with tempfile.TemporaryDirectory() as workdir:
            source = Path(workdir) / "source.pdf"
            with material.file.open("rb") as handle:
                source.write_bytes(handle.read())
            pdftoppm = shutil.which("pdftoppm")
            if pdftoppm is None:
                raise OSError("pdftoppm (Debian package poppler-utils) is not installed")
            subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [
                    pdftoppm,
                    "-png",
                    "-r",
                    str(RENDER_DPI),
                    "-l",
                    str(settings.CLASSROOM_MATERIAL_MAX_PAGES),
                    str(source),
                    str(Path(workdir) / "page"),
                ],
                check=True,
                capture_output=True,
                timeout=RENDER_TIMEOUT_SECONDS,
            )
            images = sorted(Path(workdir).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            if not images:
                raise ValueError("no pages")
            with transaction.atomic():
                for number, path in enumerate(images, start=1):
                    with Image.open(path) as image:
                        width, height = image.size
                    MaterialPage.objects.create(
                        material=material,
                        number=number,
                        image=ContentFile(path.read_bytes(), name=f"{material.pk}-{number}.png"),
                        width=width,
                        height=height,
                    )
                material.status = Material.Status.READY
                material.save(update_fields=["status"])
    except (subprocess.SubprocessError, OSError, ValueError):
        logger.exception("could not render material %s", material_id)
        material.status = Material.Status.FAILED
        material.save(update_fields=["status"])
    return material
