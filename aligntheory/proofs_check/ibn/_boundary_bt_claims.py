"""Argument-boundary claims (issue 11) of the shared numerics (aligntheory/numerics): each validated argument refused one step past its documented boundary and accepted at it."""
