//! Sandbox flows (work in progress).
