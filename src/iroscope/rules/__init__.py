"""Pure statutory and local-practice rules: calendar, review schedule, deadlines, code lists. No I/O."""
