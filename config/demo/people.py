"""People for the demo: names, parties, workplaces and private numbers, all invented.

Names are drawn from tables of common surnames and given-name characters; mobile and ID numbers
are well formed (an ID number even carries a correct check digit, so that a stricter validator
would accept it) but are generated, not anyone's. The tables are in ``data/people.json``.
"""

from __future__ import annotations

import random

from members.models import Member

from .tables import read_table

_PEOPLE = read_table("people")


def _profiles(table: dict[str, list[dict]]) -> dict[str, list[tuple[str, str, str]]]:
    return {
        key: [(p["workplace"], p["title"], p["expertise"]) for p in rows]
        for key, rows in table.items()
    }


# Common surnames, each repeated as often as it occurs in Anhui and Shandong (roughly), so that
# a uniform choice of one character is a weighted choice of a surname.
SURNAMES = "".join(surname * weight for surname, weight in _PEOPLE["surnames"].items())
MALE_CHARS: str = _PEOPLE["male_given"]
FEMALE_CHARS: str = _PEOPLE["female_given"]
# The eight democratic parties' sectors, and the party their members belong to.
PARTY_OF_SECTOR: dict[str, str] = _PEOPLE["party_of_sector"]
# Everyone else: party members, the non-party, the masses, and now and then a party member
# sitting for a sector other than their party's: (party, weight).
OTHER_PARTIES: list[tuple[str, int]] = list(_PEOPLE["other_parties"].items())
# How a member's party reads in a biography (stored text, so not left to translations).
PARTY_NAMES: dict[str, str] = _PEOPLE["party_names"]
LEVEL_NAMES: dict[str, str] = _PEOPLE["level_names"]
# Share of women per sector (default 0.3).
WOMEN_SHARE: dict[str, float] = _PEOPLE["women_share"]
# Workplaces and titles per sector: (workplace, title, expertise).
PROFILES = _profiles(_PEOPLE["profiles"])
# Workplaces for the members of featured workstations, by the workstation's tag.
TAG_PROFILES = _profiles(_PEOPLE["tag_profiles"])
FIRM_WORDS: list[str] = _PEOPLE["firm_words"]
FIRM_KINDS: list[str] = _PEOPLE["firm_kinds"]
FARM_WORDS: list[str] = _PEOPLE["farm_words"]
FARM_KINDS: list[str] = _PEOPLE["farm_kinds"]
# How a resident signs a message after their surname.
FORMS_OF_ADDRESS: list[str] = _PEOPLE["forms_of_address"]
VILLAGES: list[str] = _PEOPLE["villages"]
COMMUNITIES: list[str] = _PEOPLE["communities"]
MOBILE_PREFIXES: list[str] = _PEOPLE["mobile_prefixes"]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The check character of a resident ID number (GB 11643)."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


class PeopleFactory:
    """Draws names and private numbers for one run, never the same one twice."""

    def __init__(self, rng: random.Random, *, taken_mobiles: set[str], taken_ids: set[str]):
        self.rng = rng
        self.mobiles = taken_mobiles
        self.ids = taken_ids
        self.names: set[str] = set()

    def name(self, gender: str) -> str:
        chars = FEMALE_CHARS if gender == Member.Gender.FEMALE else MALE_CHARS
        for _attempt in range(200):
            given = self.rng.choice(chars)
            if self.rng.random() < 0.78:
                given += self.rng.choice(chars)
            name = self.rng.choice(SURNAMES) + given
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("Ran out of names")  # pragma: no cover - tables are large enough

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def id_number(self, *, area_code: str, birth_year: int, gender: str) -> str:
        while True:
            month = self.rng.randint(1, 12)
            day = self.rng.randint(1, 28)
            seq = self.rng.randrange(0, 99)
            # The ninth digit of the sequence is odd for men and even for women.
            sex_digit = self.rng.choice("13579" if gender == Member.Gender.MALE else "02468")
            first17 = f"{area_code}{birth_year:04d}{month:02d}{day:02d}{seq:02d}{sex_digit}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def firm(self, place: str, kind: str | None = None) -> str:
        return f"{place}{self.rng.choice(FIRM_WORDS)}{kind or self.rng.choice(FIRM_KINDS)}"

    def caller(self) -> str:
        """How a resident signs a message: a surname and a form of address, or nothing."""
        if self.rng.random() < 0.2:
            return ""
        return self.rng.choice(SURNAMES) + self.rng.choice(FORMS_OF_ADDRESS)
