"""Model mode: the endpoint client, requests, the token budget and prompting."""
