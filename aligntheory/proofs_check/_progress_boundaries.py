"""Argument-boundary claims (issue 11): each validated argument of the progress pillar refused one step past its documented boundary and accepted at it."""
