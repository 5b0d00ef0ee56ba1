"""The visitor's state and the flow's vocabulary: events in, effects out (plain data, no logic).

Layer: below screens and visit, beside content; imports nothing of kiosk. The flow
(kiosk.core.visit.flow) turns (state, event) into (state, effects); the screens
(kiosk.core.screens) draw a state; the runtime carries the effects out. Keeping these types
here, below both, is what lets the screens read a state without importing the flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRACTICE_SCREENS = ("practice", "practice_done", "drills", "drill", "quiz")  # the activities'
SCREENS = ("welcome", "home", "topic", "intro", "step", "finish", "ticket", "settings",
           *PRACTICE_SCREENS)
RATES = ("slow", "normal", "fast")
MODE_NAMES = ("large_text", "high_contrast", "audio", "simple", "captions")


# --- state --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Modes:
    large_text: bool = False
    high_contrast: bool = False
    audio: bool = False      # audio-first: every screen spoken on arrival
    simple: bool = False     # pictures and voice, few words
    captions: bool = False   # every spoken line shown as text
    rate: str = "normal"

    def on(self) -> list[str]:
        return [m for m in MODE_NAMES if getattr(self, m)]


@dataclass(frozen=True)
class Config:
    idle_after: float = 90.0     # seconds without input before the warning
    answer_within: float = 30.0  # seconds to answer the warning before the session is wiped
    recent_errors: int = 5       # how many recent problems travel with a ticket
    ticket_wait: float = 1800.0  # idle time allowed on the ticket screen (waiting for staff)
    headphones: bool = False     # speak sensitive steps (only when the sound is private)


@dataclass(frozen=True)
class Kiosk:
    """What the kiosk knows beyond any one visitor: kept when a session is wiped."""
    calls: tuple = ()        # numbers being called now (queue_wait.BoardCall): welcome's board
    printer: bool = False    # a receipt printer is set up ("In ra giấy" on the finish screen)


@dataclass(frozen=True)
class State:
    screen: str = "welcome"
    active: bool = False          # a visitor's session is open
    topic: str | None = None
    lesson: str | None = None
    step: int = 0                 # 0-based index into the lesson's steps
    modes: Modes = field(default_factory=Modes)
    ticket: str | None = None     # queue number, once the store gave one
    ticket_from: str | None = None  # screen to return to from the ticket screen
    errors: tuple[str, ...] = ()  # recent problems (repeated back, not understood, ...)
    backs_in_row: int = 0
    last_input: float = 0.0
    warning: bool = False         # "Bạn còn ở đó không?" is showing
    warned_at: float = 0.0
    extensions: int = 0
    activity: object = None       # practice copy / scam drill / quiz in progress (practice_flow)
    called_to: int | None = None  # counter a staff member called this visitor's ticket to
    priority: str | None = None   # self-declared group: elderly, disabled, pregnant (optional)
    ticket_failed: bool = False   # no number could be recorded: "go to the counter" instead
    place: object = None          # queue_wait.Place of the waiting number (read every second)
    kiosk: Kiosk = field(default_factory=Kiosk)  # not the visitor's: survives the wipe
    # voice (kiosk.core.visit.voice): a command waiting for "Đúng không?", and "not understood" shown
    confirm: Pending | None = None  # see Pending below
    heard_note: str | None = None
    # accessibility (kiosk.core.visit.access): reset with everything else for the next visitor
    focus: int | None = None      # keypad focus: index into the screen's controls
    armed: tuple | None = None    # simple mode: (action, arg) touched once, awaiting the second
    volume: int = 6               # 1..10
    settings_from: str | None = None  # screen to return to from "Cách dùng"
    # a blind visitor (kiosk.core.visit.audio_first): the welcome's keypad help was said; headphones in
    keys_told: bool = False
    private: bool = False         # headphones plugged in: sensitive steps may be spoken


# --- events -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tap:
    """A touch on a control. `action` names what the control does, `arg` its target."""
    action: str
    arg: str | None = None
    now: float = 0.0


@dataclass(frozen=True)
class Intent:
    """A recognised spoken (or typed) command, already mapped to an intent name."""
    name: str
    args: dict = field(default_factory=dict)
    now: float = 0.0
    heard: str = ""


@dataclass(frozen=True)
class Tick:
    now: float


@dataclass(frozen=True)
class TicketCreated:
    number: str
    now: float = 0.0
    place: object = None  # queue_wait.Place when it could be read at once: said with the number


@dataclass(frozen=True)
class TicketUnavailable:
    """No queue number was committed in time (the log is down): send the visitor to the counter,
    never show a number that the staff cannot see."""
    now: float = 0.0


@dataclass(frozen=True)
class TicketCalled:
    """A staff member called (or recalled, or transferred) this visitor's ticket to a counter."""
    number: str
    counter: int
    now: float = 0.0


