"""Which patients a caller reaches: the reach rule, break-the-glass grants, admissions from outside
reach and the patient's access log, and the patient endpoints that open through them."""
