"""The message thread of an input: questions and answers between a CSO and its reviewers.

A thread belongs to one input and is seen by exactly those who see the
input (:mod:`consult.inputs.scope`). Messages never change the input: a
moderator's question does not return it, and the CSO's answer leaves it in
its place in the queue. Messages are private: no digest reads them.
"""
