// Small progressive enhancements; pages work without JavaScript.
