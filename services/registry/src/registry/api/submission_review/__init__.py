"""The bureau's review of firms' yearly reports (issue 15)."""
