"""The kiosk as an appliance: systemd units, install/uninstall, nightly backups, watchdog.

Plain Python, no Kivy: the Kivy app only calls :mod:`kiosk.appliance.watchdog` from a clock.
"""
