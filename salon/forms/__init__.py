"""WTForms forms per domain: validation only, no writes."""
