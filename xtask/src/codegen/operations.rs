//! `[[operation]]`: the vendor's documented operations, listed in the spec notes and generated
//! as `models::OPERATIONS` (`&[pos_client_core::OperationSpec]`).
//!
//! ```toml
//! [[operation]]
//! name = "push-sale"        # the name the client gives the operation (its OperationId)
//! kind = "write"            # read (safe to repeat) | write (not repeated once it may have run)
//! doc = "POST push-sale: records a sale."
//! ```
//!
//! Tooling walks the list — the reliability suite runs every operation under every fault, the
//! decoders are fuzzed per operation — so a new operation is covered once its note exists.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Deserialize;
use toml::Spanned;

use super::spec::{Diagnostic, Spec};

/// Whether an operation may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Safe to repeat: retried per the policy.
    Read,
    /// Changes state: never sent again by the library once it may have been carried out.
    Write,
}

/// One `[[operation]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationEntry {
    /// The operation's name, as the client's `OperationId` has it.
    pub name: Spanned<String>,
    /// Read or write.
    pub kind: Spanned<Kind>,
    /// What it is (the vendor's method and path, in English).
    pub doc: Spanned<String>,
}

/// Checks the entries: names unique and not empty, docs not empty.
pub fn check(file: &str, text: &str, spec: &Spec) -> Result<(), Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut seen = HashSet::new();
    for op in &spec.operations {
        let name = op.name.get_ref();
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            diags.push(Diagnostic::at(
                file,
                text,
                op.name.span().start,
                format!("operation `{name}`: the name must be non-empty text"),
            ));
        }
        if !seen.insert(name.as_str()) {
            diags.push(Diagnostic::at(
                file,
                text,
                op.name.span().start,
                format!("operation `{name}`: listed twice"),
            ));
        }
        if op.doc.get_ref().trim().is_empty() {
            diags.push(Diagnostic::at(
                file,
                text,
                op.doc.span().start,
                format!("operation `{name}`, field `doc`: empty doc"),
            ));
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// `pub const OPERATIONS`, or nothing when the spec lists no operation.
pub fn render(spec: &Spec) -> TokenStream {
    if spec.operations.is_empty() {
        return quote!();
    }
    let entries = spec.operations.iter().map(|op| {
        let name = op.name.get_ref();
        let write = *op.kind.get_ref() == Kind::Write;
        quote!(::pos_client_core::OperationSpec { name: #name, write: #write },)
    });
    let mut doc = vec![
        " Every operation the vendor documents, from the spec notes: its name and whether it"
            .to_owned(),
        " writes. Tooling walks it (the reliability suite, fuzzing).".to_owned(),
        String::new(),
    ];
    doc.extend(spec.operations.iter().map(|op| {
        let kind = match op.kind.get_ref() {
            Kind::Read => "read",
            Kind::Write => "write",
        };
        format!(
            " - `{}` ({kind}): {}",
            op.name.get_ref(),
            op.doc
                .get_ref()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )
    }));
    quote! {
        #(#[doc = #doc])*
        pub const OPERATIONS: &[::pos_client_core::OperationSpec] = &[#(#entries)*];
    }
}