@dataclass(frozen=True)
class QueueSeen:
    """The queue as the kiosk last read it: this visitor's place, the numbers being called,
    and which of those calls are new (kiosk.core.visit.queue_flow)."""
    place: object = None
    calls: tuple = ()
    new: tuple = ()
    now: float = 0.0


@dataclass(frozen=True)
class Problem:
    """Something went wrong outside the flow (voice not understood, device missing...)."""
    what: str
    now: float = 0.0


@dataclass(frozen=True)
class Heard:
    """Text from the speech recognizer (or replay's {"say": TEXT}); kiosk.core.visit.voice decides."""
    text: str
    now: float = 0.0


@dataclass(frozen=True)
class Key:
    """A key on the physical keypad or keyboard (names in kiosk.core.screens.keys)."""
    name: str
    now: float = 0.0


@dataclass(frozen=True)
class HeadphonesChanged:
    """The system reports headphones plugged in (True) or out (False); `first`: the state found
    when the kiosk started (noted quietly: nobody may be there)."""
    plugged: bool
    now: float = 0.0
    first: bool = False


@dataclass(frozen=True)
class KeyTap(Tap):
    """A control chosen by a key: acts at once (no second touch in simple mode)."""


# --- effects ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StartSession:
    pass


@dataclass(frozen=True)
class EndSession:
    reason: str


@dataclass(frozen=True)
class Log:
    kind: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Say:
    """Speak a line (and caption it). `why` is 'arrival' or 'repeat' or 'feedback'.
    `line_id`: the line's id in the narration catalogue (kiosk.narration.catalogue) when the
    text is one fixed line; a screen's composed line is cut into its lines by the player."""
    text: str
    why: str = "arrival"
    line_id: str | None = None
    written: str | None = None  # the caption's wording when it differs (A001 for "A, không, …")


@dataclass(frozen=True)
class CreateTicket:
    context: dict


@dataclass(frozen=True)
class StopSpeech:
    pass


@dataclass(frozen=True)
class PrintChecklist:
    """Print a lesson's take-home checklist on the receipt printer ("In ra giấy")."""
    lesson: str


@dataclass(frozen=True)
class SetGroup:
    """The visitor declared (or cleared) a priority group for this session and its ticket."""
    group: str | None


PRIORITY_GROUPS = ("elderly", "disabled", "pregnant")


@dataclass(frozen=True)
class Cue:
    """A sound cue (warning, ticket, armed, volume, focus); a visual cue in captions mode."""
    kind: str


@dataclass(frozen=True)
class Listen:
    """Push-to-talk: the speech layer listens now (the screen says so if voice is off)."""


WARNING_TEXT = "Bạn còn ở đó không? Chạm Tôi vẫn đang dùng để tiếp tục."


# --- activities in progress (State.activity): practice copy, scam drill, quiz ---------------

HINT_AFTER = 2  # wrong tries on one step before the right element is outlined


@dataclass(frozen=True)
class PracticeRun:
    practice: str
    step: int = 0                       # 0-based
    codes: tuple = ()                   # (name, made-up value)
    typed: str = ""                     # digits in the field being typed now
    values: tuple = ()                  # (step, field, value) kept once a typing step succeeded
    filled: tuple = ()                  # (step, element) done by a right tap (search typed, picture attached)
    mistakes: int = 0                   # in this run
    step_mistakes: int = 0
    restarts: int = 0
    feedback: tuple | None = None       # ("ok" | "bad" | "info", text)
    origin: str = "home"                # screen to go back to
    lesson: str | None = None           # lesson it was opened from

    @property
    def code_map(self) -> dict:
        return dict(self.codes)


@dataclass(frozen=True)
class DrillRun:
    drill: str | None = None            # None on the list screen
    chosen: int | None = None           # last answer, 0-based
    solved: bool = False
    wrong: int = 0
    feedback: tuple | None = None
    solved_ids: tuple = ()              # drills answered right in this session


@dataclass(frozen=True)
class QuizRun:
    lesson: str
    index: int = 0
    chosen: int | None = None
    results: tuple = ()                 # (question index, right)
    feedback: tuple | None = None

    @property
    def right(self) -> int:
        return sum(1 for _, ok in self.results if ok)


# --- voice: a command waiting for "Đúng không?" (State.confirm) ----------------------------

@dataclass(frozen=True)
class Pending:
    """An understood command waiting for "Đúng không?" to be answered."""
    intent: str
    args: tuple          # sorted (key, value) pairs: hashable, like the rest of the state
    question: str
    heard: str
    back_to: str         # the screen the question was asked on
