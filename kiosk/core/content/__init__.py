"""What the kiosk teaches: lesson, practice and drill files, loaded and checked (plain Python).

Layer: the bottom of kiosk.core, beside kiosk.core.state. Imports nothing else of kiosk.core;
everything above may import it. Inside, one way too: lesson_yaml -> catalog (the model) ->
practice -> practice_check -> practice_load -> lessons (load_catalog); the pydantic formats
lesson_schema -> practice_schema -> schema (messages, lessons/schema.json).
"""
