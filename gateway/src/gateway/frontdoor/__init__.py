"""The front door both HTTP adapters (api/ and web/) pass through: who is calling
(credentials), how often they may (limits), and what they may reach (gate).

It sits beside api/ and web/, not inside either, so that the pages and the API share it
without importing each other."""
