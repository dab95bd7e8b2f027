"""Turn findings into text, JSON, HTML or SARIF. No analysis happens here."""
