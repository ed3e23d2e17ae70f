//! `[[newtype]]`: a text whose form the vendor's document fixes (an id whose leading zeros
//! matter, a short code), generated as a type checked once, when it is made, so the methods
//! that take it need no check of their own.
//!
//! ```toml
//! [[newtype]]
//! name = "DocType"
//! label = "document type"   # names the value in validation messages
//! max_len = 3               # most characters
//! charset = "code"          # as for [[params]] strings: text (default), code, multiline, …
//! doc = "A document type code (`doctype`, CHAR(3))."
//! ```
//!
//! The value is never blank. Generated: a tuple struct over `String` with `new` (checks, then
//! wraps), `as_str`, `Display`, `FromStr`, `TryFrom<&str>`, `TryFrom<String>` and `AsRef<str>`.
//! Their error is `pos_client_core::Error<Code>` with the `[codes]` enum of the same file, which
//! a `[[newtype]]` therefore needs.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde::Deserialize;
use toml::Spanned;

use super::params::Charset;
use super::render::{doc_attrs, ident};
use super::spec::{Diagnostic, Spec, is_upper_camel};

/// One `[[newtype]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewtypeSpec {
    /// Rust type name (UpperCamelCase).
    pub name: Spanned<String>,
    /// What the value is, in validation messages.
    pub label: Spanned<String>,
    /// Most characters.
    pub max_len: Spanned<u32>,
    /// What the text may contain (default `text`).
    #[serde(default)]
    pub charset: Option<Charset>,
    /// Rustdoc of the type.
    pub doc: Spanned<String>,
}

/// Checks the entries: names free and UpperCamelCase, label and doc not empty, `max_len` at
/// least 1, and a `[codes]` table for the error type.
pub fn check(file: &str, text: &str, spec: &Spec) -> Result<(), Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut at =
        |offset: usize, message: String| diags.push(Diagnostic::at(file, text, offset, message));
    let taken: Vec<&str> = (spec.model.iter().map(|m| m.name.get_ref().as_str()))
        .chain(spec.enums.iter().map(|e| e.name.get_ref().as_str()))
        .chain(spec.params.iter().map(|p| p.name.get_ref().as_str()))
        .chain(spec.codes.iter().map(|c| c.name.get_ref().as_str()))
        .collect();
    for (i, nt) in spec.newtypes.iter().enumerate() {
        let name = nt.name.get_ref().as_str();
        let offset = nt.name.span().start;
        if !is_upper_camel(name) {
            at(
                offset,
                format!("newtype `{name}`: not an UpperCamelCase name"),
            );
        }
        let earlier = spec.newtypes[..i].iter().any(|n| n.name.get_ref() == name);
        if earlier || taken.contains(&name) {
            at(offset, format!("newtype `{name}`: the name is taken"));
        }
        if nt.label.get_ref().trim().is_empty() || nt.doc.get_ref().trim().is_empty() {
            at(offset, format!("newtype `{name}`: needs a label and a doc"));
        }
        if *nt.max_len.get_ref() == 0 {
            at(
                nt.max_len.span().start,
                format!("newtype `{name}`: max_len must be at least 1"),
            );
        }
        if spec.codes.is_none() {
            at(
                offset,
                format!("newtype `{name}`: needs the file's [codes] (its error type)"),
            );
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// What the charset allows, for `new`'s rustdoc.
fn charset_text(charset: Charset) -> &'static str {
    match charset {
        Charset::Text => ", no control characters",
        Charset::Code => ", no spaces or control characters",
        Charset::PathSegment => ", safe as one URL path segment",
        Charset::Multiline => ", no control characters but line breaks and tabs",
        Charset::Any => "",
    }
}

/// The types, in spec order (nothing without `[codes]`, which [`check`] refuses).
pub fn render(spec: &Spec) -> TokenStream {
    let Some(codes) = &spec.codes else {
        return quote!();
    };
    let code = ident(codes.name.get_ref());
    let error = quote!(::pos_client_core::Error<#code>);
    let types = spec.newtypes.iter().map(|nt| {
        let name = ident(nt.name.get_ref());
        let doc = doc_attrs(nt.doc.get_ref());
        let label = nt.label.get_ref().as_str();
        let max = Literal::u32_unsuffixed(*nt.max_len.get_ref());
        let charset = nt.charset.unwrap_or(Charset::Text);
        let new_doc = format!(
            " Checks and wraps a {label}: 1 to {max} characters{}.",
            charset_text(charset)
        );
        let charset_rule = charset.rule().map(|rule| {
            let rule = ident(rule);
            quote!(::pos_client_core::validate::#rule::<#code>(#label, &text)?;)
        });
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct #name(::std::string::String);

            impl #name {
                #[doc = #new_doc]
                pub fn new(
                    text: impl ::std::convert::Into<::std::string::String>,
                ) -> ::std::result::Result<Self, #error> {
                    let text = text.into();
                    ::pos_client_core::validate::not_blank::<#code>(#label, &text)?;
                    ::pos_client_core::validate::max_chars::<#code>(#label, &text, #max)?;
                    #charset_rule
                    ::std::result::Result::Ok(#name(text))
                }

                /// The text as sent on the wire.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&self.0)
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = #error;
                fn from_str(s: &str) -> ::std::result::Result<Self, #error> {
                    #name::new(s)
                }
            }

            impl ::std::convert::TryFrom<&str> for #name {
                type Error = #error;
                fn try_from(s: &str) -> ::std::result::Result<Self, #error> {
                    #name::new(s)
                }
            }

            impl ::std::convert::TryFrom<::std::string::String> for #name {
                type Error = #error;
                fn try_from(s: ::std::string::String) -> ::std::result::Result<Self, #error> {
                    #name::new(s)
                }
            }

            impl ::std::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }
        }
    });
    quote!(#(#types)*)
}
