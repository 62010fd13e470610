"""The General Part of the Criminal Code, one module per rule.

Each function reads its entry of general.yaml (dated where the rule changed), decides one thing, and returns it with
the trace step that cites the rule. `courtpath.law.qualify` calls them in the order a court applies them: the part's
penalties and who may get them (arts. 51, 54, 55), gravity (15), the aggravating context (63), then for the person:
recidivism (18, 68), imprisonment for a first offence (56), the two-thirds cap (62), suspension (73, 74) and the
colony (58).
"""
