"""The three channels: the in-app inbox (the notice row itself), e-mail and webhook."""
