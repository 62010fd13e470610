"""Art. 58 part 1: the type of colony, from the gravity, the person's sex, a prison term served and recidivism."""

from __future__ import annotations

from courtpath.law.schema import ColonyRow, ColonySpec


def colony(spec: ColonySpec, gravity: str, sex: str, prior_imprisonment: bool, recidivism: str) -> ColonyRow | None:
    """The first row of the table that fits, or None where art. 58 part 1 names no regime for these facts."""
    for row in spec.rows:
        if row.sex is not None and row.sex != sex:
            continue
        if row.gravity is not None and gravity not in row.gravity:
            continue
        if row.recidivism is not None and recidivism not in row.recidivism:
            continue
        if row.prior_imprisonment is not None and row.prior_imprisonment != prior_imprisonment:
            continue
        return row
    return None
