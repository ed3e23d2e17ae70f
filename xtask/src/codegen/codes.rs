//! `[codes]`: the vendor's documented error codes, generated as a typed enum implementing
//! `pos_client_core::VendorCode`.
//!
//! ```toml
//! [codes]
//! name = "ErrorCode"
//! key = "number"            # how the vendor names a failure: number | text | message
//! doc = "A CloudPOS error code."
//!
//! [[codes.code]]
//! name = "WeborderIdEmpty"
//! number = 2002                              # key = "number": the numeric code …
//! functions = ["get-confirmedweborder"]      # … and, optionally, the functions it is documented for
//! class = "permanent"       # permanent (default) | retryable | credentials | token_refused | limit_reached
//! description = "weborderid can not be empty"
//! doc = "2002 on `get-confirmedweborder`: \"weborderid can not be empty\"."
//! ```
//!
//! Per key, the generated enum has:
//! - `number`: entries `number` (and `functions`); `Unknown(i64, String)` (the code and the
//!   server's message); `code()`; `known(function, code)`, the variant without fields for a code
//!   as answered by a function. Entries may have `fields = [{ name, type, doc }]` (the crate
//!   fills them, e.g. a time parsed from the message) and are then not returned by `known`.
//!   `Display` is `1003 (description)`.
//! - `text`: entries `text` (and `aliases`, other spellings read as the same code);
//!   `Unknown(String)`; `ALL`, `as_wire()`, `from_wire()` (trimmed) and `Display` as the wire
//!   text.
//! - `message`: entries `contains`, lower-case fragments looked for anywhere in the server's
//!   message, entries tried in order; a unit `Unknown`; `from_message()` and `Display` as the
//!   variant's name.
//!
//! Every enum also gets `description()` (the documented meaning, in English) and the
//! `VendorCode` class of each code (`Unknown` is permanent). `display = false` in `[codes]`
//! leaves `Display` to the crate (CloudPOS shows the times its codes carry).

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Deserialize;
use toml::Spanned;

use super::render::{doc_attrs, ident};
use super::spec::{Diagnostic, Spec};

/// How a failure is named on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Key {
    /// A number (CloudPOS `errorcode`), possibly scoped per function.
    Number,
    /// A text code (Suppliers `result`).
    Text,
    /// No code: fragments of a human-readable message (NOOM `msg`).
    Message,
}

/// What a code means for retrying (`pos_client_core::CodeClass`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Retrying cannot help.
    #[default]
    Permanent,
    /// Reads are retried.
    Retryable,
    /// The credentials' fault: never retried.
    Credentials,
    /// The session token was refused: renewed once.
    TokenRefused,
    /// An allowance is used up until a time the server names: never retried.
    LimitReached,
}

/// The `[codes]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodesSpec {
    /// The enum's name.
    pub name: Spanned<String>,
    /// How a failure is named.
    pub key: Spanned<Key>,
    /// Rustdoc of the enum.
    pub doc: Spanned<String>,
    /// Whether to generate `Display` (default true); `false` when the crate writes its own.
    #[serde(default = "yes")]
    pub display: bool,
    /// The documented codes, in the document's order.
    #[serde(default)]
    pub code: Vec<CodeEntry>,
}

fn yes() -> bool {
    true
}

/// One documented code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    /// The variant's name.
    pub name: Spanned<String>,
    /// `key = "number"`: the code.
    pub number: Option<Spanned<i64>>,
    /// `key = "number"`: the functions the code is documented for (empty: any).
    #[serde(default)]
    pub functions: Vec<String>,
    /// `key = "text"`: the code as the document spells it.
    pub text: Option<Spanned<String>>,
    /// `key = "text"`: other spellings read as this code.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `key = "message"`: lower-case fragments of the message.
    #[serde(default)]
    pub contains: Vec<String>,
    /// Fields the crate fills (`key = "number"` only).
    #[serde(default)]
    pub fields: Vec<CodeField>,
    /// What the code means for retrying.
    #[serde(default)]
    pub class: Class,
    /// The documented meaning, in English.
    pub description: Spanned<String>,
    /// Rustdoc of the variant.
    pub doc: Spanned<String>,
}

/// A field of a code's variant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeField {
    /// The field's name.
    pub name: String,
    /// Its Rust type, with full paths.
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// Rustdoc of the field.
    pub doc: String,
}

