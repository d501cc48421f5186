"""Repositories: the tutorial's ``entity.<resource>.get/create/list`` calls, one module per resource."""
