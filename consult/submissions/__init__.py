"""What a CSO member does: consultations, the input form, drafts, attachments, submit."""
