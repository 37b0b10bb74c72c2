"""The REST API: reads through the access policy, writes through goalsapp's services."""
