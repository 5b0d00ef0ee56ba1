"""What the kiosk teaches: lesson, practice and drill files, loaded and checked.

Layer: the bottom of kiosk.core. Imports nothing else of kiosk.core; everything above may
import it. Plain Python, no Kivy.
"""