/// Checks the table: names unique, each entry with the key of its kind and nothing of another
/// kind, texts and numbers not listed twice for the same functions, types that parse.
pub fn check(file: &str, text: &str, spec: &Spec) -> Result<(), Vec<Diagnostic>> {
    let Some(codes) = &spec.codes else {
        return Ok(());
    };
    let mut diags = Vec::new();
    let mut at =
        |offset: usize, message: String| diags.push(Diagnostic::at(file, text, offset, message));
    let key = *codes.key.get_ref();
    let mut names = HashSet::new();
    let mut wires = HashSet::new();
    for entry in &codes.code {
        let name = entry.name.get_ref();
        let offset = entry.name.span().start;
        if syn::parse_str::<syn::Ident>(name).is_err() || name == "Unknown" {
            at(
                offset,
                format!("code `{name}`: not a variant name (`Unknown` is generated)"),
            );
        }
        if !names.insert(name.as_str()) {
            at(offset, format!("code `{name}`: listed twice"));
        }
        if entry.doc.get_ref().trim().is_empty() || entry.description.get_ref().trim().is_empty() {
            at(
                offset,
                format!("code `{name}`: needs a doc and a description"),
            );
        }
        let has = [
            (
                Key::Number,
                entry.number.is_some() || !entry.functions.is_empty() || !entry.fields.is_empty(),
            ),
            (Key::Text, entry.text.is_some() || !entry.aliases.is_empty()),
            (Key::Message, !entry.contains.is_empty()),
        ];
        for (kind, present) in has {
            if present && kind != key {
                at(
                    offset,
                    format!("code `{name}`: a field of key `{kind:?}` in a table of key `{key:?}`"),
                );
            }
        }
        match key {
            Key::Number => match &entry.number {
                None => at(offset, format!("code `{name}`: needs `number`")),
                Some(n) => {
                    let scopes: Vec<&str> = if entry.functions.is_empty() {
                        vec![""]
                    } else {
                        entry.functions.iter().map(String::as_str).collect()
                    };
                    for scope in scopes {
                        if !wires.insert(format!("{}@{scope}", n.get_ref())) {
                            at(
                                n.span().start,
                                format!(
                                    "code `{name}`: {} listed twice for the same functions",
                                    n.get_ref()
                                ),
                            );
                        }
                    }
                }
            },
            Key::Text => {
                let Some(t) = &entry.text else {
                    at(offset, format!("code `{name}`: needs `text`"));
                    continue;
                };
                for spelling in std::iter::once(t.get_ref()).chain(&entry.aliases) {
                    if spelling.trim() != spelling
                        || spelling.is_empty()
                        || !wires.insert(spelling.clone())
                    {
                        at(
                            t.span().start,
                            format!("code `{name}`: `{spelling}` is blank, padded or listed twice"),
                        );
                    }
                }
            }
            Key::Message => {
                if entry.contains.is_empty() {
                    at(offset, format!("code `{name}`: needs `contains`"));
                }
                for fragment in &entry.contains {
                    if fragment.trim().is_empty() || fragment.to_lowercase() != *fragment {
                        at(
                            offset,
                            format!("code `{name}`: fragment `{fragment}` must be lower-case text"),
                        );
                    }
                }
            }
        }
        for field in &entry.fields {
            if syn::parse_str::<syn::Type>(field.ty.get_ref()).is_err() {
                at(
                    field.ty.span().start,
                    format!("code `{name}`, field `{}`: not a Rust type", field.name),
                );
            }
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// The enum and its impls, or nothing when the spec has no `[codes]`.
pub fn render(spec: &Spec) -> Result<TokenStream, String> {
    let Some(codes) = &spec.codes else {
        return Ok(quote!());
    };
    let name = ident(codes.name.get_ref());
    let doc = doc_attrs(&format!(
        "{}\n\n{}",
        codes.doc.get_ref().trim(),
        table(codes)
    ));
    let key = *codes.key.get_ref();
    let mut variants = Vec::new();
    let mut patterns = Vec::new();
    for entry in &codes.code {
        let id = ident(entry.name.get_ref());
        let doc = doc_attrs(entry.doc.get_ref());
        if entry.fields.is_empty() {
            variants.push(quote!(#doc #id,));
            patterns.push(quote!(Self::#id));
        } else {
            let fields = entry
                .fields
                .iter()
                .map(|f| {
                    let fname = ident(&f.name);
                    let ty: syn::Type =
                        syn::parse_str(f.ty.get_ref()).map_err(|e| e.to_string())?;
                    let fdoc = doc_attrs(&f.doc);
                    Ok(quote!(#fdoc #fname: #ty,))
                })
                .collect::<Result<Vec<_>, String>>()?;
            variants.push(quote!(#doc #id { #(#fields)* },));
            patterns.push(quote!(Self::#id { .. }));
        }
    }
    let descriptions = codes.code.iter().zip(&patterns).map(|(entry, pattern)| {
        let text = entry.description.get_ref().as_str();
        quote!(#pattern => #text,)
    });
    let classes: Vec<TokenStream> = codes
        .code
        .iter()
        .zip(&patterns)
        .filter(|(e, _)| e.class != Class::Permanent)
        .map(|(entry, pattern)| {
            let class = match entry.class {
                Class::Permanent => quote!(Permanent),
                Class::Retryable => quote!(Retryable),
                Class::Credentials => quote!(Credentials),
                Class::TokenRefused => quote!(TokenRefused),
                Class::LimitReached => quote!(LimitReached),
            };
            quote!(#pattern => ::pos_client_core::CodeClass::#class,)
        })
        .collect();
    let class_body = if classes.is_empty() {
        quote!(::pos_client_core::CodeClass::Permanent)
    } else {
        quote!(match self {
            #(#classes)*
            _ => ::pos_client_core::CodeClass::Permanent,
        })
    };
    let (unknown, unknown_pattern, by_key, display) = match key {
        Key::Number => number_items(codes, &patterns),
        Key::Text => text_items(codes, &name),
        Key::Message => message_items(codes, &name),
    };
    let display = codes.display.then(|| {
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #display
                }
            }
        }
    });
    let hash = codes
        .code
        .iter()
        .all(|e| e.fields.is_empty())
        .then(|| quote!(Hash,));
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, #hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown
        }

        impl #name {
            /// The vendor's documented meaning, in English.
            pub fn description(&self) -> &'static str {
                match self {
                    #(#descriptions)*
                    #unknown_pattern => "unknown error code",
                }
            }
        }

        #by_key

        #display

        impl ::pos_client_core::VendorCode for #name {
            fn class(&self) -> ::pos_client_core::CodeClass {
                #class_body
            }
        }
    })
}

fn number_items(codes: &CodesSpec, patterns: &[TokenStream]) -> Items {
    let name = ident(codes.name.get_ref());
    let numbers = codes.code.iter().zip(patterns).map(|(entry, pattern)| {
        let n = number(entry);
        quote!(#pattern => #n,)
    });
    // Scoped entries first, so that a function's own meaning wins over an unscoped one.
    let mut scoped: Vec<&CodeEntry> = codes.code.iter().filter(|e| e.fields.is_empty()).collect();
    scoped.sort_by_key(|e| e.functions.is_empty());
    let known = scoped.iter().map(|entry| {
        let id = ident(entry.name.get_ref());
        let n = number(entry);
        if entry.functions.is_empty() {
            quote!((#n, _) => ::std::option::Option::Some(Self::#id),)
        } else {
            let functions = &entry.functions;
            quote!((#n, #(#functions)|*) => ::std::option::Option::Some(Self::#id),)
        }
    });
    (
        quote! {
            /// A code this crate does not know (or a known code from a function that does not
            /// document it): the code and the server's message (empty when there was none).
            Unknown(i64, ::std::string::String),
        },
        quote!(Self::Unknown(..)),
        quote! {
            impl #name {
                /// The numeric code, as on the wire.
                pub fn code(&self) -> i64 {
                    match self {
                        #(#numbers)*
                        Self::Unknown(code, _) => *code,
                    }
                }

                /// The documented code without fields that `code` means when `function`
                /// answers it; `None` for other codes and for codes with fields.
                pub fn known(function: &str, code: i64) -> ::std::option::Option<Self> {
                    match (code, function) {
                        #(#known)*
                        _ => ::std::option::Option::None,
                    }
                }
            }
        },
        quote!(write!(f, "{} ({})", self.code(), self.description())),
    )
}

/// The codes as a Markdown table for the enum's docs, so the docs cannot drift from the table.
fn table(codes: &CodesSpec) -> String {
    let class = |c: Class| match c {
        Class::Permanent => "permanent",
        Class::Retryable => "retryable",
        Class::Credentials => "credentials: never retried",
        Class::TokenRefused => "token refused: renewed once",
        Class::LimitReached => "limit reached: never retried, calls refused until its time",
    };
    let quoted = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (head, unknown) = match *codes.key.get_ref() {
        Key::Number => (
            "| code | functions | code | class |\n|---|---|---|---|",
            "| other | | `Unknown` with code and message | permanent |",
        ),
        Key::Text => (
            "| wire | also read | code | class |\n|---|---|---|---|",
            "| other | | `Unknown` with the text | permanent |",
        ),
        Key::Message => (
            "| message contains (any case) | code | class |\n|---|---|---|",
            "| anything else | `Unknown` | permanent |",
        ),
    };
    let mut out = format!("{head}\n");
    for entry in &codes.code {
        let key = match *codes.key.get_ref() {
            Key::Number => format!(
                "{} | {}",
                entry.number.as_ref().map_or(0, |n| *n.get_ref()),
                if entry.functions.is_empty() {
                    "any".to_owned()
                } else {
                    quoted(&entry.functions)
                },
            ),
            Key::Text => format!(
                "`{}` | {}",
                entry.text.as_ref().map_or("", |t| t.get_ref().as_str()),
                quoted(&entry.aliases),
            ),
            Key::Message => quoted(&entry.contains),
        };
        out.push_str(&format!(
            "| {key} | [`{0}`](Self::{0}) | {1} |\n",
            entry.name.get_ref(),
            class(entry.class)
        ));
    }
    out.push_str(unknown);
    out
}

/// What a key adds: the `Unknown` variant, its pattern, the lookup impl, the `Display` body.
type Items = (TokenStream, TokenStream, TokenStream, TokenStream);

/// The entry's code as an unsuffixed literal.
fn number(entry: &CodeEntry) -> proc_macro2::Literal {
    proc_macro2::Literal::i64_unsuffixed(entry.number.as_ref().map_or(0, |n| *n.get_ref()))
}

fn text_items(codes: &CodesSpec, name: &proc_macro2::Ident) -> Items {
    let ids: Vec<_> = codes.code.iter().map(|e| ident(e.name.get_ref())).collect();
    let texts: Vec<&str> = codes
        .code
        .iter()
        .map(|e| e.text.as_ref().map_or("", |t| t.get_ref().as_str()))
        .collect();
    let aliases = codes
        .code
        .iter()
        .zip(&ids)
        .flat_map(|(entry, id)| entry.aliases.iter().map(move |a| quote!(#a => Self::#id,)));
    (
        quote! {
            /// A code this crate does not know; the wire text is kept.
            Unknown(::std::string::String),
        },
        quote!(Self::Unknown(_)),
        quote! {
            impl #name {
                /// Every documented code, in the document's order.
                pub const ALL: &'static [Self] = &[#(Self::#ids,)*];

                /// The code as the document spells it.
                pub fn as_wire(&self) -> &str {
                    match self {
                        #(Self::#ids => #texts,)*
                        Self::Unknown(text) => text,
                    }
                }

                /// The code for a wire text (surrounding whitespace ignored); other spellings
                /// the document uses map to their code, anything else is `Unknown`.
                pub fn from_wire(text: &str) -> Self {
                    match text.trim() {
                        #(#texts => Self::#ids,)*
                        #(#aliases)*
                        other => Self::Unknown(other.to_owned()),
                    }
                }
            }
        },
        quote!(f.write_str(self.as_wire())),
    )
}

fn message_items(codes: &CodesSpec, name: &proc_macro2::Ident) -> Items {
    let ids: Vec<_> = codes.code.iter().map(|e| ident(e.name.get_ref())).collect();
    let names: Vec<&str> = codes
        .code
        .iter()
        .map(|e| e.name.get_ref().as_str())
        .collect();
    let checks = codes.code.iter().zip(&ids).map(|(entry, id)| {
        let fragments = &entry.contains;
        quote!(if [#(#fragments),*].iter().any(|f| lower.contains(f)) { return Self::#id; })
    });
    (
        quote! {
            /// Any other message.
            Unknown,
        },
        quote!(Self::Unknown),
        quote! {
            impl #name {
                /// Names a message: the first code whose fragments occur in it (any case).
                pub fn from_message(message: &str) -> Self {
                    let lower = message.to_lowercase();
                    #(#checks)*
                    Self::Unknown
                }
            }
        },
        quote!(f.write_str(match self {
            #(Self::#ids => #names,)*
            Self::Unknown => "Unknown",
        })),
    )
}
