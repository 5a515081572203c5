"""Sharing: the state folder's store (insights, the sharing log, meetings, owners), roles, kept
datasets and the "can I share this?" check. Stands on numbers, intake and core."""
