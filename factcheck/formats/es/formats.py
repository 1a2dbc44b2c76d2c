"""Spanish dates: "1 de diciembre de 2026" (FORMAT_MODULE_PATH in settings; formats not named here,
numbers included, are Django's own for Spanish)."""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i e"
