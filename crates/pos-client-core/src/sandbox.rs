//! Sandbox kit (placeholder while it is written).
