"""Quarterly business reviews: the QBR pack, commitments and the PDF arrive with their issue.
The record that a QBR was held lives lower, in ``scorecards`` (``QbrMeeting``), because the
exclusivity rules read it; this app will write it through ``scorecards.services.qbr``."""
