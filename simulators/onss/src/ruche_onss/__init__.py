"""A simulator of ONSS's REST web services (today: Dimona), for Ruche's development stack and tests."""
