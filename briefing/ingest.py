"""Turn a pasted news dispatch into a section with its own figures.

The dispatch's Arabic (or English) paragraphs are kept as written, each quantity is
replaced by a ``{fig:ID}`` placeholder and becomes a typed figure (value, unit from the
units catalogue, qualifier, source = agency and dateline, as-of = the dispatch date).
Years and bare counts stay text. The English body carries the same placeholders and
says that its translation is still to be written: nothing is translated by machine.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from briefing.errors import BriefingError
from briefing.library import Library, check_references, parse_section, parse_section_figures
from briefing.model import Section

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("يناير", "كانون الثاني", "january", "jan"),
        ("فبراير", "شباط", "february", "feb"),
        ("مارس", "آذار", "march", "mar"),
        ("أبريل", "ابريل", "إبريل", "نيسان", "april", "apr"),
        ("مايو", "أيار", "may"),
        ("يونيو", "حزيران", "june", "jun"),
        ("يوليو", "تموز", "july", "jul"),
        ("أغسطس", "اغسطس", "آب", "august", "aug"),
        ("سبتمبر", "أيلول", "september", "sep", "sept"),
        ("أكتوبر", "اكتوبر", "تشرين الأول", "october", "oct"),
        ("نوفمبر", "تشرين الثاني", "november", "nov"),
        ("ديسمبر", "كانون الأول", "december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
AR_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
    "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)

# Agencies and cities of datelines, for the English source line (others are kept as written).
AGENCIES_EN = {
    "أذرتاج": "AZERTAC", "قازاق أورداسي": "Kazinform", "كازينفورم": "Kazinform",
    "واس": "SPA", "وام": "WAM", "قنا": "QNA", "كونا": "KUNA", "بنا": "BNA", "أ ش أ": "MENA",
    "رويترز": "Reuters", "فرانس برس": "AFP", "أ ف ب": "AFP",
}
CITIES_EN = {
    "باكو": "Baku", "أستانا": "Astana", "آستانا": "Astana", "ألماتي": "Almaty",
    "طشقند": "Tashkent", "عشق آباد": "Ashgabat", "أنقرة": "Ankara", "موسكو": "Moscow",
    "الرياض": "Riyadh", "أبوظبي": "Abu Dhabi", "الدوحة": "Doha", "الكويت": "Kuwait",
    "القاهرة": "Cairo", "بروكسل": "Brussels", "تبليسي": "Tbilisi",
}

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
DATELINE = re.compile(
    r"^\s*(?P<city>[^\d،,\n(]{2,40}?)\s*[،,]\s*(?P<day>[0-9٠-٩]{1,2})\s+(?P<month>" + _MONTH_ALT
    + r")\.?(?:\s+(?P<year>[0-9٠-٩]{4}))?\s*[،,]?\s*(?:\((?P<agency>[^)\n]{1,40})\)|"
    r"(?P<agency2>[^\s،,.\-–—:\n][^،,.\-–—:\n]{0,30}?)(?=\s*(?:[-–—:]|\n|$)))"
    r"\s*[-–—:]?\s*",
    re.IGNORECASE,
)

NUMBER = r"[0-9٠-٩]+(?:[,٬][0-9٠-٩]{3})*(?:[.٫][0-9٠-٩]+)?"
# Qualifiers before a number, longest first; "على الأقل" / "at least" may also follow.
QUALIFIERS_BEFORE = (
    ("ما يقرب من", "about"), ("أكثر من", "more_than"), ("أزيد من", "more_than"),
    ("ما يزيد على", "more_than"), ("ما يزيد عن", "more_than"), ("على الأقل", "at_least"),
    ("حوالي", "about"), ("حوالى", "about"), ("نحو", "about"), ("قرابة", "about"),
    ("ما يصل إلى", "up_to"), ("حتى", "up_to"),
    ("more than", "more_than"), ("over", "more_than"), ("at least", "at_least"),
    ("about", "about"), ("around", "about"), ("nearly", "about"), ("almost", "about"),
    ("approximately", "about"), ("up to", "up_to"),
)
_QUAL_ALT = "|".join(re.escape(q) for q, _ in QUALIFIERS_BEFORE)
QUALIFIER_OF = {q.lower(): name for q, name in QUALIFIERS_BEFORE}

MULTIPLIERS = (
    ("مليارات", 9), ("مليار", 9), ("ملايين", 6), ("مليون", 6), ("آلاف", 3), ("ألف", 3),
    ("billion", 9), ("bn", 9), ("million", 6), ("mn", 6), ("thousand", 3),
)
_MULT_ALT = "|".join(re.escape(m) for m, _ in MULTIPLIERS)
MULTIPLIER_OF = {m: power for m, power in MULTIPLIERS}

# Unit words after the number (and multiplier) -> base kind.
UNIT_WORDS = (
    ("في المائة", "percent"), ("في المئة", "percent"), ("بالمائة", "percent"),
    ("بالمئة", "percent"), ("%", "percent"), ("٪", "percent"), ("percent", "percent"),
    ("per cent", "percent"),
    ("أطنان", "tonnes"), ("طن", "tonnes"), ("tonnes", "tonnes"), ("tons", "tonnes"),
    ("tonne", "tonnes"), ("ton", "tonnes"),
    ("كيلومترات", "km"), ("كيلومتراً", "km"), ("كيلومترا", "km"), ("كيلومتر", "km"),
    ("كم", "km"), ("kilometres", "km"), ("kilometers", "km"), ("km", "km"),
    ("ميغاواطات", "mw"), ("ميغاواط", "mw"), ("ميجاوات", "mw"), ("megawatts", "mw"),
    ("megawatt", "mw"), ("MW", "mw"),
    ("غيغاواطات", "gw"), ("غيغاواط", "gw"), ("جيجاوات", "gw"), ("gigawatts", "gw"),
    ("gigawatt", "gw"), ("GW", "gw"),
    ("دولارات", "usd"), ("دولاراً", "usd"), ("دولارا", "usd"), ("دولار", "usd"),
    ("US dollars", "usd"), ("dollars", "usd"), ("USD", "usd"),
    ("يورو", "eur"), ("euros", "eur"), ("euro", "eur"), ("EUR", "eur"),
    ("مناة", "manat"), ("manat", "manat"), ("AZN", "manat"),
    ("تنغي", "tenge"), ("تينغي", "tenge"), ("tenge", "tenge"), ("KZT", "tenge"),
)
_UNIT_ALT = "|".join(re.escape(u) for u, _ in UNIT_WORDS)
UNIT_OF = {u.lower(): kind for u, kind in UNIT_WORDS}

# (kind, power of ten of the multiplier) -> unit id in units.toml; the value is scaled
# into the nearest unit that exists.
UNIT_IDS = {
    "percent": {0: "percent"},
    "tonnes": {0: "tonnes", 3: "thousand_tonnes", 6: "million_tonnes", 9: "billion_tonnes"},
    "km": {0: "kilometres"},
    "mw": {0: "megawatts"},
    "gw": {0: "gigawatts"},
    "usd": {0: "usd", 6: "million_usd", 9: "billion_usd"},
    "eur": {0: "eur", 6: "million_eur", 9: "billion_eur"},
    "manat": {0: "manat", 6: "million_manat", 9: "billion_manat"},
    "tenge": {0: "tenge", 6: "million_tenge", 9: "billion_tenge"},
}
KINDS = {"percent": "share", "usd": "money", "eur": "money", "manat": "money", "tenge": "money"}
EN_NAMES = {
    "percent": "share", "tonnes": "tonnage", "km": "distance", "mw": "capacity",
    "gw": "capacity", "usd": "amount", "eur": "amount", "manat": "amount", "tenge": "amount",
}

# Arabic letters and digits count as word characters; Arabic punctuation (، ؛ ؟) does not.
_AR_WORD = "\u0621-\u065F\u0660-\u0669\u066E-\u06D3\u06FA-\u06FF"
_WB = r"(?![\w" + _AR_WORD + r"])"  # end of a word
_QTY = (
    r"(?:(?P<qual>" + _QUAL_ALT + r")\s+)?"
    r"(?P<dollar>\$\s?)?"
    r"(?P<num>" + NUMBER + r")"
    r"(?:\s*(?:-|–|إلى|الى|to)\s*(?P<num2>" + NUMBER + r"))?"
    r"(?:\s*(?P<mult>" + _MULT_ALT + r")" + _WB + r")?"
    r"(?:\s*(?P<unit>" + _UNIT_ALT + r")(?:" + _WB + r"|(?<=[%٪])))?"
    r"(?:\s+(?P<qual_after>على الأقل|at least)" + _WB + r")?"
)
# A number may carry an attached "and", "by" or "for" (وبل): ``و١٧``, ``ب50``.
QUANTITY = re.compile(
    r"(?<![\w" + _AR_WORD + r".,٫٬])(?P<pre>[وبل](?=[0-9٠-٩]))?" + _QTY, re.IGNORECASE
)
RANGE_FROM = re.compile(
    r"(?P<from>من|from|between|بين)\s+(?P<num>" + NUMBER + r")"
    r"\s+(?:(?:إلى|الى|to|and)\s+|و\s*)$",
    re.IGNORECASE,
)


@dataclass
class Detected:
    """One quantity found in the dispatch."""

    id: str
    value: Decimal
    unit: str
    qualifier: str
    label_ar: str
    label_en: str
    text: str  # the words in the dispatch that gave the quantity
    paragraph: int
    start: int
    end: int
    accepted: bool = True


@dataclass
class Dispatch:
    """A parsed dispatch: dateline, title, paragraphs with placeholders and their figures."""

    lang: str
    city: str
    agency: str
    day: date | None
    title: str
    paragraphs: list[str]  # the original text of each paragraph
    figures: list[Detected] = field(default_factory=list)
    section_id: str = ""

    def source(self, lang: str) -> str:
        """Return the source line: agency, city and the dispatch date."""
        agency = AGENCIES_EN.get(self.agency, self.agency) if lang == "en" else self.agency
        when = ""
        if self.day:
            month = (AR_MONTHS if lang == "ar" else EN_MONTHS)[self.day.month - 1]
            when = f"{self.day.day} {month} {self.day.year}"
        city = CITIES_EN.get(self.city, self.city) if lang == "en" else self.city
        if lang == "ar":
            return "، ".join(p for p in (agency, city, when) if p)
        return ", ".join(p for p in (agency, city, when) if p)


def to_decimal(text: str) -> Decimal:
    """Return a number written with Western or Arabic-Indic digits and separators."""
    plain = text.translate(ARABIC_DIGITS).replace("٬", "").replace(",", "").replace("٫", ".")
    try:
        return Decimal(plain)
    except InvalidOperation:
        raise BriefingError(f"cannot read the number {text!r}") from None


def _is_arabic(text: str) -> bool:
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return arabic >= latin


def _infer_year(month: int, day: int, given: int | None, today: date | None) -> int:
    """Return the dispatch's year: as given, else the latest year not after today.

    A dateline names day and month only; years in the text speak of other things
    (``by 2030``), so they are not used.
    """
    if given:
        return given
    today = today or date.today()
    if (month, day) > (today.month, today.day):
        return today.year - 1
    return today.year


def _label(paragraph: str, start: int) -> str:
    """Return the words just before a quantity, within its clause, as a first label."""
    clause = re.split(r"[،,.؛;:!؟?()]", paragraph[:start])[-1]
    words = re.findall(r"[\w" + _AR_WORD + r"]+", clause)
    words = [w for w in words if not w.isdigit()][-5:]
    return " ".join(words)


def _scale(kind: str, power: int, value: Decimal) -> tuple[str, Decimal]:
    table = UNIT_IDS[kind]
    if power in table:
        return table[power], value
    best = max(p for p in table if p <= power) if any(p <= power for p in table) else min(table)
    return table[best], value * (Decimal(10) ** (power - best))


def parse_dispatch(
    text: str, *, year: int | None = None, prefix: str | None = None,
    section_id: str | None = None, today: date | None = None,
) -> Dispatch:
    """Return the dispatch's dateline, title, paragraphs and detected figures."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise BriefingError("the dispatch is empty")
    lang = "ar" if _is_arabic(text) else "en"
    city = agency = ""
    day: date | None = None
    match = DATELINE.match(text)
    if match:
        city = match.group("city").strip()
        agency = (match.group("agency") or match.group("agency2") or "").strip()
        month = MONTHS[match.group("month").lower()]
        given = int(match.group("year").translate(ARABIC_DIGITS)) if match.group("year") else year
        number_of_day = int(match.group("day").translate(ARABIC_DIGITS))
        inferred = _infer_year(month, number_of_day, given, today)
        try:
            day = date(inferred, month, number_of_day)
        except ValueError as exc:
            raise BriefingError(f"the dateline's date is not valid ({exc})") from None
        text = text[match.end():]
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n|\n", text)]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise BriefingError("the dispatch has a dateline but no text")
    lead = paragraphs[0]
    title = re.split(r"(?<=[.!؟?])\s|[،,:؛]\s", lead, maxsplit=1)[0].rstrip(".")
    if len(title) > 90:
        title = title[:90].rsplit(" ", 1)[0] + "…"
    if section_id is None:
        section_id = f"dispatch_{day:%Y%m%d}" if day else "dispatch"
    prefix = prefix or section_id
    dispatch = Dispatch(lang, city, agency, day, title, paragraphs, section_id=section_id)
    number = 0
    for index, paragraph in enumerate(paragraphs):
        for found in QUANTITY.finditer(paragraph):
            kind = None
            if found.group("unit"):
                kind = UNIT_OF[found.group("unit").lower()]
            elif found.group("dollar"):
                kind = "usd"
            if kind is None:
                continue  # a year or a bare count: stays text
            qualifier = ""
            if found.group("qual"):
                qualifier = QUALIFIER_OF[found.group("qual").lower()]
            elif found.group("qual_after"):
                qualifier = "at_least"
            power = MULTIPLIER_OF.get((found.group("mult") or "").lower(), 0)
            if found.group("mult") and found.group("mult") in MULTIPLIER_OF:
                power = MULTIPLIER_OF[found.group("mult")]
            start = found.end("pre") if found.group("pre") else found.start()
            values = [found.group("num")]
            if found.group("num2"):
                values.append(found.group("num2"))
            else:
                before = RANGE_FROM.search(paragraph[:start])
                if before and not found.group("qual"):
                    values.insert(0, before.group("num"))
                    start = before.start("num")
            for position, raw in enumerate(values):
                number += 1
                unit, value = _scale(kind, power, to_decimal(raw))
                label = _label(paragraph, start)
                suffix = "" if len(values) == 1 else (" (low)", " (high)")[position]
                dispatch.figures.append(Detected(
                    id=f"{prefix}_f{number}",
                    value=value,
                    unit=unit,
                    qualifier=qualifier if position == len(values) - 1 else "",
                    label_ar=(label or "رقم") + ("" if len(values) == 1 else
                                                 (" (الحد الأدنى)", " (الحد الأعلى)")[position]),
                    label_en=f"{EN_NAMES[kind].capitalize()} {number}{suffix} "
                             "(label to be translated)",
                    text=paragraph[start:found.end()],
                    paragraph=index,
                    start=start,
                    end=found.end(),
                ))
    return dispatch


