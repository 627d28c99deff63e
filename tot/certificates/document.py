"""A certificate as a PDF, on one landscape A4 page, in its holder's language.

Every word is composed under `force_locale(holder's language)`: the labels, the dates, the
region's name. DejaVu Sans (shipped in fonts/) has every letter of Kyrgyz and Tajik (ө ү ң ғ ӣ
қ ӯ ҳ ҷ), and is embedded, so that the text prints and can be copied and searched as it was
written. The QR code holds the public address that verifies the certificate.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from flask import current_app
from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _
from fpdf import FPDF

from tot.certificates.models import Certificate
from tot.certificates.services import training_minutes, verification_url
from tot.formats import format_date
from tot.sessions.models import TrainingSession

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"

# A4 landscape, in millimetres; everything printed stays 15 mm inside the paper's edge, where
# every office printer reaches.
PAGE_WIDTH, PAGE_HEIGHT = 297, 210
MARGIN = 20
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 34
BODY_TOP = 22
INK = (33, 37, 41)
ACCENT = (21, 94, 117)
MUTED = (90, 98, 104)


@dataclass(frozen=True)
class Wording:
    """What the certificate says, already in the holder's language."""

    language: str
    organisation: str
    title: str
    certifies: str
    holder: str
    completed: str
    programme: str
    session: str
    when_and_where: str
    hours: str
    facilitators: str
    issued: str
    code: str
    verify: str
    url: str


def _dates(session: TrainingSession) -> str:
    first, last = session.days[0], session.days[-1]
    if first == last:
        return format_date(first)
    return _("%(first)s – %(last)s", first=format_date(first), last=format_date(last))


def hours_text(session: TrainingSession) -> str:
    """ "24 hours", or "22.5 hours" in the reader's language."""
    minutes = training_minutes(session)
    if minutes % 60 == 0:
        return ngettext("%(num)d hour of training", "%(num)d hours of training", minutes // 60)
    return _("%(hours)s hours of training", hours=format_decimal(minutes / 60, format="0.#"))


def organisation() -> str:
    return current_app.config.get("ISSUING_ORGANISATION") or _("TOT platform")


def wording(certificate: Certificate) -> Wording:
    """Every text of the certificate, in its holder's language."""
    session = certificate.session
    language = certificate.user.language.value
    with force_locale(language):
        names = ", ".join(person.full_name for person in session.facilitators)
        return Wording(
            language=language,
            organisation=organisation(),
            title=_("Certificate"),
            certifies=_("This certifies that"),
            holder=certificate.holder_name,
            completed=_("has completed the training-of-trainers programme"),
            programme=session.programme.title,
            session=_("in the training session “%(title)s”", title=session.title),
            when_and_where=_(
                "%(dates)s · %(venue)s, %(region)s",
                dates=_dates(session),
                venue=session.venue,
                region=session.region.label,
            ),
            hours=hours_text(session),
            facilitators=ngettext(
                "Facilitator: %(names)s",
                "Facilitators: %(names)s",
                len(session.facilitators),
                names=names,
            ),
            issued=_(
                "Issued on %(date)s by %(organisation)s",
                date=format_date(certificate.issued_at, session.zone),
                organisation=organisation(),
            ),
            code=_("Verification code: %(code)s", code=certificate.code),
            verify=_("Check that this certificate is valid at:"),
            url=verification_url(certificate),
        )


def _qr_png(url: str) -> io.BytesIO:
    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=8, border=2)
    image.seek(0)
    return image


class _Page(FPDF):
    def __init__(self, words: Wording):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=False)
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_lang(words.language)
        self.set_title(f"{words.title}: {words.holder}")
        self.set_author(words.organisation)
        self.set_creator(words.organisation)

    def centred(
        self,
        text: str,
        size: float,
        style: str = "",
        colour=INK,
        gap: float = 2,
        dry_run: bool = False,
    ) -> float:
        """A centred paragraph; returns the height it takes (and only measures on a dry run)."""
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)
        line = size * 0.5
        measured = self.multi_cell(TEXT_WIDTH, line, text, dry_run=True, output="HEIGHT")
        height = measured if isinstance(measured, int | float) else line
        if not dry_run:
            self.multi_cell(TEXT_WIDTH, line, text, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(gap)
        return height + gap

    def fitted(
        self, text: str, size: float, smallest: float, gap: float, dry_run: bool = False
    ) -> float:
        """Bold, made smaller until it fits on one line (a long name), wrapped only if it must."""
        self.set_font(FONT, "B", size)
        while size > smallest and self.get_string_width(text) > TEXT_WIDTH:
            size -= 1
            self.set_font(FONT, "B", size)
        return self.centred(text, size, "B", ACCENT, gap=gap, dry_run=dry_run)

    def frame(self) -> None:
        self.set_draw_color(*ACCENT)
        self.set_line_width(1.2)
        self.rect(10, 10, PAGE_WIDTH - 20, PAGE_HEIGHT - 20)
        self.set_line_width(0.3)
        self.rect(13, 13, PAGE_WIDTH - 26, PAGE_HEIGHT - 26)


def _middle(pdf: _Page, words: Wording, scale: float, dry_run: bool = False) -> float:
    """The body of the certificate, its type `scale`d down when long titles need the room;
    returns its height (and only measures it on a dry run)."""
    pdf.set_y(BODY_TOP)
    return sum(
        (
            pdf.centred(words.organisation, 12 * scale, "", MUTED, 5 * scale, dry_run),
            pdf.centred(words.title.upper(), 30 * scale, "B", ACCENT, 6 * scale, dry_run),
            pdf.centred(words.certifies, 13 * scale, "", INK, 3 * scale, dry_run),
            pdf.fitted(words.holder, 26 * scale, 14 * scale, 3 * scale, dry_run),
            pdf.centred(words.completed, 13 * scale, "", INK, 2 * scale, dry_run),
            pdf.fitted(words.programme, 18 * scale, 11 * scale, 3 * scale, dry_run),
            *(
                pdf.centred(text, 11 * scale, "", INK, 1.5 * scale, dry_run)
                for text in (words.session, words.when_and_where, words.hours, words.facilitators)
            ),
        )
    )


SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF."""
    words = wording(certificate)
    pdf = _Page(words)
    pdf.add_page()
    pdf.frame()
    top = PAGE_HEIGHT - MARGIN - QR_SIZE  # where the foot begins
    room = top - 4 - BODY_TOP
    scale = next(
        (scale for scale in SCALES if _middle(pdf, words, scale, dry_run=True) <= room),
        SCALES[-1],
    )
    _middle(pdf, words, scale)

    # The foot: who issued it and when, and how to check it, beside the QR code.
    width = TEXT_WIDTH - QR_SIZE - 8
    pdf.set_xy(MARGIN, top + 2)
    for text, size, style, colour in (
        (words.issued, 10, "B", INK),
        (words.code, 9, "", INK),
        (words.verify, 9, "", MUTED),
        (words.url, 8, "", MUTED),
    ):
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.image(
        _qr_png(words.url),
        x=PAGE_WIDTH - MARGIN - QR_SIZE,
        y=top,
        w=QR_SIZE,
        h=QR_SIZE,
        alt_text=words.url,
    )
    return bytes(pdf.output())
