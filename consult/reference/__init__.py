"""Reference data: priorities, regions, countries, delegations and the other lists."""
