"""What a figure is about: a subject phrase → kind, flow, name and region.

Kinds: ``aggregate`` (total trade, exports, imports, the balance), ``partner``
("trade with ASEAN countries", "exports to the EU"), ``enterprise``
("private enterprises"), ``mode`` ("processing trade"), ``product``
("exports of laptops", "in consumer goods"), ``other`` (a phrase the rules do
not recognise: flagged for review) and ``anaphora`` ("it", "they", "the
growth rate": the figure of the previous clause).

>>> classify("the city's import and export volume")
Subject(kind='aggregate', flow='total', name='', region='')
>>> classify("Chongqing’s foreign trade with countries along the Belt and Road").name
'countries along the Belt and Road'
>>> [s.label for s in split_list("foreign-funded enterprises, private enterprises and state-owned enterprises", 3)]
['Foreign-funded enterprises', 'Private enterprises', 'State-owned enterprises']
>>> [s.label for s in split_list("the imports of fruits, passenger vehicles and cosmetics", 3)]
['Imports of fruits', 'Imports of passenger vehicles', 'Imports of cosmetics']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SELF = {
    "city",
    "province",
    "municipality",
    "region",
    "autonomous region",
    "its",
    "their",
    "our",
    "the city",
    "the province",
}
_NATIONAL = {
    "china",
    "the country",
    "country",
    "nation",
    "the nation",
    "national",
    "nationwide",
    "chinese",
    "my country",
    "our country",
}

_POSSESSIVE = re.compile(
    r"^(?:the\s+)?(?P<reg>my\s+country|our\s+country|[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)*|city|province|municipality|region|country|nation)['’]s?\s+|^(?P<its>its|their)\s+"
)
_OF_REGION = re.compile(
    r"\s+(?:of|in)\s+(?P<reg>the\s+(?:city|province|country|municipality|region)|China|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\s*$"
)
_DATELINE = re.compile(
    r"^(?:.{0,60}?\d{1,2}\s*(?:\([^)]*\)\s*)?(?:--|—|–)\s*|[A-Z][A-Z'’ .]{2,30}(?:,[^-—–]{0,40})?\s*(?:--|—|–|-)\s+)"
)
_STRIP = re.compile(
    r"^(?:and|or|while|whereas|but|meanwhile|specifically|besides|additionally|moreover|furthermore|also|in\s+addition|in\s+breakdown|"
    r"in\s+particular|of\s+(?:which|these|them|this)|among\s+(?:them|which|these)|at\s+the\s+same\s+time|"
    r"during\s+the\s+same\s+period|in\s+the\s+same\s+period|(?:during|in|over|throughout)\s+the\s+period|according\s+to\s+[^,]+|with|that\s+of|those\s+of|the|a|an|"
    r"(?:total\s+)?(?:value|volume|amount|scale)\s+of|total\s+(?:value|volume)\s+of|respective|combined|overall|"
    r"year-on-year|year\s+on\s+year|month[- ]on[- ]month|quarter[- ]on[- ]quarter|its|respectively|representing|marking|registering|posting|recording|annual|annually|yearly|"
    r"notably|significantly|in\s+total|overall|resulting\s+in|(?:that|this|which)\s+(?:resulted|results)\s+in|leading\s+to|bringing|(?:the\s+)?growth(?:\s+rate)?\s+of|"
    r"ranking\s+\w+(?:\s+\w+)?\s+in\s+[A-Z]\w*|"
    r"(?:the\s+)?(?:customs\s+)?(?:data|statistics|figures)\s+(?:also\s+)?(?:show(?:s|ed)?|indicate[sd]?|reveal(?:s|ed)?)(?:\s+\w+day)?(?:\s+that)?)\b[,\s]*",
    re.I,
)
_ANAPHORA = re.compile(
    r"^(?:it|they|this|these|that|which|(?:the\s+)?figure|the\s+growth(?:\s+rate)?|growth(?:\s+rate)?|the\s+rate|rate|the\s+increase|the\s+number|both|all|"
    r"(?:negative|positive)\s+growth|(?:increase|decrease|rise|decline|drop|fall|gain)(?:\s+of)?)?$",
    re.I,
)

_PARTNER = re.compile(
    r"\b(?P<flow>imports?\s+and\s+exports?|exports?\s+and\s+imports?|import\s+and\s+export|(?:foreign\s+)?trade(?:\s+(?:value|volume))?|exports?|imports?|shipments?)\s+(?P<prep>with|to|from|between\s+\w+\s+and)\s+(?P<name>.+)$",
    re.I,
)
#: Words an aggregate subject may be made of ("the total import and export value of foreign trade in goods"):
#: any other word left over (a qualifier such as "via road freight", "bilateral") means a narrower figure.
_AGGREGATE_WORDS = re.compile(
    r"^(?:(?:total|overall|combined|goods|merchandise|foreign|trade|imports?|exports?|import|export|and|"
    r"value|values|volume|volumes|in|of|the|annual|cumulative|its|their)\b[\s,]*)+$",
    re.I,
)
_PRODUCT_OF = re.compile(
    r"^(?P<flow>exports?|imports?)\s+(?:value\s+|volume\s+)?of\s+(?P<name>.+)$", re.I
)
_PRODUCT_SUFFIX = re.compile(r"^(?P<name>.+?)\s+(?P<flow>exports?|imports?)$", re.I)
_ENTERPRISE = re.compile(
    r"\b(?:enterprises?|companies|company|firms?|businesses|entities|(?:private|state-owned|foreign-(?:funded|invested))\s+sector)\b",
    re.I,
)
_MODE = re.compile(
    r"\b(?:general\s+trade|processing\s+trade|bonded\s+(?:logistics|trade)|border\s+trade|cross-border\s+e-commerce|market\s+procurement)\b",
    re.I,
)
_TOTAL = re.compile(
    r"\b(?:imports?\s+and\s+exports?|exports?\s+and\s+imports?|foreign\s+trade|total\s+trade|trade\s+(?:value|volume)|total\s+(?:value|volume)|goods\s+trade|trade\s+in\s+goods|trade)\b",
    re.I,
)
_EXPORTS = re.compile(
    r"^(?:(?:total\s+)?exports?|export\s+(?:value|volume)|outbound\s+shipments?|shipments\s+abroad)$",
    re.I,
)
_IMPORTS = re.compile(
    r"^(?:(?:total\s+)?imports?|import\s+(?:value|volume)|inbound\s+shipments?)$", re.I
)
_BALANCE = re.compile(r"\b(?:trade\s+)?(?:surplus|deficit|balance)\b", re.I)


@dataclass(frozen=True)
class Subject:
    """What a figure is about: its kind (aggregate, partner, product, ...), flow, name and region."""

    kind: str
    flow: str = "total"
    name: str = ""
    region: str = ""

    @property
    def label(self) -> str:
        """The subject for people: "Exports", "Trade with ASEAN", "Imports of crude oil"."""
        if self.kind == "aggregate":
            return {
                "total": "Total foreign trade",
                "exports": "Exports",
                "imports": "Imports",
                "balance": "Trade balance",
            }[self.flow]
        if self.kind == "partner":
            return (
                {"total": "Trade with", "exports": "Exports to", "imports": "Imports from"}.get(
                    self.flow, "Trade with"
                )
                + " "
                + self.name
            )
        if self.kind == "product":
            return f"{self.flow.capitalize()} of {self.name}"
        base = self.name[:1].upper() + self.name[1:]
        return base if self.flow == "total" else f"{base} ({self.flow})"

    @property
    def slug(self) -> str:
        """The subject's part of a figure id: its flow for an aggregate ("exports"), else its name slugified."""
        if self.kind == "aggregate":
            return {
                "total": "total",
                "exports": "exports",
                "imports": "imports",
                "balance": "balance",
            }[self.flow]
        return slugify(self.name)


