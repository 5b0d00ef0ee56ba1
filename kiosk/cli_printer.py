"""`kiosk printer test`: print a sample queue slip (and optionally a lesson's checklist).

The main group loads this module on first use. Exit 0 when the printer took the slip, 1 when it
did not (the reason in English), 2 for a malformed ``KIOSK_PRINTER``.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.group("printer")
def printer_group():
    """The receipt printer (KIOSK_PRINTER=usb:VID:PID | file:PATH | network:HOST[:PORT])."""


@printer_group.command("test")
@click.option("--to", "to", help="Printer to use instead of $KIOSK_PRINTER (same forms).")
@click.option("--png", "png", type=click.Path(dir_okay=False, path_type=Path),
              help="Also save the drawn slip as a PNG (what the paper shows).")
@click.option("--checklist", "lesson_id", help="Print this lesson's take-home checklist instead.")
@click.option("--lessons", "lessons", type=click.Path(path_type=Path), help="Lessons folder.")
def printer_test(to, png, lesson_id, lessons):
    """Print a sample slip, to check paper, width and Vietnamese text."""
    import sys

    from kiosk.core.data.timeutil import centre_zone, now_utc
    from kiosk.printer import device, slip

    try:
        spec = device.parse_spec(to) if to else device.configured()
        width = device.paper_width()
    except device.PrinterError as e:
        click.echo(f"printer: {e}", err=True)
        sys.exit(2)
    image = (_checklist(lesson_id, lessons, width) if lesson_id else
             slip.ticket_image(slip.TicketSlip("A001", now_utc().astimezone(centre_zone()), before=2,
                                               doing="Bản in thử của máy kiosk"), width))
    if png:
        image.save(png)
        click.echo(f"slip drawn: {png} ({image.width}x{image.height} dots)")
    if spec is None:
        click.echo(f"printer: no printer set ({device.ENV}); nothing printed", err=True)
        sys.exit(1)
    try:
        device.print_image(spec, image)
    except device.PrinterError as e:
        click.echo(f"printer: {e}", err=True)
        sys.exit(1)
    click.echo(f"printed a sample slip on {spec}")


def _checklist(lesson_id: str, lessons: Path | None, width: int):
    import sys

    from kiosk import paths
    from kiosk.core.content.lessons import load_catalog
    from kiosk.printer.slip import ChecklistSlip, checklist_image

    lesson = load_catalog(lessons or paths.lessons_dir()).get(lesson_id)
    if lesson is None:
        click.echo(f"printer: no lesson with id '{lesson_id}'", err=True)
        sys.exit(2)
    return checklist_image(ChecklistSlip(lesson.title, list(lesson.take_home_lines), lesson.link), width)
