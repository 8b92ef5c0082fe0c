"""Shared helpers for dolbom's synthetic sample generators.

`pools`  – name / address / option pools (synthetic but realistic).
`core`   – household model, cell renderers (one per export layout) and the
           truth-record builder shared by gen_samples.py and gen_bulk.py.
"""
from .core import *  # noqa: F401,F403