def slugify(text: str) -> str:
    """A stable id from a label: "Trade with the EU" → "trade-with-the-eu"; "ASEAN countries" → "asean-countries"."""
    s = re.sub(r"['’]s\b", "", text.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    s = re.sub(r"^(?:the|a|an)-", "", s)
    return s or "figure"


_SOURCE = re.compile(
    r"^(?:(?:according\s+to|as\s+(?:shown|reported)\s+by|data\s+from|thanks\s+to|despite|amid|driven\s+by|due\s+to|"
    r"looking\s+at|in\s+terms\s+of|from\s+the\s+perspective\s+of|(?:if\s+)?(?:calculated|measured|denominated|expressed)\s+in)"
    r"\s+[^,]+,\s*|in\s+(?:U\.?\s?S\.?\s+)?(?:dollar|USD|yuan|RMB)(?:-denominated)?\s+terms\s*,\s*|"
    r".{0,160}?\b(?:said|says|announced|stated|noted|reported|revealed|showed|shows|added)\b[^,]{0,80}?\bthat\b[\s,]*)",
    re.I,
)


def strip_dateline(phrase: str) -> str:
    """Drop a dateline ("HARBIN, April 20 (Xinhua) -- ", "XI'AN – ") from the start of a phrase."""
    return _DATELINE.sub("", phrase.strip(" ,;:"))


def strip_fillers(phrase: str) -> tuple[str, str]:
    """Remove connectors, "the value of", possessives; return (core phrase, region as written or "")."""
    s, region = _DATELINE.sub("", phrase.strip(" ,;:+-−(")), ""
    s = re.sub(r"\(\s*(?:yoy|y-o-y|y/y)\s*\)", " ", s, flags=re.I)
    if m := re.search(
        r"\bof\s+(?P<reg>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['’]s\s+(?=(?:foreign\s+)?trade|imports?|exports?)",
        s,
    ):
        # "the total import and export value of Sichuan's trade in goods": the region inside the phrase
        region, s = m.group("reg"), s[: m.start()] + "of " + s[m.end() :]
    for _ in range(12):
        s = _SOURCE.sub("", s)
        before = s
        s = _STRIP.sub("", s).strip(" ,;:+-−(")
        m = _POSSESSIVE.match(s)
        if m:
            region = region or (m.group("reg") or m.group("its") or "")
            s = s[m.end() :]
        if s == before:
            break
    # "a trade surplus of over", "imports to": the number (and its qualifier) followed
    s = re.sub(
        r"\s+(?:over|about|around|nearly|almost|some|more\s+than|less\s+than|exceeding|at\s+least|under|up\s+to)$",
        "",
        s,
    )
    s = re.sub(r"\s+(?:of|at|to|by)$", "", s)
    m = _OF_REGION.search(s)
    if m and not _PARTNER.search(s):
        region = region or m.group("reg")
        s = s[: m.start()]
    return s.strip(" ,;:"), region


def region_of(written: str) -> str:
    """ "" for the release's own region ("the city's", "its"), "China" for national words, else the name."""
    w = written.strip().lower()
    if not w or w in _SELF:
        return ""
    if w in _NATIONAL:
        return "China"
    return written.strip()


def _flow_word(w: str) -> str:
    w = w.lower()
    if "export" in w and "import" in w:
        return "total"
    if w.startswith("export") or w.startswith("shipment") or w.startswith("outbound"):
        return "exports"
    if w.startswith("import") or w.startswith("inbound"):
        return "imports"
    return "total"


def flow_hint(text: str) -> str:
    """The flow a phrase speaks of: "an import rise of" → imports; "the foreign trade value of" → total; else ""."""
    t = text.lower()
    exp, imp = re.search(r"\bexport", t), re.search(r"\bimport", t)
    if exp and imp or re.search(r"foreign\s+trade|trade\s+value|total\s+value", t):
        return "total"
    if exp:
        return "exports"
    if imp:
        return "imports"
    return ""


def classify(phrase: str, hint: str = "") -> Subject | None:
    """The subject of a phrase; None when nothing is named (an anaphora or an empty phrase)."""
    core, written_region = strip_fillers(phrase)
    region = region_of(written_region)
    if _ANAPHORA.match(core):
        return None
    if m := _PARTNER.search(core):
        return Subject("partner", _flow_word(m.group("flow")), _clean_name(m.group("name")), region)
    if m := _PRODUCT_OF.match(core):
        return Subject("product", _flow_word(m.group("flow")), _clean_name(m.group("name")), region)
    if _EXPORTS.match(core):
        return Subject("aggregate", "exports", "", region)
    if _IMPORTS.match(core):
        return Subject("aggregate", "imports", "", region)
    if m := _ENTERPRISE.search(core):
        # "foreign-invested enterprises' trade": the name ends with the enterprise word
        return Subject(
            "enterprise",
            hint or flow_hint(core[m.end() :]) or "total",
            _clean_name(core[: m.end()]),
            region,
        )
    if _MODE.search(core):
        return Subject("mode", hint or "total", _clean_name(core), region)
    if _BALANCE.search(core):
        if re.fullmatch(
            r"(?:(?:the|its|total|goods|trade|foreign)\s+)*(?:surplus|deficit|balance)", core, re.I
        ):
            return Subject("aggregate", "balance", "", region)
        return Subject("other", "balance", _clean_name(core), region)
    if _TOTAL.search(core):
        if _AGGREGATE_WORDS.match(core):
            return Subject("aggregate", "total", "", region)
        return Subject("other", hint or "total", _clean_name(core), region)
    if m := _PRODUCT_SUFFIX.match(core):
        return Subject("product", _flow_word(m.group("flow")), _clean_name(m.group("name")), region)
    if re.fullmatch(r"(?:exports?|imports?)", core, re.I):
        return Subject("aggregate", _flow_word(core), "", region)
    if hint in ("exports", "imports"):
        return Subject("product", hint, _clean_name(core), region)
    return Subject("other", hint or "total", _clean_name(core), region)


def item(name: str, hint: str) -> Subject:
    """A trailing "in laptops" item under a flow: a product of that flow."""
    core, _ = strip_fillers(name)
    if _ENTERPRISE.search(core):
        return Subject("enterprise", hint or "total", _clean_name(core))
    return Subject(
        "product", hint if hint in ("exports", "imports") else "total", _clean_name(core)
    )


def _clean_name(name: str) -> str:
    name = re.sub(r"^(?:the|such\s+as)\s+", "", name.strip(" ,;:"), flags=re.I)
    return re.sub(r"\s+", " ", name)


_HEAD = re.compile(
    r"^(?P<head>.*?\b(?:(?:foreign\s+)?trade\s+with|(?:exports?|imports?|shipments?)\s+(?:of|to|from|with))\s+)(?P<rest>.+)$",
    re.I,
)
_SHARED_SUFFIX = re.compile(
    r"\s(enterprises|companies|firms|products|goods|countries|economies)$", re.I
)


def split_list(phrase: str, n: int, hint: str = "") -> list[Subject] | None:
    """Split "A, B and C" into ``n`` subjects, sharing a head ("imports of") and a suffix ("enterprises").

    None when the phrase does not split into exactly ``n`` items.
    """
    core, written_region = strip_fillers(phrase)
    region = region_of(written_region)
    head, rest = "", core
    if m := _HEAD.match(core):
        head, rest = m.group("head"), m.group("rest")
    parts = [p.strip() for p in re.split(r"\s*,\s*(?:and\s+)?", rest) if p.strip()]
    while len(parts) < n and " and " in parts[-1]:
        a, b = parts[-1].rsplit(" and ", 1)
        parts[-1:] = [a.strip(), b.strip()]
    if len(parts) != n:
        return None
    m = _SHARED_SUFFIX.search(parts[-1])
    if (
        m
        and not any(_SHARED_SUFFIX.search(p) for p in parts[:-1])
        and all(len(p.split()) == 1 for p in parts[:-1])
    ):
        parts = [p + " " + m.group(1) for p in parts[:-1]] + [parts[-1]]
    out = []
    for p in parts:
        s = classify(head + p, hint)
        if s is None:
            return None
        out.append(Subject(s.kind, s.flow, s.name, s.region or region))
    return out


# --------------------------------------------------------------------------- overlapping groupings

#: Partner groupings that contain other partners (general knowledge, not tied to any release).
_ASEAN = {
    "vietnam",
    "malaysia",
    "thailand",
    "indonesia",
    "singapore",
    "philippines",
    "myanmar",
    "cambodia",
    "laos",
    "brunei",
}
_EU = {
    "germany",
    "france",
    "italy",
    "netherlands",
    "spain",
    "poland",
    "belgium",
    "ireland",
    "sweden",
    "austria",
    "czech republic",
    "hungary",
    "denmark",
    "finland",
    "portugal",
    "greece",
    "romania",
    "slovakia",
}
GROUPS = {
    "belt and road": {"asean"}
    | _ASEAN
    | {
        "russia",
        "kazakhstan",
        "pakistan",
        "saudi arabia",
        "united arab emirates",
        "uae",
        "turkey",
        "iran",
        "iraq",
        "egypt",
        "bangladesh",
        "sri lanka",
        "uzbekistan",
        "mongolia",
    },
    "asean": _ASEAN,
    "rcep": {"asean", "japan", "south korea", "republic of korea", "australia", "new zealand"}
    | _ASEAN,
    "eu": _EU,
    "european union": _EU,
    "latin america": {"brazil", "mexico", "chile", "argentina", "peru", "colombia"},
    "south america": {"brazil", "chile", "argentina", "peru", "colombia"},
    "africa": {"south africa", "nigeria", "egypt", "kenya", "ethiopia", "angola"},
    "brics": {"brazil", "russia", "india", "south africa"},
}


def partner_key(name: str) -> str:
    """A partner's name reduced for comparison: "ASEAN countries" → "asean"; "the EU" → "eu"."""
    s = name.lower()
    s = re.sub(
        r"\b(?:the|countries|country|nations|members?|member\s+states|economies|along|involved\s+in|initiative|region)\b",
        " ",
        s,
    )
    return re.sub(r"\s+", " ", s).strip()


def overlapping(names: list[str]) -> tuple[str, str] | None:
    """A (group, member) pair among the partners, if one grouping contains another listed partner."""
    keys = [partner_key(n) for n in names]
    for g in keys:
        group = next((members for gname, members in GROUPS.items() if gname in g), None)
        if group is None:
            continue
        for k in keys:
            if k != g and k in group:
                return g, k
    return None
