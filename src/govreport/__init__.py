"""govreport: Chinese government information-disclosure annual reports as validated, typed data."""
