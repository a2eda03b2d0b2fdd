"""HQ digests."""
