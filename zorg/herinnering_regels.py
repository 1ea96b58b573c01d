"""The reminder rules (issue Herinneringen). Each rule is `regel(school, vandaag)` yielding
zorg.herinneringen.TeSturen items for due objects, found with indexed date filters."""

REGELS = []
