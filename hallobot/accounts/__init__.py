"""Accounts: users, roles, registration, login, e-mail confirmation and password reset."""