def _placeheld(dispatch: Dispatch, index: int, paragraph: str | None = None) -> str:
    """Return a paragraph (or its start, the title) with its quantities as placeholders."""
    paragraph = dispatch.paragraphs[index] if paragraph is None else paragraph
    spans: dict[tuple[int, int], list[Detected]] = {}
    for figure in dispatch.figures:
        if figure.paragraph == index and figure.accepted:
            spans.setdefault((figure.start, figure.end), []).append(figure)
    out, cursor = [], 0
    for (start, end), figures in sorted(spans.items()):
        if start < cursor or end > len(paragraph):
            continue
        out.append(paragraph[cursor:start])
        if len(figures) == 1:
            out.append(f"{{fig:{figures[0].id}}}")
        else:
            link = " إلى " if dispatch.lang == "ar" else " to "
            low = f"من {{val:{figures[0].id}}}" if dispatch.lang == "ar" else \
                f"from {{val:{figures[0].id}}}"
            out.append(low + link + f"{{fig:{figures[1].id}}}")
        cursor = end
    out.append(paragraph[cursor:])
    return "".join(out)


ENGLISH_NOTE = "[Translation to be written: the English text of this paragraph is left for you.]"
ARABIC_NOTE = "[الترجمة العربية لهذه الفقرة متروكة لك.]"


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _toml_block(text: str) -> str:
    return '"""' + text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') + '"""'


def section_toml(dispatch: Dispatch) -> str:
    """Return the section TOML text: title, body with placeholders, and [[figures]]."""
    bodies = [_placeheld(dispatch, i) for i in range(len(dispatch.paragraphs))]
    other_note = ENGLISH_NOTE if dispatch.lang == "ar" else ARABIC_NOTE
    other = []
    for body in bodies:
        cited = re.findall(r"\{(?:fig|val):[a-z0-9_]+\}", body)
        other.append(other_note + (" " + ", ".join(cited) if cited else ""))
    original, translated = "\n\n".join(bodies), "\n\n".join(other)
    ar, en = (original, translated) if dispatch.lang == "ar" else (translated, original)
    when = (f"{dispatch.day.day} {EN_MONTHS[dispatch.day.month - 1]} {dispatch.day.year}"
            if dispatch.day else "undated")
    # The title is the lead's first clause: its quantities follow --set like the body's.
    title, ellipsis = dispatch.title.removesuffix("…"), dispatch.title.endswith("…")
    if dispatch.paragraphs[0].startswith(title):
        title = _placeheld(dispatch, 0, title)
    title += "…" if ellipsis else ""
    title_ar = title if dispatch.lang == "ar" else f"برقية {dispatch.source('ar')}"
    title_en = title if dispatch.lang == "en" else \
        f"Dispatch of {when} (title to be translated)"
    lines = [
        f"# Section made from the {dispatch.agency or 'news'} dispatch, "
        f"{dispatch.city or 'no city'}, {when}.",
        f"# {'English' if dispatch.lang == 'ar' else 'Arabic'} text is left to be written "
        "by hand; the placeholders are already in place.",
        f"id = {_toml_str(dispatch.section_id)}",
        "",
        "[title]",
        f"ar = {_toml_str(title_ar)}",
        f"en = {_toml_str(title_en)}",
        "",
        "[body]",
        f"ar = {_toml_block(ar)}",
        f"en = {_toml_block(en)}",
    ]
    for figure in dispatch.figures:
        if not figure.accepted:
            continue
        lines += [
            "",
            "[[figures]]",
            f"id = {_toml_str(figure.id)}",
            f"value = {figure.value.normalize():f}",
            f"unit = {_toml_str(figure.unit)}",
            f"qualifier = {_toml_str(figure.qualifier)}",
            f"kind = {_toml_str(KINDS.get(_kind_of(figure.unit), 'quantity'))}",
            "min = 0",
            *(["max = 100"] if figure.unit == "percent" else []),
            f"label = {{ ar = {_toml_str(figure.label_ar)}, en = {_toml_str(figure.label_en)} }}",
            f"source = {{ ar = {_toml_str(dispatch.source('ar'))}, "
            f"en = {_toml_str(dispatch.source('en'))} }}",
        ]
        if dispatch.day:
            lines.append(f"as_of = {dispatch.day.isoformat()}")
        lines.append(f"note = {{ ar = {_toml_str('نص الخبر: ' + figure.text)}, "
                     f"en = {_toml_str('Dispatch wording: ' + figure.text)} }}")
    return "\n".join(lines) + "\n"


def _kind_of(unit: str) -> str:
    for kind, table in UNIT_IDS.items():
        if unit in table.values():
            return kind
    return ""


def dispatch_section(
    dispatch: Dispatch, library: Library, taken: dict[str, str] | None = None
) -> Section:
    """Return the section the dispatch makes, checked as ``--add-section`` checks a file."""
    where = f"dispatch {dispatch.section_id}"
    try:
        data = tomllib.loads(section_toml(dispatch))
    except tomllib.TOMLDecodeError as exc:  # a bug in section_toml, never the user's text
        raise BriefingError(f"{where}: the section could not be written ({exc})") from None
    section = parse_section(data, where, custom=True)
    figures = parse_section_figures(data, where, library, taken)
    section = replace(section, figures=figures)
    known = {**library.figures, **{figure.id: figure for figure in figures}}
    check_references(section, known, library.charts, where)
    return section
