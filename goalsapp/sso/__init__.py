"""Single sign-on with OpenID Connect: the provider's subject or e-mail mapped to an employee."""
