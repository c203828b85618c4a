"""Made-up Norwegian-style names, synthetic national identity numbers and non-dialable phone
numbers."""

import random

FIRST_NAMES = (
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Bjørg",
    "Hilde",
    "Anna",
    "Solveig",
    "Marianne",
    "Randi",
    "Ida",
    "Nina",
    "Maria",
    "Elisabeth",
    "Kristin",
    "Silje",
    "Ingeborg",
    "Tone",
    "Camilla",
    "Sigrid",
    "Nora",
    "Emma",
    "Hanne",
    "Ragnhild",
    "Turid",
    "Mona",
    "Sara",
    "Thea",
    "Jan",
    "Per",
    "Bjørn",
    "Ole",
    "Lars",
    "Kjell",
    "Knut",
    "Arne",
    "Svein",
    "Thomas",
    "Hans",
    "Geir",
    "Tor",
    "Morten",
    "Terje",
    "Odd",
    "Erik",
    "Martin",
    "Andreas",
    "Jon",
    "Harald",
    "Rune",
    "Trond",
    "Magnus",
    "Sindre",
    "Eirik",
    "Håkon",
    "Øystein",
    "Stian",
    "Vegard",
    "Kristian",
    "Espen",
    "Mats",
    "Amir",
    "Fatima",
    "Ahmed",
    "Zainab",
    "Piotr",
    "Agnieszka",
    "Mohammed",
    "Leila",
    "Tomas",
    "Aisha",
)
SURNAMES = (
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Ali",
    "Lunde",
    "Solheim",
    "Berge",
    "Moe",
    "Nygård",
    "Bakke",
    "Kristensen",
    "Fredriksen",
    "Holm",
    "Lien",
    "Hauge",
    "Christensen",
    "Andresen",
    "Nielsen",
    "Knudsen",
    "Evensen",
    "Sæther",
    "Aas",
    "Myhre",
    "Hanssen",
    "Ahmed",
    "Haugland",
    "Thorsen",
    "Hussain",
    "Kowalski",
    "Aasen",
    "Brekke",
    "Vik",
    "Tveit",
    "Ruud",
)
# Weights of the two control digits of a Norwegian national identity number (fødselsnummer).
_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


class Names:
    """Draws distinct full names: no two demo people share one."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def full_name(self) -> str:
        """A first name and a surname not handed out before."""
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"
            if name not in self.used:
                self.used.add(name)
                return name


def _control(digits: list[int], weights: tuple[int, ...]) -> int | None:
    rest = 11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return {11: 0, 10: None}.get(rest, rest)


def synthetic_identifier(rng: random.Random, used: set[str]) -> str:
    """An 11-digit national identity number in the synthetic test range (birth month + 80).

    Such numbers have valid control digits, so forms and validators accept them, yet they can never
    belong to a real person.
    """
    while True:
        year = rng.randint(1950, 2005)
        day, month = rng.randint(1, 28), rng.randint(1, 12) + 80
        individual = rng.randint(0, 499) if year < 2000 else rng.randint(500, 999)
        digits = [int(c) for c in f"{day:02d}{month:02d}{year % 100:02d}{individual:03d}"]
        k1 = _control(digits, _K1)
        k2 = None if k1 is None else _control([*digits, k1], _K2)
        value = "".join(map(str, digits)) + f"{k1}{k2}"
        if k2 is not None and value not in used:
            used.add(value)
            return value


def work_phone(number: int) -> str:
    """A phone number in the demo's style; Norwegian numbers never start with 0, so it reaches
    nobody."""
    return f"+47 00 00 {number // 100 % 100:02d} {number % 100:02d}"
