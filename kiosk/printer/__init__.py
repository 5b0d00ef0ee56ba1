"""Paper for the visitor: the queue slip and a lesson's checklist on an ESC/POS receipt printer.

Layer: above ``kiosk.core`` (it reads the kiosk's font from ``core.screens.layout``), beside ``speech``;
nothing in ``core`` imports it. No Kivy.

- ``slip``: draws a slip as a 1-bit image with Pillow and the kiosk's own font. Most receipt
  printers have no Vietnamese code page, so every line, diacritics included, goes out as a raster
  image: what the visitor reads on paper is exactly what was drawn.
- ``device``: ``KIOSK_PRINTER`` (``usb:VID:PID``, ``file:PATH``, ``network:HOST[:PORT]``) opened
  through python-escpos (well kept, speaks every transport and the raster command), errors as
  ``PrinterError`` with an English message for logs; the visitor's wording stays in the flow.
"""
