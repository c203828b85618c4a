"""What the demo world is made of: wards, staff, patient stories and the demo logins.

The demo passwords below are fixed, documented strings for a demo database, not secrets.
"""

from dataclasses import dataclass

# key, name, setting; the key names a ward inside the generator.
WARDS = (
    ("acute1", "Akuttpost 1", "acute_ward"),
    ("acute2", "Akuttpost 2", "acute_ward"),
    ("dps", "DPS Vestre døgnpost", "community_mental_health_centre"),
    ("clinic", "DPS Vestre poliklinikk", "outpatient_clinic"),
    ("act", "ACT-team Vestre", "assertive_outreach_team"),
    ("crisis", "Ambulant akutteam", "crisis_resolution_team"),
)
INPATIENT_WARDS = ("acute1", "acute2", "dps")

# Regular staff per ward: profession -> head count.
STAFF = {
    "acute1": {"nurse": 9, "psychiatrist": 2, "doctor": 2, "psychologist": 1, "social_worker": 1,
               "occupational_therapist": 1},
    "acute2": {"nurse": 8, "psychiatrist": 1, "doctor": 2, "psychologist": 1, "social_worker": 1},
    "dps": {"nurse": 6, "psychiatrist": 1, "doctor": 1, "psychologist": 1, "social_worker": 1,
            "occupational_therapist": 1},
    "clinic": {"nurse": 2, "psychiatrist": 2, "psychologist": 4, "social_worker": 1},
    "act": {"nurse": 3, "psychiatrist": 1, "psychologist": 1, "social_worker": 1, "peer_worker": 1,
            "occupational_therapist": 1},
    "crisis": {"nurse": 4, "psychiatrist": 1, "social_worker": 1},
}
# Locum doctors without logins: each covers an acute ward for a few weeks at a time.
LOCUMS = 8
# Staff who moved: (from ward, profession, to ward, days ago). The last of that profession on the
# ward moves.
MOVES = (
    ("acute1", "nurse", "dps", 400),
    ("acute2", "psychologist", "clinic", 300),
    ("crisis", "nurse", "act", 200),
    ("acute2", "nurse", "acute1", 120),
)


@dataclass(frozen=True)
class Profile:
    """A patient story: where they are followed up, how often and where they are admitted, and how
    stable the people around them are."""

    story: str
    home: tuple[str, ...] = ("clinic",)
    ward: str = "acute1"
    current_days: tuple[int, int] | None = None  # currently admitted since this many days
    transfer_from: str | None = None  # the current stay began on this ward and moved on
    previous: int = 0  # earlier admissions
    cluster: bool = False  # earlier admissions close together (a revolving door)
    # days from the last earlier discharge to now or the current stay
    recent_gap: tuple[int, int] = (60, 200)
    stay: tuple[int, int] = (6, 24)  # days of an earlier stay
    turnover: bool = False  # doctors change all the time and decide without having met the patient
    safety_person: bool = True
    maintenance: bool = False  # keeps maintenance sessions with a nurse from an earlier stay
    crisis: int = 0  # crisis team episodes
    involuntary: float = 0.3
    # the latest crisis-plan version is this many days old; None: no plan
    crisis_plan: int | None = None
    # A maintenance plan with their own outpatient contact: (interval days, which contacts count,
    # began days ago)
    plan: tuple[int, str, int] | None = None
    unknown_on_arrival: bool = False  # in the current stay they have met nobody they knew before
    # a coercive measure two days ago by an on-call doctor never met
    stranger_coercion: bool = False


# With twelve patients or more, the team leader's own ward (Akuttpost 1) shows every kind of flag:
# the first, third and the last two stories are admitted there now
# (tests/demo/test_board_showcase.py).
PROFILES = (
    Profile("admitted, known team", current_days=(2, 12), previous=1, crisis_plan=40,
            plan=(182, "any", 100)),
    Profile("outpatient with maintenance sessions", previous=1, recent_gap=(200, 380),
            maintenance=True, involuntary=0.0, crisis_plan=100, plan=(182, "maintenance", 400)),
    Profile("revolving door, many doctors", home=("act",), current_days=(8, 20), previous=3,
            cluster=True, recent_gap=(10, 30), stay=(4, 14), turnover=True, involuntary=0.7),
    Profile("assertive outreach, stable", home=("act",), ward="acute2", previous=1,
            recent_gap=(90, 300), stay=(20, 45), crisis_plan=60),
    Profile("long stay after transfer", ward="dps", current_days=(35, 80), transfer_from="acute1",
            involuntary=0.5, crisis_plan=20),
    Profile("crisis team, then admission", ward="acute2", previous=1, crisis=3),
    Profile("new admission, many doctors", ward="acute2", current_days=(15, 26), turnover=True,
            safety_person=False, crisis=1, involuntary=0.5),
    Profile(
        "recently discharged", previous=2, recent_gap=(7, 20), safety_person=False, crisis_plan=150
    ),
    Profile("short voluntary stay", ward="dps", current_days=(3, 10), previous=1, involuntary=0.0,
            crisis_plan=30),
    Profile("revolving door last year, now assertive outreach", home=("clinic", "act"), previous=5,
            cluster=True, recent_gap=(200, 300), stay=(4, 12), turnover=True, involuntary=0.6,
            crisis_plan=250),
    Profile("moved up from the DPS, nobody known yet", current_days=(8, 11), transfer_from="dps",
            involuntary=0.2, unknown_on_arrival=True, crisis_plan=300),
    Profile("long involuntary stay, nobody named", current_days=(45, 60), previous=1,
            safety_person=False, involuntary=1.0, stranger_coercion=True, crisis_plan=20,
            plan=(91, "maintenance", 200)),
)

ADMIN_PASSWORD = "admin-demo-pass"  # noqa: S105  (documented demo login, not a secret)
LEADER_PASSWORD = "leader-demo-pass"  # noqa: S105
NURSE_PASSWORD = "nurse-demo-pass"  # noqa: S105
PATIENT_PASSWORD = "patient-demo-pass"  # noqa: S105


@dataclass(frozen=True)
class Login:
    """A demo account as printed for people trying the app."""

    username: str
    password: str
    role: str
    try_this: str


STAFF_LOGINS = (
    Login("admin", ADMIN_PASSWORD, "admin", "wards, staff and accounts; flask audit verify"),
    Login(
        "leader", LEADER_PASSWORD, "team_leader", "Akuttpost 1: continuity flags, safety persons"
    ),
    Login("nurse", NURSE_PASSWORD, "nurse", "Akuttpost 1: log a contact from the phone"),
    Login("nurse2", NURSE_PASSWORD, "nurse", "Akuttpost 2: sees only that ward's patients"),
)
# Patient logins go to the first patient of these stories, when there is one.
PATIENT_LOGINS = (
    (Login("patient", PATIENT_PASSWORD, "patient", "own safety person and how to reach them"),
     PROFILES[0]),
    (
        Login(
            "patient2", PATIENT_PASSWORD, "patient", "revolving door: many doctors, readmissions"
        ),
        PROFILES[2],
    ),
    (Login("patient3", PATIENT_PASSWORD, "patient", "no safety person named yet"), PROFILES[6]),
)
ALL_LOGINS = STAFF_LOGINS + tuple(login for login, _ in PATIENT_LOGINS)
