"""Dates as a ministry prints them: Gregorian, Hijri (Umm al-Qura) or both; two month styles.

Arab chanceries differ in how they write a Gregorian month: Egypt and the Gulf use the
names taken from the Latin (أكتوبر), the Levant and Iraq the Syriac ones (تشرين الأول), and
many bilingual documents give both (تشرين الأول/أكتوبر). Saudi and Gulf correspondence also
dates by the Umm al-Qura Hijri calendar, alone or beside the Gregorian date
("20 أكتوبر 2025م الموافق 28 ربيع الثاني 1447هـ"). The conversion comes from ``hijridate``,
which carries the Umm al-Qura tables (1343–1500 AH); the wording is ours.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from briefing.errors import BriefingError

Calendar = Literal["gregorian", "hijri", "both"]
MonthStyle = Literal["egyptian", "levantine", "both"]

CALENDARS: tuple[str, ...] = get_args(Calendar)
MONTH_STYLES: tuple[str, ...] = get_args(MonthStyle)

# Gregorian months as written in Egypt and the Gulf, and in the Levant and Iraq.
MONTHS_EGYPTIAN = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
MONTHS_LEVANTINE = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)
MONTHS_ENGLISH = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
HIJRI_MONTHS_AR = (
    "محرم", "صفر", "ربيع الأول", "ربيع الثاني", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)
HIJRI_MONTHS_EN = (
    "Muharram", "Safar", "Rabiʿ al-Awwal", "Rabiʿ al-Thani", "Jumada al-Ula",
    "Jumada al-Akhirah", "Rajab", "Shaʿban", "Ramadan", "Shawwal", "Dhu al-Qaʿdah",
    "Dhu al-Hijjah",
)


def check_calendar(value: str, what: str = "calendar") -> Calendar:
    """Return ``value`` as a calendar choice, or refuse it naming the choices."""
    if value not in CALENDARS:
        raise BriefingError(f"{what} {value!r} is not one of {', '.join(CALENDARS)}")
    return value  # type: ignore[return-value]


def check_months(value: str, what: str = "months") -> MonthStyle:
    """Return ``value`` as a month-name style, or refuse it naming the choices."""
    if value not in MONTH_STYLES:
        raise BriefingError(f"{what} {value!r} is not one of {', '.join(MONTH_STYLES)}")
    return value  # type: ignore[return-value]


def arabic_month(month: int, style: MonthStyle) -> str:
    """Return the Arabic name of Gregorian ``month`` (1–12) in ``style``."""
    egyptian, levantine = MONTHS_EGYPTIAN[month - 1], MONTHS_LEVANTINE[month - 1]
    if style == "levantine":
        return levantine
    if style == "both":
        return f"{levantine}/{egyptian}"
    return egyptian


def to_hijri(value: date) -> tuple[int, int, int]:
    """Return (year, month, day) of ``value`` in the Umm al-Qura calendar.

    Refuses dates outside the calendar's tables (1924-08-01 … 2077-11-16) with a message
    naming the date.
    """
    from hijridate import Gregorian

    try:
        hijri = Gregorian(value.year, value.month, value.day).to_hijri()
    except (OverflowError, ValueError) as error:
        raise BriefingError(
            f"date {value.isoformat()} is outside the Umm al-Qura calendar "
            "(1924-08-01 to 2077-11-16): choose the Gregorian calendar"
        ) from error
    return hijri.year, hijri.month, hijri.day


def gregorian_text(value: date, lang: str, months: MonthStyle) -> str:
    """Return "20 October 2025" / "20 أكتوبر 2025" (Western digits)."""
    if lang == "ar":
        return f"{value.day} {arabic_month(value.month, months)} {value.year}"
    return f"{value.day} {MONTHS_ENGLISH[value.month - 1]} {value.year}"


def hijri_text(value: date, lang: str) -> str:
    """Return "28 ربيع الثاني 1447هـ" / "28 Rabiʿ al-Thani 1447 AH" (Western digits)."""
    year, month, day = to_hijri(value)
    if lang == "ar":
        return f"{day} {HIJRI_MONTHS_AR[month - 1]} {year}هـ"
    return f"{day} {HIJRI_MONTHS_EN[month - 1]} {year} AH"


def date_text(
    value: date, lang: str, calendar: Calendar = "gregorian", months: MonthStyle = "egyptian"
) -> str:
    """Return ``value`` written in ``lang`` in the chosen calendar(s), with Western digits.

    Both calendars read "20 أكتوبر 2025م الموافق 28 ربيع الثاني 1447هـ" in Arabic (the
    Gregorian year marked م so the two years cannot be confused) and "20 October 2025
    (28 Rabiʿ al-Thani 1447 AH)" in English.
    """
    if calendar == "hijri":
        return hijri_text(value, lang)
    gregorian = gregorian_text(value, lang, months)
    if calendar == "both":
        hijri = hijri_text(value, lang)
        if lang == "ar":
            return f"{gregorian}م الموافق {hijri}"
        return f"{gregorian} ({hijri})"
    return gregorian
