"""English dates as the public site writes them: "1 December 2026" (FORMAT_MODULE_PATH in settings;
formats not named here are Django's own)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i e"
