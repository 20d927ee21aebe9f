"""Pure decision and rendering code: no Flask, no Session, no broker."""
