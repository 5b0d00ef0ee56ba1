"""The kiosk's core, plain Python (no Kivy), in layers; each imports only the layers below it:

    runtime | script | journeys   carry the flow's effects out / replay scripts / keypad journeys
    visit                   the flow: Flow.next(state, event) -> (state, effects)
    screens                 what each screen shows and says (View)
    understand | data       words -> intent / the log, queue, report
    state | content         the flow's vocabulary / lessons, practice copies, drills

Checked by lint-imports (.importlinter at the project root).
"""
