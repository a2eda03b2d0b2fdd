"""The Input aggregate: an input, its countries, recommendations, attachments,
revisions and review timeline, its states and who may see it.

``submissions`` (what a CSO does) and ``review`` (what EU staff do) both work
on it; neither owns the model.
"""
