"""Pages of the targets app, one module per purpose: targets (allocation, shares, tables,
import), progress, registrations. Objects come through units/access.py; writes go through
targets/services.py."""
