"""Pages every role shares: home, health, errors, headers, template helpers."""
