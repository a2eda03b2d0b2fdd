"""Notifications: the in-app list, and emails that carry no content, through an outbox.

- :mod:`.events`: which event tells whom (status changes, messages, questions,
  new inputs in a queue, forwarded inputs, published reports);
- :mod:`.outbox`: the emails, composed per each person's choice (immediate,
  at most hourly, a daily summary, none) and sent by ``flask send-mail`` with
  retries, never inside a request.
"""
