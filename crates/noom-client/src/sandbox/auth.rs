//! `USERACCESS` and the access tokens it hands out.

use std::collections::HashMap;

use pos_client_core::sandbox::axum::response::Response;
use serde_json::json;

use super::state::Store;
use super::wire::{fail, ok};

impl Store {
    /// The user the request's `accesstoken` was issued to; `None` for a missing, unknown or
    /// expired token.
    pub(super) fn token_user(&self, p: &HashMap<String, String>) -> Option<String> {
        p.get("accesstoken")
            .and_then(|t| self.tokens.get(t))
            .cloned()
    }

    pub(super) fn user_access(&mut self, p: &HashMap<String, String>) -> Response {
        let user = p.get("user").map(String::as_str).unwrap_or("");
        let pass = p.get("pass").map(String::as_str).unwrap_or("");
        if self.users.get(user).is_none_or(|pw| pw != pass) {
            return fail("Invalid user or password!");
        }
        let token = format!(
            "sbx{:04}{:012x}",
            self.next_token,
            rand_part(self.next_token, user)
        );
        self.next_token += 1;
        self.tokens.insert(token.clone(), user.to_owned());
        ok(json!({ "accesstoken": token }))
    }
}

/// A token part that differs between logins and sandboxes (not cryptographic: a test fake).
fn rand_part(counter: u64, user: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(counter);
    h.write(user.as_bytes());
    h.finish() & 0xffff_ffff_ffff
}
