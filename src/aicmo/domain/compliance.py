"""Compliance packs for regulated sectors (SPEC §9 "regulated sectors get their compliance rules on
every asset", PLAYBOOKS.md).

A pack names the claims a sector must never make (guarantees, "risk-free", "pain-free", implied
outcomes, "fix the fear of losing money") and says that every asset needs a compliance review
before publishing. `rules_for(intake)` combines the packs the brief falls under with the brief's
own constraints (a constraints field is a rule, not a suggestion: "never say guaranteed, risk-free
or safe" forbids those words) and its required disclaimers, which go on every asset (posts,
carousels, video and reel scripts, e-mails).

Decisions worth knowing:
- Claims are regular expressions with a readable name, matched case-insensitively as whole words;
  a negated mention ("no guarantees", "not risk-free") is still flagged: regulators read copy, not
  intent, and the offline writer never needs the word.
- From the constraints, only quoted terms and words of a known claim vocabulary in a negated
  clause become rules; a clause with "without", "unless" or "except" is conditional and is left to
  the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from aicmo.domain.schemas.intake import Intake, Objective


class Sector(StrEnum):
    FINANCIAL = "financial_services"
    HEALTHCARE = "healthcare"
    LEGAL = "legal"
    ALCOHOL = "alcohol"
    EMPLOYMENT = "employment"
    HOUSING = "housing"


@dataclass(frozen=True)
class Claim:
    name: str
    pattern: str


@dataclass(frozen=True)
class CompliancePack:
    sector: Sector
    label: str
    claims: tuple[Claim, ...]
    review: str  # what the compliance reviewer checks before anything is published


_GUARANTEE = Claim("guarantees", r"guarantee[sd]?|guaranteeing")
PACKS: dict[Sector, CompliancePack] = {
    Sector.FINANCIAL: CompliancePack(
        Sector.FINANCIAL,
        "Financial services (financial promotions)",
        (
            _GUARANTEE,
            Claim("risk-free", r"risk[- ]?free|no risk|zero risk|without risk"),
            Claim(
                "promised safety", r"safe (?:investment|bet|returns?|haven)|(?:100%|totally|completely) safe"
            ),
            Claim(
                "promised returns",
                r"guaranteed returns?|(?:double|triple) your money|get rich|beat the market",
            ),
            Claim("never losing", r"(?:can't|cannot|won't|never|will not) lose"),
            Claim(
                "promise to remove the fear of loss",
                r"(?:fix|end|remove|eliminate|beat|cure|solve)\w* (?:the |your )?(?:fear|worry) (?:of|about) "
                r"losing",
            ),
        ),
        "Fair, clear and not misleading; risk warning prominent on every asset; no implied returns.",
    ),
    Sector.HEALTHCARE: CompliancePack(
        Sector.HEALTHCARE,
        "Healthcare",
        (
            _GUARANTEE,
            Claim("pain-free", r"pain[- ]?free|painless"),
            Claim("cure", r"cures?|cured"),
            Claim(
                "promised outcome", r"(?:100%|completely|totally) (?:safe|effective)|instant relief|miracle"
            ),
            Claim("permanent results", r"permanent(?:ly)? (?:relief|fix|results?)"),
            Claim("no side effects", r"no side[- ]effects"),
        ),
        "No promised outcomes or recovery times; patient stories only with written consent.",
    ),
    Sector.LEGAL: CompliancePack(
        Sector.LEGAL,
        "Legal services",
        (
            _GUARANTEE,
            Claim(
                "promised case outcome", r"win your case|we(?:'ll| will) win|100% success|never lose a case"
            ),
            Claim("superlative", r"best (?:lawyers?|solicitors?|attorneys?|law firm)"),
        ),
        "No guarantees of outcome; no testimonials about case results; general information labelled.",
    ),
    Sector.ALCOHOL: CompliancePack(
        Sector.ALCOHOL,
        "Alcohol",
        (
            Claim("excess", r"get drunk|bottomless|unlimited drinks|down it|drink(?:ing)? games?"),
            Claim("social or sexual success", r"(?:drink|alcohol) (?:makes|will make) you"),
        ),
        "No appeal to under-25s; no link to social, sexual or sporting success; responsible-drinking line.",
    ),
    Sector.EMPLOYMENT: CompliancePack(
        Sector.EMPLOYMENT,
        "Employment (equal opportunity)",
        (
            Claim(
                "age preference", r"young|youthful|digital natives?|recent grad(?:uate)?s? only|under \d\d"
            ),
            Claim("gender preference", r"(?:men|women|males?|females?) only|salesman|waitress|chairman"),
            Claim("language or origin preference", r"native (?:english )?speakers?"),
        ),
        "No preference by age, gender, origin or background; pay range and the equal-opportunity line.",
    ),
    Sector.HOUSING: CompliancePack(
        Sector.HOUSING,
        "Housing (fair housing)",
        (
            Claim(
                "familial status", r"no (?:children|kids)|adults only|not suitable for (?:children|families)"
            ),
            Claim(
                "protected groups",
                r"(?:christian|muslim|jewish|white|black) (?:neighbourhood|neighborhood|area)",
            ),
            Claim(
                "steering", r"perfect for (?:couples|singles|young professionals)|exclusive neighbou?rhood"
            ),
        ),
        "No preference or limitation by protected characteristics; the fair-housing line on every asset.",
    ),
}

_SECTOR_SIGNS: dict[Sector, re.Pattern[str]] = {
    Sector.FINANCIAL: re.compile(
        r"(?i)financ|fintech|invest|\bisa\b|pension|mortgage|loan|credit|insurance|bank|wealth|trading|"
        r"crypto|robo-?advis|savings|brokerage"
    ),
    Sector.HEALTHCARE: re.compile(
        r"(?i)health|clinic|medical|dental|dentist|physio|therap|hospital|pharma|patient|doctor|nurs|"
        r"chiropract|optometr|wellness clinic|hipaa"
    ),
    Sector.LEGAL: re.compile(r"(?i)legal|\blaw\b|solicitor|attorney|lawyer|\bsra\b"),
    Sector.ALCOHOL: re.compile(
        r"(?i)alcohol|brewer|distill|winery|\bwine\b|spirits|\bgin\b|whisk|cocktail bar"
    ),
    Sector.HOUSING: re.compile(
        r"(?i)\bhousing|real estate|estate agent|realtor|letting|rental propert|landlord"
    ),
}
_CLAIM_VOCABULARY = re.compile(
    r"(?i)^(?:guarantee[sd]?|guarantees of outcomes?|risk-?free|safe|pain-?free|cure|painless|miracle|"
    r"instant|permanent|best|cheapest|free|no risk|100%|proven|clinically proven)$"
)
_NEGATED = re.compile(
    r"(?i)\b(?:never (?:say|claim|use|promise|imply|call it)|do not (?:say|use|claim|promise)|"
    r"don't (?:say|use|claim)|avoid|no|not)\s+(?P<what>[^;.\n]+)"
)


@dataclass(frozen=True)
class ComplianceRules:
    sectors: tuple[Sector, ...]
    claims: tuple[Claim, ...]
    disclosures: tuple[str, ...]
    forbids_promises: bool = False  # the constraints rule out promises or claims of results

    @property
    def needs_review(self) -> bool:
        return bool(self.sectors)

    @property
    def restricts_claims(self) -> bool:
        """A regulated sector, or a brief whose constraints forbid claims: copy promises no outcome
        (a worry is acknowledged, never "fixed"), whoever writes it."""
        return bool(self.sectors or self.claims or self.forbids_promises)

    @property
    def review_notes(self) -> tuple[str, ...]:
        return tuple(PACKS[s].review for s in self.sectors)

    def violations(self, text: str) -> list[tuple[str, str]]:
        """(claim name, the words as written) for every forbidden claim in `text`."""
        found = []
        for claim in self.claims:
            for match in _claim_regex(claim.pattern).finditer(text or ""):
                found.append((claim.name, match.group(0)))
        return found


@lru_cache(maxsize=128)
def _claim_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?i)(?<![\w-])(?:{pattern})(?![\w-])")


_REGULATORS: dict[Sector, re.Pattern[str]] = {
    Sector.FINANCIAL: re.compile(r"\b(?:FCA|SEC|FINRA|ASIC|BaFin|financial promotions?)\b"),
    Sector.HEALTHCARE: re.compile(r"\b(?:HIPAA|FDA|MHRA|CQC|ASA healthcare|GMC)\b"),
    Sector.LEGAL: re.compile(r"\b(?:SRA|bar rules|ABA)\b"),
    Sector.ALCOHOL: re.compile(r"\b(?:Portman|TTB|drinkaware)\b", re.IGNORECASE),
    Sector.HOUSING: re.compile(r"\b(?:FHA|fair housing)\b", re.IGNORECASE),
    Sector.EMPLOYMENT: re.compile(r"\b(?:EEO|EEOC|equal opportunit\w*)\b", re.IGNORECASE),
}


def sectors_for(intake: Intake) -> tuple[Sector, ...]:
    """The regulated sectors the brief falls under: from the industry and offer, a regulator named
    in the constraints, and hiring (always employment). 'No alcohol in ads' does not make a
    restaurant an alcohol brand: the constraints count only where they name a regulator."""
    text = " ".join([intake.industry, intake.primary_offer])
    found = [s for s, sign in _SECTOR_SIGNS.items() if sign.search(text)]
    found += [s for s, sign in _REGULATORS.items() if sign.search(intake.constraints)]
    if intake.objective is Objective.HIRING:
        found.append(Sector.EMPLOYMENT)
    return tuple(dict.fromkeys(found))


def constraint_claims(constraints: str) -> tuple[Claim, ...]:
    """Claims the brief's constraints forbid: quoted terms, and claim words in a negated clause."""
    claims: list[Claim] = []
    for quoted in re.findall(r"[\"“'‘]([^\"”'’]{3,40})[\"”'’]", constraints or ""):
        claims.append(
            Claim(f"'{quoted}' (the brief's constraints)", re.escape(quoted).replace(r"\ ", r"\s+"))
        )
    for clause in _NEGATED.finditer(constraints or ""):
        what = clause["what"]
        if re.search(r"(?i)\b(?:without|unless|except)\b", what):
            continue
        for term in re.split(r"\s*(?:,|\bor\b|\band\b|/)\s*", what):
            term = term.strip(" .'\"")
            term = re.sub(
                r"(?i)^(?:claims? (?:of|that)|promises? of|the words?|saying|say|claim)\s+", "", term
            )
            if term and _CLAIM_VOCABULARY.match(term):
                word = re.escape(term).replace(r"\ ", r"\s+").replace(r"\-", "[- ]?")
                claims.append(Claim(f"'{term}' (the brief's constraints)", word + r"(?:e?s|d)?"))
    return tuple(dict.fromkeys(claims))


_NO_PROMISES = re.compile(
    r"(?i)\b(?:no|never|not|don't|do not|avoid|without)\b[^.;\n]{0,40}?\b(?:promis\w*|guarantee\w*|"
    r"claims?|results? (?:claims?|promises?))\b"
)


def rules_for(intake: Intake) -> ComplianceRules:
    sectors = sectors_for(intake)
    claims = [c for s in sectors for c in PACKS[s].claims]
    claims += constraint_claims(intake.constraints)
    return ComplianceRules(
        sectors=sectors,
        claims=tuple(dict.fromkeys(claims)),
        disclosures=tuple(d for d in intake.required_disclaimers if d.strip()),
        forbids_promises=bool(_NO_PROMISES.search(intake.constraints or "")),
    )
